"""A bounded load test on loopback: concurrent clients mixing REST look-ups and light SPARQL.

    python bench/load_bench.py [--clients 50] [--seconds 60] [--pathological 4]

Starts its own server, runs the clients for at most --seconds, and prints per class the number of
requests, server errors (5xx), p50 and p99; then the same light traffic while --pathological
clients keep re-sending queries that run into the time limit.  Targets (hardening issue): zero 5xx,
p99 ≤ 300 ms for REST and ≤ 1 s for light SPARQL, and within 2× of that under the pathological load.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import random
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import LiveServer  # noqa: E402

REST = [("/pairings", {"recipient": "Hotan Prefecture"}), ("/pairings/PR-0153/instruments", {}),
        ("/actors/jiangsu", {}), ("/pairings", {"q": "Qira"}), ("/instruments/I-WC-PLAN", {}),
        ("/pairings/PR-CASE-JK", {})]
LIGHT = ["ASK { ?s a <https://w3id.org/pakg/ontology#Pairing> }",
         "SELECT ?p WHERE { ?p <https://w3id.org/pakg/ontology#supporter> <https://w3id.org/pakg/id/actor/beijing> }",
         "SELECT ?l WHERE { <https://w3id.org/pakg/id/programme/P-XJ-2010> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else float("nan")


def run(url: str, clients: int, seconds: float, pathological: int) -> dict:
    stop = time.monotonic() + seconds
    results = {"rest": [], "sparql": []}
    errors = {"rest": 0, "sparql": 0}
    lock = threading.Lock()

    def client(n: int) -> None:
        rng = random.Random(n)
        with httpx.Client(base_url=url, timeout=30) as c:
            while time.monotonic() < stop:
                if rng.random() < 0.6:
                    kind, (path, params) = "rest", rng.choice(REST)
                else:
                    kind, path, params = "sparql", "/sparql", {"query": rng.choice(LIGHT)}
                started = time.perf_counter()
                status = c.get(path, params=params).status_code
                took = (time.perf_counter() - started) * 1000
                with lock:
                    results[kind].append(took)
                    errors[kind] += status >= 500

    def heavy(_):
        with httpx.Client(base_url=url, timeout=60) as c:
            while time.monotonic() < stop:
                c.get("/sparql", params={"query": HEAVY})

    with concurrent.futures.ThreadPoolExecutor(clients + pathological) as pool:
        jobs = [pool.submit(client, n) for n in range(clients)] + [pool.submit(heavy, n) for n in range(pathological)]
        for job in jobs:
            job.result()
    return {k: {"requests": len(v), "5xx": errors[k], "p50": percentile(v, 0.5), "p99": percentile(v, 0.99)}
            for k, v in results.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pathological", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    server = LiveServer(PAKG_QUERY_WORKERS=str(args.workers), PAKG_MAX_CONCURRENT_PER_CLIENT="1000")
    try:
        for label, heavy in (("light traffic", 0), (f"with {args.pathological} pathological clients", args.pathological)):
            figures = run(server.url, args.clients, args.seconds, heavy)
            print(f"== {args.clients} clients, {args.seconds:g} s, {label}")
            for kind, f in figures.items():
                print(f"{kind:<8} requests {f['requests']:>7}  5xx {f['5xx']:>4}  p50 {f['p50']:8.1f} ms  "
                      f"p99 {f['p99']:8.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
