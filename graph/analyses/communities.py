"""Communities (Louvain).

Groups of nodes more densely linked to each other than to the rest, found by greedy
modularity optimisation (Louvain) on the undirected network weighted by pairings, with
a fixed seed so that results are reproducible.
"""

from __future__ import annotations

import networkx as nx

from ._weights import weight_key

SEED = 42


def louvain_communities(graph: nx.Graph, resolution: float = 1.0) -> list[dict]:
    """Every node's Louvain community (seeded), the largest community first.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network, taken as undirected.  An edge weighs its ``pairings`` (support
        network) or its ``weight`` (co-support projections), else 1.
    resolution : float, default 1.0
        The modularity resolution: below 1 favours fewer, larger communities, above 1 more,
        smaller ones.

    Returns
    -------
    list of dict
        One row per node: ``node``, ``community`` (0 for the largest, then by decreasing
        size, ties by their first node) and ``size`` (of its community); by community, then
        by node.

    Examples
    --------
    Two triangles joined by one edge are two communities, or one at a low resolution:

    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
    >>> [(r["node"], r["community"]) for r in louvain_communities(g)]
    [('a', 0), ('b', 0), ('c', 0), ('x', 1), ('y', 1), ('z', 1)]
    >>> {r["size"] for r in louvain_communities(g, resolution=0.01)}
    {6}
    """
    undirected = graph.to_undirected() if graph.is_directed() else graph
    groups = nx.community.louvain_communities(
        undirected, weight=weight_key(graph) or "weight", resolution=resolution, seed=SEED
    )
    ordered = sorted((sorted(c) for c in groups), key=lambda c: (-len(c), c[0]))
    return [{"node": n, "community": i, "size": len(c)} for i, c in enumerate(ordered) for n in c]
