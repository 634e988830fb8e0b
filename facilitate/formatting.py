"""Dates, clock times and numbers as a reader of each language expects them.

Everything a participant or facilitator reads goes through here, so that a date looks
the same in the schedule table, the calendar file and the Word documents. The house
style is written out below, in facilitate's own tables, instead of being taken from
Babel's locale data: a new Babel (CLDR) release changed Swedish clock times and English
date ranges, and a dependency update must never change a document.

The style depends on the language and, for Swedish, on the country: Swedish in Finland
writes dates and times as Finnish does ("tis 19.1.2027", "9.00"), Swedish in Sweden as
Sweden does ("tis 19 jan. 2027", "09:00"). The other languages read the same in every
country. `country` is the cohort's ("FI", "SE", "NO"); without one, a language is
written as in the country where it is mostly used (Swedish: Finland, as our Ohjaamo
programmes are).

| language | clock | short list date | long date | range of days | number |
|---|---|---|---|---|---|
| fi | 9.00 | ti 19.1.2027 | 19. tammikuuta 2027 | 15.–19.2.2027 | 1 234,5 |
| sv (FI) | 9.00 | tis 19.1.2027 | 19 januari 2027 | 15.–19.2.2027 | 1 234,5 |
| sv (SE) | 09:00 | tis 19 jan. 2027 | 19 januari 2027 | 15–19 feb. 2027 | 1 234,5 |
| nb | 09:00 | tir. 19.1.2027 | 19. januar 2027 | 15.–19.2.2027 | 1 234,5 |
| en | 09:00 | Tue 19 Jan 2027 | 19 January 2027 | 15–19 Feb 2027 | 1,234.5 |
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, NamedTuple

NBSP: Final = "\u00a0"
DASH: Final = "–"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


class _Names(NamedTuple):
    weekdays: tuple[str, ...]  # Monday first, as date.weekday()
    weekdays_short: tuple[str, ...]
    months: tuple[str, ...]  # in a date: "19. tammikuuta", "19 januari"
    months_alone: tuple[str, ...]  # on their own: "tammikuu", "januari"
    months_short: tuple[str, ...]
    and_word: str


_NAMES: Final = {
    "fi": _Names(
        ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
        ("ma", "ti", "ke", "to", "pe", "la", "su"),
        tuple(
            f"{m}kuuta"
            for m in _words("tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu")
        ),
        tuple(
            f"{m}kuu"
            for m in _words("tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu")
        ),
        _words("tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu"),
        "ja",
    ),
    "sv": _Names(
        ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
        ("mån", "tis", "ons", "tors", "fre", "lör", "sön"),
        _words(
            "januari februari mars april maj juni juli augusti september oktober november december"
        ),
        _words(
            "januari februari mars april maj juni juli augusti september oktober november december"
        ),
        _words("jan. feb. mars apr. maj juni juli aug. sep. okt. nov. dec."),
        "och",
    ),
    "nb": _Names(
        ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
        ("man.", "tir.", "ons.", "tor.", "fre.", "lør.", "søn."),
        _words(
            "januar februar mars april mai juni juli august september oktober november desember"
        ),
        _words(
            "januar februar mars april mai juni juli august september oktober november desember"
        ),
        _words("jan. feb. mars apr. mai juni juli aug. sep. okt. nov. des."),
        "og",
    ),
    "en": _Names(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        _words(
            "January February March April May June July August September October November December"
        ),
        _words(
            "January February March April May June July August September October November December"
        ),
        _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
        "and",
    ),
}

# Where a language writes dates with numbers ("19.1.2027") rather than a month's name.
_NUMERIC: Final = {("fi", ""), ("sv", ""), ("sv", "FI"), ("nb", "")}
# Where a clock time is "9.00" rather than "09:00".
_DOTTED_CLOCK: Final = {("fi", ""), ("sv", ""), ("sv", "FI")}
# Decimal mark and thousands separator.
_NUMBER_SIGNS: Final = {"fi": (",", NBSP), "sv": (",", NBSP), "nb": (",", NBSP), "en": (".", ",")}


def _style(lang: str, country: str | None, table: set[tuple[str, str]]) -> bool:
    """Whether (lang, country) is in `table`: a country-specific entry first, then the language's."""
    key = (lang, (country or "").upper())
    if key in table:
        return True
    if lang == "sv" and key[1] == "SE":
        return False
    return (lang, "") in table


def _names(lang: str) -> _Names:
    return _NAMES[lang]


def month_name(month: int, lang: str) -> str:
    """A month on its own: 'tammikuu', 'januari', 'januar', 'January'."""
    return _names(lang).months_alone[month - 1]


def weekday_date(d: date, lang: str, country: str | None = None) -> str:
    """ti 19.1.2027 · tis 19.1.2027 (tis 19 jan. 2027 in Sweden) · tir. 19.1.2027 · Tue 19 Jan 2027"""
    return (
        f"{_names(lang).weekdays_short[d.weekday()]} {short_date(d, lang, country, numeric=True)}"
    )


