"""``python -m qa`` is the ``report-qa`` command."""

import sys

from qa.cli import main

sys.exit(main())
