"""AppTest of the Country page."""

from __future__ import annotations

from tests.pages import helpers


def test_a_link_to_an_unknown_country_says_so_instead_of_showing_another():
    at = helpers.open_page("pages/country.py", {"c": "ZZZ"})
    assert not at.exception, at.exception
    notes = [w.value for w in at.warning if "not in this dataset" in w.value]
    assert notes == [
        "The link names country “ZZZ”, which is not in this dataset: showing the "
        "first country instead."
    ]
    known = helpers.open_page("pages/country.py", {"c": "KEN"})
    assert not [w for w in known.warning if "not in this dataset" in w.value]
    assert known.title[0].value == "Kenya"
