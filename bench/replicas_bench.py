"""REST throughput through nginx with 1 replica and with N (tools/replicas.py), and pakg directly.

    python bench/replicas_bench.py [--clients 8] [--seconds 10] [--replicas 2]

One on-disk store of the curated data, built once; for each setup the processes are started afresh
(so that no answer is cached at the start): pakg directly (one `pakg serve`, no nginx), then nginx in
front of 1 replica, then of N. ``--clients`` threads, each on one kept-alive connection (the standard
library's client, bench/measuring.py), send for ``--seconds``:

- **distinct**: a different listing page each time (``/pairings`` and ``/actors`` with every
  ``limit``/``offset`` pair, shuffled), so that every answer is computed anew (a miss of pakg's cache);
- **repeated**: the same question again and again (``/pairings/PR-0001``), answered from the cache.

nginx sends each connection to one replica (a hash of the client's address and port), so the clients'
connections may not split evenly: the share each replica got is printed with the figures.
"""

from __future__ import annotations

import argparse
import itertools
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tools")]

from measuring import Client, percentile  # noqa: E402
from replicas import Replicas  # noqa: E402

REPEATED = "/pairings/PR-0001"


def distinct_targets(seed: int) -> list[str]:
    """Listing pages, each asked once: every limit from 1 to 50 at every offset."""
    targets = [
        f"/{kind}?limit={limit}&offset={offset}"
        for kind, total in (("pairings", 305), ("actors", 357))
        for limit in range(1, 51)
        for offset in range(total)
    ]
    random.Random(seed).shuffle(targets)
    return targets


def measure(url: str, clients: int, seconds: float, targets) -> dict:
    """``clients`` threads on one connection each, for ``seconds``, each request the next of ``targets``
    (an iterator shared by the threads): requests per second, p50 and p99 (ms), failures."""
    lock = threading.Lock()
    took: list[float] = []
    failed = [0]
    stop = time.monotonic() + seconds

    def run() -> None:
        client = Client(url)
        mine, bad = [], 0
        try:
            while time.monotonic() < stop:
                with lock:
                    target = next(targets)
                started = time.perf_counter()
                status = client.get(target)
                mine.append(time.perf_counter() - started)
                bad += status != 200
        finally:
            client.close()
        with lock:
            took.extend(mine)
            failed[0] += bad

    threads = [threading.Thread(target=run) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    return {
        "rps": len(took) / elapsed,
        "p50": 1000 * percentile(took, 0.5),
        "p99": 1000 * percentile(took, 0.99),
        "failed": failed[0],
        "requests": len(took),
    }


def setup(store: Path, replicas: int, through_nginx: bool, args, logs: Path) -> dict:
    figures = {}
    with Replicas(store=store, replicas=replicas, env={"PAKG_ACCESS_LOG": "false"}, output=logs) as running:
        url = running.url if through_nginx else running.replica_urls[0]
        warm = iter(distinct_targets(seed=1)[-2000:])  # not among the timed ones (those come first)
        measure(url, args.clients, 1.0, warm)
        figures["distinct"] = measure(url, args.clients, args.seconds, iter(distinct_targets(seed=1)))
        figures["repeated"] = measure(url, args.clients, args.seconds, itertools.repeat(REPEATED))
        shares = Counter(line["upstream"] for line in running.access_log()) if through_nginx else Counter()
    total = sum(shares.values())
    figures["shares"] = " / ".join(f"{100 * n / total:.0f}%" for _, n in sorted(shares.items())) if total else ""
    return figures


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--replicas", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="pakg-replicas-bench-") as tmp:
        store = Path(tmp) / "store"
        subprocess.run(
            [sys.executable, "-m", "pakg", "build", "--no-validate", "--store", str(store), "--out", f"{tmp}/o.nq"],
            check=True, capture_output=True, cwd=HERE.parent,
        )  # fmt: skip
        runs = {
            "pakg directly, 1 process": setup(store, 1, False, args, Path(tmp) / "logs-direct"),
            "nginx, 1 replica": setup(store, 1, True, args, Path(tmp) / "logs-1"),
            f"nginx, {args.replicas} replicas": setup(store, args.replicas, True, args, Path(tmp) / "logs-n"),
        }
    names = list(runs)
    print(f"\nREST through nginx: {args.clients} clients, {args.seconds:g} s each; req/s (p50 / p99 ms)\n")
    print(f"| variant | {' | '.join(names)} | ratio {args.replicas}/1 |")
    print(f"|---|{'---|' * len(names)}---|")
    for variant in ("distinct", "repeated"):
        cells = [f"{r[variant]['rps']:,.0f} ({r[variant]['p50']:.2f} / {r[variant]['p99']:.2f})" for r in runs.values()]
        ratio = runs[names[2]][variant]["rps"] / runs[names[1]][variant]["rps"]
        print(f"| {variant} | {' | '.join(cells)} | {ratio:.2f} |")
    failed = {n: r[v]["failed"] for n, r in runs.items() for v in ("distinct", "repeated") if r[v]["failed"]}
    print(f"\nshare of the requests per replica ({names[2]}): {runs[names[2]]['shares']}")
    print(f"failed requests: {failed or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
