"""Reciprocity.

The paper calls paired assistance a 'political gift' with no duty to return it: aid
flows one way.  This lists every reciprocal pair (u supports v and v supports u) and
gives the share of edges that are reciprocated; the claim predicts none.
"""

from __future__ import annotations

import networkx as nx


def reciprocal_pairs(graph: nx.Graph) -> list[dict]:
    """The pairs of nodes that support each other (an edge each way).

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network.  Reciprocity needs directions: an undirected network has no
        reciprocal pairs.

    Returns
    -------
    list of dict
        One row per reciprocal pair: ``node`` and ``partner``, the lesser first; sorted.
        Self-loops are not pairs.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph([("beijing", "hotan"), ("shanghai", "kashgar")])
    >>> reciprocal_pairs(g)
    []
    >>> g.add_edge("hotan", "beijing")
    >>> reciprocal_pairs(g)
    [{'node': 'beijing', 'partner': 'hotan'}]
    """
    if not graph.is_directed():
        return []
    pairs = sorted({tuple(sorted((u, v))) for u, v in graph.edges if u != v and graph.has_edge(v, u)})
    return [{"node": u, "partner": v} for u, v in pairs]


def reciprocity_summary(graph: nx.Graph) -> dict:
    """How many edges and reciprocal pairs there are, and the share of edges reciprocated.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network (reciprocity is 0.0 on an undirected one).

    Returns
    -------
    dict
        ``edges``, ``reciprocal_pairs`` and ``reciprocity`` (two edges per reciprocal pair
        over all edges; 0.0 without edges).

    Examples
    --------
    >>> import networkx as nx
    >>> reciprocity_summary(nx.DiGraph([("beijing", "hotan"), ("hotan", "beijing"), ("shanghai", "kashgar")]))
    {'edges': 3, 'reciprocal_pairs': 1, 'reciprocity': 0.6666666666666666}
    """
    pairs = reciprocal_pairs(graph)
    edges = graph.number_of_edges()
    return {
        "edges": edges,
        "reciprocal_pairs": len(pairs),
        "reciprocity": (2 * len(pairs) / edges) if edges and graph.is_directed() else 0.0,
    }
