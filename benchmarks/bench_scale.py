"""Benchmark every command at scale (issue 11): time against a libyaml parse, peak RSS of the process tree.

Run from the repository root (see benchmarks/README.md, "Scale")::

    python benchmarks/bench_scale.py --files 1000 10000 50000
    python benchmarks/bench_scale.py --files 10000 --only score groupby --json figures.json
    python benchmarks/bench_scale.py --files 1000 --pythonpath /tmp/old/src   # measure another checkout

Data sets (generated, never committed; bench_score.generate, 48-item slp-readiness answers):

* ``spread``: N files over 97 partnerships, interleaved (``slp score`` in every format, ``--group-by``);
* ``portfolio``: N files, partnerships of 6 respondents (``slp report DIR --format html -o out/``);
* ``one``: N files of one partnership (``slp report DIR --format html -o one.html``).

For each, the yardstick is a single-process loop parsing the same files with libyaml's C loader, run
in this process just before the command. Times come from ``--repeat`` runs (default 3), each right
after its own parse, without memory sampling; ratios are best against best, medians beside them.
Peak memory comes from one more run, sampled. Start-up compares ``slp score ONE``, ``slp report`` of 6
files and ``slp --version`` with ``python -c "import typer, rich, pydantic, yaml, jinja2"``;
``slp assess`` latency is the time from a typed answer to the next question, in a pseudo-terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import _tree_rss_kib, generate, parse_loop  # noqa: E402

TARGETS = ("score", "groupby", "portfolio", "one", "startup", "assess")
SCORE_FORMATS = (["jsonl"], ["json"], ["csv"], ["csv", "--csv-dialect", "excel-de"], ["xlsx"])
DATASETS: dict[str, Callable[[int], str] | None] = {
    "spread": None,
    "portfolio": lambda index: f"Partnerschaft {index // 6:05d}",
    "one": lambda index: "Lindenau",
}


def _tree_pss_kib(root: int) -> int:
    """Proportional set size (KiB) of a process and its descendants: pages shared after a fork count once.

    RSS counts a page every process maps; worker processes forked from a large parent share most of
    its pages, so the sum of RSS over the tree overstates what the machine gives them.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def run_tree(command: list[str], env: dict[str, str], cwd: Path | None = None, sample: bool = True) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) of the whole process tree (sampled every 20 ms) and CPU seconds of the tree.

    The peak PSS (sampled every 0.3 s) is left in ``last_pss``. With ``sample=False`` nothing is
    sampled (the RSS is 0): a timing run. Sampling reads ``/proc`` of every process of the tree
    50 times a second, which takes the kernel's locks of the processes it reads, and on two cores
    takes CPU from the command: it slowed the 500 x 6 portfolio by about a tenth.

    CPU time (user + system of the command and every worker) is what the work costs whatever else
    runs on the machine; wall time is what a user waits, and varies with the machine's load.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    peak = peak_pss = 0
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak, peak_pss
        count = 0
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            # Reading smaps_rollup walks a process's page tables: for a process of a gigabyte that
            # takes milliseconds, so PSS is sampled every 0.3 s only, lest the sampling slow the run.
            if count % 15 == 0:
                peak_pss = max(peak_pss, _tree_pss_kib(proc.pid))
            count += 1
            done.wait(0.02)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    if sample:
        sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_pss[0] = peak_pss / 1024
    return wall, peak / 1024, usage.ru_utime + usage.ru_stime - cpu_before


def timed_runs(command: list[str], env: dict[str, str], files: list[Path], repeat: int,
               before: Callable[[], None] = lambda: None) -> dict:
    """The command ``repeat`` times, unsampled, each right after a parse of ``files``: best and median figures.

    The machine's speed drifts by a tenth or more within minutes, so a single pair of runs can land
    anywhere in that range: each repeat times the yardstick and then the command back to back, and
    the ratio is taken of the best of each (as ``timeit`` does, the best run is the one least
    disturbed), with the medians beside it. ``before`` runs before each command (e.g. removes its output).
    """
    parses, walls, cpus = [], [], []
    for _ in range(repeat):
        parses.append(parse_loop(files))
        before()
        wall, _, cpu = run_tree(command, env, sample=False)
        walls.append(wall)
        cpus.append(cpu)
    return {"s": min(walls), "parse_s": min(parses), "ratio": min(walls) / min(parses),
            "median_s": statistics.median(walls), "median_parse_s": statistics.median(parses),
            "median_ratio": statistics.median(w / p for w, p in zip(walls, parses, strict=True)),
            "cpu_s": min(cpus)}


last_pss = [0.0]  # the peak PSS (MiB) of the last run_tree, for the reports' rows