def numeric_date(d: date) -> str:
    """19.1.2027, as cohort.yaml also accepts it; used in messages."""
    return f"{d.day}.{d.month}.{d.year}"


def long_date(d: date, lang: str, weekday: bool = False) -> str:
    """19. tammikuuta 2027 · 19 januari 2027 · 19. januar 2027 · 19 January 2027.

    With `weekday`: tiistai 19. tammikuuta 2027 · Tuesday, 19 January 2027.
    """
    names = _names(lang)
    day = f"{d.day}." if lang in ("fi", "nb") else str(d.day)
    text = f"{day} {names.months[d.month - 1]} {d.year}"
    if not weekday:
        return text
    return f"{names.weekdays[d.weekday()]}{',' if lang == 'en' else ''} {text}"


def short_date(d: date, lang: str, country: str | None = None, numeric: bool = False) -> str:
    """15.1.2030 · 15 jan. 2030 · 15. jan. 2030 · 15 Jan 2030: a date in a list or a line.

    With `numeric`, a language that writes dates with numbers does so ("15.1.2030").
    """
    if lang == "fi" or (numeric and _style(lang, country, _NUMERIC)):
        return numeric_date(d)
    day = f"{d.day}." if lang == "nb" else str(d.day)
    return f"{day} {_names(lang).months_short[d.month - 1]} {d.year}"


def date_range(first: date, last: date, lang: str, country: str | None = None) -> str:
    """15.–19.2.2027 · 29.3.–2.4.2027 · 15–19 Feb 2027 · 29 Mar – 2 Apr 2027: a span of days."""
    if first == last:
        return short_date(first, lang, country, numeric=True)
    if _style(lang, country, _NUMERIC):
        if first.year != last.year:
            return f"{numeric_date(first)}{DASH}{numeric_date(last)}"
        if first.month != last.month:
            return f"{first.day}.{first.month}.{DASH}{numeric_date(last)}"
        return f"{first.day}.{DASH}{numeric_date(last)}"
    months = _names(lang).months_short
    if first.year != last.year:
        return f"{short_date(first, lang)} {DASH} {short_date(last, lang)}"
    if first.month != last.month:
        return f"{first.day} {months[first.month - 1]} {DASH} {short_date(last, lang)}"
    return f"{first.day}{DASH}{short_date(last, lang)}"


def clock(t: time, lang: str, country: str | None = None) -> str:
    """9.00 in Finnish and Finland-Swedish, 09:00 in Swedish in Sweden, Norwegian and English."""
    if _style(lang, country, _DOTTED_CLOCK):
        return f"{t.hour}.{t.minute:02d}"
    return f"{t.hour:02d}:{t.minute:02d}"


def time_range(start: time, end: time, lang: str, country: str | None = None) -> str:
    """9.00–12.00 · 09:00–12:00"""
    return f"{clock(start, lang, country)}{DASH}{clock(end, lang, country)}"


def _rounded(value: float, digits: int) -> Decimal:
    """`value` to `digits` decimals, halves away from zero, as people round: 3.25 -> 3.3."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def _digits(value: Decimal, lang: str, keep_zeros: bool, grouped: bool = True) -> str:
    mark, group = _NUMBER_SIGNS[lang]
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    if not keep_zeros:
        fraction = fraction.rstrip("0")
    whole = f"{int(whole):,}".replace(",", group) if grouped else whole
    return f"{sign}{whole}{mark}{fraction}" if fraction else f"{sign}{whole}"


def number(value: float, lang: str) -> str:
    """1 234,5 · 1,234.5: at most three decimals, none written when they are zeros."""
    rounded = _rounded(value, 3)
    return _digits(rounded if rounded else Decimal(0), lang, keep_zeros=False)


def decimal(value: float, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A number with a fixed count of decimals: '3,0', '3,8'; signed: '+0,4', '-0,3'."""
    rounded = _rounded(value, digits)
    if not rounded:
        rounded = abs(rounded)  # no "-0,0"
    text = _digits(rounded, lang, keep_zeros=True, grouped=False)
    return f"+{text}" if signed and rounded >= 0 else text


def percent(value: float, lang: str) -> str:
    """A share as a whole percentage: '80 %' in Finnish, Swedish and Norwegian, '80%' in English."""
    text = _digits(_rounded(value * 100, 0), lang, keep_zeros=False)
    return f"{text}%" if lang == "en" else f"{text}{NBSP}%"


def join(items: Sequence[str], lang: str) -> str:
    """'Eva, Olle and Per' · 'Eva, Olle ja Per' · 'Eva, Olle och Per'"""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {_names(lang).and_word} {items[-1]}"
