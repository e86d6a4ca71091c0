"""Entry point of ``python -m metrics``."""

from __future__ import annotations

import sys

from metrics.cli import main

sys.exit(main())
