"""UI pieces: the only package besides pages/ and dashboard.py that imports streamlit."""
