"""Load benchmark: many distinct visitors under gunicorn with wrk, against a bare Flask app.

Run with ``make bench`` (or ``.venv/bin/python bench/bench_web.py``). Needs
Debian's ``wrk`` (``make bench`` installs it). It first prepares BENCH_VISITORS
(default 1,000) distinct visitors by walking the whole flow through the app, each
with its own answers, its own encrypted cookie and its own CSRF token. Then, on
loopback, with the same gunicorn settings (WORKERS sync workers) and ``wrk -t2
-cBENCH_CONNECTIONS -dBENCH_SECONDS`` for each run, in one go:

1. a bare Flask "hello" app (``bench/hello.py``): the baseline;
2. question pages: a Lua script rotates the visitors and, for each, their pages;
3. the summary page, rotating the visitors;
4. check your answers, rotating the visitors;
5. answer posts: each visitor posting their own country page again (a real
   token, a real answer chosen in a form), so that the log check below looks
   for answers that were really sent.

Nothing is kept between requests (issue 12), so no visitor's page helps
another's: these are the honest figures. It samples the workers' memory (RSS)
every 2 seconds, and checks that no request-log line holds the country any
visitor chose, any CSRF token or any cookie that was sent. Figures are
printed, never asserted in tests.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.questions import PAGES  # noqa: E402
from rules.fields import FIELDS, HEALTH_FIELDS  # noqa: E402

SECRET = "benchmark secret " * 4
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "50"))
VISITORS = int(os.environ.get("BENCH_VISITORS", "1000"))
WORKERS = int(os.environ.get("WORKERS", "4"))
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
YES_NO = ("yes", "no", "unsure")
HEALTH = HEALTH_FIELDS  # the six conditions and earlier chemotherapy
COUNTRIES = FIELDS["country"].values


@dataclass
class Visitor:
    """One prepared visit: its cookie, its token, the pages it sees, its country."""

    cookie: str
    token: str
    pages: list[str]
    country: str
    answers: dict[str, str] = field(default_factory=dict)


def random_answers(rng: random.Random, number: int) -> dict[str, dict[str, str]]:
    """One visitor's answers, page by page; the caller keeps only distinct sets."""
    return {
        "about-you": {"age": str(rng.randint(18, 70))},
        "diagnosis": {"ms_type": rng.choice(("rrms", "spms", "ppms", "cis", "unsure")),
                      "diagnosis_year": str(rng.randint(1990, date.today().year))},
        "recent-activity": {"relapses_12m": rng.choice(("", *map(str, range(5)))),
                            "new_mri_activity_12m": rng.choice(YES_NO)},
        "treatments": {"dmt_count": rng.choice(("0", "1", "2", "3", ""))},
        "treatment-history": {"activity_on_dmt": rng.choice(YES_NO),
                              "high_efficacy_dmt": rng.choice(YES_NO)},
        "walking": {"walking": rng.choice(("unaided_far", "unaided_short", "one_aid",
                                           "two_aids", "wheelchair", "unsure")),
                    "edss": rng.choice(("", "2.0", "3.5", "5.5", "6.5", "7.0"))},
        "other-health": {name: rng.choice(("no", "no", "no", "yes", "unsure"))
                         for name in HEALTH},
        "family-plans": {"pregnant": rng.choice(("no", "no", "unsure")),
                         "wants_children": rng.choice(YES_NO)},
        "country": {"country": rng.choice(COUNTRIES)},
    }


def prepare_visitors(count: int) -> tuple[list[Visitor], dict[str, int]]:
    """Walk the flow ``count`` times, as ``count`` people would, with CSRF on."""
    app = create_app({"SECRET_KEY": SECRET, "TODAY": date.today(), "REQUEST_LOG": False,
                      "TRUSTED_HOSTS": None})
    rng = random.Random(20261202)
    visitors, seen, sizes = [], set(), {}
    while len(visitors) < count:
        answers = random_answers(rng, len(visitors))
        key = json.dumps(answers, sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        client = app.test_client()
        token = TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
        slug = PAGES[0].slug
        pages = []
        while slug:
            pages.append(f"/questions/{slug}")
            response = client.post(f"/questions/{slug}", data={**answers[slug],
                                                                "csrf_token": token})
            if response.status_code != 302:
                raise SystemExit(f"could not answer {slug}: {response.status_code}")
            location = response.headers["Location"]
            slug = location.rsplit("/questions/", 1)[1] if "/questions/" in location else None
        for path in (*pages, "/check", "/summary", "/"):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} gave {response.status_code}")
            sizes[path] = max(sizes.get(path, 0), len(response.get_data()))
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        visitors.append(Visitor(f"{cookie.key}={cookie.value}", token, pages,
                                answers["country"]["country"],
                                {k: v for page in answers.values() for k, v in page.items()}))
    return visitors, sizes


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal here


