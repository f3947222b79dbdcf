"""CLI commands: radar (to be filled in)."""

COMMANDS: list = []
