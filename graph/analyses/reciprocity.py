"""Reciprocity.

The paper calls paired assistance a 'political gift' with no duty to return it: aid
flows one way.  This lists every reciprocal pair (u supports v and v supports u) and
gives the share of edges that are reciprocated; the claim predicts none.

>>> import networkx as nx
>>> g = nx.DiGraph([("beijing", "hotan"), ("shanghai", "kashgar")])
>>> run(g), summary(g)
([], {'edges': 2, 'reciprocal_pairs': 0, 'reciprocity': 0.0})
>>> g.add_edge("hotan", "beijing")
>>> run(g)
[{'node': 'beijing', 'partner': 'hotan'}]
"""
from __future__ import annotations

import networkx as nx


def run(graph: nx.Graph, **_) -> list[dict]:
    if not graph.is_directed():
        return []
    pairs = sorted({tuple(sorted((u, v))) for u, v in graph.edges if u != v and graph.has_edge(v, u)})
    return [{"node": u, "partner": v} for u, v in pairs]


def summary(graph: nx.Graph, **_) -> dict:
    pairs = run(graph)
    edges = graph.number_of_edges()
    return {"edges": edges, "reciprocal_pairs": len(pairs),
            "reciprocity": (2 * len(pairs) / edges) if edges and graph.is_directed() else 0.0}