def median_seconds(command: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of a command (output discarded)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def dataset(work: Path, name: str, count: int) -> list[Path]:
    """The files of a data set, generated once into ``work`` and reused."""
    folder = work / f"{name}-{count}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(folder, count, partnership_of=DATASETS[name])
        marker.write_text("")
    return sorted(folder.rglob("*.yaml"))


def measure_score(work: Path, count: int, slp: list[str], env: dict[str, str], jobs: int, groupby: bool, score: bool,
                  repeat: int) -> list[dict]:
    files = dataset(work, "spread", count)
    folder = files[0].parents[1]
    rows = []
    formats = SCORE_FORMATS if score else (["jsonl"],)
    for fmt in formats:
        out = ["-o", str(work / "scores.xlsx")] if fmt[0] == "xlsx" else []
        command = [*slp, "score", str(folder), "--format", *fmt, "--jobs", str(jobs), *out]
        try:
            _, rss, _ = run_tree(command, env)  # memory, sampled
        except SystemExit as exc:  # a format the measured checkout does not have
            rows.append({"target": "score " + " ".join(fmt), "files": count, "skipped": str(exc)[:200]})
            continue
        rows.append({"target": "score " + " ".join(fmt), "files": count, **timed_runs(command, env, files, repeat), "rss_mib": rss})
    if groupby:
        # Interleaved, best of three each: the ratio of two noisy figures needs both measured alike.
        plain_command = [*slp, "score", str(folder), "--format", "jsonl", "--jobs", str(jobs)]
        grouped_command = [*plain_command, "--group-by", "partnership"]
        plain_runs, grouped_runs = [], []
        for _ in range(max(3, repeat)):
            plain_runs.append(run_tree(plain_command, env, sample=False))
            grouped_runs.append(run_tree(grouped_command, env, sample=False))
        plain, grouped = min(plain_runs), min(grouped_runs)
        parse = min(parse_loop(files) for _ in range(repeat))
        rows.append({"target": "score --group-by partnership", "files": count, "s": grouped[0], "parse_s": parse,
                     "ratio": grouped[0] / parse, "vs_score": grouped[0] / plain[0], "cpu_s": grouped[2],
                     "cpu_vs_score": grouped[2] / plain[2], "rss_mib": run_tree(grouped_command, env)[1]})
    return rows


def measure_report(work: Path, name: str, count: int, slp: list[str], env: dict[str, str], repeat: int) -> dict:
    files = dataset(work, name, count)
    folder = files[0].parents[1]
    target = work / ("portfolio-out" if name == "portfolio" else "one.html")

    def remove_output() -> None:
        # Each run writes a new portfolio, as a first run does; what the last run wrote is on disk
        # first, so that writing it back does not fall into this run.
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
        os.sync()

    command = [*slp, "report", str(folder), "--format", "html", "-o", str(target) + ("/" if name == "portfolio" else "")]
    remove_output()
    _, rss, _ = run_tree(command, env)  # memory, sampled
    pss = last_pss[0]
    label = f"report {count // 6} x 6 (portfolio)" if name == "portfolio" else f"report of {count} respondents"
    return {"target": label, "files": count, **timed_runs(command, env, files, repeat, remove_output), "rss_mib": rss, "pss_mib": pss}


def measure_startup(work: Path, slp: list[str], env: dict[str, str], runs: int) -> dict:
    one = dataset(work, "portfolio", 6)
    baseline = median_seconds([sys.executable, "-c", "import typer, rich, pydantic, yaml, jinja2"], env, runs)
    version = median_seconds([*slp, "--version"], env, runs)
    score_one = median_seconds([*slp, "score", str(one[0]), "--format", "json"], env, runs)
    report_six = median_seconds([*slp, "report", str(one[0].parent), "--format", "html"], env, runs)
    return {
        "target": "start-up", "baseline_s": baseline, "version_s": version, "version_ratio": version / baseline,
        "score_one_s": score_one, "score_one_ratio": score_one / baseline,
        "report_six_s": report_six, "report_six_ratio": report_six / baseline,
    }


def measure_assess(work: Path, env: dict[str, str]) -> dict:
    """Median and worst time from a typed answer (Enter) to the next question's prompt."""
    import pexpect

    out = work / "assess" / "anna.yaml"
    shutil.rmtree(out.parent, ignore_errors=True)
    out.parent.mkdir(parents=True)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "slp_assess", "assess", "slp-quickcheck", "--out", str(out), "--partnership", "P", "--respondent", "Anna",
         "--role", "stadt", "--lang", "en"],
        cwd=str(out.parent), env={**env, "NO_COLOR": "1", "TERM": "xterm"}, dimensions=(40, 100), encoding="utf-8", timeout=30,
    )
    child.delaybeforesend = None  # pexpect waits 50 ms before each send by default
    child.expect(r"(?:\x1b\[0m| )1/(\d+)")  # the question counter, not a section's "1/3"
    total = int(child.match.group(1))
    child.expect_exact("> ")
    latencies = []
    for number in range(2, total + 1):
        start = time.perf_counter()
        child.sendline("2")
        child.expect_exact(f"{number}/{total}")
        child.expect_exact("> ")
        latencies.append(time.perf_counter() - start)
    child.sendintr()
    child.expect(pexpect.EOF)
    return {"target": "assess latency", "answers": len(latencies), "median_ms": 1000 * statistics.median(latencies),
            "max_ms": 1000 * max(latencies)}


def main(argv: list[str] | None = None) -> list[dict]:
    """Run the chosen measurements and print them; returns them too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--only", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--startup-runs", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3, help="timing runs of each command (best and median reported)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/slp-scale"), help="data sets are generated here once and reused")
    parser.add_argument("--pythonpath", help="measure the slp_assess found here (e.g. an exported older checkout's src)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    env = dict(os.environ)
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    args.work.mkdir(parents=True, exist_ok=True)
    slp = [sys.executable, "-m", "slp_assess"]
    rows: list[dict] = []

    def report(row: dict) -> None:
        rows.append(row)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}), flush=True)

    print(f"cpus: {os.cpu_count()}, jobs: {args.jobs}", flush=True)
    for count in args.files:
        if "score" in args.only or "groupby" in args.only:
            for row in measure_score(args.work, count, slp, env, args.jobs, "groupby" in args.only, "score" in args.only, args.repeat):
                report(row)
        if "portfolio" in args.only:
            report(measure_report(args.work, "portfolio", count, slp, env, args.repeat))
        if "one" in args.only:
            report(measure_report(args.work, "one", count, slp, env, args.repeat))
    if "startup" in args.only:
        report(measure_startup(args.work, slp, env, args.startup_runs))
    if "assess" in args.only:
        report(measure_assess(args.work, env))
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), "jobs": args.jobs, "rows": rows}, indent=2))
    return rows


if __name__ == "__main__":
    main()
