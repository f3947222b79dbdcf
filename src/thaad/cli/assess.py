"""CLI commands: ``thaad assess`` (the assessment report) and ``thaad scenario --template``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thaad import scenario as scenario_mod
from thaad.cli.common import emit_json, json_option
from thaad.cli.params import SEED
from thaad.errors import InputError

EXIT_INPUT, EXIT_CHECK = 2, 3


class RichProgress:
    """rich progress bars on stderr, one per long step (implements report.context.Progress)."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description:32s}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(stderr=True), transient=False)

    def __enter__(self):
        self._progress.__enter__()
        return self

    def __exit__(self, *exc):
        return self._progress.__exit__(*exc)

    def task(self, description: str, total: int):
        tid = self._progress.add_task(description, total=max(int(total), 1))
        progress = self._progress

        class _T:
            def advance(self, n: int = 1) -> None:
                progress.advance(tid, n)

        return _T()


def _fail(err: scenario_mod.ScenarioError, exit_code: int) -> None:
    what = "cannot read scenario" if err.kind == "read" else f"scenario is invalid ({len(err.problems)} problem(s))"
    click.echo(f"thaad: error: {err.source}: {what}", err=True)
    for line in err.problems:
        click.echo(f"  {line}", err=True)
    sys.exit(exit_code)


@click.command("assess")
@click.argument("scenario_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the report (created if needed; a non-empty folder thaad did not write needs --force).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty --out folder that thaad did not write (only thaad's own files are replaced).")
@click.option("--check", is_flag=True,
              help="Only check the scenario (every check the run does, plus its estimated run time and memory): "
                   "exit 0 if valid, 3 listing every problem if not.")
@click.option("--seed", type=SEED, default=None, help="Override the scenario's random seed.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bars or messages on stderr.")
@click.option("--pdf", is_flag=True, help="Also print index.html to report.pdf (needs headless chromium; skipped if absent).")
@json_option
@click.pass_context
def assess_command(ctx, scenario_file, out_dir, force, check, seed, quiet, pdf, as_json):
    """Write the assessment report for SCENARIO_FILE (default: the built-in Seongju scenario).

    \b
    The report folder holds index.html (opens offline), report.json (every number),
    figures/ and layers/ (GeoJSON and KML for QGIS or Google Earth).  It is built in a
    temporary folder and moved into place when complete.

    \b
    Exit codes: 0 report written (or --check: valid), 2 bad input (unreadable file,
    invalid scenario, unusable --out), 3 --check found problems in the file.
    """
    if check:
        given = [f"--{n}" for n in ("out", "seed", "pdf", "force")
                 if ctx.get_parameter_source(n if n != "out" else "out_dir") == click.core.ParameterSource.COMMANDLINE]
        if given:
            raise InputError("check", f"only checks the scenario and writes nothing; {', '.join(given)} "
                                      f"would be ignored: drop {'it' if len(given) == 1 else 'them'} or drop --check")
    try:
        sc = scenario_mod.load(scenario_file)
    except scenario_mod.ScenarioError as err:
        code = EXIT_CHECK if check and err.kind == "invalid" else EXIT_INPUT
        if as_json:
            emit_json({"valid": False, "file": err.source, "problems": err.problems})
        _fail(err, code)
    source = str(scenario_file) if scenario_file else f"built-in:{scenario_mod.BUILTIN}"
    if check:
        est = scenario_mod.estimate(sc)
        if as_json:
            emit_json({"valid": True, "file": source, "problems": [],
                       "estimate": {"run_s": round(est.seconds), "peak_memory_mib": round(est.peak_mib),
                                    "note": "rough, a factor of ~3 either way", **est.parts}})
        elif not quiet:
            click.echo(f"{source}: valid scenario ({len(sc.questions)} question(s), {len(sc.threats)} threat group(s)); "
                       f"a run would take {est.describe()}")
        return 0
    from thaad import output
    from thaad.report import build_report

    show = not quiet and sys.stderr.isatty()
    with output.report_dir(out_dir, force) as tmp:
        if show:
            with RichProgress() as progress:
                summary = build_report(sc, tmp, seed=seed, progress=progress)
        else:
            summary = build_report(sc, tmp, seed=seed)
        if pdf:
            pdf_path = _print_pdf(tmp / "index.html", quiet)
            summary["report_pdf"] = None if pdf_path is None else str(out_dir / "report.pdf")
    for key in ("report_dir", "index_html", "report_json"):
        summary[key] = str(out_dir / Path(summary[key]).relative_to(tmp)) if key != "report_dir" else str(out_dir)
    summary["scenario"] = source
    if as_json:
        emit_json(summary)
    elif not quiet:
        for key, q in summary["questions"].items():
            flag = {"answered": "ok", "partial": "partial", "missing": "NOT ANSWERED"}[q["status"]]
            click.echo(f"  {key}: {flag}" + (f" (missing: {'; '.join(q['missing'])})" if q["missing"] else ""))
        click.echo(f"Report written to {Path(summary['index_html']).resolve()} ({summary['elapsed_s']} s)")
    return 0


def _print_pdf(index: Path, quiet: bool) -> str | None:
    """index.html -> report.pdf with headless Chromium (no network), or None when unavailable."""
    import shutil
    import subprocess
    import tempfile

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if not quiet:
            click.echo("thaad: note: no PDF written (chromium not installed)", err=True)
        return None
    out = index.with_name("report.pdf")
    profile = tempfile.mkdtemp(prefix="thaad-chromium-")
    try:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                        "--proxy-server=socks5://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                        "--no-pdf-header-footer", f"--print-to-pdf={out}", index.resolve().as_uri()],
                       capture_output=True, timeout=180)
    except (OSError, subprocess.TimeoutExpired):
        pass
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if out.is_file() and out.stat().st_size > 0:
        return str(out)
    if not quiet:
        click.echo("thaad: note: chromium could not print the PDF", err=True)
    return None


@click.command("scenario")
@click.option("--template", is_flag=True, required=True, help="Write a commented starting scenario (required).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def scenario_command(template, out_file, force):
    """Print (or write with --out) a commented scenario file to start from.

    The template is the built-in Seongju scenario with every key explained; it validates
    as written (`thaad assess --check FILE`).
    """
    text = scenario_mod.template_text()
    if out_file is None:
        click.echo(text, nl=False)
        return 0
    from thaad import output

    output.check_file_target(out_file, "out")
    if out_file.exists() and not force:
        raise InputError("out", f"{out_file} exists; pass --force to overwrite")
    output.write_text(out_file, text, "out")
    click.echo(f"Template written to {out_file}", err=True)
    return 0


COMMANDS = [assess_command, scenario_command]
