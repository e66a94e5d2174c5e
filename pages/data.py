"""Data: import your own portfolio (IATI XML, CSV, .xlsx) and switch datasets."""

import streamlit as st

from src.widgets import imports, own_class
from src.widgets.i18n import t

st.title(t("data.title"))
st.caption(t("data.intro"))

# Template
with st.expander(t("data.template"), icon=":material/description:"):
    st.markdown(t("data.template_help"))
    imports.template_downloads()

# Upload and validation report
files = imports.upload_input()
report = imports.validated_report(files)
if report is not None:
    imports.render_report(report)
    imports.accept_form(report, default_name=files[0].name.rsplit(".", 1)[0])

# Datasets
st.header(t("data.datasets"))
imports.render_datasets()

# Own reference class
own_class.render_own_class()
