"""Budgets: each page's HTML plus its CSS under 30 KB (the summary, which since criteria
2026.12 carries risks, evidence, trials and a numbered reference list, under 40 KB),
and no JavaScript at all."""

import re
from pathlib import Path

from .conftest import MATCHING

CSS = Path(__file__).resolve().parent.parent / "static" / "site.css"
BUDGET = 30 * 1024
SUMMARY_BUDGET = 40 * 1024


def test_every_page_with_its_css_is_within_its_budget_and_needs_no_javascript(client):
    css = len(CSS.read_bytes())
    pages = {"start": client.get("/").get_data()}
    pages["error state"] = client.post("/questions/about-you", data={"age": "x"}).get_data()
    for slug, data in MATCHING.items():
        pages[slug] = client.get(f"/questions/{slug}").get_data()
        client.post(f"/questions/{slug}", data=data)
    pages["check"] = client.get("/check").get_data()
    pages["summary"] = client.get("/summary").get_data()
    for name, html in pages.items():
        budget = SUMMARY_BUDGET if name == "summary" else BUDGET
        assert len(html) + css < budget, f"{name}: {len(html) + css} bytes"
        assert not re.search(rb"<script|javascript:|\son\w+=", html), name
