"""Governance coverage.

For each pairing: how many instruments govern or authorise it, of each kind (directly,
through its programme, through a parent pairing or as authorising hard law), and whether
a bilateral agreement is recorded for it.  The summary counts the pairings with no
bilateral agreement.
"""

from __future__ import annotations

from collections import defaultdict


def tabulate(rows, pairings) -> list[dict]:
    """rows: (pairing, instrument, kind, type); every pairing gets a row, governed or not.

    >>> rows = [("p1", "agr", "soft-law", "bilateral-agreement"), ("p1", "law", "hard-law", "law"),
    ...         ("p2", "plan", "soft-law", "central-policy")]
    >>> [(r["node"], r["soft_law"], r["hard_law"], r["bilateral_agreement"])
    ...  for r in tabulate(rows, ["p1", "p2", "p3"])]
    [('p3', 0, 0, False), ('p2', 1, 0, False), ('p1', 1, 1, True)]
    """
    found: defaultdict[str, dict[str, set]] = defaultdict(
        lambda: {"hard-law": set(), "soft-law": set(), "agreements": set()}
    )
    for pairing, instrument, kind, type_ in rows:
        found[pairing][kind].add(instrument)
        if type_ == "bilateral-agreement":
            found[pairing]["agreements"].add(instrument)
    out = [
        {
            "node": p,
            "soft_law": len(found[p]["soft-law"]),
            "hard_law": len(found[p]["hard-law"]),
            "bilateral_agreement": bool(found[p]["agreements"]),
        }
        for p in pairings
    ]
    return sorted(out, key=lambda r: (r["bilateral_agreement"], r["soft_law"] + r["hard_law"], r["node"]))


def governance_coverage(model, pairings) -> list[dict]:
    """How many instruments of each kind govern each pairing, and whether one is a bilateral agreement.

    It reads the read model's governance index, not a network: the pairings are those the
    filters select.

    Parameters
    ----------
    model : graph.readmodel.ReadModel
        The dataset's read model: ``governance_rows(pairing)`` gives the instruments governing or
        authorising a pairing, ``instrument_kind(instrument)`` their kind (``soft-law`` or
        ``hard-law``) and type.
    pairings : iterable of str
        The IRIs of the pairings to cover (repeats are counted once).

    Returns
    -------
    list of dict
        One row per pairing: ``node`` (the pairing), ``soft_law`` and ``hard_law`` (distinct
        instruments of each kind) and ``bilateral_agreement``; the least covered first: those
        without an agreement, then by number of instruments, then by pairing.

    Examples
    --------
    >>> from graph.readmodel import GoverningInstrument
    >>> class Model:  # the two look-ups it makes: p1 has an agreement, p2 nothing
    ...     def governance_rows(self, pairing):
    ...         return [GoverningInstrument("agr", "direct", None, None, None)] if pairing == "p1" else []
    ...     def instrument_kind(self, instrument):
    ...         return "soft-law", "bilateral-agreement"
    >>> [(r["node"], r["soft_law"], r["hard_law"], r["bilateral_agreement"])
    ...  for r in governance_coverage(Model(), ["p1", "p2", "p1"])]
    [('p2', 0, 0, False), ('p1', 1, 0, True)]
    """
    rows = []
    for pairing in pairings:
        for row in model.governance_rows(pairing):
            rows.append((pairing, row.instrument, *model.instrument_kind(row.instrument)))
    return tabulate(rows, sorted(set(pairings)))


def coverage_summary(rows: list[dict]) -> dict:
    """How many of the covered pairings lack a bilateral agreement, or any instrument at all.

    Parameters
    ----------
    rows : list of dict
        The rows of `governance_coverage`.

    Returns
    -------
    dict
        ``pairings``, ``without_bilateral_agreement`` and ``without_any_instrument``.

    Examples
    --------
    >>> coverage_summary([{"node": "p1", "soft_law": 1, "hard_law": 0, "bilateral_agreement": True},
    ...                   {"node": "p2", "soft_law": 0, "hard_law": 0, "bilateral_agreement": False}])
    {'pairings': 2, 'without_bilateral_agreement': 1, 'without_any_instrument': 1}
    """
    return {
        "pairings": len(rows),
        "without_bilateral_agreement": sum(1 for r in rows if not r["bilateral_agreement"]),
        "without_any_instrument": sum(1 for r in rows if r["soft_law"] + r["hard_law"] == 0),
    }
