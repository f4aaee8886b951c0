"""The repository root is installed as ``appraisal.console``: it holds ``cli.py`` (the command line)."""
