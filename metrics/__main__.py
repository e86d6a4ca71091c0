"""Entry point of ``python -m metrics``."""

from __future__ import annotations

import sys

if sys.argv[1:2] == ["import"]:
    # The worker that will read the file loads its readers while this process loads its own.
    from metrics import isolation

    isolation.warm()

from metrics.cli import main

sys.exit(main())
