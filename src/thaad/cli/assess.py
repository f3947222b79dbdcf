"""CLI commands: assess (to be filled in)."""

COMMANDS: list = []
