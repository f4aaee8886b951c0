"""The one error type for bad input, shared by every layer.

An :class:`InputError` carries where the problem is (a file, and inside it a sheet/cell,
a row/column or a field path; or the name of the parameter given wrongly) and what is wrong.
``str(error)`` is the one line a library caller sees: a parameter is named as in Python
(``top_k: ...``). The command line prints :meth:`InputError.cli_line`, where the same
parameter is its option (``--top-k: ...``). A message names another parameter as
``{param:force}``: ``force`` from Python, ``--force`` on the command line.
"""

from __future__ import annotations

import re

_PARAM = re.compile(r"\{param:([A-Za-z_][A-Za-z0-9_]*)\}")


def option_name(name: str) -> str:
    """The command-line option of a library parameter: ``top_k`` -> ``--top-k``."""
    return "--" + name.replace("_", "-")


class InputError(ValueError):
    """Bad input: a file, a value or an option that cannot be used as given."""

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None,
                 param: str | None = None):
        self.message = message
        self.source = source
        self.where = where
        self.param = param  # the library parameter given wrongly (``weights``, ``top_k``), if any
        super().__init__(self.__str__())

    def located(self, source: str | None = None, where: str | None = None) -> InputError:
        """A copy of this error with the file and/or location filled in where unknown."""
        return InputError(
            self.message,
            source=self.source or source,
            where=self.where or where,
            param=self.param,
        )

    def line(self, name=str) -> str:
        """The one line of this error, parameters named by ``name`` (Python's by default)."""
        parts = [p for p in (self.source, self.where, name(self.param) if self.param else None) if p]
        prefix = ": ".join(parts)
        message = _PARAM.sub(lambda mo: name(mo.group(1)), self.message)
        return one_line(f"{prefix}: {message}" if prefix else message)

    def cli_line(self) -> str:
        """The one line the command line prints: parameters named by their options (``--top-k``)."""
        return self.line(option_name)

    def __str__(self) -> str:
        return self.line()


def one_line(text: str) -> str:
    """``text`` with line breaks shown as ``\\n``, so that a message stays on one line."""
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
