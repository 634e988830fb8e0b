"""The reference pages say what the code does: every cohort.yaml field is documented and
the page's example loads; the participant list's header names are the catalogues'; the
README links every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilitate import cohort as cohorts
from facilitate.cohort import AgendaChange, MatchingSettings, Settings
from facilitate.i18n import LANGUAGES, t

from .conftest import REPO

DOCS = REPO / "docs"


def documented_fields(page: str) -> set[str]:
    """The fields in the first column of the page's tables: | `name` | ..."""
    text = (DOCS / page).read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))


@pytest.mark.parametrize("model", [Settings, AgendaChange, MatchingSettings])
def test_every_cohort_field_is_documented(model: type) -> None:
    assert set(model.model_fields) <= documented_fields("cohort-yaml.md")


def test_cohort_yaml_example_loads(tmp_path: Path) -> None:
    text = (DOCS / "cohort-yaml.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(# A cohort.*?)```", text, re.S)
    assert example is not None
    (tmp_path / "cohort.yaml").write_text(example.group(1), encoding="utf-8")
    cohort = cohorts.load(tmp_path)
    assert cohort.settings.session_counts == {"meeting": 5}
    assert [s.id for s in cohort.sessions()].count("meeting-5") == 1


def test_participant_headers_are_the_catalogues() -> None:
    """Each language's header for each column is in the page's table, in its language's
    column."""
    text = (DOCS / "participant-list.md").read_text(encoding="utf-8")
    section = text.split("## Header names per language", 1)[1]
    lines = [line for line in section.split("\n## ", 1)[0].splitlines() if line.startswith("|")]
    rows = {cells[0]: cells[1:] for line in lines[2:] for cells in [line.strip("|").split("|")]}
    rows = {key.strip(): [cell.strip() for cell in cells] for key, cells in rows.items()}
    keys = {
        "name": "participant.name",
        "email": "participant.email",
        "organisation": "participant.organisation",
        "role": "participant.role",
        "sessions attended": "participant.attended",
        "preferred format": "applications.col.format",
        "location": "applications.col.location",
        "number of adepts": "applications.col.capacity",
    }
    order = ("fi", "sv", "nb", "en")
    assert set(order) == set(LANGUAGES)
    for column, key in keys.items():
        for lang, cell in zip(order, rows[column], strict=True):
            assert t(lang, key) in [name.strip() for name in cell.split(",")], (column, lang)


def test_readme_links_the_reference_pages() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for page in ("cohort-yaml.md", "participant-list.md", "working-cycle.md"):
        assert f"(docs/{page})" in readme
        assert (DOCS / page).is_file()


def test_links_between_pages_lead_somewhere() -> None:
    """A link to another page (and its #anchor) names a page and a heading that exist."""
    for page in ("cohort-yaml.md", "participant-list.md", "working-cycle.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        for target, anchor in re.findall(r"\]\(([a-z-]+\.md)(?:#([a-z0-9-]+))?\)", text):
            linked = (DOCS / target).read_text(encoding="utf-8")
            if anchor:
                headings = [
                    re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
                    for h in re.findall(r"^#+ (.*)$", linked, re.M)
                ]
                assert anchor in headings, f"{page}: {target}#{anchor}"
