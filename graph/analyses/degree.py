"""Degree and strength.

For each node: in-degree and out-degree (how many distinct partners receive from or give
to it) and in-strength and out-strength (the same counted in pairings: the sum of the
``pairings`` weights of its edges, or ``weight`` on projections).  In the support
network a supporter's out-strength is how many pairings it holds.
"""

from __future__ import annotations

import networkx as nx

from ._weights import weight_key


def degree_and_strength(graph: nx.Graph) -> list[dict]:
    """Every node's in- and out-degree and in- and out-strength, the strongest first.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network.  An edge weighs its ``pairings`` (support network) or its
        ``weight`` (co-support projections), else 1.  On an undirected network a node's
        in- and out- values are both its degree and its strength.

    Returns
    -------
    list of dict
        One row per node: ``node``, ``in_degree``, ``out_degree`` (distinct partners),
        ``in_strength`` and ``out_strength`` (summed weights); by total strength, highest
        first, then by node.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("jiangsu", "kizilsu", pairings=3)
    >>> g.add_edge("jiangxi", "kizilsu", pairings=1)
    >>> g.add_edge("jiangsu", "ili", pairings=1)
    >>> [(r["node"], r["in_degree"], r["out_degree"], r["in_strength"], r["out_strength"])
    ...  for r in degree_and_strength(g)]
    [('jiangsu', 0, 2, 0, 4), ('kizilsu', 2, 0, 4, 0), ('ili', 1, 0, 1, 0), ('jiangxi', 0, 1, 0, 1)]
    """
    w = weight_key(graph)
    rows = []
    for node in graph.nodes:
        if graph.is_directed():
            row = {
                "node": node,
                "in_degree": graph.in_degree(node),
                "out_degree": graph.out_degree(node),
                "in_strength": graph.in_degree(node, weight=w),
                "out_strength": graph.out_degree(node, weight=w),
            }
        else:
            d, s = graph.degree(node), graph.degree(node, weight=w)
            row = {"node": node, "in_degree": d, "out_degree": d, "in_strength": s, "out_strength": s}
        rows.append(row)
    return sorted(rows, key=lambda r: (-(r["in_strength"] + r["out_strength"]), r["node"]))
