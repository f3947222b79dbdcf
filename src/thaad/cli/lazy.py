"""A click group that imports a command's module only when that command runs, lists
untruncated summaries from :mod:`thaad.cli.registry`, and suggests close names."""

from __future__ import annotations

import difflib
import importlib

import click

from thaad.cli.registry import COMMANDS


def suggest(name: str, choices) -> str:
    """' Did you mean 'x'?' for the closest of ``choices`` (empty if none is close)."""
    close = difflib.get_close_matches(str(name).lower(), [str(c) for c in choices], n=3, cutoff=0.6)
    if not close:
        return ""
    return " Did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx, name):
        if name in self.commands:
            return self.commands[name]
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        for cmd in getattr(module, "COMMANDS", []):
            if cmd.name == name:
                self.commands[name] = cmd
                return cmd
        raise RuntimeError(f"{COMMANDS[name][0]} does not define the command {name!r} (see thaad/cli/registry.py)")

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name is not None and not name.startswith("-") and self.get_command(ctx, name) is None:
            raise click.UsageError(f"No such command '{name}'.{suggest(name, self.list_commands(ctx))}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][1] if name in COMMANDS else (self.commands[name].get_short_help_str(200)))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows, col_max=14)
