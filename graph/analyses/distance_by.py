"""How far pairings reach, per programme, supporter or recipient.

The located pairings (both ends with a point, as in ``distances``) grouped by ``by``: their
programme (pairings under no programme form one group with the id ''), their supporter or their
recipient as the network draws them.  For each group with at least one located pairing: its pairings,
how many are located, the mean, median and maximum geodesic distance in km (WGS 84) of the located
ones and the share of them that run from east to west (the supporter at a greater longitude).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..errors import BadParameter
from .distances import figures, pairing_records

GROUPS = ("programme", "supporter", "recipient")  # what ``by`` may name


def check_by(by: str | None) -> str:
    """``by`` (default: programme), or BadParameter naming ``by``.

    >>> check_by(None), check_by("recipient")
    ('programme', 'recipient')
    >>> check_by("field")
    Traceback (most recent call last):
    ...
    graph.errors.BadParameter: by must be one of: programme, supporter, recipient (not 'field')
    """
    by = by or GROUPS[0]
    if by not in GROUPS:
        raise BadParameter("by", f"by must be one of: {', '.join(GROUPS)} (not '{by}')")
    return by


def distance_by(graph: nx.Graph, by: str | None = "programme") -> list[dict]:
    """Distance figures per programme, supporter or recipient.

    Parameters
    ----------
    graph : networkx.DiGraph
        A support network, as for ``distances.pairing_distances``.
    by : {"programme", "supporter", "recipient"}
        What the pairings are grouped by (default: programme).

    Returns
    -------
    list of dict
        One row per group with a located pairing: the group (under the key ``by``: a programme id,
        '' for none, or a node), ``pairings``, ``located``, ``mean_km``, ``median_km``, ``max_km`` and
        ``east_to_west_share``; the most located pairings first, then by group.

    Raises
    ------
    BadParameter
        When ``by`` is not one of ``GROUPS`` (parameter ``by``).

    Examples
    --------
    >>> g = nx.DiGraph()
    >>> g.add_node("beijing", longitude=116.4, latitude=39.9)
    >>> g.add_node("lhasa", longitude=91.1, latitude=29.7)
    >>> g.add_node("hotan", longitude=79.9, latitude=37.1)
    >>> g.add_node("nowhere", longitude=None, latitude=None)
    >>> g.add_edge("beijing", "lhasa", ids=["P1"], pairing_programmes=["TB"], distance_km=2551.0)
    >>> g.add_edge("beijing", "hotan", ids=["P2", "P3"], pairing_programmes=["XJ", "XJ"], distance_km=3205.0)
    >>> g.add_edge("beijing", "nowhere", ids=["P4"], pairing_programmes=["XJ"])
    >>> [(r["programme"], r["pairings"], r["located"], r["mean_km"], r["max_km"]) for r in distance_by(g)]
    [('XJ', 3, 2, 3205.0, 3205.0), ('TB', 1, 1, 2551.0, 2551.0)]
    >>> [(r["recipient"], r["located"]) for r in distance_by(g, "recipient")]
    [('hotan', 2), ('lhasa', 1)]
    >>> [(r["supporter"], r["pairings"], r["median_km"]) for r in distance_by(g, "supporter")]
    [('beijing', 4, 3205.0)]
    """
    by = check_by(by)
    groups: dict = defaultdict(list)
    for record in pairing_records(graph):
        groups[record[by]].append(record)
    rows = []
    for group, records in groups.items():
        located = sum(1 for r in records if r["located"])
        if located:
            rows.append({by: group, "pairings": len(records), "located": located, **figures(records)})
    return sorted(rows, key=lambda r: (-r["located"], str(r[by])))
