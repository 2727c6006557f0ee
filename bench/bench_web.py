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
5. answer posts: each visitor posting their own country page and their own
   health page again (a real token, real answers chosen in the forms), so that
   the log check below looks for answers that were really sent.

Nothing is kept between requests (issue 12), so no visitor's page helps
another's: these are the honest figures. It samples the workers' memory (RSS)
every 2 seconds. The request log (one JSON line per request, written to
standard error, which gunicorn passes through whatever its ``--log-level``) is
checked by ``check_log``: it holds a line for every request wrk counted, every
answer post was accepted (302, so the token and answers were good), and no line
holds anything a visitor sent, in any form it could take there (see
``sent_forms``). tests/test_bench_log_check.py shows that this check fails when
it should. The figures are printed, never asserted in tests.
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
from urllib.parse import quote, quote_plus, urlencode

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
#: gunicorn's own messages at warning or worse; the request log is not gunicorn's logging
#: (app/requestlog.py writes to standard error itself), so this level does not hide it.
LOG_LEVEL = "warning"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
YES_NO = ("yes", "no", "unsure")
HEALTH = HEALTH_FIELDS  # the six conditions and earlier chemotherapy
COUNTRIES = FIELDS["country"].values


#: The pages each visitor posts again in the answer-post run: the country, a value
#: that could be told apart in a log, and the health answers, the most private.
POSTED_PAGES = ("country", "other-health")


@dataclass
class Visitor:
    """One prepared visit: its cookie, its token, the pages it sees, its answers."""

    cookie: str
    token: str
    pages: list[str]
    country: str
    answers: dict[str, str] = field(default_factory=dict)
    #: What the answer-post run sends for this visitor: (path, form fields), each post
    #: carrying the visitor's token and their own answers to that page.
    posts: list[tuple[str, dict[str, str]]] = field(default_factory=list)


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
        posts = [(f"/questions/{slug}?from=check", {**answers[slug], "csrf_token": token})
                 for slug in POSTED_PAGES]
        visitors.append(Visitor(f"{cookie.key}={cookie.value}", token, pages,
                                answers["country"]["country"],
                                {k: v for page in answers.values() for k, v in page.items()},
                                posts))
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
            requests = [(path, "") for path in visitor.pages]
        elif kind == "post":
            # each body encoded as a browser encodes a form
            requests = [(path, urlencode(fields)) for path, fields in visitor.posts]
        else:
            requests = [(f"/{kind}", "")]
        listed = ", ".join(f"{{path = {lua_string(path)}, body = {lua_string(body)}}}"
                           for path, body in requests)
        lines.append(f"  {{cookie = {lua_string(visitor.cookie)}, requests = {{{listed}}}}},")
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
        "  local r = visitor.requests[p]",
        "  p = p + 1",
        "  if p > #visitor.requests then",
        "    p = 1",
        "    v = v % #visitors + 1",
        "  end",
        "  if r.body ~= '' then",
        "    return wrk.format('POST', r.path, {['Cookie'] = visitor.cookie,",
        "      ['Content-Type'] = 'application/x-www-form-urlencoded'}, r.body)",
        "  end",
        "  return wrk.format('GET', r.path, {['Cookie'] = visitor.cookie})",
        "end",
    ]
    return "\n".join(lines) + "\n"


#: The keys of a request-log line (app/requestlog.py).
REQUEST_KEYS = frozenset({"time", "method", "path", "status", "ms", "bytes"})
#: How much of each cookie is looked for: enough to be told apart, and found even if a
#: log cut the cookie short.
COOKIE_PREFIX = 24


def request_records(log_lines: list[str]) -> list[dict]:
    """The request-log lines among the server's output, read back.

    gunicorn's own lines (warnings, a worker stopped) are not JSON and are left out;
    a JSON line counts only if it has the request log's keys.
    """
    records = []
    for line in log_lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and set(record) >= REQUEST_KEYS:
            records.append(record)
    return records


