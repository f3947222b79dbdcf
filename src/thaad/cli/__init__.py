"""The ``thaad`` command line.  A thin shell: parse, call the core, print.

Exit codes (stable, relied on by scripts):

* 0 success
* 1 internal error (a bug: please report it)
* 2 bad input: usage, a field out of range, an unknown name, an unreachable target
* 3 a check that ran and found problems (e.g. ``thaad assess --check`` on a bad file)

Each command module exposes ``COMMANDS``, a list of click commands; ``registry.COMMANDS``
says which module holds each, so a module is imported only when its command runs.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from thaad import __version__
from thaad.cli.lazy import LazyGroup
from thaad.errors import InputError

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_CHECK = 0, 1, 2, 3


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="thaad")
def cli():
    """thaad: an open, physics-based model of the THAAD missile-defense system.

    Every parameter comes from a public source (`thaad missiles`, `thaad places`);
    every command takes --json for machine-readable output.

    \b
    Start with:   thaad assess            (the Seongju assessment report)
    What-if map:  thaad explore           (move and turn the radar in the browser)
    Threats:      thaad trajectory, thaad missiles
    Radar:        thaad visibility, thaad radar-range, thaad coverage, thaad detect, thaad network
    Battery:      thaad engage, thaad footprint, thaad batteries, thaad raid
    Sensitivity:  thaad sweep --template
    """



def main(argv: list[str] | None = None) -> None:
    """Entry point: maps errors to exit codes, never shows a traceback for bad input."""
    try:
        rv = cli.main(args=argv, prog_name="thaad", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe on stdout surfaces here, not at exit
    except InputError as err:
        click.echo(f"thaad: error: {err.field}: {err.message}", err=True)
        sys.exit(EXIT_INPUT)
    except click.exceptions.Abort:
        click.echo("thaad: aborted", err=True)
        sys.exit(130)
    except click.BadParameter as err:  # one line naming the option, its value and the range
        name = err.param.opts[0].lstrip("-") if err.param is not None and err.param.opts else (err.param_hint or "value")
        click.echo(f"thaad: error: {name}: {err.message}", err=True)
        sys.exit(EXIT_INPUT)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_INPUT if err.exit_code in (1, 2) else err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        _quiet_stdout()  # the reader went away (`thaad ... | head`): not an error
        sys.exit(EXIT_OK)
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG):
            _quiet_stdout()
            click.echo(f"thaad: error: stdout: cannot write the output: {err.strerror}", err=True)
            sys.exit(EXIT_INPUT)
        _internal(err)
    except Exception as err:  # a bug: say so briefly, full trace only on request
        _internal(err)
    sys.exit(rv if isinstance(rv, int) else EXIT_OK)


def _internal(err: Exception) -> None:
    if os.environ.get("THAAD_DEBUG"):
        raise err
    click.echo(f"thaad: internal error: {type(err).__name__}: {err} (set THAAD_DEBUG=1 for a traceback)", err=True)
    sys.exit(EXIT_INTERNAL)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. under a test runner)
        pass
