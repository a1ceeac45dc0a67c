"""Temporal snapshots.

For each year from the first pairing on: how many pairings begin that year, how many
pairings, edges and nodes of the support network are active (begun and not ended;
a pairing with no end year counts as still active).
"""

from __future__ import annotations

import datetime

import networkx as nx


def yearly_snapshots(graph: nx.Graph, until: int | None = None) -> list[dict]:
    """For each year from the first pairing's start on, the pairings begun and active that year.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        A projected network whose edges carry ``spells``: one (start year, end year or None)
        per pairing.
    until : int, optional
        The last year; by default the current year.

    Returns
    -------
    list of dict
        One row per year, in order: ``year``, ``new_pairings`` (starting that year),
        ``active_pairings`` (begun and not ended), ``active_edges`` and ``active_nodes`` (of
        the network they form).  No rows when no edge has a spell.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.DiGraph()
    >>> g.add_edge("a", "r", spells=[(2008, 2008)], ids=["P1"])
    >>> g.add_edge("b", "r", spells=[(2010, None)], ids=["P2"])
    >>> [(r["year"], r["new_pairings"], r["active_pairings"], r["active_edges"], r["active_nodes"])
    ...  for r in yearly_snapshots(g, until=2011)]
    [(2008, 1, 1, 1, 2), (2009, 0, 0, 0, 0), (2010, 1, 1, 1, 2), (2011, 0, 1, 1, 2)]
    """
    spells = [(a, b, s, e) for a, b, d in graph.edges(data=True) for s, e in d.get("spells", [])]
    if not spells:
        return []
    first = min(s for *_, s, _ in spells)
    last = until or datetime.date.today().year
    rows = []
    for year in range(first, last + 1):
        active = [(a, b) for a, b, s, e in spells if s <= year and (e is None or e >= year)]
        rows.append(
            {
                "year": year,
                "new_pairings": sum(1 for *_, s, _ in spells if s == year),
                "active_pairings": len(active),
                "active_edges": len(set(active)),
                "active_nodes": len({n for edge in set(active) for n in edge}),
            }
        )
    return rows
