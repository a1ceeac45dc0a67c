"""Which edge attribute counts as an edge's weight in a projection."""

from __future__ import annotations

import networkx as nx


def weight_key(graph: nx.Graph) -> str | None:
    """``pairings`` on the support network, ``weight`` on co-support projections, else none (1 per edge)."""
    for _, _, data in graph.edges(data=True):
        if "pairings" in data:
            return "pairings"
        if "weight" in data:
            return "weight"
        return None
    return None
