"""When a source publishes, from the calendar it declares (RELEASES: the days of the year, "MM-DD", it usually
publishes a new period), and whether a file is late: a newer period should have been published by now.

A period is published at the first release day after it ends (a quarter's job seekers, a year's employment), or during
itself when its source says so (PUBLISHED_IN_PERIOD: the BMO survey of year N comes out in April of N). So when a
second release day has passed since then, a newer period was expected: the file loaded is behind.
"""

import re
from calendar import monthrange
from datetime import date, timedelta

RELEASE_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
QUARTER = re.compile(r"([0-9]{4})-T([1-4])")


def release_days(releases: list[str], first: date, last: date) -> list[date]:
    """The release days between `first` and `last` (both included), in order. A day past the end of its month
    (29 February in other years, 31 April) falls on the month's last day; anything but "MM-DD" is ignored."""
    days = []
    for release in releases or []:
        match = RELEASE_DAY.fullmatch(str(release))
        if not match:
            continue
        month, day = int(match.group(1)), int(match.group(2))
        for year in range(first.year, last.year + 1):
            moment = date(year, month, min(day, monthrange(year, month)[1]))
            if first <= moment <= last:
                days.append(moment)
    return sorted(set(days))


def next_release(releases: list[str], after: date) -> date | None:
    """The first release day on or after `after`, this year or the next; None when the source announces none."""
    days = release_days(releases, after, date(after.year + 1, 12, 31))
    return days[0] if days else None


def period_bounds(period: str) -> tuple[date, date] | None:
    """'2025-T2' -> (1 April 2025, 30 June 2025); '2024' -> the year; None for another form."""
    if match := QUARTER.fullmatch(period or ""):
        year, quarter = int(match.group(1)), int(match.group(2))
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
        return start, end
    if re.fullmatch(r"[0-9]{4}", period or ""):
        return date(int(period), 1, 1), date(int(period), 12, 31)
    return None


def late_since(releases: list[str], period: str, published_in_period: bool, today: date) -> date | None:
    """The release day by which a period newer than `period` was expected, when it is on or before `today` (the file
    loaded is behind); None when the file is as recent as the calendar says, or the source announces no day."""
    bounds = period_bounds(period)
    if bounds is None:
        return None
    after = bounds[0] if published_in_period else bounds[1] + timedelta(days=1)
    days = release_days(releases, after, today)
    return days[1] if len(days) >= 2 else None  # days[0] published `period` itself
