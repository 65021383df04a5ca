"""Benchmark `slp serve`: N simulated participants answer the whole questionnaire at once, on loopback only.

Run from the repository root (see benchmarks/README.md)::

    python benchmarks/bench_serve.py                      # 60 participants, slp-quickcheck
    python benchmarks/bench_serve.py --participants 60 --questionnaire slp-readiness --json

The server runs in a process of its own (uvicorn on 127.0.0.1, a free port; never another
address), so the simulated phones do not share its interpreter. Each participant is a thread
with its own cookie jar: join, then for every question load the page and send the answer,
without pause. The latency measured is from sending an answer to its response, which the server
sends only after the answer file is saved (fsync and rename), so it bounds the time from answer
to saved file. Afterwards every answer file is read back and the answers on disk are counted:
none may be lost. The run is bounded: at most --timeout seconds, then the phones stop.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from serve_support import Phone, start_workshop  # noqa: E402
from slp_assess.serve.security import Limits  # noqa: E402

# All phones come from 127.0.0.1 here and answer without pause, faster than any person taps, so the
# limits per address and per participant are raised; tests/test_serve_http.py checks the shipped ones.
BENCH_LIMITS = Limits(joins=(1000, 1000.0), answers=(1000, 1000.0), requests=(100_000, 10_000.0))


def _serve(folder: str, questionnaire: str, ready: multiprocessing.Queue, stop: multiprocessing.Event) -> None:  # type: ignore[type-arg]
    server = start_workshop(Path(folder), "self", "de", questionnaire, limits=BENCH_LIMITS)
    ready.put((server.port, server.join_path))
    stop.wait()
    server.stop()


def _participant(port: int, join_path: str, n: int, deadline: float, think: float, latencies: list[float], sent: list[int], errors: list[str]) -> None:
    pause = random.Random(n)
    phone = Phone(port)
    page = phone.get(f"{join_path}/")
    page = phone.post(f"{join_path}/join", {"csrf": page.csrf(), "name": f"Person {n:02d}", "side": ("stadt", "landkreis", "gemeinde")[n % 3]})
    k = 0
    while page.step() is not None and time.monotonic() < deadline:
        text = '<textarea id="text"' in page.body
        values = [v for v in _values(page.body)]
        field = ("text", f"Antwort {n}") if text else ("value", values[(n + k) % len(values)])
        if think:
            time.sleep(pause.uniform(0, think))
        started = time.perf_counter()
        reply = phone.post(f"{join_path}/answer", [("csrf", page.csrf()), ("step", page.step() or ""), ("action", "answer"), field], follow=False)
        latencies.append(time.perf_counter() - started)
        if reply.status != 303:
            errors.append(f"person {n}: answer got {reply.status}")
            return
        sent[n] += 1
        k += 1
        page = phone.get(reply.headers["location"])


def _values(body: str) -> list[str]:
    import re

    return re.findall(r'name="value" value="([^"]+)"', body)


def run(participants: int, questionnaire: str, timeout: float, think: float = 0.0) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "workshop"
        context = multiprocessing.get_context("spawn")
        ready, stop = context.Queue(), context.Event()
        server = context.Process(target=_serve, args=(str(folder), questionnaire, ready, stop), daemon=True)
        server.start()
        port, join_path = ready.get(timeout=30)
        latencies: list[float] = []
        sent = [0] * participants
        errors: list[str] = []
        deadline = time.monotonic() + timeout
        threads = [threading.Thread(target=_participant, args=(port, join_path, n, deadline, think, latencies, sent, errors)) for n in range(participants)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic() + 5))
        wall = time.perf_counter() - started
        stop.set()
        server.join(timeout=30)
        on_disk = 0
        files = sorted(folder.glob("*.yaml"))
        for path in files:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            on_disk += len(data.get("answers") or {}) + len(data.get("context") or {})
    ordered = sorted(latencies)
    return {
        "participants": participants, "questionnaire": questionnaire, "think_s": think, "files": len(files), "answers_sent": sum(sent),
        "answers_on_disk": on_disk, "lost": sum(sent) - on_disk, "errors": errors[:5], "wall_s": round(wall, 2),
        "answers_per_s": round(sum(sent) / wall, 1) if wall else None,
        "p50_ms": round(1000 * statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1) if ordered else None,
        "max_ms": round(1000 * ordered[-1], 1) if ordered else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=60)
    parser.add_argument("--questionnaire", default="slp-quickcheck")
    parser.add_argument("--timeout", type=float, default=120.0, help="stop the phones after this many seconds")
    parser.add_argument("--think", type=float, default=0.0, help="each phone pauses up to this many seconds (uniform) before an answer")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = run(args.participants, args.questionnaire, args.timeout, args.think)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{figures['participants']} participants, {figures['questionnaire']}, think time up to {figures['think_s']} s: "
          f"{figures['answers_sent']} answers in {figures['wall_s']} s ({figures['answers_per_s']}/s)")
    print(f"answer -> saved file: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, max {figures['max_ms']} ms")
    print(f"answers on disk: {figures['answers_on_disk']} of {figures['answers_sent']} sent; lost: {figures['lost']}")
    if figures["errors"]:
        print("errors:", *figures["errors"], sep="\n  ")


if __name__ == "__main__":
    main()
