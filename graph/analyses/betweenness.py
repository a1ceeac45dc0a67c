"""Betweenness centrality.

The share of shortest paths between other pairs of nodes that pass through a node
(normalised to 0–1).  Exact by default; with ``k`` it is estimated from ``k`` sampled
source nodes (seed 42, so results repeat), which is what large graphs need.

>>> import networkx as nx
>>> g = nx.DiGraph([("centre", "province"), ("province", "county"), ("province", "hospital")])
>>> {r["node"]: round(r["betweenness"], 3) for r in run(g)}
{'province': 0.333, 'centre': 0.0, 'county': 0.0, 'hospital': 0.0}
>>> {r["node"]: round(r["betweenness"], 3) for r in run(g, k=4)}["province"]
0.333
"""
from __future__ import annotations

import networkx as nx

SEED = 42


def run(graph: nx.Graph, k: int | None = None, **_) -> list[dict]:
    k = None if not k or k >= graph.number_of_nodes() else int(k)
    scores = nx.betweenness_centrality(graph, k=k, normalized=True, seed=SEED if k else None)
    return sorted(({"node": n, "betweenness": s} for n, s in scores.items()),
                  key=lambda r: (-r["betweenness"], r["node"]))
