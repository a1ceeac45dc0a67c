"""A bounded load test on loopback: concurrent clients mixing REST look-ups and light SPARQL.

    python bench/load_bench.py [--clients 50] [--seconds 60] [--pathological 4] [--fresh]
                               [--attack timeout|memory|nesting|memory,nesting]

Starts its own server, runs the clients for at most --seconds, and prints per class the number of
requests, server errors (5xx), p50 and p99, and the server's largest total memory (its process and
its query workers, sampled every 50 ms); then the same light traffic while --pathological clients
keep sending attacks: queries that run into the time limit (timeout), that grow past a worker's
memory ceiling (memory: a cartesian product ordered at random, a string doubled to gigabytes; each
text new), or that nest thousands deep (nesting).  Targets (hardening issues): zero 5xx for the light
traffic, p99 ≤ 300 ms for REST and ≤ 1 s for light SPARQL, within 2× of that under attack, and the
memory under the ceiling README's "Running it in public" documents.

The requests vary as a public service's do: REST questions about every pairing, actor, instrument
and programme of the data, and light SPARQL look-ups about each of them — some asked again (and
answered from the cache of answers), most asked for the first time.  With --fresh every SPARQL
query text is new (a numbered comment), so that each one runs on a query worker.  The clients use
the standard library's HTTP/1.1 client with kept-alive connections (they share the machine's cores
with the server, so the cheaper they are, the more the figures are the server's).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import csv
import itertools
import random
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import LiveServer, memory_mb  # noqa: E402
from measuring import Client, percentile  # noqa: E402

PA = "https://w3id.org/pakg/ontology#"
ID = "https://w3id.org/pakg/id/"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DOUBLED = ("SELECT (STRLEN(?s28) AS ?n) WHERE { BIND(\"abcdefgh\" AS ?s0) "
           + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28)) + " }")
ATTACKS = {
    "timeout": lambda n: HEAVY,
    "memory": lambda n: [f"SELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }} ORDER BY RAND() LIMIT 1 # {n}",
                         f"{DOUBLED} # {n}"][n % 2],
    "nesting": lambda n: "SELECT * WHERE " + "{ " * 3000 + f"?s ?p ?o{n}" + " }" * 3000,
}


def ids(table: str) -> list[str]:
    with (ROOT / "data" / "reference" / table).open(encoding="utf-8") as fh:
        return [row["id"] for row in csv.DictReader(fh) if row["id"]]


def requests_of_the_data() -> tuple[list[str], list[str]]:
    """REST paths and light SPARQL queries about every pairing, actor, instrument and programme."""
    pairings, actors = ids("pairings.csv"), ids("actors.csv")
    instruments, programmes = ids("instruments.csv"), ids("programmes.csv")
    rest = ([f"/pairings/{p}/instruments" for p in pairings] + [f"/pairings/{p}" for p in pairings]
            + [f"/actors/{a}" for a in actors]
            + [f"/pairings?{urllib.parse.urlencode({'recipient': a})}" for a in actors]
            + [f"/instruments/{i}" for i in instruments] + [f"/programmes/{p}" for p in programmes])
    sparql = ([f"SELECT ?p ?r WHERE {{ ?p <{PA}supporter> <{ID}actor/{a}> ; <{PA}recipient> ?r }}" for a in actors]
              + [f"ASK {{ <{ID}pairing/{p}> <{PA}programme> ?x }}" for p in pairings]
              + [f"SELECT ?l WHERE {{ <{ID}programme/{p}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}"
                 for p in programmes])
    return rest, sparql


def run(url: str, clients: int, seconds: float, pathological: int, fresh: bool = False,
        attacks: tuple[str, ...] = ("timeout",), pid: int | None = None) -> dict:
    rest, sparql = requests_of_the_data()
    stop = time.monotonic() + seconds
    results: dict[str, list[float]] = {"rest": [], "sparql": []}
    errors = {"rest": 0, "sparql": 0}
    lock = threading.Lock()
    numbers = itertools.count()

    def client(n: int) -> None:
        rng = random.Random(n)
        c = Client(url, 30)
        try:
            while time.monotonic() < stop:
                if rng.random() < 0.6:
                    kind, target = "rest", rng.choice(rest)
                else:
                    query = rng.choice(sparql) + (f" # {next(numbers)}" if fresh else "")
                    kind, target = "sparql", "/sparql?" + urllib.parse.urlencode({"query": query})
                started = time.perf_counter()
                status = c.get(target)
                took = (time.perf_counter() - started) * 1000
                with lock:
                    results[kind].append(took)
                    errors[kind] += status >= 500
        finally:
            c.close()

    def heavy(n: int):
        c = Client(url, 60, source=f"127.0.0.{n + 2}")  # each attacker from its own address
        attack = ATTACKS[attacks[n % len(attacks)]]
        try:
            while time.monotonic() < stop:
                c.get("/sparql?" + urllib.parse.urlencode({"query": attack(next(numbers))}))
        finally:
            c.close()

    peak = [0.0]

    def sample():
        while pid and time.monotonic() < stop:
            peak[0] = max(peak[0], memory_mb(pid))
            time.sleep(0.05)

    with concurrent.futures.ThreadPoolExecutor(clients + pathological + 1) as pool:
        jobs = [pool.submit(client, n) for n in range(clients)] + [pool.submit(heavy, n) for n in range(pathological)]
        jobs.append(pool.submit(sample))
        for job in jobs:
            job.result()
    figures = {k: {"requests": len(v), "5xx": errors[k], "p50": percentile(v, 0.5), "p99": percentile(v, 0.99)}
               for k, v in results.items()}
    figures["memory"] = peak[0]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--pathological", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="every SPARQL query text new (no cached answers)")
    parser.add_argument("--no-cache", action="store_true", help="run the server without its cache of answers")
    parser.add_argument("--attack", default="timeout",
                        help="what the pathological clients send: timeout, memory, nesting, or a comma-separated mix")
    args = parser.parse_args()
    attacks = tuple(args.attack.split(","))
    if not set(attacks) <= set(ATTACKS):
        parser.error(f"--attack: one or more of {', '.join(ATTACKS)}")
    env = {"PAKG_MAX_CONCURRENT_PER_CLIENT": "1000", "PAKG_ACCESS_LOG": "false"}
    if args.no_cache:
        env["PAKG_CACHE_BYTES"] = "0"
    server = LiveServer(**env)
    try:
        runs = (("light traffic", 0),
                (f"with {args.pathological} pathological clients ({args.attack})", args.pathological))
        for label, heavy in runs:
            figures = run(server.url, args.clients, args.seconds, heavy, args.fresh, attacks, server.proc.pid)
            print(f"== {args.clients} clients, {args.seconds:g} s, {label}"
                  + (", every SPARQL text new" if args.fresh else "") + (", no cache" if args.no_cache else "")
                  + f"; server and workers at most {figures.pop('memory'):.0f} MB")
            for kind, f in figures.items():
                print(f"{kind:<8} requests {f['requests']:>7}  5xx {f['5xx']:>4}  p50 {f['p50']:8.1f} ms  "
                      f"p99 {f['p99']:8.1f} ms")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
