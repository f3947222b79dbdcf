"""CLI manners: fast start-up (lazy imports), full summaries and examples in --help,
'did you mean' and completion for names, one altitude convention, progress on stderr."""

import importlib
import re
import io
import json
import os
import subprocess
import sys

import click
import pytest

from thaad.cli import cli
from thaad.cli.registry import COMMANDS

HEAVY = ("numpy", "scipy", "matplotlib", "pyproj", "pydantic", "shapely", "pandas", "rich", "thaad.catalog",
         "thaad.radar", "thaad.ballistics", "thaad.report")


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "thaad", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_cli_import_and_help_load_no_heavy_module():
    """Start-up stays well under half a second by not importing NumPy/SciPy/matplotlib & co
    for `thaad --help` (checked by what is loaded, not by a timer)."""
    code = ("import sys, thaad.cli\n"
            "from thaad.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[]"


def test_registry_matches_the_command_modules():
    found = {}
    for module in sorted({m for m, _ in COMMANDS.values()}):
        for cmd in importlib.import_module(module).COMMANDS:
            found[cmd.name] = module
    assert found == {name: module for name, (module, _) in COMMANDS.items()}


def test_top_level_help_lists_untruncated_summaries():
    r = run("--help")
    assert r.returncode == 0
    text = " ".join(r.stdout.split())
    for name, (_, summary) in COMMANDS.items():
        assert " ".join(summary.split()) in text, name
    assert "..." not in r.stdout.split("Commands:")[1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_help_has_examples_that_parse(name):
    cmd = cli.get_command(click.Context(cli), name)
    help_text = cmd.help or ""
    assert "Examples:" in help_text, name
    block = help_text.split("Examples:")[1].replace("\\\n", " ")  # join continued lines
    examples = [ln.strip() for ln in block.splitlines() if ln.strip().startswith("thaad ")]
    assert examples, name
    for ex in examples:  # each example parses (options exist, values convert), without running it
        words = re.split(r"[#>|]", ex)[0].split()  # drop comments and shell redirection
        target = cli.get_command(click.Context(cli), words[1])
        ctx = target.make_context(words[1], words[2:], resilient_parsing=False)
        ctx.close()


def test_did_you_mean_for_missiles_places_and_commands():
    r = run("trajectory", "--missile", "hwasong-7x", "--from", "sunan", "--to", "seongju")
    assert r.returncode == 2 and "Did you mean 'hwasong-7'" in r.stderr
    r = run("engage", "--missile", "scud-c", "--from", "wonsn", "--to", "busan")
    assert r.returncode == 2 and "'wonsan'" in r.stderr
    r = run("coverag")
    assert r.returncode == 2 and "Did you mean 'coverage'" in r.stderr


def test_shell_completion_offers_catalogue_names():
    env = {"_THAAD_COMPLETE": "bash_complete", "COMP_WORDS": "thaad trajectory --missile hwasong-1", "COMP_CWORD": "3"}
    r = subprocess.run([sys.executable, "-c", "from thaad.cli import cli; cli(prog_name='thaad')"],
                       capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
    names = [ln.split(",", 1)[1] for ln in r.stdout.splitlines() if "," in ln]
    assert {"hwasong-12", "hwasong-15"} <= set(names) and all(n.startswith("hwasong-1") for n in names)
    env["COMP_WORDS"], env["COMP_CWORD"] = "thaad engage --from won", "3"
    r = subprocess.run([sys.executable, "-c", "from thaad.cli import cli; cli(prog_name='thaad')"],
                       capture_output=True, text=True, env={**os.environ, **env}, timeout=60)
    assert "plain,wonsan" in r.stdout


def test_altitude_units_in_the_value_and_the_old_km_form():
    kw = ("visibility", "--from", "seongju", "--json")
    explicit = json.loads(run(*kw, "--to", "39.9042,116.4074,100km").stdout)
    metres = json.loads(run(*kw, "--to", "39.9042,116.4074,100000m").stdout)
    old = run(*kw, "--to", "39.9042,116.4074,100")
    assert json.loads(old.stdout) == explicit == metres
    assert "read as 100 km" in old.stderr  # the bare number is still km here, and it says so
    from thaad.cli.common import parse_point

    assert parse_point("36,128,680", "from").alt_m == 680.0  # bare = metres elsewhere
    assert parse_point("36,128,0.68km", "from").alt_m == pytest.approx(680.0)
    r = run("visibility", "--from", "seongju", "--to", "39,116,12parsecs")
    assert r.returncode == 2 and "altitude" in r.stderr


def test_plain_progress_lines_when_not_a_terminal_and_quiet():
    from thaad.cli.progress import PlainProgress, progress_for

    buf = io.StringIO()
    with progress_for(False, stream=buf) as p:
        t = p.task("step", 20)
        for _ in range(20):
            t.advance()
    lines = buf.getvalue().splitlines()
    assert isinstance(p, PlainProgress) and lines[0].startswith("thaad: step: 0/20")
    assert lines[-1].startswith("thaad: step: 20/20 (100 %)") and len(lines) <= 12
    buf = io.StringIO()
    with progress_for(True, stream=buf) as p:
        p.task("step", 3).advance()
    assert buf.getvalue() == ""


def test_no_color_is_respected(monkeypatch):
    from rich.console import Console

    monkeypatch.setenv("NO_COLOR", "1")
    c = Console(file=io.StringIO(), force_terminal=True)
    c.print("[red]x[/red]")
    assert "\x1b[31m" not in c.file.getvalue()


def test_pdf_without_a_browser_fails_fast(tmp_path):
    from conftest import SMALL_SCENARIO

    r = run("assess", str(SMALL_SCENARIO), "--out", str(tmp_path / "r"), "--pdf",
            env={"PATH": os.path.dirname(sys.executable)})
    assert r.returncode == 2 and "no headless browser" in r.stderr and "chromium" in r.stderr
    assert not (tmp_path / "r" / "index.html").exists()
