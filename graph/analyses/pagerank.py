"""PageRank.

The stationary probability of a random walk that follows edges (weighted by pairings)
and jumps anywhere with probability 0.15.  In the support network rank flows from
supporters to recipients, so much-supported recipients rank high.
"""

from __future__ import annotations

import networkx as nx

from ._weights import weight_key


def pagerank_centrality(graph: nx.Graph) -> list[dict]:
    """Every node's PageRank (damping 0.85, edges weighted by pairings), the highest first.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network.  An edge weighs its ``pairings`` (support network) or its
        ``weight`` (co-support projections), else 1.

    Returns
    -------
    list of dict
        One row per node: ``node`` and ``pagerank`` (the scores sum to 1); highest first,
        then by node.  No rows for an empty network.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "r", pairings=2)
    >>> g.add_edge("b", "r", pairings=1)
    >>> [(r["node"], round(r["pagerank"], 3)) for r in pagerank_centrality(g)]
    [('r', 0.574), ('a', 0.213), ('b', 0.213)]
    """
    if graph.number_of_nodes() == 0:
        return []
    scores = nx.pagerank(graph, alpha=0.85, weight=weight_key(graph))
    return sorted(({"node": n, "pagerank": s} for n, s in scores.items()), key=lambda r: (-r["pagerank"], r["node"]))
