"""UI pieces: with pages/ and dashboard.py, the only code that imports streamlit."""
