"""Saved scenarios: save, list, load, rename, delete, export/import, compare.

Scenarios live in the embedded store (src.store.scenarios). A saved scenario
records the fingerprint of the data it was run on; loading it on changed data
shows a warning. The compared scenarios' ids are part of the URL (older links'
names are still read, see `scenario_refs`).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.engine.montecarlo import combine
from src.engine.scenario import Scenario
from src.i18n import format_date, format_number
from src.portfolio.filters import FilterSpec
from src.store import scenarios as store
from src.store.errors import StoreError, StoreNotFoundError
from src.store.principal import Principal
from src.widgets import cache, sharing, state
from src.widgets.auth import principal
from src.widgets.charts import localised
from src.widgets.frame import Context
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.scenario_editor import load_into_state
from src.widgets.scenario_refs import LISTED, compare_labels, resolve_refs
from src.widgets.scenario_results import HEADLINE, format_metric
from src.widgets.store_health import error_text
from src.widgets.url_state import set_param

MAX_COMPARED = 4


def _load(name: str, fingerprint: str, spec: FilterSpec) -> None:
    """Callback: put a saved scenario into the editor.

    The notice says when the data changed since it was saved, or when it was
    made on other filters than the current ones (it is then re-run on these).
    """
    try:
        record = store.get_scenario(name, actor=principal())
        scenario = Scenario.from_json(record.scenario_json)
    except (LookupError, ValueError) as exc:
        st.session_state[state.SCEN_NOTICE] = t(
            "scen.load_failed", reason=error_text(exc)
        )
        return
    name = record.name  # `name` may be the id
    load_into_state(scenario.with_changes(name=name))
    notices = []
    if record.fingerprint != fingerprint:
        notices.append(t("scen.data_changed", name=md_escape(name)))
    saved = FilterSpec.from_dict(scenario.filters) if scenario.filters else None
    if saved is not None and saved != spec:
        lang = current_lang()
        notices.append(
            t(
                "scen.other_filters",
                name=md_escape(name),
                saved=md_escape(saved.describe(lang)),
                current=md_escape(spec.describe(lang)),
            )
        )
    st.session_state[state.SCEN_NOTICE] = " ".join(notices)


def _delete(item: str, name: str) -> None:
    store.delete_scenario(item, actor=principal())
    del name  # shown by the confirmation; the comparison keeps ids
    st.session_state[state.SCEN_COMPARE] = [
        i for i in st.session_state.get(state.SCEN_COMPARE, []) if i != item
    ]


def _import_file() -> None:
    upload = st.session_state.get(state.SCEN_IMPORT)
    if upload is None:
        return
    try:
        scenario = Scenario.from_json(upload.getvalue().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        st.session_state[state.SCEN_NOTICE] = t(
            "scen.import_failed",
            file=md_escape(upload.name),
            reason=error_text(exc),
        )
        return
    load_into_state(scenario)
    st.session_state[state.SCEN_NOTICE] = ""


def render_save(scenario: Scenario, ctx: Context) -> None:
    """Save under a name (with the filters it is made on), export, import."""
    if not principal().can_create:
        st.info(t("scen.cannot_save"), icon=":material/lock:")
    else:
        _save_form(scenario, ctx)
    left, right = st.columns(2)
    left.download_button(
        t("scen.export"),
        data=scenario.to_json(),
        file_name="scenario.json",
        mime="application/json",
        key=state.SCEN_EXPORT,
        icon=":material/download:",
    )
    right.file_uploader(
        t("scen.import"),
        type=["json"],
        key=state.SCEN_IMPORT,
        on_change=_import_file,
        max_upload_size=1,  # a scenario is at most 20,000 characters
        help=t("upload.help", mb=1),
    )


def _save_form(scenario: Scenario, ctx: Context) -> None:
    cols = st.columns([3, 1])
    name = cols[0].text_input(
        t("scen.save_name"), key=state.SCEN_NAME, max_chars=store.MAX_NAME
    )
    if cols[1].button(t("scen.save"), key=state.SCEN_SAVE, icon=":material/save:"):
        try:
            saved = scenario.with_changes(name=name, filters=ctx.spec.to_dict())
            store.save_scenario(
                name, saved.to_json(), ctx.meta.fingerprint, actor=principal()
            )
        except ValueError as exc:
            st.error(t("scen.save_failed", reason=error_text(exc)))
        else:
            st.success(t("scen.saved", name=md_escape(name)))


def _rename(item: str) -> None:
    """Callback: rename the picked scenario to the name typed beside it.

    The pick is set again (same id, new name): the browser's box shows the
    label it was last sent, and a changed label alone does not redraw it.
    """
    new = st.session_state.get(state.SCEN_RENAME_TO, "")
    if not new:
        return
    try:
        store.rename_scenario(item, new, actor=principal())
    except (LookupError, ValueError) as exc:
        st.session_state[state.SCEN_RENAME_ERROR] = t(
            "scen.save_failed", reason=error_text(exc)
        )
    else:
        st.session_state[state.SCEN_PICK] = item
        st.session_state[state.SCEN_RENAME_TO] = ""


def render_library(ctx: Context) -> None:
    """The saved scenarios with load, rename and delete."""
    meta = ctx.meta
    actor = principal()
    records, matching = _library_records(actor)
    if not records:
        st.caption(t("scen.none_matching", text=md_escape(matching)) if matching
                   else t("scen.none_saved"))  # fmt: skip
        sharing.render_deleted("scenario")  # the last one deleted stays restorable
        return
    lang = current_lang()
    st.dataframe(
        pd.DataFrame(
            {
                t("scen.col.name"): [r.name for r in records],
                t("scen.col.updated"): [
                    format_date(r.updated.date(), lang) for r in records
                ],
                t("scen.col.same_data"): [
                    "✓" if r.fingerprint == meta.fingerprint else t("scen.other_data")
                    for r in records
                ],
                t("scen.col.access"): [
                    t("scen.editable") if r.writable else t("scen.read_only")
                    for r in records
                ],
            }
        ),
        hide_index=True,
    )
    by_id = {r.id: r for r in records}
    if st.session_state.get(state.SCEN_PICK) not in by_id:
        st.session_state.pop(state.SCEN_PICK, None)  # deleted meanwhile
    picked = st.selectbox(
        t("scen.pick_saved"),
        list(by_id),
        format_func=lambda i: by_id[i].name,
        key=state.SCEN_PICK,
    )
    record = by_id[picked]
    chosen = record.name
    cols = st.columns([1, 2, 1, 1])
    cols[0].button(
        t("scen.load"),
        key=state.SCEN_LOAD,
        on_click=_load,
        args=(record.id, meta.fingerprint, ctx.spec),
        icon=":material/upload:",
    )
    if not record.writable:
        st.caption(t("scen.read_only_note"))
        return
    cols[1].text_input(
        t("scen.new_name"), key=state.SCEN_RENAME_TO, label_visibility="collapsed",
        placeholder=t("scen.new_name"),
    )  # fmt: skip
    cols[2].button(
        t("scen.rename"), key=state.SCEN_RENAME, on_click=_rename, args=(record.id,)
    )
    refused = st.session_state.pop(state.SCEN_RENAME_ERROR, None)
    if refused:
        st.error(refused)  # escaped by error_text
    cols[3].button(
        t("scen.delete"),
        key=state.SCEN_DELETE,
        on_click=sharing.ask_delete,
        args=("scenario", record.id),
        icon=":material/delete:",
    )
    sharing.render_confirm(
        "scenario", record.id, chosen, lambda: _delete(record.id, chosen)
    )
    if record.org == actor.org:
        sharing.render_share("scenario", record.id)
    sharing.render_deleted("scenario")


def _library_records(actor: Principal) -> tuple[list[store.ScenarioRecord], str]:
    """(rows, name searched): the `LISTED` most recent, or what the search finds.

    Every run lists them, and each session keeps its widgets' options, so the
    page never holds every scenario an organisation ever saved: past `LISTED`
    a search box finds the others by a part of their name.
    """
    matching = str(st.session_state.get(state.SCEN_FIND) or "").strip()
    records = store.list_scenarios(actor=actor, limit=LISTED, matching=matching)
    if len(records) < LISTED and not matching:
        return records, matching
    st.text_input(t("scen.find"), key=state.SCEN_FIND, placeholder=t("scen.find_hint"))
    try:
        total = store.count_scenarios(actor=actor, matching=matching)
    except StoreError:
        total = None
    if total is not None and total > len(records):
        lang = current_lang()
        st.caption(t("scen.listed", n=format_number(len(records), lang),
                     total=format_number(total, lang)))  # fmt: skip
    return records, matching


def records_of(refs: list[str], actor: Principal) -> list[store.ScenarioRecord]:
    """The saved scenarios `refs` (ids, or older links' names) the actor can see.

    In order; those not found (deleted, not the actor's to see) are left out.
    """
    found = []
    for ref in refs:
        try:
            found.append(store.get_scenario(ref, actor=actor))
        except (StoreNotFoundError, StoreError):
            continue
    return found


def compare_linked() -> bool:
    """Whether the page was opened by a link asking to compare (?compare=).

    Decided at the session's first look and kept: the picker rewrites
    ?compare= (it drops names not saved here, or all of them), and a changed
    default would make the tabs a new widget, reopened at its default instead
    of the tab the user clicked.
    """
    if state.COMPARE_LINKED not in st.session_state:
        st.session_state[state.COMPARE_LINKED] = state.URL_COMPARE in st.query_params
    return st.session_state[state.COMPARE_LINKED]


def _compare_labels(records: list[store.ScenarioRecord]) -> dict[str, str]:
    """Each id -> the label of a saved scenario (`scenario_refs.compare_labels`)."""
    from src.store.orgs import list_orgs

    return compare_labels(records, principal(), dict(list_orgs()))


def compare_picker() -> list[str]:
    """Choose up to four saved scenarios to compare (their ids, in ?compare=)."""
    actor = principal()
    records = store.list_scenarios(actor=actor, limit=LISTED)
    if state.SCEN_COMPARE not in st.session_state:
        refs = st.query_params.get_all(state.URL_COMPARE)
        wanted, unknown = resolve_refs(refs, records, actor)
        older = records_of(unknown, actor)  # beyond the most recent LISTED
        if older:  # resolved again, so that the link's order is kept
            wanted, unknown = resolve_refs(refs, records + older, actor)
        if unknown:
            st.warning(t("scen.compare_unknown", names=md_escape(", ".join(unknown))))
        st.session_state[state.SCEN_COMPARE] = wanted[:MAX_COMPARED]
    listed = {r.id for r in records}
    chosen = st.session_state[state.SCEN_COMPARE]
    records += records_of([i for i in chosen if i not in listed], actor)
    labels = _compare_labels(records)
    st.session_state[state.SCEN_COMPARE] = [i for i in chosen if i in labels]
    chosen = st.multiselect(
        t("scen.compare_pick"),
        list(labels),
        format_func=labels.get,
        key=state.SCEN_COMPARE,
        max_selections=MAX_COMPARED,
        placeholder=t("scen.compare_placeholder"),
        select_all=False,
    )
    set_param(state.URL_COMPARE, chosen)
    return chosen


def comparison_table(ctx: Context, ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """P50 of each headline metric and delivery per year, per compared scenario.

    Returns:
        (metrics table with one column per run, delivery curves in long form).
    """
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    lang = current_lang()
    labels = _compare_labels(records_of(ids, principal()))
    columns: dict[str, list[str]] = {}
    curves = []
    base_done = False
    for item in ids:
        scenario = Scenario.from_json(store.load_scenario(item, actor=principal()))
        name = labels.get(item, item)
        base = cache.scenario_run(dataset, ctx.spec, scenario.baseline().to_token())
        scen = cache.scenario_run(dataset, ctx.spec, scenario.to_token())
        comp = combine(base, scen)
        deltas = comp.deltas.set_index("metric")
        if not base_done:
            columns[t("scen.baseline")] = [
                format_metric(m, deltas.loc[m, "baseline_p50"], lang) for m in HEADLINE
            ]
            curves.append(base.delivery.assign(run=t("scen.baseline")))
            base_done = True
        columns[name] = [
            f"{format_metric(m, deltas.loc[m, 'scenario_p50'], lang)} "
            f"({format_metric(m, deltas.loc[m, 'p50'], lang, delta=True)})"
            for m in HEADLINE
        ]
        curves.append(scen.delivery.assign(run=name))
    table = pd.DataFrame({t("scen.metric"): [t("metric." + m) for m in HEADLINE]})
    for key, values in columns.items():
        table[key] = values
    return table, pd.concat(curves, ignore_index=True)


def render_comparison(ctx: Context, ids: list[str]) -> None:
    """One table and one chart for up to four saved scenarios (by id)."""
    if not ids:
        st.caption(t("scen.compare_hint"))
        return
    try:
        with st.spinner(t("scen.running_compare")):
            table, curves = comparison_table(ctx, ids)
    except (ValueError, LookupError) as exc:  # unreadable, or deleted meanwhile
        st.error(t("scen.load_failed", reason=error_text(exc)))
        return
    st.dataframe(table, hide_index=True)
    chart = (
        alt.Chart(curves.assign(p50m=curves["p50"] / 1e6))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=t("scen.year_after"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("p50m:Q", title=t("chart.budget_musd")),
            color=alt.Color("run:N", title=None),
            tooltip=["run:N", "year:O", alt.Tooltip("p50m:Q", format=",.1f")],
        )
        .properties(height=280)
    )
    st.altair_chart(
        localised(chart), key=state.SCEN_COMPARE_CHART, alt=t("scen.compare_alt")
    )
