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


def test_the_pages_keep_djangos_own_chinese_where_another_apps_catalogue_differs():
    """An installed app's catalogue outranks Django's: locale/zh_Hans puts Django's wording back for the form
    messages Django REST framework translates differently (regenerate it after upgrading either)."""
    import django
    import rest_framework
    from django.utils import translation

    django_catalogue = Path(django.__file__).parent / "conf" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    ours = {e.msgid: e.msgstr for e in polib.pofile(str(django_catalogue)) if e.msgstr and not e.msgctxt}
    drf_catalogue = Path(rest_framework.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    shared = [e.msgid for e in polib.mofile(str(drf_catalogue)) if e.msgid in ours]

    with translation.override("zh-hans"):
        shown = {msgid: translation.gettext(msgid) for msgid in shared}

    assert "This field is required." in shared
    assert shown == {msgid: ours[msgid] for msgid in shared}
