"""CLI command: ``thaad sweep`` (sensitivity sweeps on Dask, cached by case)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from thaad.cli.common import emit_json, json_option
from thaad.errors import InputError

EXIT_INPUT = 2


def _fail(err, as_json: bool) -> None:
    if as_json:
        emit_json({"valid": False, "file": err.source, "problems": err.problems})
    what = "cannot read sweep file" if err.kind == "read" else f"sweep file is invalid ({len(err.problems)} problem(s))"
    click.echo(f"thaad: error: {err.source}: {what}", err=True)
    for line in err.problems:
        click.echo(f"  {line}", err=True)
    sys.exit(EXIT_INPUT)


def _check_out(out: Path) -> None:
    """The output folder must be new, empty, or a sweep folder (never mix a sweep into other files)."""
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not ((out / "cases").is_dir() or (out / "sweep.json").is_file()):
        raise InputError("--out", f"{out} is not empty and is not a sweep folder; choose a new folder")


@click.command("sweep")
@click.argument("sweep_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--template", is_flag=True, help="Print a commented starting sweep file (it runs as written) and exit.")
@click.option("--out", "out_dir", default="sweep-results", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the table, report and case cache (re-use it to resume or extend a sweep).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Use an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of a local one.")
@click.option("--workers", type=click.IntRange(0, 1024), default=None,
              help="Local cluster: worker processes (default: one per core; 0 = run serially in this process).")
@click.option("--check", is_flag=True, help="Only validate the sweep file and count its cases.")
@click.option("--no-report", is_flag=True, help="Skip the HTML report (table only).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or messages on stderr.")
@json_option
def sweep_command(sweep_file, template, out_dir, scheduler, workers, check, no_report, quiet, as_json):
    """Run the sensitivity sweep SWEEP_FILE: which assumption moves which answer.

    \b
    Writes to --out: results.parquet and results.csv (one row per case and output),
    report.html (tornado charts and sensitivity indices, opens offline), sweep.json,
    and cases/ (one cached result per case, by content hash).
    Exit codes: 0 done, 2 bad input (every problem listed as path.to.field: message).

    \b
    Examples:
      thaad sweep --template > my-sweep.toml
      thaad sweep my-sweep.toml --check
      thaad sweep my-sweep.toml --out sweep-results --workers 2
    """
    from thaad.sweep import spec as spec_mod

    if template:
        from thaad.sweep.template import TEMPLATE

        click.echo(TEMPLATE, nl=False)
        return 0
    if sweep_file is None:
        raise InputError("SWEEP_FILE", "give a sweep file (start from `thaad sweep --template`)")
    try:
        sw = spec_mod.load(sweep_file)
    except spec_mod.SweepError as err:
        _fail(err, as_json)
    from thaad.sweep import run as run_mod

    try:
        cases, payloads = run_mod.resolve_all(sw)
    except spec_mod.SweepError as err:
        _fail(err, as_json)
    if check:
        info = {"valid": True, "file": str(sweep_file), "cases": len(cases), "unique_cases": len({p["hash"] for p in payloads}),
                "outputs": [o.name for o in sw.outputs]}
        if as_json:
            emit_json(info)
        elif not quiet:
            click.echo(f"{sweep_file}: valid sweep ({info['cases']} cases, {len(info['outputs'])} outputs)")
        return 0
    _check_out(out_dir)
    progress = None
    if not quiet:
        from thaad.sweep.progress import RichProgress

        progress = RichProgress(sw.spec.title[:40])
    res = run_mod.run(sw, out_dir, scheduler=scheduler, workers=workers, progress=progress)
    from thaad.sweep.outputs_files import write_outputs

    files = write_outputs(sw, res, out_dir, report=not no_report)
    summary = {"out": str(out_dir), "cases": len(res.cases), "unique_cases": res.n_unique, "cached": res.n_cached,
               "computed": res.n_computed, "elapsed_s": round(res.elapsed_s, 2), "workers": res.workers,
               "files": [str(f) for f in files]}
    if as_json:
        emit_json(summary)
    elif not quiet:
        click.echo(f"{res.n_unique} cases: {res.n_cached} cached, {res.n_computed} computed in {res.elapsed_s:.1f} s; "
                   f"results in {out_dir}", err=True)
    return 0


COMMANDS = [sweep_command]
