"""Regenerate the sample workbook: ``python sample_data/generate.py``.

The generator lives in ``metrics.sheets.sample`` (deterministic, seed 42); a test checks that the
committed workbook is exactly what it makes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from metrics.base import config
from metrics.sheets import sample

if __name__ == "__main__":
    config.SAMPLE_WORKBOOK.write_bytes(sample.build())
    print(f"wrote {config.SAMPLE_WORKBOOK.name}")
