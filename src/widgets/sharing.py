"""Delete with confirmation, sharing and restoring, for datasets and scenarios.

The store decides who may do what (`src.store.access`); these widgets only
offer what the acting user may do and show the store's refusal otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from src.i18n import format_date
from src.store import access, shares
from src.widgets import state
from src.widgets.auth import auth_configured, principal
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.store_health import error_text, render_store_error


def ask_delete(kind: str, item: str) -> None:
    """Callback of a delete button: ask for confirmation first."""
    st.session_state[state.CONFIRM] = (kind, item)


def _confirmed(delete: Callable[[], None]) -> None:
    """Callback of "yes, delete": runs before the page's widgets are drawn."""
    st.session_state.pop(state.CONFIRM, None)
    try:
        delete()
    except (ValueError, LookupError) as exc:  # a refusal or a storage fault
        st.session_state[state.CONFIRM_ERROR] = error_text(exc)


def _cancelled() -> None:
    st.session_state.pop(state.CONFIRM, None)


def render_confirm(
    kind: str,
    item: str,
    name: str,
    delete: Callable[[], None],
    *,
    message: str | None = None,
    yes: str | None = None,
) -> None:
    """The confirmation of a pending deletion of `item` (nothing otherwise).

    Args:
        kind: "dataset" or "scenario" (or "member", "claim", "readmit": any
            change to confirm first).
        item: its public id (or the member's user key, the claim).
        name: its name (shown escaped).
        delete: does the deletion (the store refuses what the user may not do).
        message: the question, if not "restorable for 30 days" (translated,
            with `name` already escaped in it).
        yes: the confirming button's label, if not "Yes, delete".
    """
    refused = st.session_state.pop(state.CONFIRM_ERROR, None)
    if refused:
        st.error(refused)  # escaped by error_text
    if st.session_state.get(state.CONFIRM) != (kind, item):
        return
    st.warning(
        message or t("confirm.delete", name=md_escape(name), days=access.RESTORE_DAYS),
        icon=":material/delete:",
    )
    left, right = st.columns(2)
    left.button(
        yes or t("confirm.yes"),
        key=state.CONFIRM_YES,
        type="primary",
        on_click=_confirmed,
        args=(delete,),
    )
    right.button(t("confirm.no"), key=state.CONFIRM_NO, on_click=_cancelled)


def _set_public(kind: str, item: str, key: str) -> None:
    """Callback of the "public" toggle: the store decides, a refusal is kept."""
    try:
        shares.set_public(kind, item, principal(), bool(st.session_state[key]))
    except (ValueError, LookupError) as exc:  # a refusal or a storage fault
        st.session_state[state.SHARE_ERROR] = error_text(exc)


def render_share(kind: str, item: str) -> None:
    """An admin's sharing of one item: with other organisations, or public.

    Both are read-only for whoever receives them. "Public" (everyone signed
    in, also users no organisation claims) is offered only with sign-in: on
    a laptop without it there is nobody else to see it.
    """
    actor = principal()
    if not actor.is_admin:
        return
    from src.store.orgs import list_orgs

    which = f"{kind}.{item}"  # a list draws one of these per item
    refused = st.session_state.pop(state.SHARE_ERROR, None)
    if refused:
        st.error(refused)  # escaped by error_text
    if auth_configured():
        key = state.item_key(state.PUBLIC_TOGGLE, which)
        st.session_state[key] = shares.is_public(kind, item, actor)
        st.toggle(
            t("share.public"),
            key=key,
            on_change=_set_public,
            args=(kind, item, key),
            help=t("share.public_help"),
        )
    others = {i: n for i, n in list_orgs() if i != actor.org}
    shared = shares.shared_with(kind, item, actor)
    if shared:
        st.caption(
            t("share.with", orgs=md_escape(", ".join(others.get(o, o) for o in shared)))
        )
    if not others:
        return
    left, mid, right = st.columns([2, 1, 1])
    org = left.selectbox(
        t("share.org"),
        list(others),
        format_func=others.get,
        key=state.item_key(state.SHARE_ORG, which),
    )
    try:
        if mid.button(t("share.share"), key=state.item_key(state.SHARE_BUTTON, which)):
            shares.share(kind, item, actor, org)
            st.rerun()
        if org in shared and right.button(
            t("share.unshare"), key=state.item_key(state.UNSHARE_BUTTON, which)
        ):
            shares.unshare(kind, item, actor, org)
            st.rerun()
    except (ValueError, LookupError) as exc:
        render_store_error(exc)


def render_deleted(kind: str) -> None:
    """An admin's list of the organisation's deleted items, with restore."""
    items = access.list_deleted(kind, principal())
    if not items:
        return
    with st.expander(t("deleted.title", n=len(items)), icon=":material/restore:"):
        for i, item in enumerate(items):
            left, right = st.columns([3, 1])
            left.markdown(
                t(
                    "deleted.item",
                    name=md_escape(item.name),
                    user=md_escape(item.deleted_by),
                    until=format_date(item.purge_after.date(), current_lang()),
                )
            )
            if right.button(
                t("deleted.restore"),
                key=state.item_key(state.RESTORE_BUTTON, f"{kind}.{i}"),
            ):
                try:
                    access.restore(kind, item.id, principal())
                except (ValueError, LookupError) as exc:
                    render_store_error(exc)
                else:
                    st.rerun()


def render_audit() -> None:
    """An admin's view of the organisation's audit trail (newest 100 rows)."""
    rows = access.audit_trail(principal(), limit=100)
    if not rows:
        return
    lang = current_lang()
    with st.expander(t("audit.title", n=len(rows)), icon=":material/history:"):
        st.dataframe(
            pd.DataFrame(
                {
                    t("audit.col.when"): [
                        f"{format_date(r.at.date(), lang)} {r.at:%H:%M} UTC"
                        for r in rows
                    ],
                    t("audit.col.who"): [r.user for r in rows],
                    t("audit.col.action"): [r.action for r in rows],
                    t("audit.col.kind"): [r.kind for r in rows],
                    t("audit.col.name"): [r.name for r in rows],
                    t("audit.col.detail"): [r.detail for r in rows],
                }
            ),
            hide_index=True,
        )
