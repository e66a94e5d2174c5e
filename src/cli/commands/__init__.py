"""The subcommands, one module per group, found by `src.cli.main`.

Each module has ``ORDER`` (its place in --help) and ``register(subparsers)``;
adding a subcommand is adding a module here.
"""
