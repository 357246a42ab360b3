"""The blind index: declined forms are found, AND semantics, and no word reaches the database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.db import connection

from testimony.review.models import Report, SearchToken
from testimony.review.search import normalise, report_index_text, search_filter

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве. Всех увезли в отдел полиции."


def index(report_factory, text=TEXT, **kwargs):
    report = report_factory(text=text, **kwargs)
    report_index_text(report=report, text=text)
    return report


def found(query) -> set:
    return set(search_filter(Report.objects.all(), query).values_list("pk", flat=True))


def test_normalise_drops_placeholders_punctuation_and_yo():
    assert normalise("[PERSON 1] Ещё, «Королёв»! o‘zbek [PHONE 12]") == ["еще", "королев", "ozbek"]


def test_declined_forms_and_case_are_found(report_factory):
    report = index(report_factory)
    other = index(report_factory, text="Мы жили в общежитии в Казани.")
    assert found("москва") == {report.pk}  # Москве → Москва: same five-letter stem
    assert found("ЗАДЕРЖАЛИ") == {report.pk}
    assert found("полиция") == {report.pk}
    assert found("общежитие") == {other.pk}
    assert found("ОМОН") == {report.pk}  # short words match whole


def test_every_word_must_match(report_factory):
    report = index(report_factory)
    index(report_factory, text="Полиция пришла в общежитие.")
    assert found("полиция москва") == {report.pk}
    assert found("полиция казань") == set()


def test_placeholders_are_not_searchable(report_factory):
    index(report_factory)
    assert found("PERSON") == set()


def test_reindexing_replaces_the_tokens(report_factory):
    report = index(report_factory)
    report_index_text(report=report, text="Совсем другой текст про вербовку.")
    assert found("москве") == set()
    assert found("вербовка") == {report.pk}


def test_the_tokens_table_holds_no_plaintext_word(report_factory):
    # given an indexed report whose words are distinctive
    words = ["Москве", "задержал", "рынке", "полиции", "людей"]
    index(report_factory)
    assert SearchToken.objects.count() > len(words)
    # when we read every byte of the token column and of the database file
    tokens = b"".join(bytes(token) for token in SearchToken.objects.values_list("token", flat=True))
    connection.close()
    raw = Path(connection.settings_dict["NAME"]).read_bytes()
    # then no word appears in any common encoding, in the tokens or anywhere in the token rows
    for word in words:
        for form in {word, word.lower(), word.casefold()}:
            for encoding in ("utf-8", "utf-16-le", "cp1251"):
                assert form.encode(encoding) not in tokens
    # The report's text is sealed, so the file as a whole must not hold the words either.
    for word in words:
        assert word.encode("utf-8") not in raw


def test_reindex_command_refreshes_tokens_and_fingerprints(report_factory):
    from django.core.management import call_command

    from testimony.audit.models import AuditEntry
    from testimony.review.models import Report
    from testimony.review.sealed import report_text_open
    from testimony.review.search import indexed_text
    from testimony.review.similar import text_fingerprint

    # given a report indexed under an older definition (another text, a stale fingerprint)
    report = report_factory(text="Полиция задержала [PERSON 1] в общежитии.")
    report_index_text(report=report, text="Совсем другой текст.")
    Report.objects.filter(pk=report.pk).update(text_fingerprint="stale")
    # when the operator reindexes
    call_command("reindex_reports", stdout=io.StringIO())
    # then search and the fingerprint follow the text as it reads
    report.refresh_from_db()
    assert search_filter(Report.objects.all(), "общежитии").filter(pk=report.pk).exists()
    assert not search_filter(Report.objects.all(), "другой").filter(pk=report.pk).exists()
    assert report.text_fingerprint == text_fingerprint(indexed_text(report_text_open(report)))
    assert AuditEntry.objects.filter(action="report.reindex").count() == 1
