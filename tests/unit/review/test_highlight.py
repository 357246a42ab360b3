"""The account as HTML: only our marks are markup; everything from the submitter is escaped text."""

from __future__ import annotations

import html
import re

from testimony.review.highlight import highlight

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "javascript:alert(document.cookie)",
    '"><svg onload=alert(1)>',
    "&lt;script&gt; already escaped",
]


def tags_in(markup: str) -> list[str]:
    return re.findall(r"<(/?[a-zA-Z][^ >]*)", markup)


def test_plain_text_is_escaped_and_carries_no_markup():
    for payload in HOSTILE:
        markup = str(highlight(payload, [], []))
        assert tags_in(markup) == []
        assert html.unescape(markup) == payload


def test_marks_are_the_only_markup_and_text_content_is_the_text():
    text = "<script>x</script> [PERSON 1] saw <img onerror=alert(1)> in Москве"
    start = text.index("[PERSON 1]")
    place = text.index("Москве")
    markup = str(
        highlight(
            text,
            [{"start": start, "end": start + 10, "label": "PERSON", "placeholder": "[PERSON 1]"}],
            [{"start": place, "end": place + 6, "name": 'Moscow"><script>', "text": "Москве"}],
        )
    )
    assert tags_in(markup) == ["mark", "/mark", "mark", "/mark"]
    assert '<mark class="redaction" data-redaction="0" data-label="PERSON">[PERSON 1]</mark>' in markup
    assert 'title="Moscow&quot;&gt;&lt;script&gt;"' in markup
    # Without the marks, the markup is the text: report.js counts offsets on it.
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", markup)) == text


def test_a_placeholder_typed_by_the_submitter_is_not_highlighted():
    text = "I am [PERSON 1] and [PERSON 1] is my friend"
    real = text.rindex("[PERSON 1]")
    markup = str(highlight(text, [{"start": real, "end": real + 10, "label": "PERSON"}], []))
    assert markup.count("<mark") == 1
    assert markup.startswith("I am [PERSON 1] and <mark")


def test_a_label_from_the_payload_is_escaped_too():
    markup = str(highlight("abc", [{"start": 0, "end": 3, "label": '"><script>'}], []))
    assert "<script>" not in markup
    assert tags_in(markup) == ["mark", "/mark"]


def test_invalid_or_overlapping_spans_are_skipped():
    text = "one two three"
    markup = str(
        highlight(
            text,
            [{"start": 4, "end": 7, "label": "PERSON"}, {"start": 50, "end": 60, "label": "PERSON"},
             {"start": "x", "end": 2, "label": "PERSON"}],
            [{"start": 5, "end": 13, "name": "X"}, {"start": 8, "end": 13, "name": "Three"}],
        )
    )  # fmt: skip
    assert markup.count('class="redaction"') == 1
    assert markup.count('class="place"') == 1
    assert html.unescape(re.sub(r"</?mark[^>]*>", "", markup)) == text
