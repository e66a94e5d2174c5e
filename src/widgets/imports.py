"""Data page pieces: upload, validation report, accept, and the dataset list.

Nothing from an upload is used until the user presses "use the accepted rows".
Text from imported files is shown only in st.dataframe or escaped Markdown.
Problem messages are shown in the UI language.
"""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from src.i18n import format_number
from src.portfolio.imports import (
    ImportReport,
    import_files,
    max_upload_bytes,
)
from src.portfolio.imports.template import template_csv_bytes, template_xlsx_bytes
from src.settings import Settings
from src.store.datasets import store_import
from src.widgets import cache, sharing, state
from src.widgets.auth import principal
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.quality import translated_columns
from src.widgets.store_health import render_store_error

UPLOAD = "data.upload"
NAME = "data.name"
ACCEPT = "data.accept"
BUNDLED_BUTTON = "data.bundled"
REPORT = "data.report"  # (upload signature, ImportReport) kept across reruns
NOTICE = "data.notice"


def template_downloads() -> None:
    """Download buttons for the CSV and .xlsx templates."""
    left, right = st.columns(2)
    left.download_button(
        t("data.template_csv"),
        template_csv_bytes(),
        file_name="portfolio_template.csv",
        mime="text/csv",
        icon=":material/download:",
        key=state.DATA_TEMPLATE_CSV,
    )
    right.download_button(
        t("data.template_xlsx"),
        template_xlsx_bytes(),
        file_name="portfolio_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=state.DATA_TEMPLATE_XLSX,
    )


def upload_input() -> list:
    """The file uploader (several files); returns the uploaded files."""
    mb = max(1, max_upload_bytes() // 2**20)
    files = st.file_uploader(
        t("data.upload", mb=mb),
        type=["xml", "csv", "xlsx", "txt"],
        accept_multiple_files=True,
        key=UPLOAD,
        # the box's own "Limit … per file" then states our limit, not 200 MB;
        # its English texts are explained in the UI language in the help
        max_upload_size=mb,
        help=t("upload.help", mb=mb),
    )
    return list(files or [])


class ImportTimeout(BaseException):  # noqa: N818 - a stop, like Streamlit's own
    """Raised by the progress callback once the import time limit has passed.

    A BaseException, as Streamlit's StopException is: the IATI parser's barrier
    turns every Exception into a problem of the file, and this must stop the
    whole import (nothing is kept; the page says why).
    """

    def __init__(self, done: int, total: int) -> None:
        super().__init__(done, total)
        self.done = done
        self.total = total


def validated_report(files: list) -> ImportReport | None:
    """Validate the uploads once (progress bar), then reuse the report."""
    if not files:
        st.session_state.pop(REPORT, None)
        return None
    signature = tuple((f.file_id, f.name, f.size) for f in files)
    kept = st.session_state.get(REPORT)
    if kept and kept[0] == signature:
        return kept[1]
    bar = st.progress(0.0, text=t("data.validating"))
    limit = Settings.from_env().import_timeout_s
    start = time.monotonic()

    def progress(done: int, total: int) -> None:
        # a Streamlit call: where a closed or rerun session stops the import
        bar.progress(min(done / total, 1.0), text=t("data.validating"))
        if limit > 0 and time.monotonic() - start > limit:
            raise ImportTimeout(done, total)

    try:
        report = import_files(files, on_progress=progress)
    except ImportTimeout as stop:
        bar.empty()
        lang = current_lang()
        st.error(
            t(
                "data.timeout",
                seconds=format_number(limit, lang, 0 if limit >= 1 else 3),
                done=format_number(stop.done / 2**20, lang, 1),
                total=format_number(stop.total / 2**20, lang, 1),
            ),
            icon=":material/timer_off:",
        )
        return None
    bar.empty()
    st.session_state[REPORT] = (signature, report)
    return report


def render_report(report: ImportReport) -> None:
    """Counts, per-file summary, problems and the rejected-rows download."""
    lang = current_lang()
    cols = st.columns(3)
    cols[0].metric(t("data.read"), format_number(report.read, lang))
    cols[1].metric(t("data.accepted"), format_number(report.accepted, lang))
    cols[2].metric(t("data.rejected"), format_number(report.rejected_count, lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("data.col.file"): [f.name for f in report.files],
                t("data.col.kind"): [f.kind for f in report.files],
                t("data.col.encoding"): [f.encoding for f in report.files],
                t("data.read"): [f.read for f in report.files],
                t("data.accepted"): [f.accepted for f in report.files],
                t("data.rejected"): [f.rejected for f in report.files],
                t("data.col.error"): [report.file_error(f, lang) for f in report.files],
            }
        ),
        hide_index=True,
    )
    if report.problems:
        st.subheader(t("data.problems", n=len(report.problems)))
        st.dataframe(translated_columns(report.problems_frame(lang)), hide_index=True)
    if report.rejected_rows:
        st.download_button(
            t("data.download_rejected"),
            report.rejected_csv(lang),
            file_name="rejected_rows.csv",
            mime="text/csv",
            icon=":material/download:",
            key=state.DATA_REJECTED_CSV,
        )


