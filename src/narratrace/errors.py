"""The usage error every command raises, in a module of its own.

Subcommand modules raise it and `narratrace.cli.main` turns it into one stderr
line and exit code 2. Defined here rather than in `narratrace.cli`: under
`python -m narratrace.cli` that module runs as `__main__`, and a class the
subcommands imported from `narratrace.cli` would be another class than the one
its handler catches.
"""


class UsageError(Exception):
    pass
