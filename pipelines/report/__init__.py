"""French wording, charts, slides, HTML pack, PDF and the command line's text."""
