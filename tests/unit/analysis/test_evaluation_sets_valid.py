"""Every evaluation set passes its own self-check: markup, id ranges, check digits, lengths and
minimum counts. A set that fails it would score the pipeline on broken gold.

Only the exit status is asserted; the self-check's output (counts, and on failure the lines at
fault) is captured, so a blind set's text is never shown.
"""

import importlib

import pytest

from tests.analysis_eval import load
from tests.analysis_eval.evaluate import HELD_OUT_SETS
from tests.analysis_eval.heldout.check import self_check


def test_the_main_set_is_valid(capsys):
    status = load.self_check()
    capsys.readouterr()
    assert status == 0


@pytest.mark.parametrize("name", HELD_OUT_SETS)
def test_each_held_out_set_is_valid(name, capsys):
    check = importlib.import_module(f"tests.analysis_eval.{name}.check")
    ranges = {}
    if hasattr(check, "TESTIMONY_IDS"):  # the first set's ranges are self_check's defaults
        ranges = {"testimony_ids": check.TESTIMONY_IDS, "hard_negative_ids": check.HARD_NEGATIVE_IDS}
    status = self_check(check.HERE, **ranges)
    capsys.readouterr()
    assert status == 0
