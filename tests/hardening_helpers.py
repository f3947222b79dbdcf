"""Run the CLI in-process (fast) and capture exit code, stdout and stderr."""

from __future__ import annotations

import json

import pytest

from thaad.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exc.value.code
    return (0 if code is None else int(code)), out, err


def strict_json(text: str):
    """Parse JSON refusing NaN/Infinity literals (Python's json accepts them by default)."""
    def bad(name):
        raise ValueError(f"non-standard JSON literal {name}")

    return json.loads(text, parse_constant=bad)


def assert_refused(capsys, field: str, *argv: str) -> str:
    """Exit 2, one line on stderr naming ``field``, no traceback/internal error."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (code, out, err)
    lines = err.strip().splitlines()
    assert lines and field in lines[0], err
    assert "internal error" not in err and "Traceback" not in err
    return err
