"""Concentration of support.

For each recipient: how many supporters it has and how many pairings it receives; and,
over all recipients, the Gini coefficient of pairings per recipient (0 when every
recipient receives the same, towards 1 when a few receive nearly all).

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("a", "r1", pairings=3)
>>> g.add_edge("b", "r1", pairings=1)
>>> g.add_edge("a", "r2", pairings=1)
>>> [(r["node"], r["supporters"], r["pairings"]) for r in run(g)]
[('r1', 2, 4), ('r2', 1, 1)]
>>> summary(g)["gini_pairings_per_recipient"]
0.3
>>> gini([1, 1, 1, 1])
0.0
"""
from __future__ import annotations

import networkx as nx

from ..catalog import BadParameter
from ._weights import weight_key


def gini(values: list[float]) -> float:
    """The Gini coefficient: mean absolute difference over twice the mean."""
    values = sorted(values)
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(values))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 10)


def run(graph: nx.Graph, **_) -> list[dict]:
    if not graph.is_directed():  # a recipient is the end of a support edge: undefined without directions
        raise BadParameter("view", f"concentration needs a directed network; the "
                                   f"'{graph.graph.get('view', '')}' view is undirected")
    w = weight_key(graph)
    rows = [{"node": n, "supporters": graph.in_degree(n), "pairings": graph.in_degree(n, weight=w)}
            for n in graph.nodes if graph.in_degree(n) > 0]
    return sorted(rows, key=lambda r: (-r["pairings"], -r["supporters"], r["node"]))


def summary(graph: nx.Graph, **_) -> dict:
    rows = run(graph)
    return {"recipients": len(rows), "gini_pairings_per_recipient": gini([r["pairings"] for r in rows]),
            "gini_supporters_per_recipient": gini([r["supporters"] for r in rows])}
