"""The English catalogue is complete and its compiled .mo matches the .po (both are committed)."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_english_string_is_translated():
    catalogue = polib.pofile(str(PO))

    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]

    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    source = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in polib.pofile(str(PO)).translated_entries()}
    compiled = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in polib.mofile(str(PO.with_suffix(".mo")))}

    assert source - compiled == set(), "run: ./dev manage compilemessages --ignore .venv"
