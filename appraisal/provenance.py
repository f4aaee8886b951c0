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


def input_hash(inputs: Any) -> str:
    """SHA-256 of the canonical JSON of ``inputs`` (sorted keys, no whitespace), as ``sha256:…``."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
