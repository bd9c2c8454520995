"""Dutch is the product's first language: every string in the code has a Dutch translation.

A fresh extraction of the code (what `make messages` does) is compared with the catalogue, so a
string added anywhere without a translation fails here, named."""

import os
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "{lang}" / "LC_MESSAGES" / "django.po"
IGNORE = [".venv", "tests", "benchmarks", "node_modules", "var", "staticfiles", "test-results"]


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(CATALOGUE).format(lang=lang))


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.fixture(scope="module")
def extracted() -> list[polib.POEntry]:
    """The strings in the code today: `makemessages` run as `make messages` does, then the
    catalogues put back exactly as they were."""
    paths = [Path(str(CATALOGUE).format(lang=lang)) for lang in ("nl", "en")]
    saved = {path: path.read_bytes() for path in paths}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        call_command("makemessages", locale=["nl"], ignore_patterns=IGNORE, verbosity=0)
        fresh = polib.pofile(str(paths[0]))
    finally:
        os.chdir(cwd)
        for path, content in saved.items():
            path.write_bytes(content)
    return [e for e in fresh if not e.obsolete]


def test_the_dutch_catalogue_has_no_untranslated_or_fuzzy_entry():
    missing = [
        e.msgid
        for e in catalogue("nl")
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]
    assert missing == [], "Untranslated or fuzzy in locale/nl:\n" + "\n".join(missing)


def test_the_english_catalogue_has_no_fuzzy_entry():
    # English is the language of the code: an empty msgstr shows the msgid itself.
    fuzzy = [e.msgid for e in catalogue("en") if not e.obsolete and "fuzzy" in e.flags]
    assert fuzzy == [], "Fuzzy in locale/en:\n" + "\n".join(fuzzy)


def test_every_string_in_the_code_has_a_dutch_translation(extracted):
    translated = {key(e) for e in catalogue("nl") if not e.obsolete and e.translated()}
    translated -= {key(e) for e in catalogue("nl") if "fuzzy" in e.flags}
    missing = sorted(
        f"{e.msgid!r}  ({e.occurrences[0][0] if e.occurrences else '?'})"
        for e in extracted
        if key(e) not in translated
    )
    assert missing == [], (
        "Strings without a Dutch translation (run `make messages` and translate them in "
        "locale/nl/LC_MESSAGES/django.po):\n" + "\n".join(missing)
    )


def test_every_string_in_the_code_is_in_the_english_catalogue(extracted):
    known = {key(e) for e in catalogue("en") if not e.obsolete}
    missing = sorted(e.msgid for e in extracted if key(e) not in known)
    assert missing == [], "Not in locale/en (run `make messages`):\n" + "\n".join(missing)


def test_the_compiled_dutch_catalogue_is_up_to_date():
    mo = CATALOGUE.with_suffix(".mo")
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo).format(lang="nl"))}
    stale = [
        e.msgid
        for e in catalogue("nl")
        if not e.obsolete
        and e.translated()
        and not e.msgid_plural
        and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == [], "Run `make messages` (compilemessages):\n" + "\n".join(stale)
