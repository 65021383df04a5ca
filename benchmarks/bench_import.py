"""Benchmark `slp import`: a 10,000-row response sheet of the bundled questionnaire, as CSV and as XLSX.

Run from the repository root (figures in benchmarks/import.md)::

    python benchmarks/bench_import.py --rows 10000

The sheet is what KoboToolbox exports for the XLSForm of `slp export slp-readiness --to xlsform`
(answers, notes, n/a, gaps, context answers; generated with a fixed seed by tests/survey_sheets.py).
It measures reading and converting in process (``api.import_responses``, nothing written), then
``slp import SHEET -q slp-readiness -o DIR`` as a subprocess: wall time and its peak RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from slp_assess import api  # noqa: E402
from survey_sheets import kobo_table, respondents, write_csv, write_xlsx  # noqa: E402

# The child reports its own peak (VmHWM, Linux): getrusage(RUSAGE_CHILDREN) would count the parent's
# memory the child had between fork and exec (this process holds the 10,000 rows at that point).
_REPORT_PEAK = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    sys.stderr.write(f"\\nPEAK_KIB {kib}\\n")
atexit.register(peak)
sys.argv[0] = "slp"
runpy.run_module("slp_assess", run_name="__main__", alter_sys=True)
"""


def _slp(*args: str) -> tuple[float, int]:
    """Wall seconds and the peak RSS (MiB) of one `slp` run."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _REPORT_PEAK, *args], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, int(done.stderr.rsplit("PEAK_KIB ", 1)[1].split()[0]) // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    q = api.load_questionnaire("slp-readiness")
    people = respondents(q, args.rows, seed=2026)
    table = kobo_table(api.export_survey(q, "xlsform"), q, people)
    figures: dict[str, object] = {"rows": args.rows, "columns": len(table[0]), "items": len(q.items())}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sheets = {"csv": write_csv(folder / "responses.csv", table), "xlsx": write_xlsx(folder / "responses.xlsx", table)}
        for kind, sheet in sheets.items():
            started = time.perf_counter()
            result = api.import_responses(sheet, q)
            figures[f"{kind}_read_and_convert_s"] = round(time.perf_counter() - started, 2)
            assert len(result.rows) == args.rows
            seconds, peak = _slp("import", str(sheet), "-q", "slp-readiness", "-o", str(folder / f"out-{kind}"))
            figures[f"{kind}_slp_import_s"] = round(seconds, 2)
            figures[f"{kind}_peak_rss_mib"] = peak
            figures[f"{kind}_size_mib"] = round(sheet.stat().st_size / 2**20, 1)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:28} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
