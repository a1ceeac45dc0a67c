"""How far each pairing reaches.

For each pairing of the support network: its supporter and recipient (as the network draws them, at
its level), its programme, its start year and the basis of that year, the geodesic distance in
kilometres between the two ends' points (WGS 84, ``geo.distance_km``, to 0.1 km) and whether it runs
from east to west (the supporter at a greater longitude than its recipient, ``geo.east_to_west``).
A pairing is located when both its ends have a point; only located pairings are measured, and the
summary counts and names the others.  Summary: pairings, located, unlocated, the mean, median and
maximum distance, and the share of located pairings that run east to west.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Iterator

import networkx as nx

from .. import geo
from ..network import edge_distance, node_point


def pairing_records(graph: nx.Graph) -> Iterator[dict]:
    """One record per pairing of the support edges (by supporter, recipient, pairing id): ``supporter``,
    ``recipient`` (nodes), ``pairing`` (id), ``programme`` (its short id, '' for none), ``start`` and
    ``start_basis`` (None and '' when unknown), ``distance_km`` and ``east_to_west`` (None when
    unlocated) and ``located``.  Edges without ``ids`` count as one pairing each (``pairings``)."""
    for a, b in sorted(graph.edges, key=lambda e: (str(e[0]), str(e[1]))):
        data = graph.edges[a, b]
        ids = list(data.get("ids") or [])
        n = len(ids) or int(data.get("pairings") or 1)
        ids = ids or [""] * n
        programmes = list(data.get("pairing_programmes") or [""] * n)
        starts = list(data.get("starts") or [None] * n)
        bases = list(data.get("start_bases") or [""] * n)
        pa, pb = node_point(graph, a), node_point(graph, b)
        located = pa is not None and pb is not None
        # the edge's own distance (the support network states it), else its ends' (a graph made by hand)
        distance = data.get("distance_km", edge_distance(graph, a, b)) if located else None
        for i, ident in enumerate(ids):
            yield {
                "supporter": a,
                "recipient": b,
                "pairing": ident,
                "programme": programmes[i] if i < len(programmes) else "",
                "start": starts[i] if i < len(starts) else None,
                "start_basis": bases[i] if i < len(bases) else "",
                "distance_km": distance,
                "east_to_west": geo.east_to_west(pa, pb) if pa is not None and pb is not None else None,
                "located": located,
            }


def figures(records: Iterable[dict]) -> dict:
    """The mean, median and maximum distance (km, 0.1) and the east→west share (4 decimals) of the
    located records among ``records``; None for each when none is located.

    >>> figures([{"located": True, "distance_km": 100.0, "east_to_west": True},
    ...          {"located": True, "distance_km": 300.0, "east_to_west": False},
    ...          {"located": False, "distance_km": None, "east_to_west": None}])
    {'mean_km': 200.0, 'median_km': 200.0, 'max_km': 300.0, 'east_to_west_share': 0.5}
    """
    located = [r for r in records if r["located"]]
    km = [r["distance_km"] for r in located]
    if not km:
        return {"mean_km": None, "median_km": None, "max_km": None, "east_to_west_share": None}
    return {
        "mean_km": round(statistics.fmean(km), 1),
        "median_km": round(statistics.median(km), 1),
        "max_km": round(max(km), 1),
        "east_to_west_share": round(sum(1 for r in located if r["east_to_west"]) / len(located), 4),
    }


def node_id(graph: nx.Graph, node) -> str:
    data = graph.nodes[node] if node in graph else {}
    return data.get("id") or str(node).rsplit("/", 1)[-1]


def distance_summary(graph: nx.Graph) -> dict:
    """Pairings, located, unlocated, the figures of ``figures`` over the located ones, the unlocated
    pairings (id, and which end has no point), and a ``note`` when none is located.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", longitude=120.0, latitude=30.0)
    >>> g.add_node("r", longitude=80.0, latitude=40.0)
    >>> g.add_node("x", longitude=None, latitude=None)
    >>> g.add_edge("a", "r", ids=["P1"], starts=[2010], start_bases=["stated"], pairing_programmes=["X"])
    >>> g.add_edge("a", "x", ids=["P2"], starts=[2011], start_bases=["stated"], pairing_programmes=["X"])
    >>> s = distance_summary(g)
    >>> s["pairings"], s["located"], s["unlocated"], s["east_to_west_share"], s["unlocated_pairings"]
    (2, 1, 1, 1.0, [{'pairing': 'P2', 'supporter': 'a', 'recipient': 'x', 'without_point': ['x']}])
    >>> distance_summary(nx.DiGraph())["note"]
    'no pairing in this selection: nothing to measure'
    """
    records = list(pairing_records(graph))
    located = sum(1 for r in records if r["located"])
    summary: dict = {"pairings": len(records), "located": located, "unlocated": len(records) - located}
    summary.update(figures(records))
    summary["unlocated_pairings"] = [
        {
            "pairing": r["pairing"],
            "supporter": node_id(graph, r["supporter"]),
            "recipient": node_id(graph, r["recipient"]),
            "without_point": [
                node_id(graph, n) for n in (r["supporter"], r["recipient"]) if node_point(graph, n) is None
            ],
        }
        for r in records
        if not r["located"]
    ]
    if not records:
        summary["note"] = "no pairing in this selection: nothing to measure"
    elif not located:
        summary["note"] = (
            f"none of the {len(records)} pairings in this selection has a point at both ends, so no distance "
            "is measured (unlocated_pairings says which end has none)"
        )
    return summary


def pairing_distances(graph: nx.Graph) -> list[dict]:
    """The distance of every located pairing, the farthest first.

    Parameters
    ----------
    graph : networkx.DiGraph
        A support network: nodes with ``longitude`` and ``latitude`` (None when unknown), edges with
        ``ids``, ``pairing_programmes``, ``starts`` and ``start_bases`` (aligned with ``ids``) and
        ``distance_km`` (else computed from the ends' points).

    Returns
    -------
    list of dict
        One row per located pairing: ``supporter``, ``recipient`` (nodes), ``pairing`` (id),
        ``programme`` (id, '' for none), ``start``, ``start_basis``, ``distance_km``, ``east_to_west``;
        by distance, longest first, then by pairing.  Unlocated pairings have no row (the summary
        counts and names them).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("shanghai", longitude=121.47, latitude=31.23)
    >>> g.add_node("kashgar", longitude=75.99, latitude=39.47)
    >>> g.add_node("lhasa", longitude=91.12, latitude=29.65)
    >>> g.add_node("team", longitude=None, latitude=None)
    >>> g.add_edge("shanghai", "kashgar", ids=["P1", "P2"], starts=[2010, None], start_bases=["stated", ""],
    ...            pairing_programmes=["P-XJ", ""])
    >>> g.add_edge("shanghai", "lhasa", ids=["P3"], starts=[1994], start_bases=["programme"],
    ...            pairing_programmes=["P-TB"])
    >>> g.add_edge("shanghai", "team", ids=["P4"], starts=[2016], start_bases=["stated"], pairing_programmes=[""])
    >>> for r in pairing_distances(g):
    ...     print(r["pairing"], r["programme"], r["start"], r["start_basis"], r["distance_km"], r["east_to_west"])
    P1 P-XJ 2010 stated 4188.1 True
    P2  None  4188.1 True
    P3 P-TB 1994 programme 2911.5 True
    """
    rows = [{k: v for k, v in r.items() if k != "located"} for r in pairing_records(graph) if r["located"]]
    return sorted(rows, key=lambda r: (-r["distance_km"], r["pairing"]))
