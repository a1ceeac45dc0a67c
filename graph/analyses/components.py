"""Connected components.

Groups of nodes joined by edges, ignoring direction (weakly connected components of a
directed network); the largest first.  Each node's row gives its component and that
component's size.

>>> import networkx as nx
>>> g = nx.DiGraph([("a", "b"), ("c", "b"), ("x", "y")])
>>> [(r["node"], r["component"], r["size"]) for r in run(g)]
[('a', 0, 3), ('b', 0, 3), ('c', 0, 3), ('x', 1, 2), ('y', 1, 2)]
"""
from __future__ import annotations

import networkx as nx


def run(graph: nx.Graph, **_) -> list[dict]:
    groups = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return [{"node": n, "component": i, "size": len(c)} for i, c in enumerate(ordered) for n in c]
