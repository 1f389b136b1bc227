"""The figures of a territory's monthly note, read from the marts: numbers, periods, codes, no wording.

STUB (issue 13 in progress): note_figures is being written; figures_json is final.
"""

import json


def note_figures(con, territory_type: str, territory_code: str, month: str) -> dict:
    raise NotImplementedError


def figures_json(figures: dict) -> bytes:
    """The figures as frozen in an edition: the same figures give the same bytes."""
    return (json.dumps(figures, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
