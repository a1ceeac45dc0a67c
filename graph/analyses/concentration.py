"""Concentration of support.

For each recipient: how many supporters it has and how many pairings it receives; and,
over all recipients, the Gini coefficient of pairings per recipient (0 when every
recipient receives the same, towards 1 when a few receive nearly all).
"""

from __future__ import annotations

import networkx as nx

from ..errors import BadParameter
from ._weights import weight_key


def gini(values: list[float]) -> float:
    """The Gini coefficient: mean absolute difference over twice the mean.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 10])
    (0.0, 0.75)
    """
    values = sorted(values)
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return 0.0
    weighted = sum((i + 1) * v for i, v in enumerate(values))
    return round((2 * weighted) / (n * total) - (n + 1) / n, 10)


def recipient_concentration(graph: nx.Graph) -> list[dict]:
    """Every recipient's number of supporters and of pairings received, the most pairings first.

    Parameters
    ----------
    graph : networkx.DiGraph
        A directed projected network (a recipient is the end of a support edge).  An edge
        weighs its ``pairings`` (support network) or its ``weight``, else 1.

    Returns
    -------
    list of dict
        One row per node with at least one incoming edge: ``node``, ``supporters``
        (in-degree) and ``pairings`` (in-strength); by pairings, then supporters, highest
        first, then by node.

    Raises
    ------
    BadParameter
        On an undirected network (parameter ``view``).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "r1", pairings=3)
    >>> g.add_edge("b", "r1", pairings=1)
    >>> g.add_edge("a", "r2", pairings=1)
    >>> [(r["node"], r["supporters"], r["pairings"]) for r in recipient_concentration(g)]
    [('r1', 2, 4), ('r2', 1, 1)]
    """
    if not graph.is_directed():  # a recipient is the end of a support edge: undefined without directions
        raise BadParameter(
            "view", f"concentration needs a directed network; the '{graph.graph.get('view', '')}' view is undirected"
        )
    w = weight_key(graph)
    rows = [
        {"node": n, "supporters": graph.in_degree(n), "pairings": graph.in_degree(n, weight=w)}
        for n in graph.nodes
        if graph.in_degree(n) > 0
    ]
    return sorted(rows, key=lambda r: (-r["pairings"], -r["supporters"], r["node"]))


def concentration_summary(graph: nx.Graph) -> dict:
    """How many recipients there are and how unequally pairings and supporters fall on them.

    Parameters
    ----------
    graph : networkx.DiGraph
        A directed projected network, as for `recipient_concentration`.

    Returns
    -------
    dict
        ``recipients``, ``gini_pairings_per_recipient`` and ``gini_supporters_per_recipient``
        (Gini coefficients, 0 for equal shares).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "r1", pairings=3)
    >>> g.add_edge("b", "r1", pairings=1)
    >>> g.add_edge("a", "r2", pairings=1)
    >>> concentration_summary(g)
    {'recipients': 2, 'gini_pairings_per_recipient': 0.3, 'gini_supporters_per_recipient': 0.1666666667}
    """
    rows = recipient_concentration(graph)
    return {
        "recipients": len(rows),
        "gini_pairings_per_recipient": gini([r["pairings"] for r in rows]),
        "gini_supporters_per_recipient": gini([r["supporters"] for r in rows]),
    }
