"""The fix-your-data list: what each publisher would need to publish, with a CSV.

Rows come from the data layer's `money_fixes.fix_list` (any family). The money
family's texts are translated through `money_fixes.FIX_TEXT` keys; rows of
another family are shown as that family gives them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_number, translate
from src.portfolio.export import to_csv_bytes
from src.portfolio.money_fixes import fix_key
from src.widgets import state
from src.widgets.i18n import current_lang, t
from src.widgets.layout import whole_table


def translated_fixes(fixes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list with its indicator, unit and what-to-publish texts in `lang`.

    Same columns as the data layer's (`money_fixes.FIX_COLUMNS`): the CSV.
    """

    def text(indicator: str, part: str, given: str) -> str:
        key = fix_key(indicator)
        return given if key is None else translate(f"fix.{key}.{part}", lang)

    out = fixes.copy()
    for part in ("unit", "what", "indicator"):  # indicator last: it is the key
        out[part] = [
            text(i, part, g)
            for i, g in zip(fixes["indicator"], fixes[part], strict=True)
        ]
    return out


def build_fix_table(fixes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """As shown: publisher, indicator, "420 of 420", unit, what to publish."""
    tr = translated_fixes(fixes, lang)
    return pd.DataFrame(
        {
            translate("fix.col.publisher", lang): tr["publisher"],
            translate("fix.col.indicator", lang): tr["indicator"],
            # "420 of 420", the unit in its own column: as a label it reads
            # right for any count ("1 of 1 incoming transactions" did not)
            translate("fix.col.missing", lang): [
                translate(
                    "fix.missing_of",
                    lang,
                    missing=format_number(m, lang),
                    total=format_number(n, lang),
                )
                for m, n in zip(tr["missing"], tr["total"], strict=True)
            ],
            translate("fix.col.unit", lang): tr["unit"],
            translate("fix.col.what", lang): tr["what"],
        }
    )


def render_fix_list(fixes: pd.DataFrame, *, caption: str, where: str) -> None:
    """Heading, the list (or that nothing is missing) and its CSV download."""
    lang = current_lang()
    st.subheader(t("fix.title"))
    st.caption(t("fix.intro"))
    if fixes.empty:
        st.success(t("fix.none"))
        return
    table = build_fix_table(fixes, lang)
    whole_table(table)
    st.download_button(
        t("table.download"),
        # the CSV keeps the data layer's columns, counts as numbers
        data=lambda: to_csv_bytes(
            translated_fixes(fixes, lang), [t("fix.title"), caption]
        ),
        file_name=f"fix_your_data_{where}.csv",
        mime="text/csv",
        key=state.item_key(state.MONEY_FIX_DOWNLOAD, where),
    )
