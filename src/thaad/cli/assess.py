"""CLI commands: ``thaad assess`` (the assessment report) and ``thaad scenario --template``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from thaad import scenario as scenario_mod
from thaad.cli.common import emit_json, json_option
from thaad.cli.params import SEED
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
              help="Folder for the report (created if needed; a non-empty folder thaad did not write needs --force).")
@click.option("--force", is_flag=True,
              help="Write into a non-empty --out folder that thaad did not write (only thaad's own files are replaced).")
@click.option("--check", is_flag=True,
              help="Only check the scenario (every check the run does, plus its estimated run time and memory): "
                   "exit 0 if valid, 3 listing every problem if not.")
@click.option("--seed", type=SEED, default=None, help="Override the scenario's random seed.")
@click.option("--quiet", "-q", is_flag=True, help=quiet_option_help)
@click.option("--pdf", is_flag=True,
              help="Also print index.html to report.pdf with a headless browser (chromium, chromium-browser or "
                   "google-chrome); exit 2 if none is found.")
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
    invalid scenario, unusable --out, --pdf without a browser), 3 --check found problems in the file.

    \b
    Examples:
      thaad assess                              # the Seongju report in ./report
      thaad assess my.toml --out my-report --quiet
      thaad assess my.toml --check              # validate only
      thaad scenario --template --out my.toml   # a scenario to start from
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
    browser = find_browser() if pdf else None
    if pdf and browser is None:  # fail before the long run, not after it
        raise InputError("pdf", "no headless browser found (looked for " + ", ".join(BROWSERS) + " on PATH); "
                                "install one (Debian: apt-get install chromium) or drop --pdf")
    from thaad import output
    from thaad.report import build_report

    with output.report_dir(out_dir, force) as tmp:
        with progress_for(quiet) as progress:
            summary = build_report(sc, tmp, seed=seed, progress=progress)
        pdf_error = None
        if pdf:  # printed inside the temporary folder, so report.pdf is published with the report
            try:
                _print_pdf(tmp / "index.html", browser)
                summary["report_pdf"] = str(out_dir / "report.pdf")
            except InputError as err:
                pdf_error = err  # the HTML report is still published, then the error is reported
    for key in ("index_html", "report_json"):
        summary[key] = str(out_dir / Path(summary[key]).relative_to(tmp))
    summary["report_dir"] = str(out_dir)
    if pdf_error is not None:
        raise pdf_error
    summary["scenario"] = source
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
    from thaad import output

    output.check_file_target(out_file, "out")
    if out_file.exists() and not force:
        raise InputError("out", f"{out_file} exists; pass --force to overwrite")
    output.write_text(out_file, text, "out")
    click.echo(f"Template written to {out_file}", err=True)
    return 0


COMMANDS = [assess_command, scenario_command]
