"""Every label a participant or facilitator reads, one catalogue module per language.

`t("fi", "kind.team-coaching")` looks a key up in `fi.py`; a key missing there falls
back to English, so a new label never shows up as a raw key. Dates and numbers are not
here: they follow facilitate's own house style per language (see `formatting`).
"""

from __future__ import annotations

from importlib import import_module
from typing import Final

LANGUAGES: Final = ("fi", "sv", "nb", "en")

_cache: dict[str, dict[str, str]] = {}


def catalogue(lang: str) -> dict[str, str]:
    """The messages of one language."""
    if lang not in _cache:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        _cache[lang] = import_module(f"{__name__}.{lang}").MESSAGES
    return _cache[lang]


def t(lang: str, key: str, /, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled from `values`."""
    text = catalogue(lang).get(key)
    if text is None:
        text = catalogue("en")[key]
    return text.format(**values) if values else text


def has(lang: str, key: str) -> bool:
    return key in catalogue(lang)
