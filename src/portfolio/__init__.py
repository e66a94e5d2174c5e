"""Portfolio data layer: pandas only, no UI imports."""
