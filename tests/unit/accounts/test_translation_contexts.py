"""A word used in more than one sense carries a context, so translators can render each sense.

"Start" is both the title of the console's start page (a noun: "home") and the button that starts
a bulk job (a verb); many languages need different words. Django's own template extractor
(``templatize``, what ``makemessages`` runs) is used, so the check sees what translators would see.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

AMBIGUOUS = ["Start"]
TEMPLATES = Path(settings.BASE_DIR) / "templates"
CODE = Path(settings.BASE_DIR) / "testimony"


def extracted_calls(text: str, msgid: str) -> list[str]:
    """The gettext calls ``makemessages`` would find for ``msgid`` in templatized text."""
    quoted = re.escape(msgid)
    return re.findall(rf"\b(?:n?p?gettext(?:_lazy)?|_)\((?:u?'[^']*',\s*)?u?['\"]{quoted}['\"]\)", text)


def template_calls(msgid: str) -> dict[str, list[str]]:
    calls = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        found = extracted_calls(templatize(path.read_text(encoding="utf-8"), origin=str(path)), msgid)
        if found:
            calls[str(path.relative_to(TEMPLATES))] = found
    return calls


def test_the_two_senses_of_start_have_their_own_contexts():
    calls = template_calls("Start")
    assert calls["console/home.html"] == ["pgettext(u'title of the console start page', u'Start')"]
    assert calls["console/queue/bulk_confirm.html"] == ["pgettext(u'button: start the bulk job', u'Start')"]


def test_no_ambiguous_word_is_translated_without_a_context():
    for msgid in AMBIGUOUS:
        bare = {
            name: found
            for name, found in template_calls(msgid).items()
            if any(not call.startswith("pgettext") for call in found)
        }
        assert bare == {}, f"{msgid!r} without a context in templates: {bare}"
        for path in sorted(CODE.rglob("*.py")):
            found = extracted_calls(path.read_text(encoding="utf-8"), msgid)
            assert all(call.startswith(("pgettext", "npgettext")) for call in found), (path, found)


def test_the_check_notices_a_bare_start():
    # The extractor pattern itself must see a context-less use, or the test above proves nothing.
    text = templatize('{% load i18n %}{% translate "Start" %}', origin="x.html")
    assert extracted_calls(text, "Start") == ["gettext(u'Start')"]
    assert extracted_calls('_("Start")', "Start") == ['_("Start")']
