"""Paths: how an instrument reaches an actor.

The shortest directed path in the contracting-chain network from a source (an
instrument, or its issuer) to a target (a person, team, pairing or region), as a list
of labelled steps: each step names the node and the relation that leads to it.
"""

from __future__ import annotations

import networkx as nx


class NoPath(ValueError):
    """No path to report: a source or target is missing, not in the network, or unreachable."""


def steps(graph: nx.DiGraph, source: str, target: str) -> list[dict]:
    """The steps of one shortest path from ``source`` to ``target`` (see `shortest_path`)."""
    try:
        path = nx.shortest_path(graph, source, target)
    except (nx.NetworkXNoPath, nx.NodeNotFound) as exc:
        raise NoPath(str(exc)) from None
    out = []
    for i, node in enumerate(path):
        relation = graph.edges[path[i - 1], node].get("relation") if i else None
        out.append({"step": i, "node": node, "relation": relation})
    return out


def shortest_path(graph: nx.DiGraph, source: str | None = None, target: str | None = None) -> list[dict]:
    """A shortest directed path from ``source`` to ``target``, step by step.

    Parameters
    ----------
    graph : networkx.DiGraph
        A projected network (the contracting chain by default); edges may carry a
        ``relation``.
    source, target : str or None
        The nodes (IRIs) to go from and to; both are needed.

    Returns
    -------
    list of dict
        One row per step, from the source: ``step`` (0 for the source), ``node`` and
        ``relation`` (of the edge leading to the node; None for the source).

    Raises
    ------
    NoPath
        Without a source or a target, when either is not in the network, or when the target
        cannot be reached from the source.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_node("i", label_zh="指示", label_en="directive", kind="LeadershipDirective")
    >>> g.add_node("p", label_zh="结对", label_en="pairing", kind="Pairing")
    >>> g.add_node("d", label_zh="医生", label_en="doctor", kind="Person")
    >>> g.add_edge("i", "p", relation="governs")
    >>> g.add_edge("p", "d", relation="member")
    >>> [(s["step"], s["node"], s["relation"]) for s in shortest_path(g, "i", "d")]
    [(0, 'i', None), (1, 'p', 'governs'), (2, 'd', 'member')]
    >>> shortest_path(g, "d", "i")
    Traceback (most recent call last):
    ...
    graph.analyses.paths.NoPath: No path between d and i.
    """
    if source is None or target is None:
        raise NoPath("give a source and a target")
    return steps(graph, source, target)
