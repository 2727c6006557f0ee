"""The project documents itself: docs/criteria.md, /criteria and the console script."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from rules import CAUTIONS, CRITERIA, CRITERIA_VERSION, FIELDS, SOURCES
from rules.docs import markdown
from rules.versions import CHANGES, changes_up_to

from .readability import page_text

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "criteria.md"
SCRIPT = Path(sys.executable).with_name("hsct-rules")


def test_docs_criteria_md_is_what_the_declarations_say_now():
    assert DOCS.read_text(encoding="utf-8") == markdown(), (
        "docs/criteria.md is out of date: run `make docs`")


def test_the_document_names_every_declaration_threshold_exception_and_source():
    text = markdown()
    assert f"**{CRITERIA_VERSION}**" in text
    for name in FIELDS:
        assert f"| `{name}` |" in text
    for criterion in CRITERIA:
        assert f"(`{criterion.id}`)" in text and criterion.rule in text
        for threshold in criterion.thresholds:
            assert f"`{threshold.name}`" in text
        for exception in criterion.exceptions:
            assert exception.text in text
    for caution in CAUTIONS:
        assert f"(`{caution.id}`, {caution.severity})" in text and caution.explanation in text
    for source in SOURCES.values():
        assert source.citation in text
    assert "## 6. Changes" in text and f"### Version {CRITERIA_VERSION}" in text
    assert "../shared" not in text


def test_changes_of_a_later_version_wait_until_the_rules_reach_it(monkeypatch):
    monkeypatch.setitem(CHANGES, "2099.1", (("a change being prepared", "its reason"),))
    text = markdown()
    assert f"### Version {CRITERIA_VERSION}" in text
    assert "### Version 2099.1" not in text and "a change being prepared" not in text
    assert changes_up_to("2099.1")[0] == {"version": "2099.1", "items": [
        {"change": "a change being prepared", "why": "its reason"}]}, "shown once reached"


def run_script(*args, cwd=ROOT):
    """The installed console script, running this checkout's rules (an editable install
    may point at another checkout)."""
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)


def test_the_console_script_runs_the_rule_table_command_line():
    assert SCRIPT.exists(), "pip install -e . installs hsct-rules"
    table = ROOT / "tests" / "tables" / "outcome.csv"
    run = run_script("check", str(table))
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"^\d+ passed, 0 failed$", run.stdout, re.MULTILINE)
    assert run_script("--help").stdout.startswith("usage: hsct-rules")


def test_the_docs_command_writes_the_file_and_checks_it(tmp_path):
    target = tmp_path / "criteria.md"
    assert run_script("docs", "-o", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8") == markdown()
    assert run_script("docs", "--check", str(target)).returncode == 0
    target.write_text(markdown().replace("Rule.", "Rule:", 1), encoding="utf-8")
    stale = run_script("docs", "--check", str(target))
    assert stale.returncode == 1 and "out of date" in stale.stderr
    assert run_script("docs", "--check", str(tmp_path / "missing.md")).returncode == 2


def test_make_docs_regenerates_the_file(tmp_path):
    """``make docs``, run in a copy's place with this interpreter (the target's install
    step left out): a stale docs/criteria.md is written again from the declarations."""
    make = shutil.which("make")
    assert make, "make is installed"
    target = tmp_path / "docs" / "criteria.md"
    target.parent.mkdir()
    target.write_text("stale\n", encoding="utf-8")
    run = subprocess.run(
        [make, "-f", str(ROOT / "Makefile"), "docs", f"PY={sys.executable}", "STAMP="],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
        text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert target.read_text(encoding="utf-8") == markdown()


def test_the_criteria_page_shows_every_criterion_and_caution_for_clinicians(client):
    response = client.get("/criteria")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>How this tool decides</h1>" in html
    for criterion in CRITERIA:
        assert f'data-criterion="{criterion.id}"' in html and criterion.rule in html
    for caution in CAUTIONS:
        assert f'data-caution="{caution.id}"' in html
    text = page_text(html)
    assert CRITERIA_VERSION in text and "non-diagnostic" in text


def test_the_criteria_page_is_linked_from_the_footer_and_the_summary(client, flow):
    assert 'href="/criteria">How this tool decides</a>' in client.get("/").get_data(
        as_text=True)
    flow.complete()
    summary = client.get("/summary").get_data(as_text=True)
    assert summary.count('href="/criteria"') == 2


def test_the_readme_points_to_the_specification_in_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme and "shared/criteria.md" not in readme
    assert "docs/criteria.md" in readme and "/criteria" in readme


def test_versions_are_ordered_as_numbers_not_as_text(monkeypatch):
    """2027.10 comes after 2027.9: compared as text, it would come before."""
    monkeypatch.setitem(CHANGES, "2027.9", (("a", "why a"),))
    monkeypatch.setitem(CHANGES, "2027.10", (("b", "why b"),))
    assert [entry["version"] for entry in changes_up_to("2027.10")][:2] == ["2027.10", "2027.9"]
    assert "2027.10" not in [entry["version"] for entry in changes_up_to("2027.9")]
