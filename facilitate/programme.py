"""The programme format: programmes, sessions, agenda blocks, questionnaires, rules.

Models are pydantic v2, strict about unknown keys. The flexible values a facilitator
writes by hand (localized text, "1.5-2 h", "3-5", "1 month") are parsed by small
types here with plain-language messages; the loader (`loader.py`) maps any error back
to the file and line. Checks that span several fields live in `cross_check`.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    PlainValidator,
    Tag,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError, core_schema

from .i18n import LANGUAGES, t

Lang = Literal["fi", "sv", "nb", "en"]
ProgrammeKind = Literal[
    "team-coaching",
    "leadership-coaching",
    "peer-mentoring-group",
    "pair-mentoring",
    "leadership-support",
    "co-development",
]
Delivery = Literal["on-site", "teams", "hybrid"]
SessionKind = Literal[
    "needs-assessment",
    "kick-off",
    "module",
    "meeting",
    "pair-meeting",
    "seminar",
    "sparring",
    "follow-up",
]
# What a session kind is called in each language, as a programme may write it in its
# `kind:` (hyphens for spaces); accepted in the programme's own languages.
KIND_NAMES: dict[str, dict[str, str]] = {
    "fi": {
        "tarvekartoitus": "needs-assessment", "aloitus": "kick-off",
        "aloitustilaisuus": "kick-off", "moduuli": "module", "tapaaminen": "meeting",
        "paritapaaminen": "pair-meeting", "mentorointitapaaminen": "pair-meeting",
        "seminaari": "seminar", "sparraus": "sparring", "seuranta": "follow-up",
        "seurantakäynti": "follow-up",
    },
    "sv": {
        "behovskartläggning": "needs-assessment", "uppstart": "kick-off",
        "startträff": "kick-off", "modul": "module", "träff": "meeting", "möte": "meeting",
        "parmöte": "pair-meeting", "mentorsmöte": "pair-meeting", "seminarium": "seminar",
        "sparrning": "sparring", "uppföljning": "follow-up", "uppföljningsbesök": "follow-up",
    },
    "nb": {
        "behovskartlegging": "needs-assessment", "oppstart": "kick-off", "modul": "module",
        "samling": "meeting", "møte": "meeting", "parmøte": "pair-meeting",
        "mentormøte": "pair-meeting", "seminar": "seminar", "sparring": "sparring",
        "oppfølging": "follow-up", "oppfølgingsbesøk": "follow-up",
    },
    "en": {
        "needs-analysis": "needs-assessment", "kickoff": "kick-off", "start-up": "kick-off",
        "pair": "pair-meeting", "mentoring-meeting": "pair-meeting", "followup": "follow-up",
    },
}  # fmt: skip
# Words for a session that name no kind, and the kinds they most likely mean: a
# "gathering" is a module or a meeting whatever it is called.
KIND_MEANINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        (
            "gathering", "samling", "samlingar", "kokoontuminen", "träff", "treff", "workshop",
            "työpaja", "verkstad", "verksted", "course", "kurs", "kurssi", "training",
            "koulutus", "utbildning", "opplæring", "lesson", "class", "day", "päivä", "dag",
            "session", "sessio", "tilaisuus", "tillfälle", "økt", "coaching", "valmennus",
            "coachning", "veiledning", "handledning", "työnohjaus", "supervision", "webinar",
            "webinaari", "webbinarium", "group", "ryhmä", "grupp", "gruppe", "group-meeting",
            "ryhmätapaaminen", "gruppmöte", "gruppemøte",
        ),
        ("module", "meeting"),
    ),
    **dict.fromkeys(
        (
            "opening", "start", "launch", "introduction", "intro", "avaus", "startseminar",
            "startseminarium", "aloitusseminaari",
        ),
        ("kick-off",),
    ),
    **dict.fromkeys(
        (
            "final", "closing", "conclusion", "midterm", "mid-term", "halfway", "conference",
            "päätös", "päätöstilaisuus", "loppuseminaari", "välitapaaminen", "avslutning",
            "avslutting", "slutseminarium", "sluttseminar", "halvtid", "konferens",
            "konferanse", "konferenssi",
        ),
        ("seminar",),
    ),
    **dict.fromkeys(
        (
            "mentoring", "mentorointi", "mentorsamtal", "mentorsamtale", "one-to-one",
            "pari", "par", "pairs", "mentorskap",
        ),
        ("pair-meeting",),
    ),
    **dict.fromkeys(
        ("visit", "käynti", "besök", "besøk", "evaluation", "arviointi", "utvärdering"),
        ("follow-up",),
    ),
    **dict.fromkeys(
        ("survey", "kartoitus", "kartläggning", "kartlegging", "assessment", "needs"),
        ("needs-assessment",),
    ),
}  # fmt: skip
QuestionnaireKind = Literal["meter", "feedback", "evaluation"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri"]
# The kinds a bare session number ("3") refers to, in order of preference.
NUMBERED_KINDS: tuple[str, ...] = ("module", "meeting", "pair-meeting", "seminar")
SCALE_PRESETS: dict[str, tuple[int, int]] = {"agree-5": (1, 5), "quality-5": (1, 5)}
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")


def _fail(message: str, key: str | None = None) -> PydanticCustomError:
    """A facilitate message; `key` names the key inside the value that is wrong, so that
    the loader can point at its line rather than the value's first."""
    return PydanticCustomError("facilitate", message, {"key": key} if key is not None else None)


