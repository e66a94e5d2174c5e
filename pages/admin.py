"""Members and access: an organisation's members, roles and claims (admins)."""

import streamlit as st

from src.widgets import members, sharing
from src.widgets.i18n import t

st.title(t("admin.title"))
st.caption(t("admin.intro"))

if members.render_gate():
    # Members and roles
    st.header(t("admin.members"))
    members.render_members()

    # Claims that place new users in the organisation
    st.header(t("admin.claims"))
    members.render_claims()

    # Audit trail
    sharing.render_audit()
