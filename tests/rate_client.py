"""A client that asks far over its rate limit, in its own process, from its own loopback address.

    python tests/rate_client.py URL SOURCE_ADDRESS SECONDS [CONNECTIONS]

Runs CONNECTIONS (default 1) connections, each asking as fast as the server answers, for SECONDS (and at most
MAX_REQUESTS each); prints one JSON line: how many answers of each status, and the Retry-After
values of the 429s. Used by tests/test_public.py.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter

import httpx

MAX_REQUESTS = 5000  # per thread: the loop is bounded even if the clock misbehaves


def main() -> int:
    url, source, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    threads = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    statuses: Counter[int] = Counter()
    retry_after: set[str] = set()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def flood() -> None:
        transport = httpx.HTTPTransport(local_address=source)
        with httpx.Client(base_url=url, transport=transport, timeout=60) as http:
            for _ in range(MAX_REQUESTS):
                if time.monotonic() > deadline:
                    return
                response = http.post("/api/ask", json={"question": "2022年财政总收入是多少？", "k": 3})
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code == 429:
                        retry_after.add(response.headers.get("retry-after", ""))

    workers = [threading.Thread(target=flood) for _ in range(threads)]
    print(json.dumps({"started": True}), flush=True)
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"statuses": dict(statuses), "retry_after": sorted(retry_after)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
