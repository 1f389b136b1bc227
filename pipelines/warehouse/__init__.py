"""Build: raw files → staging → marts → checks → atomic swap; the only writer of data/marts/."""
