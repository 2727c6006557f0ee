"""Any text in any field of any page gets a page or a redirect, never a server error."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.questions import PAGES

from .conftest import MATCHING

ODD_TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["²", "٣", "１２", "1e9", "nan", "-0", "6.0000001", "\x00", " ", "NaN",
                     "Infinity", "0x10", "1_000", "2016.0", "", "unsure", "YES"]),
)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), values=st.lists(ODD_TEXT, min_size=6, max_size=6))
def test_any_answer_on_any_page_is_handled(client, page, values):
    for earlier in PAGES[:PAGES.index(page)]:
        client.post(f"/questions/{earlier.slug}", data=MATCHING[earlier.slug])
    data = dict(zip(page.fields, values, strict=False))
    response = client.post(f"/questions/{page.slug}", data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)
    summary = client.get("/summary")
    assert summary.status_code in (200, 302)
