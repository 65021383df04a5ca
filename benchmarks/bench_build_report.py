"""Time building the report data of one partnership: ``build_report`` + ``finish_report`` + the index row.

Run from the repository root on a portfolio of partnerships of 6 (``bench_scale.py --files 3000
--only portfolio`` generates one)::

    python benchmarks/bench_build_report.py [FOLDER] [tottime|cumtime]   # best of 4 runs over 150 partnerships
    python benchmarks/bench_build_report.py [FOLDER] once                 # every partnership once, as a portfolio run

The first prints the best of 4 runs in ms per report; the same 150 partnerships are built in each run,
so from the second run on every per-questionnaire cache already holds what they need. ``once``
builds each partnership of the folder once in this fresh process, as ``slp report DIR -o out/`` does.
Both print a hash of every report's JSON and one of every index row, which must not change when the
building gets faster.
"""

from __future__ import annotations

import cProfile
import gc
import hashlib
import json
import pstats
import sys
import time
from pathlib import Path

from slp_assess import api
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.portfolio import index_row
from slp_assess.reportdata import build_report, finish_report

args = sys.argv[1:]
mode = args.pop() if args and args[-1] in ("tottime", "cumtime", "once") else None
folder = Path(args[0] if args else "/tmp/slp-scale/portfolio-3000")
loaded = api.load_assessments([folder], QuestionnaireCatalog.with_files([]))
groups = api.report_groups(loaded)
if mode != "once":
    groups = groups[:150]
gc.disable()


def run() -> list:
    out = []
    for questionnaire, group, notes in groups:
        report = build_report(questionnaire, group, lang="de", anonymize=False, generated=None, generator="x",
                              session_notes=list(notes))
        report = finish_report(report, False, False, ())
        out.append(index_row(report, "n").model_dump())
        out.append(report)
    return out


best = 1e9
for _ in range(1 if mode == "once" else 4):
    start = time.perf_counter()
    results = run()
    best = min(best, time.perf_counter() - start)
print(f"build {best / len(groups) * 1000:.2f} ms/report ({len(groups)} partnerships{', once' if mode == 'once' else ''})")
print("reports", hashlib.sha256("".join(r.model_dump_json() for r in results[1::2]).encode()).hexdigest()[:16])
print("index rows", hashlib.sha256(json.dumps(results[::2], sort_keys=True).encode()).hexdigest()[:16])
if mode in ("tottime", "cumtime"):
    cProfile.run("run()", "/tmp/bench_build_report.prof")
    pstats.Stats("/tmp/bench_build_report.prof").sort_stats(mode).print_stats(40)
