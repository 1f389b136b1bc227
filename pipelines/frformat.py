"""French number formats (babel: U+202F thousands separator, decimal comma). "s" = secret, "n.d." = missing."""

import math

from babel.numbers import format_decimal

LOCALE = "fr_FR"
SECRET = "s"
MISSING = "n.d."


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is _NA


try:
    from pandas import NA as _NA
except ImportError:  # pragma: no cover
    _NA = object()


def fmt_int(value, secret: bool = False) -> str:
    """35276 -> '35 276' (narrow no-break space)."""
    if secret:
        return SECRET
    if _missing(value):
        return MISSING
    return format_decimal(round(value), locale=LOCALE)


def fmt_pct(share, secret: bool = False, digits: int = 1) -> str:
    """0.603 -> '60,3 %'."""
    if secret:
        return SECRET
    if _missing(share):
        return MISSING
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(share * 100, format=pattern, locale=LOCALE) + "\u202f%"


def fmt_change(change, digits: int = 1) -> str:
    """0.032 -> '+3,2 %', -0.05 -> '−5,0 %' (true minus sign)."""
    if _missing(change):
        return MISSING
    text = fmt_pct(abs(change), digits=digits)
    if round(change * 100, digits) == 0:
        return text
    return ("+" if change > 0 else "\u2212") + text
