"""HITS hubs and authorities.

A good hub points to good authorities and a good authority is pointed to by good hubs
(mutually reinforcing, normalised to sum 1).  In the support network supporters are
the hubs and recipients the authorities.
"""

from __future__ import annotations

import networkx as nx
import numpy as np


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
    hubs, authorities = _power_iteration(graph)
    return sorted(
        (
            {"node": n, "hub": float(h), "authority": float(a)}
            for n, h, a in zip(graph.nodes, hubs, authorities, strict=True)
        ),
        key=lambda r: (-(r["hub"] + r["authority"]), r["node"]),
    )


def _power_iteration(graph: nx.Graph, max_iter: int = 1000, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray]:
    """Hub and authority vectors (each summing to 1), in the order of ``graph.nodes``, by power
    iteration from the uniform vector.  (networkx's ``hits`` asks a sparse eigen-solver for one
    singular vector: on a network of separate, equal parts, where the largest singular value is
    shared, its answer depends on a random start and can even divide by a sum of zero.  From the
    uniform start the iteration gives the same scores every time, equal parts scoring alike.)"""
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=list(graph.nodes), weight=None, dtype=float, format="csr")
    hubs = np.full(graph.number_of_nodes(), 1.0 / graph.number_of_nodes())
    for _ in range(max_iter):
        authorities = adjacency.T @ hubs
        authorities /= authorities.sum()
        fresh = adjacency @ authorities
        fresh /= fresh.sum()
        done = np.abs(fresh - hubs).sum() < tol
        hubs = fresh
        if done:
            break
    authorities = adjacency.T @ hubs
    return hubs, authorities / authorities.sum()
