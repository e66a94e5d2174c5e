"""The Members page's pieces: members and roles, and the claims that place users.

The store decides (`src.store.members`: admins only, the organisations file
wins over the page); these widgets draw what it returns and its refusals.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_date
from src.store import members
from src.store.principal import ROLES
from src.widgets import sharing, state
from src.widgets.auth import auth_configured, principal
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.store_health import error_text


def render_gate() -> bool:
    """Whether the user may manage members; otherwise a notice saying why.

    Without sign-in there are no members (one local user); a signed-in user
    who is not an admin gets the store's own refusal.
    """
    if not auth_configured():
        st.info(t("admin.no_sign_in"), icon=":material/lock:")
        return False
    try:
        members.list_members(principal())
    except (ValueError, LookupError) as exc:  # a refusal or a storage fault
        st.info(error_text(exc), icon=":material/lock:")
        return False
    return True


def _said(section: str) -> None:
    """The last change's confirmation or refusal in `section`, shown once."""
    kept = st.session_state.get(state.ADMIN_NOTICE)
    if not kept or kept[0] != section:
        return
    del st.session_state[state.ADMIN_NOTICE]
    _, ok, text = kept
    if ok:
        st.success(text)
    else:
        st.error(text)  # escaped by error_text


def _run(section: str, change, done: str) -> None:  # noqa: ANN001 - a callable
    """Do a store change in a callback; keep its confirmation or refusal."""
    try:
        change()
    except (ValueError, LookupError) as exc:
        st.session_state[state.ADMIN_NOTICE] = (section, False, error_text(exc))
    else:
        st.session_state[state.ADMIN_NOTICE] = (section, True, done)


def _set_role(emails: dict[str, str]) -> None:
    user = st.session_state.get(state.ADMIN_MEMBER)
    role = st.session_state.get(state.ADMIN_ROLE)
    if user is None or role is None:
        return
    who = md_escape(emails.get(user, user))
    done = t("admin.role_set", user=who, role=t("auth.role." + role))
    _run("members", lambda: members.set_role(principal(), user, role), done)


def _remove_member(user: str, who: str, _role: str) -> None:
    """The confirmed removal (`sharing.render_confirm`'s "yes")."""
    done = t("admin.member_removed", user=md_escape(who))
    _run("members", lambda: members.remove_member(principal(), user), done)


def _ask(kind: str, picker: str) -> None:
    """Callback of "remove" / "re-admit": ask to confirm for the picked member."""
    user = st.session_state.get(picker)
    if user is not None:
        sharing.ask_delete(kind, user)


def _readmit_member(user: str, who: str, role: str) -> None:
    """The confirmed re-admission (`sharing.render_confirm`'s "yes")."""
    done = t("admin.member_readmitted", user=md_escape(who), role=_role_label(role))
    _run("members", lambda: members.readmit_member(principal(), user), done)


def _role_label(role: str) -> str:
    return t("auth.role." + role)


def render_members() -> None:
    """The organisation's members with their roles, and changing one's role."""
    actor = principal()
    _said("members")
    try:
        rows = members.list_members(actor)
    except (ValueError, LookupError) as exc:
        st.error(error_text(exc))
        return
    st.caption(t("admin.members_intro", n=len(rows)))
    _member_table(rows, removed=False)
    others = {m.user: m for m in rows if m.user != actor.user}
    if others:
        _member_actions(others)
    else:
        st.caption(t("admin.only_you"))
    _removed_members()


def _member_table(rows: list[members.Member], *, removed: bool) -> None:
    """Members (or removed members) with their role and since (or removal) date."""
    lang = current_lang()
    when = [(m.removed or m.since) if removed else m.since for m in rows]
    st.dataframe(
        pd.DataFrame(
            {
                t("admin.col.email"): [m.email for m in rows],
                t("admin.col.user"): [m.user for m in rows],
                t("admin.col.role"): [_role_label(m.role) for m in rows],
                t("admin.col.removed" if removed else "admin.col.since"): [
                    format_date(w.date(), lang) for w in when
                ],
            }
        ),
        hide_index=True,
    )


def _member_label(m: members.Member) -> str:
    """A member as a picker shows them: e-mail (role)."""
    return f"{m.email or m.user} ({_role_label(m.role)})"


def _member_actions(others: dict[str, members.Member]) -> None:
    """Changing a member's role, and removing one (asked first)."""
    left, mid, right = st.columns([2, 1, 1], vertical_alignment="bottom")
    left.selectbox(
        t("admin.member"),
        list(others),
        format_func=lambda u: _member_label(others[u]),
        key=state.ADMIN_MEMBER,
    )
    mid.selectbox(
        t("admin.col.role"), ROLES, format_func=_role_label, key=state.ADMIN_ROLE
    )
    right.button(
        t("admin.set_role"),
        key=state.ADMIN_SET_ROLE,
        on_click=_set_role,
        args=({u: m.email or u for u, m in others.items()},),
    )
    _confirmed_change(
        st,
        "member",
        others,
        button=(state.ADMIN_REMOVE_MEMBER, "admin.remove_member", "person_remove"),
        picker=state.ADMIN_MEMBER,
        act=_remove_member,
        ask=("confirm.remove_member", "confirm.remove"),
    )


