"""The release calendar's arithmetic (report/release_calendar.py): next release, period bounds, and when a loaded
file is late, at the edges (the release day itself, a year's turn, a survey published during its own year)."""

from datetime import date

import pytest

from pipelines.report.release_calendar import late_since, next_release, period_bounds, release_days

QUARTERLY = ["01-27", "04-27", "07-27", "10-27"]


def test_release_days_are_in_order_and_clip_to_the_month():
    assert release_days(["02-29", "04-31", "nonsense", "13-01"], date(2025, 1, 1), date(2026, 12, 31)) == \
        [date(2025, 2, 28), date(2025, 4, 30), date(2026, 2, 28), date(2026, 4, 30)]
    assert release_days([], date(2025, 1, 1), date(2030, 1, 1)) == []


@pytest.mark.parametrize("after, expected", [
    (date(2026, 12, 1), date(2027, 1, 27)), (date(2026, 10, 27), date(2026, 10, 27)),
    (date(2026, 10, 28), date(2027, 1, 27))])
def test_next_release(after, expected):
    assert next_release(QUARTERLY, after) == expected
    assert next_release([], after) is None


def test_period_bounds():
    assert period_bounds("2025-T4") == (date(2025, 10, 1), date(2025, 12, 31))
    assert period_bounds("2025-T1") == (date(2025, 1, 1), date(2025, 3, 31))
    assert period_bounds("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_bounds("rome-v3") is None


@pytest.mark.parametrize("period, today, expected", [
    ("2026-T3", date(2026, 12, 1), None),  # published 27 October: the newest there is
    ("2026-T2", date(2026, 10, 26), None),  # T3 is not due before 27 October
    ("2026-T2", date(2026, 10, 27), date(2026, 10, 27)),  # due that very day
    ("2024-T4", date(2026, 12, 1), date(2025, 4, 27)),  # published 27 January 2025, T1 2025 due 27 April 2025
])
def test_a_quarterly_file_is_late_once_the_next_quarter_was_due(period, today, expected):
    assert late_since(QUARTERLY, period, False, today) == expected


def test_a_survey_published_during_its_year():
    # BMO: the survey of 2026 comes out on 15 April 2026; the 2025 one is late from that day.
    assert late_since(["04-15"], "2026", True, date(2026, 12, 1)) is None
    assert late_since(["04-15"], "2025", True, date(2026, 4, 14)) is None
    assert late_since(["04-15"], "2025", True, date(2026, 4, 15)) == date(2026, 4, 15)
    # A year's employment is published the June after it: 2024 is late once June 2026 has passed.
    assert late_since(["06-30"], "2025", False, date(2026, 12, 1)) is None
    assert late_since(["06-30"], "2024", False, date(2026, 12, 1)) == date(2026, 6, 30)


def test_no_calendar_never_says_late():
    assert late_since([], "2019", False, date(2026, 12, 1)) is None
    assert late_since(QUARTERLY, "not a period", False, date(2026, 12, 1)) is None
