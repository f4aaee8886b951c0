"""The bundled samples, for ``appraise demo``: where they are, and every pilot partnership ranked."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .batch import BatchResult, discover, run


def samples_dir() -> Path:
    """The folder of the bundled samples (a real folder: the package is installed unzipped)."""
    return Path(str(resources.files("appraisal.samples")))


def bundled_partnerships(workers: int = 1) -> BatchResult:
    """Every package under ``samples/pakiety/<voivodeship>/``, ranked (broken ones reported)."""
    jobs, skipped = discover(samples_dir() / "pakiety")
    result = run(jobs, workers=workers)
    result.skipped = skipped
    return result
