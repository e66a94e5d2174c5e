"""Issue 12 item 7: presentation mode has a way back and page navigation."""

from __future__ import annotations

from urllib.parse import parse_qs

import dashboard
from tests.pages import helpers


def _links(at) -> list[tuple[str, str, dict[str, list[str]]]]:
    return [
        (b.proto.label, b.proto.page, parse_qs(b.proto.query_string))
        for b in at.get("page_link")
    ]


def test_presentation_mode_has_an_exit_and_links_to_every_listed_page():
    at = helpers.open_page("pages/country.py", {"present": "1", "sector": "Health"})
    links = _links(at)
    exit_label, exit_page, exit_query = links[0]
    assert exit_label == "Leave presentation"
    assert exit_page == "country"  # back to the same page …
    assert exit_query["sector"] == ["Health"]  # … with the same filters …
    assert "present" not in exit_query  # … not presenting
    listed = [p for p, _t, _i in dashboard.PAGES if p not in dashboard.HIDDEN]
    others = [p for p in listed if p != "pages/country.py"]
    assert [label for label, _p, _q in links[1:]] == [
        "Overview",
        "Scenarios",
        "Coordination",
        "Data quality",
        "Data",
        "Briefing",
    ]
    assert len(links[1:]) == len(others)
    for _label, _page, query in links[1:]:
        assert query["present"] == ["1"]
        assert query["sector"] == ["Health"]


def test_without_presentation_mode_there_is_no_presentation_bar():
    at = helpers.open_page("pages/country.py", {"sector": "Health"})
    assert not [link for link in _links(at) if link[0] == "Leave presentation"]
