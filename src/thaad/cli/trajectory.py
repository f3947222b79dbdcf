"""CLI commands: trajectory (to be filled in)."""

COMMANDS: list = []
