"""CLI commands: ``thaad assess`` (the assessment report) and ``thaad scenario --template``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thaad import scenario as scenario_mod
from thaad.cli.common import emit_json, json_option
from thaad.cli.progress import progress_for, quiet_option_help
from thaad.errors import InputError

EXIT_INPUT, EXIT_CHECK = 2, 3


def _fail(err: scenario_mod.ScenarioError, exit_code: int) -> None:
    what = "cannot read scenario" if err.kind == "read" else f"scenario is invalid ({len(err.problems)} problem(s))"
    click.echo(f"thaad: error: {err.source}: {what}", err=True)
    for line in err.problems:
        click.echo(f"  {line}", err=True)
    sys.exit(exit_code)


@click.command("assess")
@click.argument("scenario_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", default="report", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the report (created if needed).")
@click.option("--check", is_flag=True, help="Only validate the scenario: exit 0 if valid, 3 listing every problem if not.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None, help="Override the scenario's random seed.")
@click.option("--quiet", "-q", is_flag=True, help=quiet_option_help)
@click.option("--pdf", is_flag=True,
              help="Also print index.html to report.pdf with a headless browser (chromium, chromium-browser or "
                   "google-chrome); exit 2 if none is found.")
@json_option
def assess_command(scenario_file, out_dir, check, seed, quiet, pdf, as_json):
    """Write the assessment report for SCENARIO_FILE (default: the built-in Seongju scenario).

    \b
    The report folder holds index.html (opens offline), report.json (every number),
    figures/ and layers/ (GeoJSON and KML for QGIS or Google Earth).

    \b
    Exit codes: 0 report written (or --check: valid), 2 bad input (unreadable file,
    invalid scenario, --pdf without a browser), 3 --check found problems.

    \b
    Examples:
      thaad assess                              # the Seongju report in ./report
      thaad assess my.toml --out my-report --quiet
      thaad assess my.toml --check              # validate only
      thaad scenario --template --out my.toml   # a scenario to start from
    """
    try:
        sc = scenario_mod.load(scenario_file)
    except scenario_mod.ScenarioError as err:
        if check and err.kind == "invalid":
            if as_json:
                emit_json({"valid": False, "file": err.source, "problems": err.problems})
            _fail(err, EXIT_CHECK)
        if as_json:
            emit_json({"valid": False, "file": err.source, "problems": err.problems})
        _fail(err, EXIT_INPUT)
    source = str(scenario_file) if scenario_file else f"built-in:{scenario_mod.BUILTIN}"
    if check:
        if as_json:
            emit_json({"valid": True, "file": source, "problems": []})
        elif not quiet:
            click.echo(f"{source}: valid scenario ({len(sc.questions)} question(s), {len(sc.threats)} threat group(s))")
        return 0
    browser = find_browser() if pdf else None
    if pdf and browser is None:  # fail before the long run, not after it
        raise InputError("pdf", "no headless browser found (looked for " + ", ".join(BROWSERS) + " on PATH); "
                                "install one (Debian: apt-get install chromium) or drop --pdf")
    from thaad.report import build_report

    with progress_for(quiet) as progress:
        summary = build_report(sc, out_dir, seed=seed, progress=progress)
    summary["scenario"] = source
    if pdf:
        summary["report_pdf"] = _print_pdf(Path(summary["index_html"]), browser)
    if as_json:
        emit_json(summary)
    elif not quiet:
        for key, q in summary["questions"].items():
            flag = {"answered": "ok", "partial": "partial", "missing": "NOT ANSWERED"}[q["status"]]
            click.echo(f"  {key}: {flag}" + (f" (missing: {'; '.join(q['missing'])})" if q["missing"] else ""))
        click.echo(f"Report written to {Path(summary['index_html']).resolve()} ({summary['elapsed_s']} s)")
    return 0


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    import shutil

    return next((path for path in map(shutil.which, BROWSERS) if path), None)


def _print_pdf(index: Path, browser: str) -> str:
    """index.html -> report.pdf with a headless Chromium-family browser (no network);
    raises InputError (exit 2) when it cannot print."""
    import shutil
    import subprocess
    import tempfile

    out = index.with_name("report.pdf")
    profile = tempfile.mkdtemp(prefix="thaad-chromium-")
    detail = ""
    try:
        r = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
                            "--proxy-server=socks5://127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
                            "--no-pdf-header-footer", f"--print-to-pdf={out}", index.resolve().as_uri()],
                           capture_output=True, timeout=180, text=True)
        detail = (r.stderr or "").strip().splitlines()[-1:] and (r.stderr or "").strip().splitlines()[-1]
    except (OSError, subprocess.TimeoutExpired) as err:
        detail = str(err)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if out.is_file() and out.stat().st_size > 0:
        return str(out)
    raise InputError("pdf", f"{browser} could not print {index} to PDF ({detail or 'no output'}); "
                            "the HTML report is written")


@click.command("scenario")
@click.option("--template", is_flag=True, required=True, help="Write a commented starting scenario (required).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of printing.")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
def scenario_command(template, out_file, force):
    """Print (or write with --out) a commented scenario file to start from.

    The template is the built-in Seongju scenario with every key explained; it validates
    as written (`thaad assess --check FILE`).

    \b
    Examples:
      thaad scenario --template
      thaad scenario --template --out my.toml
    """
    text = scenario_mod.template_text()
    if out_file is None:
        click.echo(text, nl=False)
        return 0
    if out_file.exists() and not force:
        raise InputError("--out", f"{out_file} exists; pass --force to overwrite")
    out_file.write_text(text, encoding="utf-8")
    click.echo(f"Template written to {out_file}", err=True)
    return 0


COMMANDS = [assess_command, scenario_command]
