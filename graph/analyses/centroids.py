"""Where each supporter's aid goes, on average.

For each supporter with a point: its recipients (distinct, as the network draws them) and how many of
them have a point; the spherical centroid of those points (the mean of their unit vectors, projected
back onto the sphere: ``geo.centroid``); the geodesic distance in km from the supporter to that centroid
(how far its aid travels, taken together); and the spread, the mean distance of its located recipients
from the centroid (0 for a single recipient).
"""

from __future__ import annotations

import statistics

import networkx as nx

from .. import geo
from ..network import node_point
from .distances import distance_summary


def supporter_centroids(graph: nx.Graph) -> list[dict]:
    """The centroid of each located supporter's located recipients, the farthest first.

    Parameters
    ----------
    graph : networkx.DiGraph
        A support network whose nodes carry ``longitude`` and ``latitude`` (None when unknown).

    Returns
    -------
    list of dict
        One row per supporter with a point and at least one recipient with a point: ``supporter``
        (node), ``recipients`` (distinct), ``located_recipients``, ``pairings`` (to the located
        recipients; 1 per edge without ``pairings``), ``centroid_longitude``, ``centroid_latitude``,
        ``distance_km`` (supporter to centroid) and ``spread_km``, all km to 0.1; by distance, longest
        first, then by supporter.

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("s", longitude=120.0, latitude=40.0)
    >>> g.add_node("r1", longitude=80.0, latitude=40.0)
    >>> g.add_node("r2", longitude=90.0, latitude=40.0)
    >>> g.add_node("r3", longitude=None, latitude=None)
    >>> g.add_node("lost", longitude=None, latitude=None)
    >>> g.add_edge("s", "r1", pairings=2)
    >>> g.add_edge("s", "r2", pairings=1)
    >>> g.add_edge("s", "r3", pairings=1)
    >>> g.add_edge("lost", "r1", pairings=1)
    >>> [row] = supporter_centroids(g)
    >>> (row["supporter"], row["recipients"], row["located_recipients"], row["pairings"],
    ...  row["centroid_longitude"], round(row["centroid_latitude"], 2))
    ('s', 3, 2, 3, 85.0, 40.11)
    >>> row["distance_km"] == round(geo.distance_km((120.0, 40.0), (85.0, row["centroid_latitude"])), 1)
    True
    >>> row["spread_km"] == round(geo.distance_km((80.0, 40.0), (85.0, row["centroid_latitude"])), 1)
    True
    """
    rows = []
    for supporter in graph.nodes:
        home = node_point(graph, supporter)
        recipients = sorted(graph.successors(supporter), key=str) if graph.is_directed() else []
        located = [(r, p) for r in recipients if (p := node_point(graph, r)) is not None]
        if home is None or not located:
            continue
        centre = geo.centroid(p for _, p in located)
        if centre is None:  # points that cancel out (not on Earth's land: antipodes)
            continue
        rows.append(
            {
                "supporter": supporter,
                "recipients": len(recipients),
                "located_recipients": len(located),
                "pairings": sum(int(graph.edges[supporter, r].get("pairings") or 1) for r, _ in located),
                "centroid_longitude": centre[0],
                "centroid_latitude": centre[1],
                "distance_km": round(geo.distance_km(home, centre), 1),
                "spread_km": round(statistics.fmean(geo.distance_km(p, centre) for _, p in located), 1),
            }
        )
    return sorted(rows, key=lambda r: (-r["distance_km"], str(r["supporter"])))


def centroids_summary(graph: nx.Graph) -> dict:
    """The pairings' figures (``distances.distance_summary``) and how many supporters have a centroid.

    >>> g = nx.DiGraph()
    >>> g.add_node("s", longitude=120.0, latitude=40.0)
    >>> g.add_node("r", longitude=80.0, latitude=40.0)
    >>> g.add_edge("s", "r", ids=["P1"])
    >>> s = centroids_summary(g)
    >>> s["supporters"], s["supporters_with_centroid"], s["located"]
    (1, 1, 1)
    """
    supporters = [n for n in graph.nodes if graph.is_directed() and graph.out_degree(n) > 0]
    return {
        "supporters": len(supporters),
        "supporters_with_centroid": len(supporter_centroids(graph)),
        **distance_summary(graph),
    }
