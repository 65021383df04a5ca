"""Benchmark `slp score`: throughput and peak memory on N answer files, and start-up time.

Run from the repository root (see benchmarks/README.md)::

    python benchmarks/bench_score.py --files 1000
    python benchmarks/bench_score.py --files 10000 --jobs 2

It measures in one run:

(a) a plain single-process loop that only parses the same files with libyaml's C loader;
(b) ``slp score DIR --format jsonl --jobs N > /dev/null`` as a subprocess: wall time and peak RSS
    (largest single process, from ``getrusage(RUSAGE_CHILDREN)``, and the whole process tree,
    sampled from /proc while it runs);
(c) start-up: the median of several runs of ``slp --version``, ``slp score ONE.yaml --format json``
    and ``python -c "import typer, rich.console, pydantic, yaml, jinja2"``;

and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from slp_assess.loading import load_questionnaire
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.resources import bundled_questionnaires

NOTES = [
    "Im Lenkungskreis besprochen, noch nicht beschlossen.",
    "Gilt nur für die Verwaltungsebene; die Politik sieht das anders.",
    "Seit dem letzten Treffen deutlich besser.",
    "Hängt von der Förderung im nächsten Haushaltsjahr ab.",
    "Unklar, wer das auf Landkreisseite verantwortet.",
]
NAMES = ["Anna Weber", "Jonas Krüger", "Fatma Yilmaz", "Peter Schulz", "Lena Hoffmann", "Mehmet Demir"]


def pick_questionnaire() -> Questionnaire:
    """The bundled slp-readiness questionnaire, or whichever one is bundled."""
    bundled = bundled_questionnaires()
    return load_questionnaire("slp-readiness" if "slp-readiness" in bundled else sorted(bundled)[0])


def answer_file(q: Questionnaire, index: int, rng: random.Random, partnership: str | None = None) -> str:
    """A realistic filled answer file: most items answered, some with notes, some n/a.

    Without ``partnership``, files are spread over 97 partnerships.
    """
    answers: dict[str, object] = {}
    for _, item in q.items():
        roll = rng.random()
        if roll < 0.05:
            continue  # unanswered
        keys = [o.key for o in q.scales[item.scale].options]
        value = "n/a" if roll < 0.1 and not item.required else rng.choice(keys)
        answers[item.id] = {"value": value, "note": rng.choice(NOTES)} if roll > 0.85 else value
    context: dict[str, object] = {}
    for question in q.context:
        if question.type == "text":
            context[question.id] = f"Partnerschaft {index % 97}: Stadt und Landkreis, seit {2015 + index % 10}"
        elif question.type == "choice":
            context[question.id] = rng.choice([o.key for o in question.options])
        else:
            context[question.id] = rng.sample([o.key for o in question.options], k=min(3, len(question.options)))
    data = {
        "questionnaire": q.id,
        "version": q.version,
        "partnership": partnership if partnership is not None else f"Partnerschaft {index % 97}",
        "respondent": {"name": rng.choice(NAMES), "organisation": f"Gemeinde {index % 41}", "role": rng.choice(["stadt", "land"])},
        "date": f"2026-0{1 + index % 9}-1{index % 10}",
        "language": "de",
        "answers": answers,
        "context": context,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return text.replace("date: '", "date: ").replace("'\nlanguage", "\nlanguage", 1)


def generate(folder: Path, count: int, seed: int = 1, partnership_of: Callable[[int], str] | None = None) -> list[Path]:
    """Write ``count`` answer files into ``folder`` (in sub-folders of 1,000).

    ``partnership_of(index)`` names each file's partnership (default: 97 partnerships, interleaved).
    """
    q = pick_questionnaire()
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        sub = folder / f"batch-{index // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"answers-{index:05d}.yaml"
        name = partnership_of(index) if partnership_of else None
        path.write_text(answer_file(q, index, rng, name), encoding="utf-8")
        paths.append(path)
    return paths


def parse_loop(paths: list[Path]) -> float:
    """(a) Seconds to parse every file with libyaml's C loader, nothing else."""
    start = time.perf_counter()
    for path in paths:
        with path.open("rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def _tree_rss_kib(root: int) -> int:
    """Current RSS (KiB) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * resource.getpagesize() // 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_score(folder: Path, jobs: int) -> tuple[float, int, int]:
    """(b) Wall seconds, peak RSS of the largest process and peak RSS of the whole tree (KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "slp_assess", "score", str(folder), "--format", "jsonl", "--jobs", str(jobs)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.is_set():
            peak_tree = max(peak_tree, _tree_rss_kib(proc.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"slp score failed ({proc.returncode}): {stderr.decode()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(after, before), peak_tree


def median_seconds(command: list[str], runs: int) -> float:
    """(c) Median wall time of a command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run the benchmark and print the figures; returns them too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000, help="number of answer files (default 1000)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs for slp score (default 2)")
    parser.add_argument("--startup-runs", type=int, default=11, help="runs per start-up command (default 11)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="slp-bench-"))
    try:
        paths = sorted(folder.rglob("*.yaml")) if args.keep and any(folder.rglob("*.yaml")) else []
        if len(paths) != args.files:
            shutil.rmtree(folder, ignore_errors=True)
            paths = generate(folder, args.files)
        paths.sort()
        parse = parse_loop(paths)
        wall, max_single, tree = run_score(folder, args.jobs)
        slp = [sys.executable, "-m", "slp_assess"]
        version = median_seconds([*slp, "--version"], args.startup_runs)
        one = median_seconds([*slp, "score", str(paths[0]), "--format", "json"], args.startup_runs)
        baseline = median_seconds(
            [sys.executable, "-c", "import typer, rich.console, pydantic, yaml, jinja2"], args.startup_runs
        )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    figures = {
        "files": args.files,
        "jobs": args.jobs,
        "cpus": os.cpu_count() or 1,
        "parse_loop_s": parse,
        "score_s": wall,
        "throughput_ratio": parse / wall,
        "peak_rss_single_mib": max_single / 1024,
        "peak_rss_tree_mib": tree / 1024,
        "startup_version_s": version,
        "startup_score_one_s": one,
        "startup_baseline_s": baseline,
        "version_ratio": version / baseline,
        "score_one_ratio": one / baseline,
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        print(f"files: {args.files}, jobs: {args.jobs}, cpus: {figures['cpus']}")
        print(f"(a) C-loader parse loop:       {parse:8.2f} s  ({args.files / parse:,.0f} files/s)")
        print(f"(b) slp score --jobs {args.jobs}:         {wall:8.2f} s  ({args.files / wall:,.0f} files/s)")
        print(f"    throughput ratio (a/b):    {parse / wall:8.2f}x")
        print(f"    peak RSS, largest process: {max_single / 1024:8.1f} MiB")
        print(f"    peak RSS, process tree:    {tree / 1024:8.1f} MiB (sampled every 50 ms)")
        print(f"(c) start-up (median of {args.startup_runs}):")
        print(f"    import typer, rich, pydantic, yaml, jinja2: {baseline * 1000:6.0f} ms")
        print(f"    slp --version:                {version * 1000:6.0f} ms  ({version / baseline:.2f}x)")
        print(f"    slp score ONE --format json:  {one * 1000:6.0f} ms  ({one / baseline:.2f}x)")
    return figures


if __name__ == "__main__":
    main()