def switch_dataset(dataset: str) -> None:
    """Make `dataset` (an id, or "bundled") the app's dataset (in the URL); rerun."""
    if dataset == cache.BUNDLED:
        st.query_params.pop(state.URL_DATASET, None)
    else:
        st.query_params[state.URL_DATASET] = dataset
    st.session_state[state.DATASET] = dataset
    st.rerun()


def accept_form(report: ImportReport, default_name: str) -> None:
    """Dataset name and the explicit "use the accepted rows" button."""
    if not report.accepted:
        st.error(t("data.nothing_accepted"))
        return
    if not principal().can_create:
        st.info(t("data.cannot_import"), icon=":material/lock:")
        return
    name = st.text_input(t("data.name"), value=default_name, max_chars=200, key=NAME)
    if not st.button(t("data.use"), type="primary", key=ACCEPT):
        return
    try:
        info = store_import(report, name, actor=principal())
    except (ValueError, LookupError) as exc:  # a refusal or a storage fault
        render_store_error(exc)
        return
    st.session_state.pop(REPORT, None)
    st.session_state[NOTICE] = info.name
    switch_dataset(info.id)


def _describe(d, actor) -> None:  # noqa: ANN001 - DatasetInfo, Principal
    """A dataset's name, dates and (unless restricted to a country) rows and files."""
    shared = "" if d.org == actor.org else " · " + t("data.shared_read_only")
    if actor.country:
        info = t("data.info_dates", date=d.data_date, created=d.created)
        st.markdown(f"**{md_escape(d.name)}** · {info}{shared}")
        return
    info = t("data.info", rows=d.rows, date=d.data_date, created=d.created)
    st.markdown(f"**{md_escape(d.name)}** · {info}{shared}")
    files = d.provenance.get("files", [])
    st.dataframe(
        pd.DataFrame(files, columns=["name", "kind", "size", "sha256"]),
        hide_index=True,
    )


def render_datasets() -> None:
    """The datasets the user can see: provenance, switch, share and delete."""
    from src.store.datasets import delete_dataset, list_datasets

    actor = principal()
    active = st.session_state.get(state.DATASET, cache.BUNDLED)
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        st.success(t("data.saved", name=md_escape(notice)))
    items = list_datasets(actor=actor)
    names = {d.id: d.name for d in items}
    st.caption(t("data.active", name=md_escape(names.get(active, active))))
    if active != cache.BUNDLED and st.button(
        t("data.back_bundled"), icon=":material/undo:", key=BUNDLED_BUTTON
    ):
        switch_dataset(cache.BUNDLED)
    if not items:
        st.info(t("data.no_datasets"))
    elif actor.country:  # rows and files are of every country's projects
        st.caption(t("data.restricted"))
    for i, d in enumerate(items):
        with st.container(border=True):
            _describe(d, actor)
            left, right = st.columns(2)
            if d.id != active and left.button(
                t("data.switch"),
                key=state.item_key(state.DATA_SWITCH, i),
                icon=":material/swap_horiz:",
            ):
                switch_dataset(d.id)
            if d.writable:
                right.button(
                    t("data.delete"),
                    key=state.item_key(state.DATA_DELETE, i),
                    icon=":material/delete:",
                    on_click=sharing.ask_delete,
                    args=("dataset", d.id),
                )

                def delete(item: str = d.id) -> None:
                    delete_dataset(item, actor=actor)
                    if item == active:
                        st.query_params.pop(state.URL_DATASET, None)
                        st.session_state[state.DATASET] = cache.BUNDLED

                sharing.render_confirm("dataset", d.id, d.name, delete)
            if d.org == actor.org:
                sharing.render_share("dataset", d.id)
    sharing.render_deleted("dataset")
    sharing.render_audit()
