"""Dates, clock times and numbers as a reader of each language expects them (via Babel).

Everything a participant or facilitator reads goes through here, so that a date looks
the same in the schedule table, the calendar file and the Word documents. Babel is
imported inside the functions: `facilitate --help` must not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from .i18n import LOCALES

# Weekday and date as written in short lists ("ti 19.1.2027", "Tue 19 Jan 2027").
_WEEKDAY_DATE = {"fi": "EEE d.M.y", "sv": "EEE d.M.y", "nb": "EEE d.M.y", "en": "EEE d MMM y"}


def locale(lang: str) -> str:
    """The Babel locale for one of our languages ("fi" -> "fi_FI")."""
    return LOCALES[lang]


def weekday_date(d: date, lang: str) -> str:
    """ti 19.1.2027 · tis 19.1.2027 · tir. 19.1.2027 · Tue 19 Jan 2027"""
    from babel.dates import format_date

    return format_date(d, _WEEKDAY_DATE[lang], locale=locale(lang))


def numeric_date(d: date) -> str:
    """19.1.2027, as cohort.yaml also accepts it; used in messages."""
    return f"{d.day}.{d.month}.{d.year}"


def long_date(d: date, lang: str, weekday: bool = False) -> str:
    """19. tammikuuta 2027 · 19 januari 2027 · 19. januar 2027 · 19 January 2027.

    With `weekday`: tiistai 19. tammikuuta 2027 · Tuesday, 19 January 2027.
    """
    from babel.dates import format_date

    return format_date(d, "full" if weekday else "long", locale=locale(lang))


def date_range(first: date, last: date, lang: str) -> str:
    """15.–19.2.2027 · 29.3.–2.4.2027 · 15–19 Feb 2027: a span of days."""
    if lang == "en":
        from babel.dates import format_interval

        return format_interval(first, last, "yMMMd", locale=locale(lang))
    if first == last:
        return numeric_date(first)
    if first.year != last.year:
        return f"{numeric_date(first)}–{numeric_date(last)}"
    if first.month != last.month:
        return f"{first.day}.{first.month}.–{numeric_date(last)}"
    return f"{first.day}.–{numeric_date(last)}"


def clock(t: time, lang: str) -> str:
    """9.00 in Finnish, 09:00 in Swedish, Norwegian and English (CLDR's short times)."""
    from babel.dates import format_time

    return format_time(t, "short", locale=locale(lang))


def time_range(start: time, end: time, lang: str) -> str:
    """9.00–12.00 · 09:00–12:00"""
    return f"{clock(start, lang)}–{clock(end, lang)}"


def number(value: float, lang: str) -> str:
    """1 234,5 · 1,234.5"""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=locale(lang))


def join(items: Sequence[str], lang: str) -> str:
    """'Eva, Olle and Per' · 'Eva, Olle ja Per' · 'Eva, Olle och Per'"""
    from babel.lists import format_list

    return format_list(list(items), locale=locale(lang))


def percent(value: float, lang: str) -> str:
    """A share as a percentage: '80 %' in Finnish, '80%' in English."""
    from babel.numbers import format_percent

    return format_percent(value, locale=locale(lang))


def short_date(d: date, lang: str) -> str:
    """15.1.2030 · 15 jan. 2030 · 15. jan. 2030 · 15 Jan 2030: a date in a list or a line."""
    from babel.dates import format_date

    return format_date(d, "medium", locale=locale(lang))


def decimal(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A number with a fixed count of decimals: '3,0', '3,8'; signed: '+0,4', '-0,3'."""
    from babel.numbers import format_decimal

    pattern = "0." + "0" * digits if digits else "0"
    if signed:
        pattern = f"+{pattern};-{pattern}"
    return format_decimal(value, pattern, locale=locale(lang))
