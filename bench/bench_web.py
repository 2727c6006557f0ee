"""Benchmark the questionnaire pages: sizes, and the summary under wrk.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_web.py``). Needs
Debian's ``wrk`` (``make bench`` installs it). It serves the app under gunicorn
on loopback, makes a session cookie for a completed questionnaire, and loads the
summary page with wrk. The figures are printed, never asserted in tests.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from tests.conftest import MATCHING  # noqa: E402

SECRET = "benchmark secret"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
WORKERS = int(os.environ.get("WORKERS", "4"))


def page_sizes_and_cookie() -> tuple[dict[str, int], str]:
    """Each page's size in bytes, and the session cookie of a completed questionnaire."""
    app = create_app({"SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
                      "TODAY": date.today()})
    client = app.test_client()
    sizes = {"/": len(client.get("/").get_data())}
    for slug, data in MATCHING.items():
        sizes[f"/questions/{slug}"] = len(client.get(f"/questions/{slug}").get_data())
        client.post(f"/questions/{slug}", data=data)
    sizes["/check"] = len(client.get("/check").get_data())
    sizes["/summary"] = len(client.get("/summary").get_data())
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return sizes, f"{cookie.key}={cookie.value}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(url: str, cookie: str) -> str:
    """wrk's report for one URL."""
    run = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency",
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True)
    return run.stdout


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, or apt-get install wrk")
    sizes, cookie = page_sizes_and_cookie()
    css = (ROOT / "static" / "site.css").stat().st_size
    print(f"machine: {os.cpu_count()} cores; gunicorn with {WORKERS} sync workers; "
          f"wrk -t2 -c{CONNECTIONS} -d{SECONDS}s")
    print(f"CSS: {css} bytes")
    for path, size in sizes.items():
        print(f"  {path:32} HTML {size:6} bytes, with CSS {size + css:6} bytes")
    port = free_port()
    env = {**os.environ, "FLASK_SECRET_KEY": SECRET}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for path in ("/questions/walking", "/summary"):
            report = wrk(f"http://127.0.0.1:{port}{path}", cookie)
            rate = re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)
            bad = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
            errors = re.search(r"Socket errors: (.*)", report)
            print(f"{path}: {float(rate):,.0f} requests/s; non-2xx/3xx: "
                  f"{bad.group(1) if bad else 0}; socket errors: "
                  f"{errors.group(1) if errors else 'none'}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