def _written(value: str) -> set[str]:
    """The ways a log line could carry ``value``: as typed, as a form or URL encodes it,
    and inside a JSON string (non-ASCII escaped, as json.dumps writes it, or not)."""
    return {value, quote_plus(value), quote(value, safe=""), json.dumps(value)[1:-1],
            json.dumps(value, ensure_ascii=False)[1:-1]}


def sent_forms(visitors: list[Visitor]) -> set[str]:
    """Every string whose presence in a log line means something a visitor sent leaked.

    - each value that tells one visitor from another (the country chosen, the CSRF token,
      the start of the cookie), in each form of ``_written``;
    - each answer posted, with the name of its field: as the body carried it
      (``heart_disease=yes``), decoded, as JSON (``"heart_disease": "yes"``) and as
      Python would print a form (``('heart_disease', 'yes')``); a bare "yes" proves
      nothing, a field with its answer does;
    - the name of each posted field written with an underscore (``heart_disease``,
      ``csrf_token``): addresses use hyphens, so such a name in a log line can only
      come from a body.
    """
    forms: set[str] = set()
    for visitor in visitors:
        for value in (visitor.country, visitor.token,
                      visitor.cookie.split("=", 1)[1][:COOKIE_PREFIX]):
            forms |= _written(value)
        for _, fields in visitor.posts:
            for name, value in fields.items():
                forms |= {f"{name}={value}", urlencode({name: value}),
                          json.dumps({name: value})[1:-1],
                          json.dumps({name: value}, ensure_ascii=False)[1:-1],
                          repr((name, value))}
                if "_" in name:
                    forms.add(name)
    forms.discard("")
    return forms


def leaked_lines(log_lines: list[str], forms: set[str]) -> list[str]:
    """The log lines holding any of ``forms``."""
    return [line for line in log_lines if any(form in line for form in forms)]


@dataclass
class LogCheck:
    """What the server's log shows after the runs."""

    requests: int      # request-log lines
    served: int        # requests wrk counted as answered
    posts: int         # answer posts logged
    refused: int       # answer posts not answered with a redirect (302)
    leaked: list[str]  # lines holding something a visitor sent

    @property
    def met(self) -> bool:
        """No answer in the log, and a log that could have shown one: a line for every
        request served, and answer posts that were logged and accepted."""
        return (self.requests >= self.served > 0 and self.posts > 0 and self.refused == 0
                and not self.leaked)


def check_log(log_lines: list[str], visitors: list[Visitor], served: int) -> LogCheck:
    records = request_records(log_lines)
    posts = [record for record in records if record["method"] == "POST"]
    return LogCheck(
        requests=len(records), served=served, posts=len(posts),
        refused=sum(record["status"] != 302 for record in posts),
        leaked=leaked_lines(log_lines, sent_forms(visitors)))


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
        with log.open("w") as stream:  # gunicorn keeps its own copy of the file
            self.process = subprocess.Popen(
                [GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
                 "--log-level", LOG_LEVEL, target],
                cwd=ROOT, env=env, stderr=stream, stdout=subprocess.DEVNULL)
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
                               ("answer posts (country and health pages)", "post")):
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
    log = check_log(log_lines, visitors, served)
    print(f"request log: {log.requests:,} request lines for {served:,} requests served "
          f"({log.posts:,} answer posts, each carrying a country or seven health answers "
          f"and a token; {log.refused} not accepted); lines holding anything sent: "
          f"{len(log.leaked)}")
    for line in log.leaked[:3]:
        print(f"  {line[:200]}")
    questions = results["question pages, rotating visitors"]["rate"] / baseline
    summary = results["summary, rotating visitors"]["rate"] / baseline
    clean = all(f["bad"] == 0 and f["errors"] == "none" for f in results.values())
    print(f"\ntargets: question pages >= 40% of bare Flask: "
          f"{'met' if questions >= 0.4 else 'NOT met'} ({questions:.0%}); summary >= 30%: "
          f"{'met' if summary >= 0.3 else 'NOT met'} ({summary:.0%}); zero errors: "
          f"{'met' if clean else 'NOT met'}; no answer in the log: "
          f"{'met' if log.met else 'NOT met'}")


if __name__ == "__main__":
    main()
