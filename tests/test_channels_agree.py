"""The web flow, the JSON API and the rule tables give the same outcome, statuses and
cautions for every row of tests/tables/*.csv: nothing clinical is decided in a channel,
and nothing depends on the language the pages are read in."""

import re
from pathlib import Path

import pytest

from app.questions import PAGES
from rules.tables import decode, judge, read_table

from .conftest import TODAY

TABLES = sorted((Path(__file__).parent / "tables").glob("*.csv"))


def _cases():
    for path in TABLES:
        for case in read_table(decode(path.read_bytes())).cases:
            yield pytest.param(case, id=f"{path.stem}: {case.name or case.line}")


def _web_answers(cells: dict[str, str]) -> dict[str, dict[str, str]]:
    """The row's answers as a person would give them, page by page.

    A blank choice is answered "Not sure" (the contract treats the two alike), and
    years since diagnosis is given as the year of diagnosis, as the web asks it.
    """
    given = {name: value.strip() for name, value in cells.items() if value.strip()}
    years = given.pop("years_since_diagnosis", "")
    if years:
        given["diagnosis_year"] = str(TODAY.year - int(years))
    pages = {}
    for page in PAGES:
        data = {}
        for name in page.fields:
            default = "unsure" if name not in ("age", "diagnosis_year", "relapses_12m",
                                               "dmt_count", "edss", "country") else ""
            data[name] = given.get(name, default)
        pages[page.slug] = data
    return pages


def _web(app, cells, language="en"):
    client = app.test_client()
    client.get(f"/language/{language}")
    pages = _web_answers(cells)
    slug = PAGES[0].slug
    while slug:
        response = client.post(f"/questions/{slug}", data=pages[slug])
        assert response.status_code == 302, (slug, response.get_data(as_text=True)[:500])
        location = response.headers["Location"]
        slug = location.rsplit("/questions/", 1)[1] if "/questions/" in location else None
    html = client.get("/summary").get_data(as_text=True)
    return (re.search(r'data-outcome="(\w+)"', html).group(1),
            dict(re.findall(r'data-criterion="(\w+)" data-status="(\w+)"', html)),
            set(re.findall(r'data-caution="(\w+)"', html)))


def _api(client, cells):
    body = {name: value for name, value in cells.items()
            if value.strip() and name not in ("case",) and not name.startswith("expect_")}
    response = client.post("/api/v1/assessments", json=body)
    assert response.status_code == 200, response.get_json()
    result = response.get_json()
    return (result["outcome"], {c["id"]: c["status"] for c in result["criteria"]},
            {c["id"] for c in result["cautions"]})


@pytest.mark.parametrize("case", list(_cases()))
def test_web_api_and_tables_agree_on_every_row(app, client, case):
    assessment = judge(case).assessment
    tables = (assessment.outcome, dict(assessment.statuses),
              {caution.id for caution in assessment.cautions})
    assert _api(client, case.cells) == tables
    assert _web(app, case.cells) == tables


@pytest.mark.parametrize("case", list(_cases()))
def test_the_web_in_spanish_agrees_with_the_tables_on_every_row(app, case):
    assessment = judge(case).assessment
    assert _web(app, case.cells, "es") == (
        assessment.outcome, dict(assessment.statuses),
        {caution.id for caution in assessment.cautions})
