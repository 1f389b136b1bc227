"""The one place that opens the marts (read-only): numbers and reasons, no wording."""
