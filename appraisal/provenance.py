"""What every output carries so a published number can be traced: engine version and input hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import __version__

ENGINE = f"appraise {__version__}"


def _default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    raise TypeError(f"cannot hash {type(obj).__name__}")


def canonical_json(obj: Any) -> str:
    """The canonical JSON text of ``obj``: sorted keys, no whitespace, UTF-8 letters as they are."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def input_hash(inputs: Any) -> str:
    """SHA-256 of the canonical JSON of ``inputs`` (sorted keys, no whitespace), as ``sha256:…``."""
    return _sha(canonical_json(inputs))


def input_hash_of_parts(parts: dict[str, str]) -> str:
    """:func:`input_hash` of a dict whose values are given already as canonical JSON texts.

    ``input_hash_of_parts({k: canonical_json(v) ...}) == input_hash({k: v ...})``: a part shared by
    many inputs (a criteria set scored in a whole batch) is serialised once."""
    return _sha("{" + ",".join(f"{canonical_json(k)}:{parts[k]}" for k in sorted(parts)) + "}")


def _sha(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
