"""PageRank.

The stationary probability of a random walk that follows edges (weighted by pairings)
and jumps anywhere with probability 0.15.  In the support network rank flows from
supporters to recipients, so much-supported recipients rank high.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "r", pairings=2)
>>> g.add_edge("b", "r", pairings=1)
>>> rows = run(g)
>>> rows[0]["node"], round(sum(r["pagerank"] for r in rows), 6)
('r', 1.0)
"""
from __future__ import annotations

import networkx as nx

from ._weights import weight_key


def run(graph: nx.Graph, **_) -> list[dict]:
    if graph.number_of_nodes() == 0:
        return []
    scores = nx.pagerank(graph, alpha=0.85, weight=weight_key(graph))
    return sorted(({"node": n, "pagerank": s} for n, s in scores.items()), key=lambda r: (-r["pagerank"], r["node"]))
