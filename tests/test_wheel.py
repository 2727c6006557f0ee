"""The built wheel carries everything the app reads: installed outside the checkout, it serves.

The checkout is copied without its compiled catalogues (the ``.mo`` files are not in
git), built into a wheel, and the wheel installed in a new virtual environment in a
temporary folder. There, with nothing of the checkout on the path, a script makes the
app, answers the questionnaire and reads the pages back; the test checks them here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from .conftest import MATCHING, TODAY

ROOT = Path(__file__).resolve().parent.parent
#: What a clean checkout does not have, or the build must not see.
NOT_IN_A_CLEAN_CHECKOUT = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis", "instance", "test-results", "*.mo", "*.pyc")

#: Run by the new environment's Python: walks the questionnaire, prints what it saw.
SCRIPT = r"""
import json, re, sys
from datetime import date

import app

answers, today = json.loads(sys.argv[1]), date.fromisoformat(sys.argv[2])
seen = {"app": app.__file__, "pages": {}}
flask_app = app.create_app({"TESTING": True, "SECRET_KEY": "wheel test " * 4,
                            "WTF_CSRF_ENABLED": False, "TODAY": today})
client = flask_app.test_client()


def keep(name, response):
    seen["pages"][name] = [response.status_code, response.get_data(as_text=True)]


keep("start", client.get("/"))
for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', seen["pages"]["start"][1]):
    keep(href, client.get(href))
slug = "about-you"
while slug:
    response = client.post(f"/questions/{slug}", data=answers[slug])
    assert response.status_code == 302, (slug, response.get_data(as_text=True)[:2000])
    location = response.headers["Location"]
    slug = location.rsplit("/questions/", 1)[1] if "/questions/" in location else None
for name in ("/summary", "/summary/print", "/criteria", "/tables/sample.csv"):
    keep(name, client.get(name))
client.get("/language/es?next=/")
keep("start es", client.get("/"))
keep("summary es", client.get("/summary"))
print(json.dumps(seen))
"""


def _environment() -> dict[str, str]:
    """This process's environment without what would put the checkout on the path."""
    drop = {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {key: value for key, value in os.environ.items() if key not in drop}


def _run(*command, cwd: Path) -> str:
    result = subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True,
                            text=True, stdin=subprocess.DEVNULL, timeout=600)
    assert result.returncode == 0, f"{command}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel built from a clean copy of the checkout, and a new environment for it."""
    tmp = tmp_path_factory.mktemp("wheel")
    source, dist, env = tmp / "source", tmp / "dist", tmp / "env"
    shutil.copytree(ROOT, source, ignore=NOT_IN_A_CLEAN_CHECKOUT)
    # The wheel is built (pip fetches the build requirements) while the environment is made.
    with subprocess.Popen(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist),
             str(source)], cwd=tmp, env=_environment(), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as build:
        _run(sys.executable, "-m", "venv", "--without-pip", str(env), cwd=tmp)
        output, _ = build.communicate(timeout=600)
    assert build.returncode == 0, output[-3000:]
    (built,) = dist.glob("*.whl")
    return built, env


@pytest.fixture(scope="module")
def installed(wheel):
    """What the app installed from the wheel served, run from outside the checkout."""
    built, env = wheel
    python = env / "bin" / "python"
    # No pip in the new environment: this one installs the wheel and its dependencies there.
    _run(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(built),
         cwd=env.parent)
    # -I: neither the current folder nor PYTHON* variables on the path, only site-packages.
    seen = json.loads(_run(str(python), "-I", "-c", SCRIPT, json.dumps(MATCHING),
                           TODAY.isoformat(), cwd=env.parent))
    return {"env": env, **seen}


def _static(name: str) -> str:
    return (ROOT / "static" / name).read_bytes().decode()


def _spanish(message: str) -> str:
    with (ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translation = read_po(po, locale="es").get(message).string
    assert translation, message
    return translation


def test_the_wheel_carries_every_template_static_file_and_compiled_catalogue(wheel):
    with zipfile.ZipFile(wheel[0]) as archive:
        names = set(archive.namelist())
    for folder in ("templates", "static"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file():
                assert f"app/{path.relative_to(ROOT).as_posix()}" in names, path
    for po in (ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo").relative_to(ROOT).as_posix()
        assert f"app/{mo}" in names, mo
    assert not [name for name in names if name.startswith(("tests/", "templates/", "static/"))]


def test_the_installed_app_is_the_wheels_not_the_checkouts(installed):
    app_file = Path(installed["app"]).resolve()
    assert app_file.is_relative_to(installed["env"].resolve())
    assert not app_file.is_relative_to(ROOT)


def test_the_installed_app_renders_the_start_page_with_its_stylesheets(installed):
    pages = installed["pages"]
    status, html = pages["start"]
    assert status == 200
    assert "<h1>Could HSCT be an option for my MS?</h1>" in html
    assert "It is not a diagnosis" in html and "Start now" in html
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert {Path(href.split("?")[0]).name for href in stylesheets} == {"site.css", "print.css"}
    for href in stylesheets:
        status, body = pages[href]
        assert status == 200, href
        assert body == _static(Path(href.split("?")[0]).name)


def test_the_installed_app_renders_a_summary(installed):
    status, html = installed["pages"]["/summary"]
    assert status == 200
    assert re.findall(r'data-outcome="(\w+)"', html) == ["matches"]
    assert len(re.findall(r'data-criterion="\w+" data-status="met"', html)) == 6
    for part in ("Only an MS specialist can decide", "Relapsing MS", "What HSCT involves",
                 "Questions to ask your doctor", "References"):
        assert part in html, part
    for name in ("/summary/print", "/criteria"):
        status, html = installed["pages"][name]
        assert status == 200 and "Relapsing MS" in html, name
    status, csv = installed["pages"]["/tables/sample.csv"]
    assert status == 200
    assert csv == _static("sample-rule-table.csv")


def test_the_installed_app_speaks_spanish_from_its_compiled_catalogue(installed):
    status, html = installed["pages"]["start es"]
    assert status == 200 and '<html lang="es"' in html
    assert f"<h1>{_spanish('Could HSCT be an option for my MS?')}</h1>" in html
    status, html = installed["pages"]["summary es"]
    assert status == 200
    for message in ("Only an MS specialist can decide if HSCT could be right for you.",
                    "Relapsing MS"):
        assert _spanish(message) in html, message
