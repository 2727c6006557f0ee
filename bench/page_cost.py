"""CPU time per page, in one process, beside a bare Flask app: a check that load does not skew.

``bench/bench_web.py`` is the benchmark of record, but on a shared machine its
ratios move with other people's load. This measures process time (not wall
time) per request through Flask's test client, for the bare "hello" app and for
each page of 200 distinct visitors, min of 3 rounds. Run by hand:

    .venv/bin/python bench/page_cost.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from bench.bench_web import prepare_visitors
from bench.hello import app as hello


def per_request(client, requests: list[tuple[str, str]]) -> float:
    """Microseconds of process time per request, the best of three rounds."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for path, cookie in requests:
            client.get(path, headers={"Cookie": cookie} if cookie else {})
        best = min(best, (time.process_time() - started) / len(requests) * 1e6)
    return best


def main() -> None:
    visitors, _ = prepare_visitors(200)
    app = create_app({"SECRET_KEY": "benchmark secret " * 4, "TRUSTED_HOSTS": None,
                      "REQUEST_LOG": False})
    client = app.test_client(use_cookies=False)
    bare = per_request(hello.test_client(), [("/", "")] * 2000)
    print(f"bare Flask hello: {bare:.0f} µs per request (process time, test client)")
    runs = {
        "question pages": [(page, v.cookie) for v in visitors for page in v.pages],
        "summary": [("/summary", v.cookie) for v in visitors],
        "check your answers": [("/check", v.cookie) for v in visitors],
        "start page": [("/", v.cookie) for v in visitors],
    }
    for name, requests in runs.items():
        cost = per_request(client, requests)
        print(f"{name:20} {cost:6.0f} µs  bare/page = {bare / cost:.0%}")


if __name__ == "__main__":
    main()
