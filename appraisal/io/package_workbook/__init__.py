"""The package workbook: an Excel template an advisor fills in, and the reader that turns it into a Package.

- :mod:`.layout`: what writer and reader agree on (sheet names, keys, rows and columns, the words on the
  sheets in Polish and English, the lists offered in cells, the styles); it imports neither of the others;
- :mod:`.write`: ``build_template`` / ``write_template``, an empty template or a package written out;
- :mod:`.read`: ``read_workbook`` / ``workbook_problems``, a filled workbook read back, each problem
  naming its sheet and cell.
"""

from __future__ import annotations

from .layout import FORMAT_NAME, FORMAT_VERSION, META_SHEET, SHEETS
from .read import read_workbook, workbook_problems
from .write import build_template, check_cell_texts, judgment_text, long_texts, package_texts, write_template

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "META_SHEET", "SHEETS", "build_template", "check_cell_texts",
           "judgment_text", "long_texts", "package_texts", "read_workbook", "workbook_problems",
           "write_template"]
