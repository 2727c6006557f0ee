"""Bad input of every size gets a clear message and bounded work (issue 12, holes 3, 5, 7)."""

import csv
import io
import json
import tracemalloc

import pytest

from rules import FIELDS, Answers, AnswersError, tables
from rules.tables import MAX_PROBLEMS_SHOWN, TableError, read_table

from .test_cli import run_rules, write
from .test_tables_page import text, upload

#: Peak memory growth allowed while one upload of at most 500 KB is read and refused.
MEMORY_BOUND = 24 * 1024 * 1024


def peak_growth(action) -> int:
    """The highest memory use above the starting point while ``action`` runs, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        start, _ = tracemalloc.get_traced_memory()
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - start


def test_a_header_of_half_a_million_commas_is_refused_in_bounded_memory(client):
    data = b"case" + b"," * 499_000 + b"\n"
    responses = []
    growth = peak_growth(lambda: responses.append(upload(client, data)))
    page = text(responses[0])
    assert responses[0].status_code == 400
    assert "at most" in page and "columns" in page
    assert growth < MEMORY_BOUND, f"{growth / 2**20:.0f} MiB"


def test_a_table_with_a_bad_value_in_every_cell_counts_its_problems_in_bounded_memory(client):
    columns = list(FIELDS)
    row = ",".join(["bad"] * len(columns))
    data = (",".join(columns) + "\n" + (row + "\n") * 2_000).encode()
    assert len(data) < 500_000
    responses = []
    growth = peak_growth(lambda: responses.append(upload(client, data)))
    page = text(responses[0])
    assert responses[0].status_code == 400
    assert f"… and {2_000 * len(columns) - MAX_PROBLEMS_SHOWN:,}".replace(",", "") in \
        page.replace(",", "")
    assert growth < MEMORY_BOUND, f"{growth / 2**20:.0f} MiB"


def test_problems_beyond_those_shown_are_counted_not_kept():
    table = "age\n" + "old\n" * 5_000
    with pytest.raises(TableError) as caught:
        read_table(table)
    assert len(caught.value.problems) == MAX_PROBLEMS_SHOWN
    assert caught.value.more == 5_000 - MAX_PROBLEMS_SHOWN


def test_a_row_with_more_cells_than_columns_allowed_is_refused_at_once():
    with pytest.raises(TableError, match=r"line 2: 100 cells; a rule table has at most"):
        read_table("age\n" + "1," * 99 + "1\n")


def test_a_very_long_cell_is_refused_with_its_line_and_column():
    with pytest.raises(TableError, match=r"line 2, column 2: the cell is 5,000 characters"):
        read_table("case,country\nx," + "a" * 5_000 + "\n")


def huge_integer_file() -> bytes:
    return ('{"format": "hsct-ms-screening-answers", "version": 1, "answers": {"age": '
            + "1" * 4_301 + "}}").encode()


def test_an_answers_file_with_a_4301_digit_integer_gets_a_clear_message(client):
    client.get("/")
    response = client.post("/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(huge_integer_file()), "answers.json")})
    assert response.status_code == 400
    assert "far too long" in response.get_data(as_text=True)


def test_the_api_refuses_the_same_huge_integer_with_400(client):
    response = client.post("/api/v1/assessments", data=b'{"age": ' + b"1" * 4_301 + b"}",
                           content_type="application/json")
    assert response.status_code == 400


def test_a_huge_number_typed_in_a_form_is_a_field_error(client):
    response = client.post("/questions/about-you", data={"age": "1" * 5_000})
    assert response.status_code == 200 and "Enter your age" in response.get_data(as_text=True)


NOT_ASCII_NUMBERS = ["4_0", "٤", "４", "1_000", "٤٠", "४"]


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_numbers_are_written_with_ascii_digits_only_in_the_rules(value):
    with pytest.raises(AnswersError):
        Answers.from_mapping({"age": value})


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_numbers_are_written_with_ascii_digits_only_in_the_api(client, value):
    response = client.post("/api/v1/assessments", json={"relapses_12m": value})
    assert response.status_code == 400


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_numbers_are_written_with_ascii_digits_only_in_the_forms(client, value):
    response = client.post("/questions/about-you", data={"age": value})
    assert response.status_code == 200 and "Enter your age" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_numbers_are_written_with_ascii_digits_only_in_rule_tables(value):
    with pytest.raises(TableError, match="is not allowed"):
        read_table(f"age\n{value}\n")


@pytest.mark.parametrize("value", NOT_ASCII_NUMBERS)
def test_numbers_are_written_with_ascii_digits_only_in_answers_files(client, value):
    client.get("/")
    document = json.dumps({"format": "hsct-ms-screening-answers", "version": 1,
                           "answers": {"edss": value}}).encode()
    response = client.post("/resume", content_type="multipart/form-data", data={
        "answers_file": (io.BytesIO(document), "answers.json")})
    assert response.status_code == 400 and "is not allowed" in response.get_data(as_text=True)


def test_plain_ascii_numbers_are_still_read():
    answers = Answers.from_mapping({"age": "40", "edss": "6.5", "years_since_diagnosis": "2.5"})
    assert (answers.age, answers.edss, answers.years_since_diagnosis) == (40, 6.5, 2.5)


def test_a_64_kb_api_request_full_of_unknown_fields_gets_a_small_answer(client):
    body = json.dumps({f"f{number}": 1 for number in range(6_000)}, separators=(",", ":"))
    assert len(body) < 64 * 1024
    response = client.post("/api/v1/assessments", data=body, content_type="application/json")
    document = response.get_json()
    assert response.status_code == 400 and len(response.get_data()) < 64 * 1024
    assert document["detail"].startswith("6000 answers could not be used")
    assert len(document["problems"]) == 50


NEUTRALISED = [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1)", "'@SUM(1)"),
    ("\tTAB", "'\tTAB"),
    ("-1", "-1"),
    ("+2.5", "+2.5"),
    ("6.0", "6.0"),
    ("a name", "a name"),
    ("", ""),
]


@pytest.mark.parametrize(("cell", "written"), NEUTRALISED, ids=[c for c, _ in NEUTRALISED])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(cell, written):
    assert tables.neutralised(cell) == written


#: The case name is the table's one free-text cell (a country must come from the list).
FORMULA_TABLE = ("case,age,country,expect_outcome\n"
                 "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",40,Canada,\n"
                 "@SUM(1),40,,\n"
                 "+Canada,40,,\n"
                 "-5,40,,\n")


def formula_cells(output: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(output)) for cell in row
            if cell[:1] in ("=", "+", "-", "@")]


def test_the_command_line_never_writes_a_formula(tmp_path):
    run = run_rules("evaluate", write(tmp_path, FORMULA_TABLE))
    assert run.returncode == 0, run.stderr
    assert formula_cells(run.stdout) == ["-5"]
    assert "'=HYPERLINK" in run.stdout and "'@SUM(1)" in run.stdout


def test_the_downloaded_table_never_holds_a_formula(client):
    client.get("/tables")
    response = client.post("/tables/results.csv", data={"table": FORMULA_TABLE})
    assert response.status_code == 200
    assert formula_cells(response.get_data(as_text=True)) == ["-5"]
