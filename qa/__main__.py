"""``python -m qa`` is the ``report-qa`` command."""

import sys

from qa.apps.cli import main

sys.exit(main())
