"""Connected components.

Groups of nodes joined by edges, ignoring direction (weakly connected components of a
directed network); the largest first.  Each node's row gives its component and that
component's size.
"""

from __future__ import annotations

import networkx as nx


def connected_components(graph: nx.Graph) -> list[dict]:
    """Every node's connected component (weakly connected on a directed network), the largest first.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network; directions are ignored.

    Returns
    -------
    list of dict
        One row per node: ``node``, ``component`` (0 for the largest component, then by
        decreasing size, ties by their first node) and ``size`` (of its component); by
        component, then by node.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("a", "b"), ("c", "b"), ("x", "y")])
    >>> [(r["node"], r["component"], r["size"]) for r in connected_components(g)]
    [('a', 0, 3), ('b', 0, 3), ('c', 0, 3), ('x', 1, 2), ('y', 1, 2)]
    """
    groups = nx.weakly_connected_components(graph) if graph.is_directed() else nx.connected_components(graph)
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return [{"node": n, "component": i, "size": len(c)} for i, c in enumerate(ordered) for n in c]