def describe(value: Any) -> str:
    """How a wrong value is shown in a message: `'ten'`, `a list`, `a mapping`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if value else "an empty text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# Codes people write for our languages that are not the ISO 639-1 ones we use.
_LANGUAGE_HINTS = {
    "se": "sv",
    "sw": "sv",
    "swe": "sv",
    "no": "nb",
    "nn": "nb",
    "nor": "nb",
    "fin": "fi",
    "eng": "en",
    "gb": "en",
    "uk": "en",
}


def language_hint(code: str) -> str:
    """' (did you mean 'sv'?)' for a code people write for one of our languages."""
    if code in _LANGUAGE_HINTS:
        return f" (did you mean '{_LANGUAGE_HINTS[code]}'?)"
    return did_you_mean(code, LANGUAGES)


class Text:
    """Localized text: one text for every language, or one per language code."""

    __slots__ = ("neutral", "values")

    def __init__(self, values: dict[str, str] | None = None, neutral: str | None = None) -> None:
        self.values = values or {}
        self.neutral = neutral

    def get(self, lang: str, fallback: list[str] | tuple[str, ...] = ()) -> str:
        """The text in `lang`, else in the first fallback language that has it."""
        if self.neutral is not None:
            return self.neutral
        for code in (lang, *fallback):
            if code in self.values:
                return self.values[code]
        return next(iter(self.values.values()), "")

    def has(self, lang: str) -> bool:
        return self.neutral is not None or lang in self.values

    def __repr__(self) -> str:
        return f"Text({self.neutral!r})" if self.neutral is not None else f"Text({self.values!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Text)
            and self.values == other.values
            and self.neutral == other.neutral
        )

    def __hash__(self) -> int:
        return hash((self.neutral, tuple(sorted(self.values.items()))))

    @classmethod
    def parse(cls, value: Any) -> Text:
        if isinstance(value, Text):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str):
            if not value.strip():
                raise _fail("must not be empty")
            return cls(neutral=value)
        if isinstance(value, dict):
            if not value:
                raise _fail(
                    "must not be empty; give the text, or one per language (fi: ..., sv: ...)"
                )
            texts: dict[str, str] = {}
            for code, text in value.items():
                if code not in LANGUAGES:
                    raise _fail(
                        f"unknown language '{code}'{language_hint(str(code))}; "
                        "languages are fi, sv, nb and en",
                        key=str(code),
                    )
                if isinstance(text, (int, float)) and not isinstance(text, bool):
                    text = str(text)
                if not isinstance(text, str) or not text.strip():
                    raise _fail(
                        f"the '{code}' text must be text, got {describe(text)}", key=str(code)
                    )
                texts[code] = text
            return cls(values=texts)
        raise _fail(
            f"must be text, or one text per language (fi: ..., sv: ...), got {describe(value)}"
        )

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(cls.parse)


@dataclass(frozen=True)
class Range:
    """A whole-number range; `high` None means "at least `low`"."""

    low: int
    high: int | None

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low}+"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"

    def contains(self, n: int) -> bool:
        return n >= self.low and (self.high is None or n <= self.high)


_RANGE = re.compile(r"^\s*(\d+)\s*(?:([-–—]|\.\.)\s*(\d+)|(\+))?\s*$")


def _parse_count(value: Any) -> Range:
    if isinstance(value, Range):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise _fail(f"must be at least 1, got {value}")
        return Range(value, value)
    if isinstance(value, str) and (m := _RANGE.match(value)):
        low = int(m.group(1))
        high = None if m.group(4) else int(m.group(3) or low)
        if low < 1:
            raise _fail(f"must be at least 1, got {value!r}")
        if high is not None and high < low:
            raise _fail(f"the range {value!r} runs backwards; write the smaller number first")
        return Range(low, high)
    raise _fail(f"must be a count such as 5, '3-5' or '3+' (at least 3), got {describe(value)}")


Count = Annotated[Range, BeforeValidator(_parse_count)]

_NUM = r"(\d+(?:[.,]\d+)?)"
_DAY_UNITS = r"days?|päivä|päivää|pv|dag|dagar|dager"
_DURATION = re.compile(
    rf"^\s*{_NUM}\s*(?:[-–—]\s*{_NUM}\s*)?(h|hours?|t|tuntia?|tim(?:mar)?|timer?|min|minutes?|minuuttia?|minuter|{_DAY_UNITS})\s*$",
    re.IGNORECASE,
)
# A session of "1 day" lasts a working day: its agenda may take 6 to 7 hours, and
# without an agenda it runs 7 hours (09:00–16:00 with lunch).
DAY_MINUTES = (360, 420)


def _parse_duration(value: Any) -> Range:
    """Session length in minutes: 180, '3 h', '3-4 h', '1.5–2 h', '90 min'."""
    if isinstance(value, Range):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise _fail(f"must be a positive number of minutes, got {value}")
        return Range(value, value)
    if isinstance(value, str) and (m := _DURATION.match(value)):
        unit = m.group(3).lower()
        first = float(m.group(1).replace(",", "."))
        last = float((m.group(2) or m.group(1)).replace(",", "."))
        if re.fullmatch(_DAY_UNITS, unit):
            if last > 1:
                raise _fail(
                    f"a session lasts at most one day, got {value!r}; "
                    "write one session per day (a repeated session with count: 2, say)"
                )
            low, high = first * DAY_MINUTES[0], last * DAY_MINUTES[1]
        else:
            factor = 1 if unit.startswith("min") else 60
            low, high = first * factor, last * factor
        if low != int(low) or high != int(high):
            raise _fail(f"must come to whole minutes, got {value!r}")
        if high < low:
            raise _fail(f"the range {value!r} runs backwards; write the shorter length first")
        if low < 1:
            raise _fail(f"must be a positive length, got {value!r}")
        return Range(int(low), int(high))
    raise _fail(
        f"must be minutes (90) or a length such as '3 h', '1.5-2 h', '90 min' or '1 day', got {describe(value)}"
    )


Minutes = Annotated[Range, BeforeValidator(_parse_duration)]


def _parse_minutes(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        raise _fail(f"must be a positive whole number of minutes, got {value}")
    length = _try(_parse_duration, value) if isinstance(value, str) else None
    hint = f" (write {length.low})" if length is not None and length.high == length.low else ""
    raise _fail(f"must be a whole number of minutes, got {describe(value)}{hint}")


BlockMinutes = Annotated[int, BeforeValidator(_parse_minutes)]


@dataclass(frozen=True)
class Span:
    """A length of calendar time: '1 month', '2 weeks', '4-6 months'."""

    low: int
    high: int
    unit: Literal["days", "weeks", "months"]

    def days(self) -> int:
        return self.low * {"days": 1, "weeks": 7, "months": 30}[self.unit]

    def text(self, lang: str) -> str:
        """'6 months', '4–6 kuukautta' in the language's words."""
        amount = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        if self.low == self.high == 1:
            return f"1 {t(lang, f'unit.{self.unit[:-1]}')}"
        return f"{amount} {t(lang, f'unit.{self.unit}')}"

    def every(self, lang: str) -> str:
        """As an interval: 'about every 5 weeks', 'noin kuukauden välein'."""
        if self.low == self.high == 1:
            return t(lang, f"interval.{self.unit}.one")
        amount = str(self.low) if self.low == self.high else f"{self.low}–{self.high}"
        return t(lang, f"interval.{self.unit}.many", n=amount)


