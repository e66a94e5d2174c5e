"""Delivery simulation engine: numpy/pandas only, no UI imports."""
