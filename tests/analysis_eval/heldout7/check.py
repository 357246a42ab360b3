"""Loader and self-check for the SEVENTH held-out redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md) and as the other
held-out sets. Parsing and validation are delegated to the first held-out set's
``load_heldout(lang, directory=...)`` and ``self_check(directory, ...)``; only
this set's id ranges differ: testimonies 201–299, hard negatives 921–929.

    from tests.analysis_eval.heldout7.check import load_heldout7
    items = load_heldout7()        # all languages
    items = load_heldout7("en")    # one language

Run ``python tests/analysis_eval/heldout7/check.py`` to validate.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.analysis_eval.heldout.check import load_heldout, self_check  # noqa: E402
from tests.analysis_eval.load import Testimony  # noqa: E402

TESTIMONY_IDS = range(201, 300)
HARD_NEGATIVE_IDS = range(921, 930)


def load_heldout7(lang: str | None = None) -> list[Testimony]:
    """Parse this set exactly as ``load()`` parses the main set."""
    return load_heldout(lang, directory=HERE)


if __name__ == "__main__":
    sys.exit(self_check(HERE, testimony_ids=TESTIMONY_IDS, hard_negative_ids=HARD_NEGATIVE_IDS))
