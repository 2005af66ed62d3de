"""``python -m pyst.cli``: the same as the ``pyst-config`` command."""

import sys

from pyst.cli import main

sys.exit(main())
