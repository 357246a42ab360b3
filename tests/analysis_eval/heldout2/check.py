"""Loader and self-check for the SECOND held-out redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md) and as the first
held-out set. Parsing is delegated to the first held-out set's
``load_heldout(lang, directory=...)`` (which is the main loader's ``load``),
and the checks are the same as in
``tests/analysis_eval/heldout/check.py`` with this set's id ranges:
testimonies 601–699, hard negatives 961–969.

    from tests.analysis_eval.heldout2.check import load_heldout2
    items = load_heldout2()        # all languages
    items = load_heldout2("ky")    # one language

or, equivalently:

    from tests.analysis_eval.heldout.check import load_heldout
    items = load_heldout("ky", directory="tests/analysis_eval/heldout2")

Run ``python tests/analysis_eval/heldout2/check.py`` to validate.
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

TESTIMONY_IDS = range(601, 700)
HARD_NEGATIVE_IDS = range(961, 970)


def load_heldout2(lang: str | None = None) -> list[Testimony]:
    """Parse this set exactly as ``load()`` parses the main set."""
    return load_heldout(lang, directory=HERE)


if __name__ == "__main__":
    sys.exit(self_check(HERE, testimony_ids=TESTIMONY_IDS, hard_negative_ids=HARD_NEGATIVE_IDS))
