"""French number formats (babel: U+202F thousands separator, decimal comma).

A missing value is shown "s" when cells behind it are secret, "n.d." otherwise, never 0."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from babel.dates import format_datetime
from babel.numbers import format_decimal

LOCALE = "fr_FR"
SECRET = "s"
MISSING = "n.d."
PARIS = ZoneInfo("Europe/Paris")


def _missing_text(value, secret_cells: int) -> str | None:
    if value is None or pd.isna(value):
        return SECRET if secret_cells else MISSING
    return None


def fmt_int(value, secret_cells: int = 0) -> str:
    """35276 -> '35 276' (narrow no-break space)."""
    return _missing_text(value, secret_cells) or format_decimal(round(value), locale=LOCALE)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The word for `count` things: French puts 0 and 1 in the singular ('1 ligne', '0 ligne', '2 lignes')."""
    return singular if count is not None and abs(count) < 2 else plural_form or singular + "s"


def fmt_count(count: int, singular: str, plural_form: str | None = None) -> str:
    """1 -> '1 fichier', 12345 -> '12 345 fichiers'."""
    return f"{fmt_int(count)} {plural(count, singular, plural_form)}"


# Sizes in SI units, as the file managers of Windows and macOS in French write them: 1 ko = 1 000 octets,
# 1 Mo = 10^6 octets ("ko": the SI prefix kilo is a lower-case k). One convention for every message.
SIZE_UNITS = ("ko", "Mo", "Go", "To")


def fmt_size(size: int) -> str:
    """A size in bytes, in French: 850 -> '850 octets', 12_345_678 -> '12,3 Mo', 256 * 1024 * 1024 -> '268,4 Mo'
    (one decimal at most, none when it is 0)."""
    if abs(size) < 1000:
        return fmt_count(size, "octet")
    value = float(size)
    for unit in SIZE_UNITS:
        value /= 1000
        if round(abs(value), 1) < 1000 or unit == SIZE_UNITS[-1]:
            return f"{format_decimal(round(value, 1), format='#,##0.#', locale=LOCALE)} {unit}"
    raise AssertionError("unreachable")


def fmt_pct(share, secret_cells: int = 0, digits: int = 1) -> str:
    """0.603 -> '60,3 %'."""
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return _missing_text(share, secret_cells) or format_decimal(share * 100, format=pattern, locale=LOCALE) + "\u202f%"


def fmt_decimal(value, digits: int = 1) -> str:
    """3.75 -> '3,8'; missing -> 'n.d.'."""
    return _missing_text(value, 0) or format_decimal(value, format="0." + "0" * digits, locale=LOCALE)


def fmt_change(change, digits: int = 1) -> str:
    """0.032 -> '+3,2 %', -0.05 -> '−5,0 %' (true minus sign)."""
    if change is None or pd.isna(change):
        return MISSING
    text = fmt_pct(abs(change), digits=digits)
    if round(change * 100, digits) == 0:
        return text
    return ("+" if change > 0 else "\u2212") + text


def lower_first(text: str) -> str:
    """'Bassin d'emploi BMO' -> "bassin d'emploi BMO", after a colon (French typography: no capital there); an
    acronym keeps its capitals ('DPAE de…', 'CVS')."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def period_text(period: str) -> str:
    """A file's period as the manifest records it, in French: '2023-T1/2024-T4' -> 'T1 2023 à T4 2024',
    '2024T1' -> 'T1 2024', '2000-01/2023-09' -> 'janvier 2000 à septembre 2023'; other forms ('2024', 'rome-v3')
    as they are."""
    def one(part: str) -> str:
        if match := re.fullmatch(r"([0-9]{4})-?T([1-4])", part):
            return f"T{match.group(2)} {match.group(1)}"
        if match := re.fullmatch(r"([0-9]{4})-([0-9]{2})", part):
            return f"{MONTHS[int(match.group(2)) - 1]} {match.group(1)}"
        return part
    return " à ".join(one(part) for part in str(period).split("/"))


def fmt_date(moment: datetime | str) -> str:
    """'5 déc. 2026' (a date of the manifest, ISO text or datetime, said in Paris)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(moment.astimezone(PARIS), "d MMM y", locale=LOCALE)


def fmt_datetime(moment: datetime) -> str:
    """'5 décembre 2026 à 10 h 34', in Paris time (a naive moment is taken as UTC, as the project stores them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return format_datetime(moment.astimezone(PARIS), "d MMMM y 'à' H 'h' mm", locale=LOCALE)


# Small words kept in lower case when a name published in capitals is shown ("LA ROCHE SUR YON").
LOWER_WORDS = {"de", "du", "des", "la", "le", "les", "sur", "sous", "en", "et", "aux", "au", "lès", "lez"}


def display_name(name: str) -> str:
    """'SAINT MALO' -> 'Saint Malo', 'LA ROCHE SUR YON' -> 'La Roche sur Yon'; names in mixed case stay."""
    if name != name.upper():
        return name
    words = re.split(r"(\s+|-|')", name.lower())
    shown = []
    for i, word in enumerate(words):
        shown.append(word if (i and word in LOWER_WORDS) else word[:1].upper() + word[1:])
    return "".join(shown)
