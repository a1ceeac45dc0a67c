"""Degree and strength.

For each node: in-degree and out-degree (how many distinct partners receive from or give
to it) and in-strength and out-strength (the same counted in pairings: the sum of the
``pairings`` weights of its edges, or ``weight`` on projections).  In the support
network a supporter's out-strength is how many pairings it holds.

>>> import networkx as nx
>>> g = nx.DiGraph()
>>> g.add_edge("jiangsu", "kizilsu", pairings=3)
>>> g.add_edge("jiangxi", "kizilsu", pairings=1)
>>> g.add_edge("jiangsu", "ili", pairings=1)
>>> [(r["node"], r["in_degree"], r["out_degree"], r["in_strength"], r["out_strength"]) for r in run(g)]
[('jiangsu', 0, 2, 0, 4), ('kizilsu', 2, 0, 4, 0), ('ili', 1, 0, 1, 0), ('jiangxi', 0, 1, 0, 1)]
"""
from __future__ import annotations

import networkx as nx

from ._weights import weight_key


def run(graph: nx.Graph, **_) -> list[dict]:
    w = weight_key(graph)
    rows = []
    for node in graph.nodes:
        if graph.is_directed():
            row = {"node": node, "in_degree": graph.in_degree(node), "out_degree": graph.out_degree(node),
                   "in_strength": graph.in_degree(node, weight=w), "out_strength": graph.out_degree(node, weight=w)}
        else:
            d, s = graph.degree(node), graph.degree(node, weight=w)
            row = {"node": node, "in_degree": d, "out_degree": d, "in_strength": s, "out_strength": s}
        rows.append(row)
    return sorted(rows, key=lambda r: (-(r["in_strength"] + r["out_strength"]), r["node"]))
