"""The one error type for bad input, shared by every layer.

An :class:`InputError` carries where the problem is (a file, and inside it a sheet/cell,
a row/column or a field path) and what is wrong. ``str(error)`` is the one line the
command line prints.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: a file, a value or an option that cannot be used as given."""

    def __init__(self, message: str, *, source: str | None = None, where: str | None = None):
        self.message = message
        self.source = source
        self.where = where
        super().__init__(self.__str__())

    def located(self, source: str | None = None, where: str | None = None) -> InputError:
        """A copy of this error with the file and/or location filled in where unknown."""
        return InputError(
            self.message,
            source=self.source or source,
            where=self.where or where,
        )

    def __str__(self) -> str:
        parts = [p for p in (self.source, self.where) if p]
        prefix = ": ".join(parts)
        return one_line(f"{prefix}: {self.message}" if prefix else self.message)


def one_line(text: str) -> str:
    """``text`` with line breaks shown as ``\\n``, so that a message stays on one line."""
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
