"""The rule-table page: upload, every row's result, the same messages as the command line."""

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app import create_app
from app.tables import MAX_TABLE_BYTES, MAX_TABLE_ROWS

from .test_cli import TABLES, run_rules

SAMPLE = Path(__file__).parent.parent / "static" / "sample-rule-table.csv"


def upload(client, data, name="cases.csv"):
    """Post a file as a browser would. (Encoded here: the test client would spool a large
    body to a temporary file that nothing closes when the app refuses it unread.)"""
    boundary, body = encode_multipart({"table_file": FileStorage(io.BytesIO(data), name)})
    return client.post("/tables", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def text(response):
    return response.get_data(as_text=True)


def rows(page):
    """Each result row's line and result, in page order."""
    return re.findall(r'data-line="(\d+)" data-result="(pass|fail)"', page)


def problems(page):
    """The listed problems of an unusable table, as plain text."""
    section = page.split('id="problems-title"', 1)[1].split("</section>", 1)[0]
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", section)]


def test_the_page_states_the_format_the_limits_and_offers_a_sample(client):
    page = text(client.get("/tables"))
    assert "<h1>Check a rule table</h1>" in page
    assert f"at most {MAX_TABLE_BYTES // 1000} KB and {MAX_TABLE_ROWS:,} cases" in page
    assert "expect_outcome" in page and "expect_cautions" in page
    assert 'href="/tables/sample.csv" download' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_sample_table_downloads_and_passes_the_command_line(client, tmp_path):
    response = client.get("/tables/sample.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    path = tmp_path / "sample.csv"
    path.write_bytes(response.data)
    run = run_rules("check", path)
    assert run.returncode == 0 and run.stdout.endswith(" passed, 0 failed\n")
    assert int(run.stdout.split()[0]) >= 8
    header = next(csv.reader(io.StringIO(response.data.decode("utf-8"))))
    assert {"expect_relapsing_ms", "expect_treatment_failure"} <= set(header)
    evaluated = run_rules("evaluate", path, "--format", "jsonl")
    outcomes = {json.loads(line)["outcome"] for line in evaluated.stdout.splitlines()}
    assert outcomes == {"matches", "unclear", "does_not_match"}


@pytest.mark.parametrize("path", sorted(TABLES.glob("*.csv")), ids=lambda p: p.stem)
def test_a_passing_table_shows_every_row_as_passed(client, path):
    page = text(upload(client, path.read_bytes(), path.name))
    count = len(run_rules("evaluate", path, "--format", "jsonl").stdout.splitlines())
    assert f"{count} passed, 0 failed" in page
    assert len(rows(page)) == count and {result for _, result in rows(page)} == {"pass"}
    assert ">Pass<" in page and path.name in page


def test_a_failing_table_shows_failing_rows_first_with_expected_got_and_why(client):
    table = (b"case,age,relapses_12m,new_mri_activity_12m,expect_age_range,"
             b"expect_inflammatory_activity,expect_outcome\n"
             b"young adult,30,,,met,,\n"
             b"wrong on purpose,60,1,no,met,met,\n"
             b"fine,40,2,,met,met,\n")
    page = text(upload(client, table))
    assert "2 passed, 1 failed" in page
    assert rows(page) == [("3", "fail"), ("2", "pass"), ("4", "pass")]
    failing = page.split('data-result="fail"', 1)[1].split("</tr>", 1)[0]
    assert ">Fail<" in failing and "wrong on purpose" in failing
    assert "expect_age_range</strong>: expected met, got <strong>not_met" in failing
    assert "expect_inflammatory_activity</strong>: expected met, got <strong>unknown" in failing
    assert "You are 60." in failing
    assert "MRI scans showed no new damage" in failing
    assert "One relapse alone is for a specialist to weigh" in failing
    assert 'class="row-fail" data-line="3"' in page
    cli = run_rules("check", "-", stdin=table.decode())
    reasons = cli.stdout.splitlines()[1:-1]
    assert len(reasons) == 2, cli.stdout
    for line in reasons:
        column, rest = line.strip().split(": expected ", 1)
        assert html.escape(rest.split(" — ", 1)[1], quote=True) in failing, column


BAD_TABLES = [
    ("unknown column", b"case,agee\nx,3\n"),
    ("bad value", b"age,ms_type\n30,relapsing\n150,rrms\n"),
    ("bad expectation", b"age,expect_outcome\n30,maybe\n"),
    ("bad cautions", b"age,expect_cautions\n30,heart;lungs\n"),
    ("repeated column", b"age,age\n1,2\n"),
    ("header only", b"age,ms_type\n"),
    ("semicolons", b"age;ms_type\n30;rrms\n"),
    ("too many cells", b"age\n30,31\n"),
    ("not utf-8", "age,country\n30,Bogot\u00e1\n".encode("latin-1")),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("bad quoting", b'age,country\n30,"Spain\n'),
    ("bad country", b"age,country\n30,Narnia\n"),
    ("retired column", b"ms_type,expect_rrms\nrrms,met\n"),
    ("retired caution", b"high_efficacy_dmt,expect_cautions\nno,no_high_efficacy_dmt\n"),
]


@pytest.mark.parametrize(("kind", "data"), BAD_TABLES, ids=[kind for kind, _ in BAD_TABLES])
def test_a_bad_table_gets_the_same_messages_as_the_command_line(client, kind, data):
    response = upload(client, data)
    assert response.status_code == 400
    page = text(response)
    assert page.startswith("<!doctype html>") and "<title>Error: " in page
    assert "This table cannot be used" in page and 'href="#table_file"' in page
    cli = run_rules("check", "-", stdin=data)
    assert cli.returncode == 2
    expected = [line.strip() for line in cli.stderr.decode().splitlines()[1:]]
    assert expected, cli.stderr
    assert problems(page) == expected


@pytest.mark.parametrize(("data", "replacement"), [
    (b"ms_type,expect_rrms\nrrms,met\n", "expect_relapsing_ms"),
    (b"high_efficacy_dmt,expect_cautions\nno,no_high_efficacy_dmt\n",
     "expect_treatment_failure"),
])
def test_a_retired_column_or_caution_names_its_replacement_and_version(client, data,
                                                                       replacement):
    [problem] = problems(text(upload(client, data)))
    assert "retired in criteria version 2026.12" in problem and replacement in problem


def test_an_empty_upload_and_no_file_get_clear_messages(client):
    assert "the file is empty" in text(upload(client, b""))
    missing = client.post("/tables", data={}, content_type="multipart/form-data")
    assert missing.status_code == 400
    assert "Choose a rule table to upload (a .csv file)" in text(missing)


def test_more_rows_than_the_limit_are_refused_with_the_limit(client):
    data = b"age\n" + b"30\n" * (MAX_TABLE_ROWS + 1)
    assert problems(text(upload(client, data))) == [
        f"the table has more than {MAX_TABLE_ROWS} cases; split it into tables of at most "
        f"{MAX_TABLE_ROWS} rows"]
    assert f"{MAX_TABLE_ROWS} passed" in text(upload(client, b"age\n" + b"30\n" * MAX_TABLE_ROWS))


def test_a_file_over_the_size_limit_is_refused_with_the_limit(client):
    data = b"country\n" + b"x" * 70 + b"\n"
    data = data * (MAX_TABLE_BYTES // len(data) + 1)
    assert problems(text(upload(client, data))) == [
        f"the file is larger than {MAX_TABLE_BYTES // 1000} KB; split it into smaller tables"]


def test_a_request_far_over_the_limit_gets_the_friendly_413_page(client):
    response = upload(client, b"x" * (MAX_TABLE_BYTES * 5))
    assert response.status_code == 413
    assert "That was too big" in text(response) and "Traceback" not in text(response)


def test_too_many_problems_are_counted_after_the_first_hundred(client):
    data = b"age\n" + b"x\n" * 150
    listed = problems(text(upload(client, data)))
    assert len(listed) == 101 and listed[-1] == "… and 50 more problems"


def download_form(page):
    """The hidden table the results page sends back for the CSV download."""
    value = re.search(r'name="table" type="hidden" value="([^"]*)"', page)
    return html.unescape(value.group(1))


def test_the_evaluated_table_downloads_as_the_command_line_writes_it(client, tmp_path):
    source = TABLES / "outcome.csv"
    page = text(upload(client, source.read_bytes()))
    response = client.post("/tables/results.csv", data={"table": download_form(page)})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    cli = run_rules("evaluate", source)
    assert response.get_data(as_text=True) == cli.stdout
    header = next(csv.reader(io.StringIO(cli.stdout)))
    assert "expect_ambulatory" in header


def test_a_tampered_download_is_judged_again_and_checked(client):
    response = client.post("/tables/results.csv", data={"table": "agee\n1\n"})
    assert response.status_code == 400 and "unknown column" in text(response)


def test_the_upload_and_the_download_need_a_csrf_token():
    client = create_app({"TESTING": True, "SECRET_KEY": "x" * 32}).test_client()
    client.get("/tables")
    response = upload(client, SAMPLE.read_bytes())
    assert response.status_code == 400 and "timed out" in text(response)
    download = client.post("/tables/results.csv", data={"table": "age\n30\n"})
    assert download.status_code == 400 and "timed out" in text(download)
    assert "Set-Cookie" not in download.headers
