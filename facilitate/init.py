"""Creating a cohort folder: the questions `init` asks, and writing the folder from the answers."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .cohort import (
    COHORT_FILE,
    STATE_DIR,
    Cohort,
    Settings,
    check_settings,
    default_country,
    parse_date,
    settings_yaml,
)
from .errors import InputError, RefusedError
from .i18n import LANGUAGES, t
from .programme import Programme, _parse_time
from .prompts import Question

# The flag that sets each setting, for messages about values given on the command line.
FLAGS = {
    "organisation": "--organisation",
    "name": "--name",
    "language": "--lang",
    "country": "--country",
    "facilitators": "--facilitator",
    "coordinator": "--coordinator",
    "delivery": "--delivery",
    "place": "--place",
    "teams_link": "--teams-link",
    "first_date": "--first-date",
    "start_time": "--start-time",
    "session_counts": "--sessions",
    "templates": "--templates",
    "anonymity_threshold": "--anonymity-threshold",
}


def _optional(text: str) -> str | None:
    return text.strip() or None


def _names(text: str) -> list[str] | None:
    names = [name.strip() for name in re.split(r"[;,]", text) if name.strip()]
    return names or None


def _time(text: str) -> Any:
    return _parse_time(text) if text.strip() else None


def _count(low: int, high: int | None) -> Any:
    def parse(text: str) -> int:
        if not text.strip().isdigit():
            raise ValueError(f"must be a whole number, got '{text}'")
        n = int(text)
        if n < low or (high is not None and n > high):
            raise ValueError(
                f"must be between {low} and {high}" if high else f"must be at least {low}"
            )
        return n

    return parse


def _first_date(programme: Programme, country: str, today: date | None) -> Any:
    """Parses a first date and, given `today`, checks it is a future working day in season."""

    def parse(text: str) -> date | None:
        from .schedule import check_first_date

        if not text.strip():
            return None
        day = parse_date(text)
        if today is not None:
            try:
                check_first_date(day, today, country, season=programme.schedule.season)
            except InputError as exc:
                raise ValueError(exc.message) from None
        return day

    return parse


def questions(programme: Programme, country: str, today: date | None = None) -> list[Question]:
    """What `init` needs to know, with the programme's defaults.

    The prompts are in English: the cohort's language is one of the answers."""
    languages = [
        *programme.languages,
        *(code for code in LANGUAGES if code not in programme.languages),
    ]
    out = [
        Question(
            "organisation",
            "Which organisation is the cohort for?",
            "--organisation",
            '"Ohjaamo Varkaus"',
            parse=_optional,
        ),
        Question(
            "language",
            "Language of the documents?",
            "--lang",
            choices=tuple((code, f"{code} – {t('en', f'language.{code}')}") for code in languages),
            default=programme.languages[0],
        ),
        Question(
            "delivery",
            "How are the sessions held?",
            "--delivery",
            choices=tuple((d, t("en", f"delivery.{d}")) for d in programme.delivery),
            default=programme.delivery[0],
        ),
        Question(
            "first_date",
            "Date of the first session (2027-01-19 or 19.1.2027)?",
            "--first-date",
            "2027-01-19",
            parse=_first_date(programme, country, today),
        ),
        Question(
            "start_time",
            "Start time of the sessions?",
            "--start-time",
            default=programme.schedule.start_time.strftime("%H:%M"),
            parse=_time,
        ),
        Question(
            "facilitators",
            "Facilitators (separate names with commas)?",
            "--facilitator",
            required=False,
            parse=_names,
        ),
        Question(
            "coordinator",
            "Coordinator (name, or leave empty)?",
            "--coordinator",
            required=False,
            parse=_optional,
        ),
        Question(
            "place",
            "Place (address), or leave empty?",
            "--place",
            required=False,
            parse=_optional,
            when=lambda answers: answers.get("delivery") != "teams",
        ),
        Question(
            "teams_link",
            "Teams link, or leave empty?",
            "--teams-link",
            required=False,
            parse=_optional,
            when=lambda answers: answers.get("delivery") != "on-site",
        ),
    ]
    for spec in programme.sessions:
        if spec.count is not None:
            title = (
                programme.text(spec.title, programme.languages[0]).replace("{n}", "").strip(" :–-")
            )
            out.append(
                Question(
                    f"count:{spec.id}",
                    f"How many '{title}' sessions ({spec.count})?",
                    "--sessions",
                    f"{spec.id}={spec.count.low}",
                    default=str(spec.count.low),
                    parse=_count(spec.count.low, spec.count.high),
                )
            )
    return out


def check_target(folder: Path) -> None:
    """A folder a new cohort may be made in: none there yet."""
    if (folder / COHORT_FILE).exists():
        raise RefusedError(
            f"{folder} already holds a cohort ({COHORT_FILE}); choose another folder"
        )
    if folder.exists() and not folder.is_dir():
        raise RefusedError(f"{folder} is a file, not a folder")


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "cohort"


def settings_from(programme_name: str, programme: Programme, answers: dict[str, Any]) -> Settings:
    """Settings from answers (flags or prompts); a bad value names its flag."""
    counts = {
        key.split(":", 1)[1]: int(value) if isinstance(value, str) and value.isdigit() else value
        for key, value in answers.items()
        if key.startswith("count:") and value is not None
    }
    language = answers.get("language") or programme.languages[0]
    values = {
        "id": f"{slug(answers.get('organisation') or 'cohort')}-{secrets.token_hex(3)}",
        "programme": programme_name,
        "language": language,
        "country": answers.get("country") or default_country(programme, language),
        "delivery": answers.get("delivery") or programme.delivery[0],
        "session_counts": counts,
        # Mentoring: an empty `matching:` shows the coordinator where pins and forbids go.
        **({"matching": {}} if programme.matching is not None else {}),
        **{
            k: v
            for k, v in answers.items()
            if v is not None
            and not k.startswith("count:")
            and k not in ("session_counts", "language", "delivery", "country")
        },
    }
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        lines = []
        for error in exc.errors(include_url=False):
            key = str(error["loc"][0]) if error["loc"] else ""
            flag = FLAGS.get(key, key)
            message = (
                error["msg"]
                if error["type"] == "facilitate"
                else error["msg"][0].lower() + error["msg"][1:]
            )
            lines.append(f"{flag}: {message}")
        raise InputError("\n".join(lines)) from None
    problems = check_settings(settings, programme)
    if problems:
        raise InputError(
            "\n".join(
                f"{FLAGS.get(str(where[0]), where[0])}: {message}" for where, message in problems
            )
        )
    return settings


def create(folder: Path, settings: Settings, programme: Programme, programme_path: Path) -> Cohort:
    """Write a new cohort folder; an existing cohort is never overwritten."""
    from .output import write_atomic
    from .participants import write_template

    check_target(folder)
    for sub in ("out", "responses", STATE_DIR):
        try:
            (folder / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create {folder / sub}: {exc.strerror}") from None
    cohort = Cohort(folder, settings, programme, programme_path)
    if cohort.participants_file() is None:  # keep a list the facilitator brought along
        write_template(
            folder / "participants.xlsx", programme, settings.language, settings.organisation
        )
    # cohort.yaml last: a folder without it is not yet a cohort, so a failed init can be re-run.
    write_atomic(folder / COHORT_FILE, settings_yaml(settings))
    return cohort
