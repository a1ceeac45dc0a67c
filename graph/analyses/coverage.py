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
    """Coverage of the pairings in the filter (``pairings``: their IRIs), from the catalog's governance index."""
    rows = []
    for pairing in pairings:
        for row in catalog.governance_rows(pairing):
            rows.append((pairing, row["instrument"], *catalog.instrument_kind(row["instrument"])))
    return tabulate(rows, sorted(set(pairings)))


def summary(rows: list[dict]) -> dict:
    return {"pairings": len(rows), "without_bilateral_agreement": sum(1 for r in rows if not r["bilateral_agreement"]),
            "without_any_instrument": sum(1 for r in rows if r["soft_law"] + r["hard_law"] == 0)}
