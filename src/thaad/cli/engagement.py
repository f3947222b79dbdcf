"""CLI commands: engagement (to be filled in)."""

COMMANDS: list = []