_SPAN = re.compile(r"^\s*(\d+)\s*(?:[-–—]\s*(\d+)\s*)?(\w+)\.?\s*$", re.IGNORECASE)
# The words for days, weeks and months in our languages, singular and plural (and the
# forms Finnish uses after a number), with the usual abbreviations.
SPAN_UNITS: dict[str, Literal["days", "weeks", "months"]] = {
    **dict.fromkeys(("day", "days", "päivä", "päivää", "pv", "dag", "dagar", "dager", "d"), "days"),
    **dict.fromkeys(
        ("week", "weeks", "wk", "viikko", "viikkoa", "vk", "vko", "vecka", "veckor", "v",
         "uke", "uker", "veke", "veker"),
        "weeks",
    ),
    **dict.fromkeys(
        ("month", "months", "kuukausi", "kuukautta", "kk", "månad", "månader", "mån",
         "måned", "måneder", "mnd"),
        "months",
    ),
}  # fmt: skip
# What people write for an interval instead of a length.
_SPAN_HINTS = {
    "daily": "1 day",
    "weekly": "1 week",
    "fortnightly": "2 weeks",
    "biweekly": "2 weeks",
    "monthly": "1 month",
    "bimonthly": "2 months",
    "month": "1 month",
    "week": "1 week",
}


