"""Governance coverage.

For each pairing: how many instruments govern or authorise it, of each kind (directly,
through its programme, through a parent pairing or as authorising hard law), and whether
a bilateral agreement is recorded for it.  The summary counts the pairings with no
bilateral agreement.

>>> rows = [("p1", "agr", "soft-law", "bilateral-agreement"), ("p1", "law", "hard-law", "law"),
...         ("p2", "plan", "soft-law", "central-policy")]
>>> [(r["node"], r["soft_law"], r["hard_law"], r["bilateral_agreement"]) for r in tabulate(rows, ["p1", "p2", "p3"])]
[('p3', 0, 0, False), ('p2', 1, 0, False), ('p1', 1, 1, True)]
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

INSTRUMENTS_FOR_ALL = "instruments_for_pairing"


def tabulate(rows, pairings) -> list[dict]:
    """rows: (pairing, instrument, kind, type); every pairing gets a row, governed or not."""
    found: defaultdict[str, dict[str, set]] = defaultdict(lambda: {"hard-law": set(), "soft-law": set(),
                                                                   "agreements": set()})
    for pairing, instrument, kind, type_ in rows:
        found[pairing][kind].add(instrument)
        if type_ == "bilateral-agreement":
            found[pairing]["agreements"].add(instrument)
    out = [{"node": p, "soft_law": len(found[p]["soft-law"]), "hard_law": len(found[p]["hard-law"]),
            "bilateral_agreement": bool(found[p]["agreements"])} for p in pairings]
    return sorted(out, key=lambda r: (r["bilateral_agreement"], r["soft_law"] + r["hard_law"], r["node"]))


def run(graph: nx.Graph, catalog=None, pairings=None, **_) -> list[dict]:
    """Coverage of the pairings in the filter (``pairings``: their IRIs)."""
    from .. import queries
    from ..catalog import INSTRUMENT_TYPES
    query = queries.get(INSTRUMENTS_FOR_ALL)
    if not hasattr(catalog, "_coverage_rows"):
        catalog._coverage_rows = [
            (r["pairing"].value, r["instrument"].value,
             "hard-law" if r["kind"].value.endswith("HardLaw") else "soft-law",
             INSTRUMENT_TYPES.get(r["type"].value.rsplit("#", 1)[-1]) if "type" in r else None)
            for r in catalog.engine.select(query.text)]
    wanted = set(pairings)
    return tabulate([r for r in catalog._coverage_rows if r[0] in wanted], sorted(wanted))


def summary(rows: list[dict]) -> dict:
    return {"pairings": len(rows), "without_bilateral_agreement": sum(1 for r in rows if not r["bilateral_agreement"]),
            "without_any_instrument": sum(1 for r in rows if r["soft_law"] + r["hard_law"] == 0)}
