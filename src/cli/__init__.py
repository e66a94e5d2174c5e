"""Command line: `python -m src.cli <command>` (build, summary, quality, synth, ...).

Every command prints plain text, or JSON with --json, and returns a non-zero exit
code with a clear message on bad input (never a traceback).
"""
