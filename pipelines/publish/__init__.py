"""Publishing: freezing what read and report make into data/editions/ (issue 13's monthly note)."""
