"""Check the shipped nginx site (deploy/nginx.conf) in front of gunicorn, on loopback.

Run by hand (never by the test suite), as root or with nginx installed:

    apt-get install nginx        # Debian's nginx; the check starts its own copy
    .venv/bin/python bench/check_nginx.py

It takes deploy/nginx.conf as shipped, changes only the ports, the upstream
address and the certificate (a self-signed one made here), starts gunicorn
(4 sync workers) and nginx, and shows:

1. the problem: 50 slow connections straight to gunicorn hold every worker, and
   a normal request gets no answer;
2. the fix: the same 50 slow connections through nginx, and a normal request is
   answered at once;
3. only a valid Host reaches the app: another host, a malformed one and none at
   all are refused by nginx; a client's X-Forwarded-Prefix is dropped.

It prints each result and exits 1 if any is not as expected.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx.conf"
HOST = "hsct.example.org"
SECRET = "nginx check secret " * 3
SLOW = 50
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port}")


def site_config(work: Path, app_port: int, http_port: int, https_port: int) -> str:
    """The shipped site with only its ports, upstream and certificate changed."""
    text = SITE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
        "listen 443 ssl default_server;": f"listen 127.0.0.1:{https_port} ssl default_server;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(work / "cert.pem"),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(work / "key.pem"),
    }
    for old, new in replacements.items():
        if old not in text:
            raise SystemExit(f"deploy/nginx.conf no longer has {old!r}: update this check")
        text = text.replace(old, new)
    # No IPv6 listeners on a loopback check.
    return "\n".join(line for line in text.splitlines() if "listen [::]" not in line) + "\n"


def main_config(work: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {name}_temp_path {work / name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {work / 'nginx.pid'};\n"
            f"error_log {work / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            f"http {{\n{temp}\n    include {site};\n}}\n")


def certificate(work: Path) -> None:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", f"/CN={HOST}", "-keyout", str(work / "key.pem"),
                    "-out", str(work / "cert.pem")], check=True, capture_output=True)


def connect(port: int, tls: bool, server_name: str = HOST) -> socket.socket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    if not tls:
        return raw
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_alpn_protocols(["http/1.1"])
    return context.wrap_socket(raw, server_hostname=server_name)


def request(port: int, tls: bool, head: str, timeout: float = 5) -> tuple[str, float]:
    """Send one request; the status line (or what went wrong) and the seconds it took."""
    started = time.perf_counter()
    try:
        with connect(port, tls) as conn:
            conn.settimeout(timeout)
            conn.sendall(head.encode())
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                data += chunk
    except TimeoutError:
        return "no answer (timed out)", time.perf_counter() - started
    except (ConnectionError, ssl.SSLError) as error:
        return f"refused ({type(error).__name__})", time.perf_counter() - started
    status = data.split(b"\r\n", 1)[0].decode() if data else "closed without an answer"
    return status + _location(data), time.perf_counter() - started


def _location(data: bytes) -> str:
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"location:"):
            return " -> " + line.split(b":", 1)[1].strip().decode()
    return ""


class SlowClients:
    """Connections that send a request one byte at a time, half in the headers, half in a body."""

    def __init__(self, port: int, tls: bool, count: int = SLOW):
        self.stop = threading.Event()
        self.sockets = []
        for number in range(count):
            conn = connect(port, tls)
            if number % 2:
                conn.sendall(f"GET / HTTP/1.1\r\nHost: {HOST}\r\n".encode())
            else:
                conn.sendall(f"POST /start-again HTTP/1.1\r\nHost: {HOST}\r\n"
                             "Content-Type: application/x-www-form-urlencoded\r\n"
                             "Content-Length: 100000\r\n\r\n".encode())
            self.sockets.append(conn)
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        while not self.stop.wait(1):
            for conn in self.sockets:
                with contextlib.suppress(OSError):
                    conn.sendall(b"X")

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for conn in self.sockets:
            conn.close()


def main() -> int:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        raise SystemExit("nginx is not installed: apt-get install nginx")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    failures = []

    def expect(name: str, ok: bool, detail: str) -> None:
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: {detail}")
        if not ok:
            failures.append(name)

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        work.chmod(0o755)
        app_port, http_port, https_port = free_port(), free_port(), free_port()
        certificate(work)
        site = work / "site.conf"
        site.write_text(site_config(work, app_port, http_port, https_port))
        (work / "nginx.conf").write_text(main_config(work, site))
        env = {**os.environ, "SECRET_KEY": SECRET, "FLASK_TRUSTED_HOSTS": HOST,
               "FLASK_TRUSTED_PROXIES": "1", "FLASK_REQUEST_LOG": "false"}
        app = subprocess.Popen([GUNICORN, "--workers", "4", "--timeout", "60", "--bind",
                                f"127.0.0.1:{app_port}", "--log-level", "error", "wsgi:app"],
                               cwd=ROOT, env=env)
        proxy = subprocess.Popen([nginx, "-c", str(work / "nginx.conf"), "-p", str(work),
                                  "-e", str(work / "error.log")])
        try:
            wait_for(app_port)
            wait_for(https_port)
            time.sleep(1)
            normal = f"GET / HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"

            print(f"1. {SLOW} slow connections straight to gunicorn (4 sync workers):")
            slow = SlowClients(app_port, tls=False)
            time.sleep(2)
            status, seconds = request(app_port, False, normal, timeout=5)
            slow.close()
            expect("without the proxy, the slow clients hold every worker",
                   status.startswith("no answer"), f"{status} after {seconds:.1f} s")
            time.sleep(1)

            print(f"2. {SLOW} slow connections through nginx (deploy/nginx.conf):")
            slow = SlowClients(https_port, tls=True)
            time.sleep(2)
            status, seconds = request(https_port, True, normal, timeout=5)
            expect("a normal request is answered", status.startswith("HTTP/1.1 200")
                   and seconds < 2, f"{status} after {seconds:.2f} s")
            slow.close()

            print("3. only a valid Host reaches the app:")
            for name, head in (
                    ("another host", "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
                    ("a 64-character label",
                     f"GET / HTTP/1.1\r\nHost: {'a' * 64}.example.org\r\n\r\n"),
                    ("a leading dot", "GET / HTTP/1.1\r\nHost: .hsct.example.org\r\n\r\n"),
                    ("no host", "GET / HTTP/1.0\r\n\r\n")):
                status, _ = request(https_port, True, head)
                expect(f"{name} over HTTPS is refused by nginx",
                       not status.startswith("HTTP/1.1 2"), status)
                status, _ = request(http_port, False, head)
                expect(f"{name} over HTTP is refused by nginx",
                       not status.startswith("HTTP/1.1 2") and "301" not in status, status)
            status, _ = request(http_port, False, normal)
            expect("the tool's own host over HTTP goes to HTTPS", "301" in status, status)
            status, _ = request(https_port, True, f"GET /questions/walking HTTP/1.1\r\nHost: "
                                f"{HOST}\r\nX-Forwarded-Prefix: /elsewhere\r\n"
                                "Connection: close\r\n\r\n")
            expect("a client's X-Forwarded-Prefix is dropped",
                   status.endswith("-> /questions/about-you")
                   or status.endswith(f"-> https://{HOST}/questions/about-you"), status)
        finally:
            proxy.terminate()
            app.terminate()
            proxy.wait(timeout=10)
            app.wait(timeout=30)
    print("all as expected" if not failures else f"{len(failures)} not as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
