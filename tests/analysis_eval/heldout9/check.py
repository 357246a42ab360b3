"""Loader and self-check for the NINTH held-out redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md) and as the other
held-out sets. Parsing and validation are delegated to the first held-out set's
``load_heldout(lang, directory=...)`` and ``self_check(directory, ...)``; only
this set's id ranges differ: testimonies 051–099, hard negatives 991–999.

    from tests.analysis_eval.heldout9.check import load_heldout9
    items = load_heldout9()        # all languages
    items = load_heldout9("en")    # one language

Run ``python tests/analysis_eval/heldout9/check.py`` to validate.
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

TESTIMONY_IDS = range(51, 100)
HARD_NEGATIVE_IDS = range(991, 1000)


def load_heldout9(lang: str | None = None) -> list[Testimony]:
    """Parse this set exactly as ``load()`` parses the main set."""
    return load_heldout(lang, directory=HERE)


if __name__ == "__main__":
    sys.exit(self_check(HERE, testimony_ids=TESTIMONY_IDS, hard_negative_ids=HARD_NEGATIVE_IDS))
