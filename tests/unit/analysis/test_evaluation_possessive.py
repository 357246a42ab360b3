"""The evaluation's rule for an English possessive at the end of a gold span."""

import pytest

from tests.analysis_eval.evaluate import _without_possessive


@pytest.mark.parametrize(
    ("text", "hidden_up_to"),
    [
        ("They took Alisher's passport", "They took Alisher"),
        ("They took Alisher’s passport", "They took Alisher"),
    ],
)
def test_a_possessive_need_not_be_hidden(text, hidden_up_to):
    start = text.index("Alisher")
    end = text.index(" passport")
    assert _without_possessive(text, start, end) == len(hidden_up_to)


@pytest.mark.parametrize("surface", ["Alisher", "Jones", "O's", "Sa'diya", "Tog'"])
def test_other_spans_keep_their_end(surface):
    text = f"met {surface} there"
    start = text.index(surface)
    end = start + len(surface)
    assert _without_possessive(text, start, end) == end
