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
    hidden = dashboard.HIDDEN | dashboard.ADMIN_ONLY  # no sign-in: no admin pages
    listed = [p for p, _t, _i in dashboard.PAGES if p not in hidden]
    others = [p for p in listed if p != "pages/country.py"]
    bar = links[1 : 1 + len(others)]  # the page's own links follow the bar
    assert [label for label, _p, _q in bar] == [
        "Overview",
        "Scenarios",
        "Coordination",
        "Follow the money",
        "Data quality",
        "Data",
        "Briefing",
    ]
    default = dashboard.PAGES[0][0]  # the default page's link has no path
    paths = ["" if p == default else p[len("pages/") : -3] for p in others]
    assert [page for _l, page, _q in bar] == paths
    for _label, _page, query in bar:
        assert query["present"] == ["1"]
        assert query["sector"] == ["Health"]


def test_without_presentation_mode_there_is_no_presentation_bar():
    at = helpers.open_page("pages/country.py", {"sector": "Health"})
    assert not [link for link in _links(at) if link[0] == "Leave presentation"]
