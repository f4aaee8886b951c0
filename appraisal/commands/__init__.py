"""The commands of ``appraise``, one module each (``appraise NAME`` imports ``appraisal.commands.NAME``
alone: see the lazy table in the console's ``cli.py``). A command parses its options, calls the
library and prints; what they share is in :mod:`appraisal.commands.common`."""
