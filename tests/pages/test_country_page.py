"""AppTest of the Country page."""

from __future__ import annotations

from src.widgets import state
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


def test_the_country_chosen_on_one_page_is_the_one_the_other_page_opens():
    # Country page -> Coordination page by the menu (no ?c= in the link):
    # it opened on Afghanistan, the first country of the list
    at = helpers.open_page("pages/country.py", {"c": "BGD"})
    at.query_params.pop("c", None)
    at.switch_page("pages/coordination.py")
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key=state.COUNTRY_SELECT).value == "BGD"
    assert at.query_params["c"] == "BGD"
    at.selectbox(key=state.COUNTRY_SELECT).set_value("KEN").run()
    at.switch_page("pages/country.py")
    at.run()
    assert at.selectbox(key=state.COUNTRY_SELECT).value == "KEN"
    assert at.title[0].value == "Kenya"
