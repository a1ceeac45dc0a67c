"""HITS hubs and authorities.

A good hub points to good authorities and a good authority is pointed to by good hubs
(mutually reinforcing, normalised to sum 1).  In the support network supporters are
the hubs and recipients the authorities.
"""

from __future__ import annotations

import networkx as nx


def hubs_and_authorities(graph: nx.Graph) -> list[dict]:
    """Every node's HITS hub and authority score, the highest combined first.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network; edges are unweighted here.

    Returns
    -------
    list of dict
        One row per node: ``node``, ``hub`` and ``authority`` (each summing to 1 over the
        nodes; all 0.0 on a network without edges); by hub plus authority, highest first,
        then by node.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("jiangsu", "kizilsu"), ("jiangsu", "ili"), ("jiangxi", "kizilsu")])
    >>> sorted((r["node"], round(r["hub"], 3), round(r["authority"], 3)) for r in hubs_and_authorities(g))
    [('ili', 0.0, 0.382), ('jiangsu', 0.618, 0.0), ('jiangxi', 0.382, 0.0), ('kizilsu', 0.0, 0.618)]
    """
    if graph.number_of_edges() == 0:
        return [{"node": n, "hub": 0.0, "authority": 0.0} for n in graph.nodes]
    # from the same start every time: without one the solver starts from a random vector, and the last
    # digits (and so the order of tied nodes) would differ from one process to the next
    hubs, authorities = nx.hits(graph, max_iter=1000, nstart={n: 1.0 for n in graph}, normalized=True)
    # scores are non-negative; the eigen-solver can return -0.0 or -1e-17 for zero
    return sorted(
        (
            {"node": n, "hub": max(0.0, float(hubs[n])), "authority": max(0.0, float(authorities[n]))}
            for n in graph.nodes
        ),
        key=lambda r: (-(r["hub"] + r["authority"]), r["node"]),
    )
