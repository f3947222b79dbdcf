"""Helpers for the documentation's executed examples (imported by the pages' code cells).

`sh("thaad ...")` runs a documented command exactly as a reader would type it and prints
its output; a non-zero exit raises, so a broken example fails the docs build.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys


def _argv(command: str) -> list[str]:
    argv = shlex.split(command)
    if argv[0] != "thaad":
        raise ValueError(f"documented commands start with 'thaad': {command!r}")
    return [sys.executable, "-m", "thaad", *argv[1:]]


def sh(command: str, *, max_lines: int | None = 40) -> str:
    """Run a `thaad` command, print `$ command` and its output; raise on failure."""
    proc = subprocess.run(_argv(command), capture_output=True, text=True, timeout=900)
    out = proc.stdout.rstrip("\n")
    lines = out.splitlines()
    shown = lines if max_lines is None or len(lines) <= max_lines else lines[:max_lines] + ["..."]
    print("$ " + command)
    print("\n".join(shown))
    if proc.returncode != 0:
        raise RuntimeError(f"documented command failed (exit {proc.returncode}): {command}\n{proc.stderr}")
    return out


def sh_json(command: str):
    """Run a `thaad ... --json` command quietly and return the parsed JSON."""
    proc = subprocess.run(_argv(command), capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"documented command failed (exit {proc.returncode}): {command}\n{proc.stderr}")
    return json.loads(proc.stdout)


def md_table(header: list[str], rows: list[list]) -> "object":
    """A Markdown table rendered by MyST-NB from computed rows."""
    from IPython.display import Markdown

    def cell(v):
        return str(v).replace("|", "\\|")

    text = "| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n"
    text += "\n".join("| " + " | ".join(cell(v) for v in r) + " |" for r in rows)
    return Markdown(text)
