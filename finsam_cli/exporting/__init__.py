"""Unattended export of every report to a folder: planning, lock, all-or-nothing writes, manifest.

No printing and no typer here: progress goes to a callback and messages to the logger
"finsam.export", which `finsam export` configures (plain lines, or rich on a terminal).
"""
