"""Communities (Louvain).

Groups of nodes more densely linked to each other than to the rest, found by greedy
modularity optimisation (Louvain) on the undirected network weighted by pairings, with
a fixed seed so that results are reproducible.

>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
>>> rows = {r["node"]: r["community"] for r in run(g)}
>>> rows["a"] == rows["b"] == rows["c"], rows["x"] == rows["y"] == rows["z"], rows["a"] != rows["x"]
(True, True, True)
"""
from __future__ import annotations

import networkx as nx

from ._weights import weight_key

SEED = 42


def run(graph: nx.Graph, resolution: float = 1.0, **_) -> list[dict]:
    undirected = graph.to_undirected() if graph.is_directed() else graph
    groups = nx.community.louvain_communities(undirected, weight=weight_key(graph) or "weight",
                                              resolution=resolution, seed=SEED)
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return [{"node": n, "community": i, "size": len(c)} for i, c in enumerate(ordered) for n in c]
