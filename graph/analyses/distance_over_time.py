"""How far aid travels over time.

The pairings grouped by the year they began (their start year as the network gives it: stated by a
source or inferred; with stated years only, inferred years are left out).  For each start year with at
least one located pairing (both ends with a point): the pairings begun that year, how many are
located, the mean, median and maximum geodesic distance in km (WGS 84) of the located ones, and how
many of the year's start years are stated by a source and how many inferred.  Pairings without a start
year are counted in the summary (``without_start``).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .distances import distance_summary, figures, pairing_records


def distance_over_time(graph: nx.Graph) -> list[dict]:
    """Distance figures per start year, in order.

    Parameters
    ----------
    graph : networkx.DiGraph
        A support network, as for ``distances.pairing_distances`` (edges with ``starts`` and
        ``start_bases`` aligned with ``ids``).

    Returns
    -------
    list of dict
        One row per start year with a located pairing: ``year``, ``pairings`` (begun that year),
        ``located``, ``mean_km``, ``median_km``, ``max_km``, ``east_to_west_share``, ``stated`` and
        ``inferred`` (how many of the year's pairings have a start year a source states, or one
        inferred).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("a", longitude=120.0, latitude=30.0)
    >>> g.add_node("r", longitude=80.0, latitude=40.0)
    >>> g.add_node("x", longitude=None, latitude=None)
    >>> g.add_edge("a", "r", ids=["P1", "P2", "P3"], starts=[2010, 2010, None],
    ...            start_bases=["stated", "programme", ""], distance_km=3900.0)
    >>> g.add_edge("a", "x", ids=["P4", "P5"], starts=[2010, 2012], start_bases=["stated", "stated"])
    >>> [(r["year"], r["pairings"], r["located"], r["mean_km"], r["stated"], r["inferred"])
    ...  for r in distance_over_time(g)]
    [(2010, 3, 2, 3900.0, 2, 1)]
    """
    years: dict = defaultdict(list)
    for record in pairing_records(graph):
        if record["start"] is not None:
            years[record["start"]].append(record)
    rows = []
    for year in sorted(years):
        records = years[year]
        located = sum(1 for r in records if r["located"])
        if not located:
            continue
        stated = sum(1 for r in records if r["start_basis"] == "stated")
        rows.append(
            {
                "year": year,
                "pairings": len(records),
                "located": located,
                **figures(records),
                "stated": stated,
                "inferred": len(records) - stated,
            }
        )
    return rows


def over_time_summary(graph: nx.Graph) -> dict:
    """The pairings' figures (``distances.distance_summary``) and how many have no start year.

    >>> g = nx.DiGraph()
    >>> g.add_node("a", longitude=120.0, latitude=30.0)
    >>> g.add_node("r", longitude=80.0, latitude=40.0)
    >>> g.add_edge("a", "r", ids=["P1", "P2"], starts=[2010, None], start_bases=["stated", ""])
    >>> over_time_summary(g)["without_start"]
    1
    """
    return {
        "without_start": sum(1 for r in pairing_records(graph) if r["start"] is None),
        **distance_summary(graph),
    }
