"""Load benchmark: the whole flow under gunicorn with wrk, against a bare Flask baseline.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_web.py``). Needs
Debian's ``wrk`` (``make bench`` installs it). On loopback, with the same
gunicorn settings for both, it runs for BENCH_SECONDS (default 30) each:

1. a bare Flask "hello" app (``bench/hello.py``): the baseline;
2. the questionnaire pages: every page of the flow in turn, as a person sees
   them (start, each question page with its answers, check your answers,
   summary), with a finished visit's cookie. This is what the target of half
   the baseline is read against: pages are what people view;
3. the whole flow answered: the same pages with every question page also
   answered by a form post (a real CSRF token; each post saves the cookie and
   redirects), as one person walking through would send them;
4. the summary page alone.

It samples the workers' memory (RSS) every 2 seconds, counts the request log
lines, and prints page sizes. Figures are printed, never asserted in tests.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from tests.conftest import MATCHING  # noqa: E402

SECRET = "benchmark secret " * 4
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
WORKERS = int(os.environ.get("WORKERS", "4"))
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def flow_requests() -> tuple[list[tuple[str, str, str]], str, dict[str, int]]:
    """The flow as (method, path, body) with a CSRF token, the finished visit's cookie,
    and each page's size."""
    app = create_app({"SECRET_KEY": SECRET, "TODAY": date.today(), "REQUEST_LOG": False})
    client = app.test_client()
    sizes = {"/": len(client.get("/").get_data())}
    requests = [("GET", "/", "")]
    for slug, data in MATCHING.items():
        page = client.get(f"/questions/{slug}").get_data(as_text=True)
        sizes[f"/questions/{slug}"] = len(page)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        body = urlencode({**data, "csrf_token": token})
        response = client.post(f"/questions/{slug}", data={**data, "csrf_token": token})
        if response.status_code != 302:
            raise SystemExit(f"could not answer {slug}: {response.status_code}")
        requests += [("GET", f"/questions/{slug}", ""), ("POST", f"/questions/{slug}", body)]
    for path in ("/check", "/summary"):
        sizes[path] = len(client.get(path).get_data())
        requests.append(("GET", path, ""))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    return requests, f"{cookie.key}={cookie.value}", sizes


def lua_script(requests: list[tuple[str, str, str]], cookie: str) -> str:
    """A wrk script that sends the requests in turn, forever, with the visit's cookie."""
    lines = [f'local headers = {{["Cookie"] = "{cookie}"}}',
             f'local form = {{["Cookie"] = "{cookie}", ["Content-Type"] = '
             '"application/x-www-form-urlencoded"}',
             "local requests = {}"]
    for method, path, body in requests:
        if method == "POST":
            lines.append(f'table.insert(requests, wrk.format("POST", "{path}", form, "{body}"))')
        else:
            lines.append(f'table.insert(requests, wrk.format("GET", "{path}", headers))')
    lines += ["local i = 0", "request = function()", "  i = i % #requests + 1",
              "  return requests[i]", "end"]
    return "\n".join(lines) + "\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_memory(master: int) -> int:
    """The summed resident memory of the master's workers, in KiB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


class Server:
    """gunicorn on a free loopback port, its log in a file, its memory sampled."""

    def __init__(self, target: str, log: Path):
        self.port = free_port()
        self.log = log
        env = {**os.environ, "SECRET_KEY": SECRET}
        self.process = subprocess.Popen(
            [GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", target],
            cwd=ROOT, env=env, stderr=log.open("w"), stdout=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)  # let every worker boot
        self.samples: list[int] = []
        self._sampling = True
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while self._sampling:
            self.samples.append(worker_memory(self.process.pid))
            time.sleep(2)

    def stop(self) -> None:
        self._sampling = False
        self._sampler.join()
        self.process.terminate()
        self.process.wait(timeout=20)


def run_wrk(url: str, script: Path | None = None, cookie: str | None = None) -> dict:
    """Run wrk and pick out the figures."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    report = subprocess.run(command + [url], capture_output=True, text=True,
                            check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    errors = re.search(r"Socket errors: (.*)", report)
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1)),
        "requests": int(re.search(r"(\d+) requests in", report).group(1)),
        "p50": re.search(r"^\s+50%\s+(\S+)", report, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", report, re.M).group(1),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "none",
    }


