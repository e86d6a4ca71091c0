"""Entry point of ``python -m metrics``."""

from __future__ import annotations

import sys

from metrics.sheets import isolation

if "import" in sys.argv[1:]:
    # The worker that will read the file loads its readers while this process loads its own
    # (about half a second each), instead of after.
    isolation.warm()

from metrics.cli import main

sys.exit(main())
