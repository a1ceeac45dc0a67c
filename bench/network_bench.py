"""Network benchmarks: analyses through the API on the curated data, and approximate betweenness at scale.

    python bench/network_bench.py [--nodes 100000] [--k 64] [--requests 20]

Prints figures; asserts nothing (machines are noisy).  Targets from the network issue:
every analysis answers through the API in under 200 ms (p50, warm), and approximate
betweenness on a synthetic 100,000-node support network finishes in under 10 s.
Talks only to a server it starts itself on a loopback port.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import httpx
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conftest import LiveServer  # noqa: E402
from measuring import percentile  # noqa: E402

from graph.analyses import ANALYSES, betweenness  # noqa: E402

PARAMS = {"paths": {"source": "I-XJ-MED-2016", "target": "case-person-l"}, "betweenness": {"k": 32}}


def synthetic_support_network(nodes: int, seed: int = 7) -> nx.DiGraph:
    """Supporters → recipients with the shape of the real data: a few supporters with many
    recipients each, some recipients contracting aid further down (sub-pairings)."""
    rng = random.Random(seed)
    supporters = max(1, nodes // 20)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(nodes))
    for recipient in range(supporters, nodes):
        for supporter in rng.sample(range(supporters), k=rng.choice((1, 1, 2, 3))):
            graph.add_edge(supporter, recipient, pairings=rng.randint(1, 3))
    for supporter in range(supporters):  # provinces contract to cities that support counties
        if rng.random() < 0.3:
            graph.add_edge(rng.randrange(supporters), supporter, pairings=1)
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    print(f"== approximate betweenness, synthetic support network of {args.nodes:,} nodes")
    started = time.perf_counter()
    graph = synthetic_support_network(args.nodes)
    built = time.perf_counter() - started
    print(f"nodes {graph.number_of_nodes():,}  edges {graph.number_of_edges():,}  generated in {built:.2f} s")
    for k in (args.k, 16 * args.k):
        started = time.perf_counter()
        rows = betweenness.betweenness_centrality(graph, k=k)
        took = time.perf_counter() - started
        print(f"betweenness k={k}: {took:.2f} s (target < 10 s)  top node {rows[0]['node']} "
              f"({rows[0]['betweenness']:.2e})")

    print(f"\n== analyses through the API on the curated data ({args.requests} warm requests each, loopback)")
    server = LiveServer()
    try:
        print(f"{'analysis':<14}{'first (ms)':>12}{'p50 (ms)':>10}{'p99 (ms)':>10}  target p50 < 200 ms")
        with httpx.Client(base_url=server.url, timeout=60) as client:
            for name in ANALYSES:
                params = PARAMS.get(name, {})
                started = time.perf_counter()
                client.get(f"/analysis/{name}", params=params).raise_for_status()
                first = (time.perf_counter() - started) * 1000
                times = []
                for _ in range(args.requests):
                    started = time.perf_counter()
                    client.get(f"/analysis/{name}", params=params).raise_for_status()
                    times.append((time.perf_counter() - started) * 1000)
                p50, p99 = statistics.median(times), percentile(times, 0.99)
                print(f"{name:<14}{first:>12.1f}{p50:>10.1f}{p99:>10.1f}  {'ok' if p50 < 200 else 'SLOW'}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