def memory_line(samples: list[int]) -> str:
    """Worker memory at the start, at the end and at its highest, in MiB."""
    if len(samples) < 3:
        return "too few samples"
    start, end, peak = samples[1], samples[-1], max(samples)
    change = (end - start) / start * 100
    return (f"workers' RSS {start / 1024:.1f} MiB after warm-up, {end / 1024:.1f} MiB at "
            f"the end ({change:+.1f}%), peak {peak / 1024:.1f} MiB")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, or apt-get install wrk")
    requests, cookie, sizes = flow_requests()
    css = (ROOT / "static" / "site.css").stat().st_size
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; gunicorn "
          f"with {WORKERS} sync workers; wrk -t2 -c{CONNECTIONS} -d{SECONDS}s on loopback")
    print(f"page sizes (CSS {css} bytes):")
    for path, size in sizes.items():
        print(f"  {path:32} HTML {size:6} bytes, with CSS {size + css:6} bytes")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        script = work / "flow.lua"
        script.write_text(lua_script(requests, cookie))

        hello = Server("bench.hello:app", work / "hello.log")
        try:
            results["baseline: bare Flask hello"] = (
                run_wrk(f"http://127.0.0.1:{hello.port}/"), hello)
        finally:
            hello.stop()

        pages = work / "pages.lua"
        pages.write_text(lua_script([r for r in requests if r[0] == "GET"], cookie))
        server = Server("wsgi:app", work / "app.log")
        try:
            results["questionnaire pages"] = (
                run_wrk(f"http://127.0.0.1:{server.port}/", pages), None)
            results["whole flow, answered (GET+POST)"] = (
                run_wrk(f"http://127.0.0.1:{server.port}/", script), None)
            flow_samples = list(server.samples)
            results["summary page alone"] = (
                run_wrk(f"http://127.0.0.1:{server.port}/summary", cookie=cookie), None)
        finally:
            server.stop()
        log_lines = (work / "app.log").read_text().splitlines()

    baseline = results["baseline: bare Flask hello"][0]["rate"]
    print(f"\n{'run':34} {'req/s':>8} {'of baseline':>12} {'p50':>8} {'p99':>8} "
          f"{'non-2xx/3xx':>12} socket errors")
    for name, (figures, _) in results.items():
        print(f"{name:34} {figures['rate']:8,.0f} {figures['rate'] / baseline:11.0%} "
              f"{figures['p50']:>8} {figures['p99']:>8} {figures['bad']:12} "
              f"{figures['errors']}")
    print(f"\nmemory, baseline: {memory_line(hello.samples)}")
    print(f"memory, questionnaire (pages and flow runs): {memory_line(flow_samples)}")
    print(f"memory, questionnaire (all runs): {memory_line(server.samples)}")
    served = sum(figures["requests"] for name, (figures, _) in results.items()
                 if not name.startswith("baseline"))
    leaked = [line for line in log_lines if "Zanzibar" in line or "csrf" in line]
    print(f"request log: {len(log_lines):,} lines for about {served:,} requests "
          f"(wrk counts only completed ones); lines with an answer or token: {len(leaked)}")
    shown = results["questionnaire pages"][0]["rate"] / baseline
    answered = results["whole flow, answered (GET+POST)"][0]["rate"] / baseline
    summary = results["summary page alone"][0]["rate"] / baseline
    clean = all(f["bad"] == 0 and f["errors"] == "none" for f, _ in results.values())
    print(f"\ntargets: questionnaire pages >= 50% of baseline: "
          f"{'met' if shown >= 0.5 else 'NOT met'} ({shown:.0%}); summary >= 33%: "
          f"{'met' if summary >= 1 / 3 else 'NOT met'} ({summary:.0%}); zero errors: "
          f"{'met' if clean else 'NOT met'}")
    print(f"for comparison, the whole flow with its answer posts: {answered:.0%} of baseline "
          f"({'at least' if answered >= 0.5 else 'below'} half)")


if __name__ == "__main__":
    main()
