"""analyse() speed on text it has not seen: the held-out evaluation sets, each text once.

``manage.py bench_analysis`` times generated texts whose vocabulary repeats, so after a few
reports every word is in the recognisers' caches. A worker meets new words all the time; this
measures that first pass. The process loads the models and analyses one short warm-up text
(``pipeline.warm_up``, as a worker does when it starts), then times ``analyse`` once per text of
``tests/analysis_eval/heldout`` and ``heldout2``. Nothing else warms the caches.

    .venv/bin/python benchmarks/analysis_unseen.py [--repeat N] [--profile] [--dump OUT.jsonl]

``--repeat N`` runs the measurement in N fresh processes and reports the best (the machine is
shared); ``--profile`` prints the cProfile hot spots of one pass; ``--dump`` writes every result,
to compare outputs before and after a change (``cmp``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETS = ("heldout", "heldout2")


def _texts() -> list[tuple[str, str]]:
    from tests.analysis_eval.heldout.check import load_heldout

    out = []
    for name in SETS:
        items = load_heldout(directory=ROOT / "tests/analysis_eval" / name)
        out += [(f"{name}/{item.id}", item.text) for item in items]
    return out


def _one_pass(profile: bool, dump: str | None) -> dict:
    texts = _texts()  # loaded before the models, so the loader's imports are not timed
    from testimony.analysis.pipeline import analyse, warm_up

    warm_up()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    results = []
    started = time.perf_counter()
    for _id, text in texts:
        results.append(analyse(text))
    elapsed = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    if dump:
        with open(dump, "w", encoding="utf-8") as out:
            for (id_, _text), result in zip(texts, results, strict=True):
                out.write(json.dumps({"id": id_, **result}, ensure_ascii=False, sort_keys=True) + "\n")
    chars = sum(len(text) for _id, text in texts)
    return {"texts": len(texts), "chars": chars, "seconds": elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--dump")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    if args.child or (args.repeat == 1):
        figures = _one_pass(args.profile, args.dump)
        if args.child:
            print(json.dumps(figures))
            return 0
        runs = [figures]
    else:
        runs = []
        for _ in range(args.repeat):
            child = [sys.executable, __file__, "--child"] + (["--dump", args.dump] if args.dump else [])
            out = subprocess.run(child, capture_output=True, text=True, check=True).stdout
            runs.append(json.loads(out.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    ms_per_kchar = best["seconds"] * 1000 / (best["chars"] / 1000)
    print(
        f"{best['texts']} unseen texts, {best['chars']} characters, {best['seconds']:.2f} s "
        f"(best of {len(runs)}): {ms_per_kchar:.2f} ms per 1000 characters, "
        f"{1000 / ms_per_kchar:.0f} reports/s at 1 KB, {best['texts'] / best['seconds']:.0f} of these texts/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
