"""Every question facilitate asks at a terminal, and the flag that answers it instead.

The same validator checks a value whether it came from a flag or a prompt (it is
questionary's `validate` callback too). Without a terminal nothing is asked: the
missing values are reported with the flags to pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import FacilitateError, InputError


@dataclass(frozen=True)
class Question:
    key: str
    message: str
    flag: str
    example: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, title shown)
    default: str | None = None
    required: bool = True
    # Turns the typed text into the stored value; raises ValueError with a message.
    parse: Callable[[str], Any] = field(default=lambda text: text.strip() or None)
    # Asked only when this holds for the answers so far (e.g. a Teams link for Teams).
    when: Callable[[dict[str, Any]], bool] = field(default=lambda answers: True)

    def check(self, text: str) -> Any:
        """The parsed value of `text`, or ValueError with a message for the person."""
        if self.choices:
            values = [value for value, _ in self.choices]
            if text not in values:
                raise ValueError(f"must be one of {', '.join(values)}, got '{text}'")
            return text
        value = self.parse(text)
        if value is None and self.required:
            raise ValueError("is required")
        return value


def check_given(questions: Sequence[Question], given: dict[str, Any]) -> dict[str, Any]:
    """Values from flags, checked by the same validators as typed answers.

    Raises InputError naming the flag of every value that does not pass."""
    checked = dict(given)
    problems = []
    for q in questions:
        value = given.get(q.key)
        if isinstance(value, str):
            try:
                checked[q.key] = q.check(value)
            except (ValueError, FacilitateError) as exc:
                problems.append(f"{q.flag}: {exc}")
    if problems:
        raise InputError("\n".join(problems))
    return checked


def missing_flags(questions: Sequence[Question], given: dict[str, Any]) -> None:
    """Without a terminal: name the flag for every required value not given."""
    missing = [
        q
        for q in questions
        if q.required and q.default is None and given.get(q.key) is None and q.when(given)
    ]
    if missing:
        lines = [f"  {q.flag} {q.example}".rstrip() + f"  ({_topic(q.message)})" for q in missing]
        raise InputError(
            "Not asking without a terminal; pass the missing values as flags:\n" + "\n".join(lines)
        )


def _topic(message: str) -> str:
    """'Date of the first session (2027-01-19)?' -> 'date of the first session'."""
    return re.sub(r"\s*\(.*?\)", "", message).rstrip("?").lower()


def ask(questions: Sequence[Question], given: dict[str, Any], **io: Any) -> dict[str, Any]:
    """Ask for every value not in `given`; `io` may carry prompt_toolkit input/output (tests)."""
    import questionary

    answers = dict(given)
    for q in questions:
        if answers.get(q.key) is not None or not q.when(answers):
            continue
        if q.choices:
            choices = [questionary.Choice(title, value=value) for value, title in q.choices]
            default = next((c for c in choices if c.value == q.default), None)
            answer = questionary.select(
                q.message, choices=choices, default=default, **io
            ).unsafe_ask()
        else:
            answer = questionary.text(
                q.message, default=q.default or "", validate=_validator(q), **io
            ).unsafe_ask()
        answers[q.key] = q.check(answer)
    return answers


def _validator(q: Question) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        try:
            q.check(text)
        except (ValueError, FacilitateError) as exc:
            return str(exc)
        return True

    return validate


# ---------------------------------------------------------------------------
# Single questions, for walk-throughs that ask step by step (`facilitate prepare`).
# `io` may carry prompt_toolkit input/output (tests); Ctrl-C raises KeyboardInterrupt.


def select(
    message: str,
    choices: Sequence[tuple[str, str]],
    default: str | None = None,
    instruction: str | None = None,
    **io: Any,
) -> str:
    """One of `choices` (value, title shown); returns the value."""
    import questionary

    options = [questionary.Choice(title, value=value) for value, title in choices]
    chosen = next((c for c in options if c.value == default), None)
    return str(
        questionary.select(
            message, choices=options, default=chosen, instruction=instruction, **io
        ).unsafe_ask()
    )


def confirm(message: str, default: bool = True, **io: Any) -> bool:
    import questionary

    return bool(questionary.confirm(message, default=default, **io).unsafe_ask())


def checkbox(
    message: str,
    choices: Sequence[tuple[str, str, bool]],
    instruction: str | None = None,
    **io: Any,
) -> list[str]:
    """The values ticked among `choices` (value, title shown, ticked already)."""
    import questionary

    options = [
        questionary.Choice(title, value=value, checked=checked) for value, title, checked in choices
    ]
    answer = questionary.checkbox(
        message, choices=options, instruction=instruction, **io
    ).unsafe_ask()
    return [str(value) for value in answer]


def text(
    message: str,
    default: str = "",
    validate: Callable[[str], str | None] | None = None,
    **io: Any,
) -> str:
    """Typed text; `validate` returns what is wrong with it, or None, and is asked again
    until it passes (the same function checks the value when it comes from a flag)."""
    import questionary

    def check(value: str) -> bool | str:
        problem = validate(value) if validate is not None else None
        return True if problem is None else problem

    return str(questionary.text(message, default=default, validate=check, **io).unsafe_ask())