def lua_script(visitors: list[Visitor], kind: str) -> str:
    """A wrk script that rotates visitors (and their pages) on every request.

    Each wrk thread starts at its own place in the list, so the threads do not
    send the same visitor at the same time.
    """
    lines = ["local visitors = {"]
    for visitor in visitors:
        if kind == "questions":
            paths = visitor.pages
        elif kind == "post":
            paths = ["/questions/country?from=check"]
        else:
            paths = [f"/{kind}"]
        body = ""
        if kind == "post":
            body = "country=" + quote_plus(visitor.country) + "&csrf_token=" \
                + visitor.token
        listed = ", ".join(map(lua_string, paths))
        lines.append(f"  {{cookie = {lua_string(visitor.cookie)}, paths = {{{listed}}}, "
                     f"body = {lua_string(body)}}},")
    lines += [
        "}",
        "local v, p = 1, 1",
        "local counter = 0",
        "function setup(thread)",
        "  counter = counter + 1",
        "  thread:set('start', counter * 7919)",
        "end",
        "function init(args)",
        "  v = (start or 1) % #visitors + 1",
        "end",
        "request = function()",
        "  local visitor = visitors[v]",
        "  local path = visitor.paths[p]",
        "  p = p + 1",
        "  if p > #visitor.paths then",
        "    p = 1",
        "    v = v % #visitors + 1",
        "  end",
        "  if visitor.body ~= '' then",
        "    return wrk.format('POST', path, {['Cookie'] = visitor.cookie,",
        "      ['Content-Type'] = 'application/x-www-form-urlencoded'}, visitor.body)",
        "  end",
        "  return wrk.format('GET', path, {['Cookie'] = visitor.cookie})",
        "end",
    ]
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


def run_wrk(url: str, script: Path | None = None) -> dict:
    """Run wrk and pick out the figures."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    if script:
        command += ["-s", str(script)]
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
    """Worker memory after warm-up, at the end and at its highest, in MiB."""
    if len(samples) < 3:
        return "too few samples"
    start, end, peak = samples[1], samples[-1], max(samples)
    change = (end - start) / start * 100
    return (f"workers' RSS {start / 1024:.1f} MiB after warm-up, {end / 1024:.1f} MiB at "
            f"the end ({change:+.1f}%), peak {peak / 1024:.1f} MiB")


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, or apt-get install wrk")
    started = time.perf_counter()
    visitors, sizes = prepare_visitors(VISITORS)
    distinct = len({json.dumps(v.answers, sort_keys=True) for v in visitors})
    cookies = len({v.cookie for v in visitors})
    css = (ROOT / "static" / "site.css").stat().st_size
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; gunicorn "
          f"with {WORKERS} sync workers; wrk -t2 -c{CONNECTIONS} -d{SECONDS}s on loopback")
    print(f"visitors: {len(visitors):,} prepared by walking the flow "
          f"({time.perf_counter() - started:.0f} s): {distinct:,} distinct answer sets, "
          f"{cookies:,} distinct cookies")
    print(f"largest page sizes (CSS {css} bytes):")
    for path, size in sizes.items():
        print(f"  {path:32} HTML {size:6} bytes")
    results = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        hello = Server("bench.hello:app", work / "hello.log")
        try:
            results["baseline: bare Flask hello"] = run_wrk(f"http://127.0.0.1:{hello.port}/")
        finally:
            hello.stop()

        scripts = {}
        for kind in ("questions", "summary", "check", "post"):
            scripts[kind] = work / f"{kind}.lua"
            scripts[kind].write_text(lua_script(visitors, kind))
        server = Server("wsgi:app", work / "app.log")
        url = f"http://127.0.0.1:{server.port}/"
        marks = []
        try:
            for name, kind in (("question pages, rotating visitors", "questions"),
                               ("summary, rotating visitors", "summary"),
                               ("check your answers, rotating visitors", "check"),
                               ("answer posts (country page)", "post")):
                marks.append(len(server.samples))
                results[name] = run_wrk(url, scripts[kind])
        finally:
            server.stop()
        log_lines = (work / "app.log").read_text().splitlines()

    baseline = results["baseline: bare Flask hello"]["rate"]
    print(f"\n{'run':40} {'req/s':>8} {'of bare':>8} {'p50':>8} {'p99':>8} "
          f"{'non-2xx/3xx':>12} socket errors")
    for name, figures in results.items():
        print(f"{name:40} {figures['rate']:8,.0f} {figures['rate'] / baseline:8.0%} "
              f"{figures['p50']:>8} {figures['p99']:>8} {figures['bad']:12} "
              f"{figures['errors']}")
    print(f"\nmemory, bare Flask: {memory_line(hello.samples)}")
    print(f"memory, questionnaire, all four runs: {memory_line(server.samples)}")
    for (name, _), mark in zip(list(results.items())[1:], marks, strict=True):
        print(f"  from the start of '{name}': {memory_line(server.samples[mark:])}")
    served = sum(f["requests"] for name, f in results.items() if not name.startswith("base"))
    sent = [v.country for v in visitors] + [v.token for v in visitors] \
        + [v.cookie.split("=", 1)[1][:40] for v in visitors]
    leaked = [line for line in log_lines if any(value in line for value in sent)]
    posts = [line for line in log_lines if '"method": "POST"' in line]
    print(f"request log: {len(log_lines):,} lines for about {served:,} requests "
          f"({len(posts):,} answer posts, each carrying a country and a token); "
          f"lines holding any of the {len(sent):,} countries, tokens and cookies sent: "
          f"{len(leaked)}")
    questions = results["question pages, rotating visitors"]["rate"] / baseline
    summary = results["summary, rotating visitors"]["rate"] / baseline
    clean = all(f["bad"] == 0 and f["errors"] == "none" for f in results.values())
    print(f"\ntargets: question pages >= 40% of bare Flask: "
          f"{'met' if questions >= 0.4 else 'NOT met'} ({questions:.0%}); summary >= 30%: "
          f"{'met' if summary >= 0.3 else 'NOT met'} ({summary:.0%}); zero errors: "
          f"{'met' if clean else 'NOT met'}; no answer in the log: "
          f"{'met' if not leaked else 'NOT met'}")


if __name__ == "__main__":
    main()
