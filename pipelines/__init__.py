"""Zoom secteurs pipelines: raw publisher files → DuckDB marts (see the layers in README)."""
