"""Fetch and import: the only code that writes data/raw/."""