def _confirmed_change(
    where,  # noqa: ANN001 - st or a column
    kind: str,
    by_user: dict[str, members.Member],
    *,
    button: tuple[str, str, str],
    picker: str,
    act,  # noqa: ANN001 - (user, who, role) -> None
    ask: tuple[str, str],
) -> None:
    """A member change's button, and its confirmation once asked.

    Args:
        where: the container to draw the button in.
        kind: what `sharing.render_confirm` waits for ("member", "readmit").
        by_user: the members it may apply to, by user key.
        button: (widget key, label key, material icon name).
        picker: the key of the select box naming the member.
        act: does the change, on "yes".
        ask: (question key, "yes" label key); the question gets name, role.
    """
    key, label, icon = button
    where.button(
        t(label), key=key, icon=f":material/{icon}:", on_click=_ask, args=(kind, picker)
    )
    for user, m in by_user.items():  # draws only the one awaiting confirmation
        who = m.email or user
        sharing.render_confirm(
            kind,
            user,
            who,
            lambda u=user, w=who, r=m.role: act(u, w, r),
            message=t(ask[0], name=md_escape(who), role=_role_label(m.role)),
            yes=t(ask[1]),
        )


def _removed_members() -> None:
    """The organisation's removed members, and re-admitting one (asked first)."""
    try:
        gone = members.list_removed(principal())
    except (ValueError, LookupError) as exc:
        st.error(error_text(exc))
        return
    if not gone:
        return
    st.subheader(t("admin.removed"))
    st.caption(t("admin.removed_intro", n=len(gone)))
    _member_table(gone, removed=True)
    by_user = {m.user: m for m in gone}
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(
        t("admin.removed_pick"),
        list(by_user),
        format_func=lambda u: _member_label(by_user[u]),
        key=state.ADMIN_REMOVED_PICK,
    )
    _confirmed_change(
        right,
        "readmit",
        by_user,
        button=(state.ADMIN_READMIT, "admin.readmit", "person_add"),
        picker=state.ADMIN_REMOVED_PICK,
        act=_readmit_member,
        ask=("confirm.readmit_member", "confirm.readmit"),
    )


def _add_claim() -> None:
    kind = st.session_state.get(state.ADMIN_CLAIM_KIND, "domain")
    value = st.session_state.get(state.ADMIN_CLAIM_VALUE, "")
    role = st.session_state.get(state.ADMIN_CLAIM_ROLE, "viewer")

    def add() -> None:
        members.add_claim(principal(), kind, value, role)
        st.session_state[state.ADMIN_CLAIM_VALUE] = ""

    _run("claims", add, t("admin.claim_added", value=md_escape(value.strip())))


def _ask_remove_claim() -> None:
    claim = st.session_state.get(state.ADMIN_CLAIM_PICK)
    if claim is not None:
        sharing.ask_delete("claim", claim)


def _remove_claim(claim: str) -> None:
    """The confirmed removal (`sharing.render_confirm`'s "yes")."""
    done = t("admin.claim_removed", value=md_escape(claim))
    _run("claims", lambda: members.remove_claim(principal(), claim), done)


def render_claims() -> None:
    """The claims that place new users here: the file's (read-only) and added ones."""
    try:
        claims = members.list_claims(principal())
    except (ValueError, LookupError) as exc:
        st.error(error_text(exc))
        return
    st.caption(t("admin.claims_intro"))
    _said("claims")
    st.dataframe(
        pd.DataFrame(
            {
                t("admin.col.kind"): [t("admin.kind." + c.kind) for c in claims],
                t("admin.col.value"): [c.value for c in claims],
                t("admin.col.role"): [_role_label(c.role) for c in claims],
                t("admin.col.source"): [
                    t("admin.source.file" if c.from_file else "admin.source.page")
                    for c in claims
                ],
            }
        ),
        hide_index=True,
    )
    kind, value, role, add = st.columns([1, 2, 1, 1], vertical_alignment="bottom")
    kind.selectbox(
        t("admin.col.kind"),
        members.CLAIM_KINDS,
        format_func=lambda k: t("admin.kind." + k),
        key=state.ADMIN_CLAIM_KIND,
    )
    value.text_input(
        t("admin.col.value"), key=state.ADMIN_CLAIM_VALUE, max_chars=members.MAX_CLAIM
    )
    role.selectbox(
        t("admin.col.role"), ROLES, format_func=_role_label, key=state.ADMIN_CLAIM_ROLE
    )
    add.button(t("admin.claim_add"), key=state.ADMIN_CLAIM_ADD, on_click=_add_claim)
    added = {c.claim: c for c in claims if not c.from_file}
    if not added:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(
        t("admin.claim_pick"),
        list(added),
        format_func=lambda c: f"{t('admin.kind.' + added[c].kind)}: {added[c].value}",
        key=state.ADMIN_CLAIM_PICK,
    )
    right.button(
        t("admin.claim_remove"),
        key=state.ADMIN_CLAIM_REMOVE,
        on_click=_ask_remove_claim,
    )
    for claim, c in added.items():  # draws only the one awaiting confirmation
        shown = f"{t('admin.kind.' + c.kind)}: {c.value}"
        sharing.render_confirm(
            "claim",
            claim,
            shown,
            lambda k=claim: _remove_claim(k),
            message=t("confirm.remove_claim", name=md_escape(shown)),
            yes=t("confirm.remove"),
        )
