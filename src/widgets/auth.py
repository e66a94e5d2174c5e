"""Sign-in (Streamlit's OpenID Connect, `st.login`) and the acting user.

Without an ``[auth]`` section in ``.streamlit/secrets.toml`` the app has one
local user who owns everything (`LOCAL`) and no sign-in. With one, every page
first requires sign-in; the signed-in user's organisation and role come from
the store (`src.store.orgs.principal_for`: membership, else the organisations
file's e-mail domain / groups claims).

`principal()` is the one seam through which widgets get the acting user; every
store call from the UI passes it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from src.settings import Settings
from src.store.principal import LOCAL, Principal
from src.widgets import state
from src.widgets.i18n import md_escape, t


def auth_configured() -> bool:
    """Whether ``secrets.toml`` has an ``[auth]`` section (sign-in required)."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError, ValueError):
        return False


@st.cache_resource(show_spinner=False)
def _orgs_loaded(path: str, mtime: float) -> int:
    """Load the organisations file into the store once per version of it."""
    del mtime  # part of the cache key only: an edited file is loaded again
    from src.store.orgs import load_orgs_file

    return load_orgs_file(Path(path))


def _load_orgs_file() -> None:
    path = Settings.from_env().orgs_file
    if path is None:
        return
    try:
        _orgs_loaded(str(path), path.stat().st_mtime)
    except (OSError, ValueError) as exc:
        st.error(t("auth.orgs_file_failed", reason=md_escape(str(exc))))


def _claims() -> tuple[str, str, list[str]]:
    """(user key, e-mail, groups) of the signed-in user."""
    user = st.user
    email = str(user.get("email") or "")
    key = str(user.get("sub") or email)
    groups = user.get(Settings.from_env().groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return key, email, [str(g) for g in groups]


def principal(*, fresh: bool = False) -> Principal:
    """The acting user: `LOCAL` without sign-in, else the signed-in user.

    Read from the store once per run of the app (`require_sign_in` asks
    `fresh`, one primary-key query) and kept for the rest of the run, so a
    role an admin changed, or a removal, applies from the member's next click
    on any app server. A callback (which runs before the page, with the
    previous run's principal) is checked by the store itself: every change
    re-reads the membership in its transaction (`access.require_current`).
    """
    if not auth_configured():
        return LOCAL
    if not st.user.is_logged_in:
        return Principal(user="anonymous", org=None)
    key, email, groups = _claims()
    kept = st.session_state.get(state.PRINCIPAL)
    if not fresh and kept is not None and kept[0] == key:
        return kept[1]
    from src.store.orgs import principal_for

    _load_orgs_file()
    actor = principal_for(key, email, groups)
    st.session_state[state.PRINCIPAL] = (key, actor)
    return actor


def admin_listed() -> bool:
    """Whether the menu lists the Members page: sign-in on, and an admin.

    Without sign-in there are no members to manage (the one local user is
    admin of everything), so it stays out of a laptop's menu.
    """
    return auth_configured() and principal().is_admin


def require_sign_in() -> Principal:
    """The sign-in screen until the user is signed in; then who it is.

    Without ``[auth]`` it draws nothing and returns `LOCAL`.
    """
    if not auth_configured():
        return LOCAL
    if not st.user.is_logged_in:
        st.title(t("auth.title"))
        st.markdown(t("auth.intro"))
        st.button(
            t("auth.sign_in"),
            key=state.SIGN_IN,
            type="primary",
            on_click=st.login,
            icon=":material/login:",
        )
        st.stop()
    actor = principal(fresh=True)
    render_user(actor)
    if actor.removed:
        st.warning(t("auth.removed"), icon=":material/person_off:")
    return actor


def render_user(actor: Principal) -> None:
    """Sidebar: who is signed in, organisation and role, and sign-out."""
    with st.sidebar:
        who = md_escape(actor.email or actor.user)
        if actor.org is None:
            st.caption(t("auth.signed_in_no_org", user=who))
        else:
            st.caption(
                t(
                    "auth.signed_in",
                    user=who,
                    org=md_escape(actor.org_name or actor.org),
                    role=t("auth.role." + actor.role),
                )
            )
        st.button(
            t("auth.sign_out"),
            key=state.SIGN_OUT,
            on_click=st.logout,
            icon=":material/logout:",
        )
