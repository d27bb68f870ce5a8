"""Start the report-qa web app: ``python app.py [--host 127.0.0.1] [--port 7860] [--index-dir index]``.

The same as ``report-qa serve``: the first start builds the index of the bundled report (the model
takes a few seconds to load); later starts reuse it. The chat is at http://HOST:PORT/, the JSON API
at /api/ask.
"""

import sys

from qa.apps.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