def _parse_span(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    m = _SPAN.match(value) if isinstance(value, str) else None
    if m is not None and m.group(3).lower() in SPAN_UNITS:
        low, high = int(m.group(1)), int(m.group(2) or m.group(1))
        if low < 1 or high < low:
            raise _fail(f"must be a positive length with the smaller number first, got {value!r}")
        return Span(low, high, SPAN_UNITS[m.group(3).lower()])
    hint = ""
    if isinstance(value, str) and value.strip().lower() in _SPAN_HINTS:
        hint = f" (did you mean '{_SPAN_HINTS[value.strip().lower()]}'?)"
    elif m is not None:
        close = difflib.get_close_matches(m.group(3).lower(), list(SPAN_UNITS), n=1, cutoff=0.6)
        amount = m.group(1) if not m.group(2) else f"{m.group(1)}-{m.group(2)}"
        hint = f" (did you mean '{amount} {close[0]}'?)" if close else ""
    raise _fail(
        f"must be a length of time such as '1 month', '2 weeks', '10 days' or '4-6 months', got {describe(value)}{hint}"
    )


CalendarSpan = Annotated[Span, BeforeValidator(_parse_span)]


def is_id(value: Any) -> bool:
    """Whether `value` is an id: lower-case letters, digits and hyphens."""
    return isinstance(value, str) and _ID.match(value) is not None


def _parse_id(value: Any) -> str:
    if is_id(value):
        return value
    raise _fail(
        f"must be a short name of lower-case letters, digits and hyphens (like 'module-3'), got {describe(value)}"
    )


Id = Annotated[str, BeforeValidator(_parse_id)]


def _parse_field_name(value: Any) -> str:
    if isinstance(value, str) and _FIELD.match(value):
        return value
    raise _fail(
        f"must be a column name of lower-case letters, digits and underscores (like 'months_as_manager'), got {describe(value)}"
    )


FieldName = Annotated[str, BeforeValidator(_parse_field_name)]


def _parse_time(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, float) and not isinstance(value, bool):
        value = f"{value:.2f}"  # an unquoted 13.30 reaches us as the number 13.3
    if isinstance(value, str) and (m := re.match(r"^\s*(\d{1,2})[:.](\d{2})\s*$", value)):
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            return time(hour, minute)
    raise _fail(f"must be a clock time such as '09:00' or '13.30', got {describe(value)}")


ClockTime = Annotated[time, BeforeValidator(_parse_time)]


def _parse_month(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12:
        return value
    if isinstance(value, str) and value.lower() in MONTHS:
        return MONTHS.index(value.lower()) + 1
    hint = did_you_mean(value.lower(), MONTHS) if isinstance(value, str) else ""
    raise _fail(
        f"must be a month (1-12 or a name such as 'september'), got {describe(value)}{hint}"
    )


Month = Annotated[int, BeforeValidator(_parse_month)]


def _one_of(choices: tuple[str, ...]) -> str:
    """ "'a', 'b' or 'c'", as pydantic lists the choices of a fixed set."""
    quoted = [f"'{c}'" for c in choices]
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}" if len(quoted) > 1 else quoted[0]


def _parse_session_kind(value: Any, info: ValidationInfo) -> str:
    """A session kind by its English name, or by its name in one of the programme's
    languages (`moduuli`, `träff`, `samling`); the loader passes the languages in
    the validation context, and without them every language is accepted."""
    kinds: tuple[str, ...] = typing.get_args(SessionKind)
    word = re.sub(r"[\s_]+", "-", value.strip().casefold()) if isinstance(value, str) else ""
    if word in kinds:
        return word
    context = info.context if isinstance(info.context, dict) else {}
    languages = context.get("languages") or LANGUAGES
    for lang in languages:
        if word in KIND_NAMES.get(lang, {}):
            return KIND_NAMES[lang][word]
    message = f"must be one of {_one_of(kinds)}, got {describe(value)}"
    elsewhere = [names[word] for names in KIND_NAMES.values() if word in names]
    if word in KIND_MEANINGS:
        meant = KIND_MEANINGS[word]
        also = f" or a '{meant[1]}'" if len(meant) > 1 else ""
        label = value.strip()
        raise _fail(
            f"{message}; a {label!r} is probably a '{meant[0]}'{also}: write that kind, "
            f"with label: {label[:1].upper()}{label[1:]} to keep the word in headings "
            f"('{label[:1].upper()}{label[1:]} 2: ...')"
        )
    if elsewhere:
        raise _fail(f"{message} (did you mean '{elsewhere[0]}'?)")
    own = [name for lang in languages for name in KIND_NAMES.get(lang, {})]
    close = difflib.get_close_matches(word, [*kinds, *own], n=1, cutoff=0.6) if word else []
    raise _fail(f"{message}" + (f" (did you mean '{close[0]}'?)" if close else ""))


SessionKindName = Annotated[SessionKind, BeforeValidator(_parse_session_kind)]


def _parse_label(value: Any) -> Text | bool:
    """A session's own word before its number ("Samling" for "Samling 2: ..."), or false
    for a heading without one."""
    if value is False:
        return False
    if value is True or value is None:
        raise _fail(
            "must be the word shown before the session's number (label: Gathering), one per "
            f"language, or false for no word and no number, got {describe(value)}"
        )
    return Text.parse(value)


SessionLabel = Annotated[Text | bool, PlainValidator(_parse_label)]

ResourceType = Literal["film", "pdf", "slides", "article", "book", "web"]
# Other words people use for the types of resource we know.
_RESOURCE_WORDS = {
    "video": "film", "movie": "film", "recording": "film", "youtube": "film",
    "web-page": "web", "webpage": "web", "website": "web", "web-site": "web", "page": "web",
    "link": "web", "site": "web", "presentation": "slides", "powerpoint": "slides",
    "ppt": "slides", "pptx": "slides", "slide": "slides", "paper": "article",
    "journal-article": "article", "books": "book", "ebook": "book", "e-book": "book",
}  # fmt: skip


def _parse_resource_type(value: Any) -> str:
    kinds: tuple[str, ...] = typing.get_args(ResourceType)
    word = re.sub(r"[\s_]+", "-", value.strip().casefold()) if isinstance(value, str) else ""
    if word in kinds:
        return word
    if word in _RESOURCE_WORDS:
        return _RESOURCE_WORDS[word]
    hint = did_you_mean(word, kinds) if word else ""
    raise _fail(f"must be one of {_one_of(kinds)}, got {describe(value)}{hint}")


ResourceTypeName = Annotated[ResourceType, BeforeValidator(_parse_resource_type)]


def _lower(value: Any) -> Any:
    """`Before` as `before`: a fixed word in any capitals."""
    return value.strip().lower() if isinstance(value, str) else value


Shared = Annotated[Literal["before", "after"], BeforeValidator(_lower)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Role(Model):
    id: Id
    title: Text
    description: Text | None = None
    facilitator: bool = False
    count: Count | None = None


class Block(Model):
    title: Text
    minutes: BlockMinutes
    method: Text | None = None
    materials: list[Text] = []
    notes: Text | None = None


class Task(Model):
    title: Text
    description: Text | None = None


_LINK = re.compile(r"^(?:https?://[^\s/]+\S*|mailto:[^\s@]+@\S+)$", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _parse_link(value: Any) -> str:
    """A web or mail address; documents make it a clickable link, so no other scheme
    (javascript:, file:, data:) gets in."""
    if isinstance(value, str) and _LINK.match(value.strip()):
        return value.strip()
    raise _fail(
        "must be a web address starting with https:// or http://, or mailto:, "
        f"got {describe(value)}"
    )


def _parse_file(value: Any) -> str:
    """A file name inside the programme's material, never a path out of it."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"must be a file name such as 'team-reading.pdf', got {describe(value)}")
    parts = re.split(r"[/\\]", value.strip())
    if value.startswith(("/", "\\")) or _DRIVE.match(value) or "://" in value:
        raise _fail(
            f"must be a file name such as 'team-reading.pdf', not an absolute path or address, got {describe(value)}"
        )
    if ".." in parts:
        raise _fail(f"must not lead out of the programme's folder with '..', got {describe(value)}")
    return value.strip()


Link = Annotated[str, BeforeValidator(_parse_link)]
FileName = Annotated[str, BeforeValidator(_parse_file)]


class Resource(Model):
    title: Text
    link: Link | None = None
    file: FileName | None = None
    description: Text | None = None
    type: ResourceTypeName | None = None
    # When the participants get it: before the session (to prepare) or after it.
    shared: Shared | None = None

    def about(self, lang: str) -> str:
        """'Film, shared before the session': its type and when it is shared, or ''."""
        parts = []
        if self.type:
            parts.append(t(lang, f"resource.type.{self.type}"))
        if self.shared:
            parts.append(t(lang, f"resource.shared.{self.shared}"))
        about = ", ".join(parts)
        return f"{about[:1].upper()}{about[1:]}"


class SessionSpec(Model):
    id: Id
    kind: SessionKindName
    title: Text
    # The word before the session's number in headings ("Samling 2: ..."); false for none.
    label: SessionLabel | None = None
    count: Count | None = None
    duration: Minutes | None = None
    gap: CalendarSpan | None = None
    delivery: list[Delivery] | None = None
    participants: list[Id] | None = None
    # Where the session is held when not where the cohort usually meets.
    place: Text | None = None
    goals: list[Text] = []
    agenda: list[Block] = []
    agenda_suggested: bool = False
    tasks: list[Task] = []
    # Focus areas or questions to reflect on: no due date and nothing to hand in.
    focus: list[Text] = []
    resources: list[Resource] = []
    checklist: list[Text] = []
    questionnaires: list[Id] = []
    optional: bool = False


class Statement(Model):
    id: Id
    text: Text


class Dimension(Model):
    id: Id
    title: Text
    description: Text | None = None
    statements: list[Statement] = Field(min_length=1)


class OpenQuestion(Model):
    id: Id
    text: Text
    required: bool = False


class Scale(Model):
    min: int
    max: int
    labels: list[Text]


class Questionnaire(Model):
    id: Id
    kind: QuestionnaireKind
    title: Text
    languages: list[Lang] | None = None
    instructions: Text | None = None
    # A preset name ("agree-5") or a scale of its own; the tag keeps pydantic from
    # reporting both alternatives when one is wrong.
    scale: Annotated[
        Annotated[str, Tag("preset")] | Annotated[Scale, Tag("custom")],
        Discriminator(lambda v: "custom" if isinstance(v, (dict, Scale)) else "preset"),
    ] = "agree-5"
    respondents: list[Id] | None = None
    dimensions: list[Dimension] = []
    open_questions: list[OpenQuestion] = []

    def scale_range(self) -> tuple[int, int]:
        if isinstance(self.scale, Scale):
            return self.scale.min, self.scale.max
        return SCALE_PRESETS[self.scale]

    def scale_labels(self, lang: str, fallback: tuple[str, ...] = ()) -> list[str]:
        low, high = self.scale_range()
        if isinstance(self.scale, Scale):
            return [label.get(lang, fallback) for label in self.scale.labels]
        return [t(lang, f"scale.{self.scale}.{n}") for n in range(low, high + 1)]

    def statements(self) -> Iterator[tuple[Dimension, Statement]]:
        for dimension in self.dimensions:
            for statement in dimension.statements:
                yield dimension, statement


class PreAssignment(Model):
    title: Text
    description: Text | None = None
    questionnaire: Id | None = None
    due_before: CalendarSpan = Span(1, 1, "weeks")
    # The session the answers are needed for (default: the first session).
    before: str | None = None


class Rule(Model):
    role: Id
    field: FieldName | None = None
    at_least: float | None = None
    unit: Literal["months", "years"] | None = None
    label: Text | None = None
    other_organisation: bool = False


class Matching(Model):
    other_organisation: bool = True
    weights: dict[Literal["themes", "format", "location", "experience_gap"], float] = {}


class Season(Model):
    start: Month
    end: Month


class ScheduleRule(Model):
    interval: CalendarSpan
    season: Season | None = None
    start_time: ClockTime = time(9, 0)
    weekdays: list[Weekday] | None = None


class Programme(Model):
    id: Id
    languages: list[Lang] = Field(min_length=1)
    title: Text
    description: Text
    kind: ProgrammeKind
    provider: Text | None = None
    suits: list[Text] = []
    delivery: list[Delivery] = Field(min_length=1)
    duration: CalendarSpan | None = None
    cost: Text | None = None
    themes: list[Text] = []
    roles: list[Role] = Field(min_length=1)
    pre_assignment: PreAssignment | None = None
    sessions: list[SessionSpec] = Field(min_length=1)
    questionnaires: list[Questionnaire] = []
    eligibility: list[Rule] = []
    matching: Matching | None = None
    schedule: ScheduleRule
    certificate_attendance: int = Field(default=80, ge=0, le=100)
    travel_diary: bool = False
    reading: list[Resource] = []

    def text(self, value: Text | None, lang: str) -> str:
        """`value` in `lang`, falling back to the programme's languages in order."""
        return value.get(lang, tuple(self.languages)) if value is not None else ""

    def questionnaire(self, qid: str) -> Questionnaire:
        for q in self.questionnaires:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def role(self, rid: str) -> Role:
        for r in self.roles:
            if r.id == rid:
                return r
        raise KeyError(rid)

    def role_title(self, rid: str, lang: str) -> str:
        """The programme's word for a role in `lang` ('Adept', 'Mentee'); the id itself
        for a role the programme does not have."""
        try:
            return self.text(self.role(rid).title, lang)
        except KeyError:
            return rid

    def participant_roles(self) -> list[Role]:
        return [r for r in self.roles if not r.facilitator]

    def sessions_for(self, counts: dict[str, int] | None = None) -> list[Session]:
        """Every session in order, repeated sessions expanded (`counts` by spec id)."""
        counts = counts or {}
        out: list[Session] = []
        numbers: dict[str, int] = {}
        for spec in self.sessions:
            repeats = 1 if spec.count is None else counts.get(spec.id, spec.count.low)
            for i in range(1, repeats + 1):
                numbers[spec.kind] = numbers.get(spec.kind, 0) + 1
                number = numbers[spec.kind]
                sid = f"{spec.id}-{i}" if spec.count is not None else spec.id
                out.append(Session(spec, sid, number, i if spec.count is not None else None))
        # Sessions with the same label are numbered together ("Samling 1" may be the
        # kick-off and "Samling 2" the first module); a label only one session carries
        # is shown without a number.
        labelled: dict[Text, list[int]] = {}
        for index, session in enumerate(out):
            if isinstance(session.spec.label, Text):
                labelled.setdefault(session.spec.label, []).append(index)
        for indexes in labelled.values():
            if len(indexes) > 1:
                for n, index in enumerate(indexes, start=1):
                    out[index] = dataclasses.replace(out[index], label_number=n)
        return out


@dataclass(frozen=True)
class Session:
    """One session of a cohort: a spec, expanded when the spec repeats."""

    spec: SessionSpec
    id: str
    number: int  # among sessions of the same kind, from 1
    repeat: int | None  # which repetition of a repeated spec, from 1
    # Among sessions with the same label, from 1; None when the label is the session's alone.
    label_number: int | None = None

    @property
    def ref(self) -> str:
        return f"{self.spec.kind}-{self.number}"

    def title(self, programme: Programme, lang: str) -> str:
        """The title, with '{n}' replaced by the session's number among its kind."""
        return programme.text(self.spec.title, lang).replace("{n}", str(self.number))

    def kind_name(self, programme: Programme, lang: str) -> str:
        """What the session is called: its label ('Samling'), else its kind's name in
        `lang` ('Moduuli'), capitalised."""
        if isinstance(self.spec.label, Text):
            name = programme.text(self.spec.label, lang)
        else:
            name = t(lang, f"session.{self.spec.kind}")
        return f"{name[:1].upper()}{name[1:]}"

    def prefix(self, programme: Programme, lang: str) -> str:
        """'Samling 2', 'Moduuli 3', 'Oppstart' (a label of one session alone), or ''
        (no label, or `label: false`, and not a module)."""
        label = self.spec.label
        if label is False or (label is None and self.spec.kind != "module"):
            return ""
        number = self.label_number if isinstance(label, Text) else self.number
        name = self.kind_name(programme, lang)
        return f"{name} {number}" if number is not None else name

    def agenda_minutes(self) -> int:
        return sum(block.minutes for block in self.spec.agenda)

    def minutes(self) -> int:
        """How long the session runs: its agenda, else its longest stated length."""
        if self.spec.agenda:
            return self.agenda_minutes()
        if self.spec.duration is None:
            return 0
        return self.spec.duration.high or self.spec.duration.low


def find_session(sessions: list[Session], name: str) -> Session | None:
    """A session by id (`kick-off`, `meeting-2`), kind and number (`module-3`), or number.

    An id wins over a kind and number, so that a session named `meeting-1` is found
    even when another session is the first of kind meeting."""
    name = name.strip().lower()
    for session in sessions:
        if name == session.id:
            return session
    for session in sessions:
        if name == session.ref:
            return session
    if name.isdigit():
        for kind in NUMBERED_KINDS:
            for session in sessions:
                if session.spec.kind == kind and session.number == int(name):
                    return session
            if any(s.spec.kind == kind for s in sessions):
                return None
    return None


# ---------------------------------------------------------------------------
# Checks across fields. They read the raw data (guided by the models' field types), so
# that they run, and report, even where pydantic has found other problems.


CrossProblem = tuple[tuple[str | int, ...], str]
_Path = tuple[str | int, ...]


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list `data[key]`, with their indexes; anything else skipped."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _ids(data: Any, key: str) -> list[str]:
    out = []
    items = data.get(key) if isinstance(data, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.append(item["id"])
        elif isinstance(item, Questionnaire):
            out.append(item.id)
    return out


def _try(parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except PydanticCustomError:
        return None


def cross_check(data: Any) -> list[CrossProblem]:
    """Problems in a programme's data that no single field shows, each with its path."""
    if not isinstance(data, dict):
        return []
    problems: list[CrossProblem] = []
    languages = data.get("languages")
    if isinstance(languages, list) and languages and all(lang in LANGUAGES for lang in languages):
        problems += check_languages(data, Programme, languages)
        problems += _check_shared_languages(data, languages)
    problems += _check_unique(data)
    role_ids = _ids(data, "roles")
    questionnaire_ids = _ids(data, "questionnaires")
    for i, spec in _items(data, "sessions"):
        base: _Path = ("sessions", i)
        problems += _check_agenda(spec, base)
        problems += _check_refs(spec, "participants", "role", role_ids, base)
        problems += _check_refs(spec, "questionnaires", "questionnaire", questionnaire_ids, base)
        title = spec.get("title")
        texts = title.values() if isinstance(title, dict) else [title]
        if "count" not in spec and any(isinstance(v, str) and "{n}" in v for v in texts):
            problems.append(
                (
                    (*base, "title"),
                    "'{n}' numbers repeated sessions, and this session has no count; "
                    "add a count (count: 3) or take '{n}' out of the title",
                )
            )
    pre = data.get("pre_assignment")
    if (
        isinstance(pre, dict)
        and isinstance(pre.get("questionnaire"), str)
        and pre["questionnaire"] not in questionnaire_ids
    ):
        problems.append(
            (
                ("pre_assignment", "questionnaire"),
                _unknown("questionnaire", pre["questionnaire"], questionnaire_ids),
            )
        )
    for i, questionnaire in _items(data, "questionnaires"):
        base = ("questionnaires", i)
        problems += check_questionnaire(questionnaire, base)
        problems += _check_refs(questionnaire, "respondents", "role", role_ids, base)
    for i, rule in _items(data, "eligibility"):
        base = ("eligibility", i)
        if isinstance(rule.get("role"), str) and rule["role"] not in role_ids:
            problems.append(((*base, "role"), _unknown("role", rule["role"], role_ids)))
        problems += _check_rule(rule, base)
    return problems


def check_model(programme: Programme) -> list[CrossProblem]:
    """Checks that need the whole programme validated: names of expanded sessions."""
    pre = programme.pre_assignment
    if pre is None or pre.before is None:
        return []
    sessions = programme.sessions_for()
    if find_session(sessions, pre.before) is None:
        return [
            (
                ("pre_assignment", "before"),
                _unknown("session", pre.before, [s.id for s in sessions]),
            )
        ]
    return []


def _unknown(what: str, name: str, known: list[str]) -> str:
    if not known:
        return f"no {what} '{name}'; the programme has no {what}s (list them under '{what}s:')"
    return f"no {what} '{name}'{did_you_mean(name, known)}; the programme has: {', '.join(known)}"


def _check_refs(
    data: dict[str, Any], key: str, what: str, known: list[str], base: _Path
) -> list[CrossProblem]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [
        ((*base, key, j), _unknown(what, name, known))
        for j, name in enumerate(value)
        if isinstance(name, str) and name not in known
    ]


def _check_unique(data: dict[str, Any]) -> list[CrossProblem]:
    problems: list[CrossProblem] = []
    for key in ("sessions", "roles", "questionnaires"):
        seen: dict[str, int] = {}
        for i, item in _items(data, key):
            name = item.get("id")
            if not isinstance(name, str):
                continue
            if name in seen:
                problems.append(
                    (
                        (key, i, "id"),
                        f"duplicate id '{name}' (also {key}[{seen[name]}]); give each its own id",
                    )
                )
            else:
                seen[name] = i
    # A repeated session "meeting" becomes meeting-1, meeting-2...: those must not
    # collide with another session's id.
    owner: dict[str, int] = {}
    for i, spec in _items(data, "sessions"):
        name = spec.get("id")
        if not isinstance(name, str):
            continue
        count = _try(_parse_count, spec["count"]) if "count" in spec else None
        names = (
            [f"{name}-{n}" for n in range(1, (count.high or count.low) + 1)] if count else [name]
        )
        for expanded in names:
            j = owner.setdefault(expanded, i)
            if j != i and data["sessions"][j].get("id") != name:
                repeated = name if count else data["sessions"][j].get("id")
                problems.append(
                    (
                        ("sessions", i, "id"),
                        f"sessions[{j}] and this session would both be '{expanded}' "
                        f"(the repeated session '{repeated}' runs as {repeated}-1, {repeated}-2, ...); "
                        "choose another id",
                    )
                )
                break
    return problems


def _check_agenda(spec: dict[str, Any], base: _Path) -> list[CrossProblem]:
    agenda = spec.get("agenda")
    if "duration" not in spec:
        if not agenda:
            return [((*base, "duration"), "give the session a duration or an agenda")]
        return []
    duration = _try(_parse_duration, spec["duration"])
    if duration is None or not isinstance(agenda, list) or not agenda:
        return []
    minutes = [
        _try(_parse_minutes, b.get("minutes")) if isinstance(b, dict) else None for b in agenda
    ]
    if None in minutes:
        return []  # a block without valid minutes is reported on its own
    total = sum(m for m in minutes if m is not None)
    low, high = duration.low, duration.high or duration.low
    if total > high:
        return [
            (
                (*base, "agenda"),
                f"the agenda blocks add up to {total} minutes but the session lasts at most {high}",
            )
        ]
    if total < low:
        return [
            (
                (*base, "agenda"),
                f"the agenda blocks add up to {total} minutes but the session lasts at least {low}",
            )
        ]
    return []


def check_questionnaire(q: dict[str, Any], base: _Path) -> list[CrossProblem]:
    """Scale, statements and unique ids of a questionnaire's data."""
    problems: list[CrossProblem] = []
    scale = q.get("scale", "agree-5")
    if isinstance(scale, str) and scale not in SCALE_PRESETS:
        problems.append(
            (
                (*base, "scale"),
                f"unknown scale '{scale}'{did_you_mean(scale, list(SCALE_PRESETS))}; "
                f"use one of {', '.join(SCALE_PRESETS)} or give min, max and labels",
            )
        )
    if isinstance(scale, dict):
        low, high, labels = scale.get("min"), scale.get("max"), scale.get("labels")
        if isinstance(low, int) and isinstance(high, int):
            if high <= low:
                problems.append(((*base, "scale", "max"), f"must be larger than min ({low})"))
            elif isinstance(labels, list) and len(labels) != high - low + 1:
                problems.append(
                    (
                        (*base, "scale", "labels"),
                        f"a scale from {low} to {high} needs "
                        f"{high - low + 1} labels, got {len(labels)}",
                    )
                )
    dimensions = _items(q, "dimensions")
    if q.get("kind") == "meter" and not q.get("dimensions"):
        problems.append(
            ((*base, "dimensions"), "a meter needs at least one dimension with statements")
        )
    elif not q.get("dimensions") and not q.get("open_questions"):
        problems.append(
            (base, "a questionnaire needs dimensions with statements, or open questions")
        )
    seen: set[str] = set()

    def unique(item: dict[str, Any], path: _Path) -> None:
        name = item.get("id")
        if isinstance(name, str):
            if name in seen:
                problems.append(
                    (
                        (*path, "id"),
                        f"duplicate id '{name}'; every dimension, statement and question needs its own",
                    )
                )
            seen.add(name)

    for i, dimension in dimensions:
        unique(dimension, (*base, "dimensions", i))
        for j, statement in _items(dimension, "statements"):
            unique(statement, (*base, "dimensions", i, "statements", j))
    for i, question in _items(q, "open_questions"):
        unique(question, (*base, "open_questions", i))
    return problems


def _check_rule(rule: dict[str, Any], base: _Path) -> list[CrossProblem]:
    if rule.get("other_organisation"):
        if "field" in rule or "at_least" in rule:
            return [
                (
                    base,
                    "a rule is either 'other_organisation: true' or a 'field' with 'at_least', not both",
                )
            ]
        return []
    if "field" not in rule:
        return [(base, "a rule needs a 'field' and 'at_least' (or 'other_organisation: true')")]
    if "at_least" not in rule:
        return [((*base, "at_least"), f"give the least value of '{rule['field']}' the role needs")]
    return []


def _check_shared_languages(data: dict[str, Any], languages: list[str]) -> list[CrossProblem]:
    problems: list[CrossProblem] = []
    items = data.get("questionnaires")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, Questionnaire):
            problems += _check_refs(
                item.model_dump(), "respondents", "role", _ids(data, "roles"), ("questionnaires", i)
            )
        if isinstance(item, Questionnaire) and item.languages:
            missing = [lang for lang in languages if lang not in item.languages]
            if missing:
                problems.append(
                    (
                        ("questionnaires", i),
                        f"the shared questionnaire '{item.id}' is not written in {', '.join(missing)}",
                    )
                )
    return problems


def check_languages(
    data: Any, model: type[BaseModel], languages: list[str], path: _Path = ()
) -> list[CrossProblem]:
    """A problem for every localized text in `data` that lacks one of `languages`."""
    problems: list[CrossProblem] = []
    for where, value in _raw_texts(data, model, path):
        if not isinstance(value, dict) or not all(code in LANGUAGES for code in value):
            continue  # not localized, or an unknown language reported by the model
        missing = [lang for lang in languages if lang not in value]
        if missing:
            names = ", ".join(f"'{m}'" for m in missing)
            problems.append(
                (
                    where,
                    f"missing the {names} text (the languages declared are {', '.join(languages)})",
                )
            )
    return problems


def _raw_texts(data: Any, model: type[BaseModel], path: _Path) -> Iterator[tuple[_Path, Any]]:
    if not isinstance(data, dict):
        return
    for name, info in model.model_fields.items():
        if name in data:
            yield from _raw_field(data[name], info.annotation, (*path, name))


def _raw_field(value: Any, annotation: Any, path: _Path) -> Iterator[tuple[_Path, Any]]:
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is Annotated:
        yield from _raw_field(value, typing.get_args(annotation)[0], path)
    elif origin in (typing.Union, types.UnionType):
        for option in typing.get_args(annotation):
            yield from _raw_field(value, option, path)
    elif origin is list and isinstance(value, list):
        for i, item in enumerate(value):
            yield from _raw_field(item, typing.get_args(annotation)[0], (*path, i))
    elif annotation is Text:
        yield path, value
    elif (
        isinstance(annotation, type)
        and issubclass(annotation, BaseModel)
        and isinstance(value, dict)
    ):
        yield from _raw_texts(value, annotation, path)
