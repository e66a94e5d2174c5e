"""The embedded store: imported datasets and saved scenarios (SQLAlchemy, no UI)."""
