"""Facets: how many items of a list have each value of a field, as Datasette counts them.

A list (pairings, actors, instruments, programmes, sources) is counted over every item that matches its
filters, not only the page shown; each value comes with its labels in Chinese and English — from the
graph's own vocabularies (``vocabulary_labels``: a field, mode, level, confidence, kind …) or from the
resource a value names (a programme, a supporter …) — and its count, by count (most first) then value.
An item with no value for a facet is counted under the value None; an item with several values (a
pairing's fields, an actor's types) is counted once under each.  ``FACETS`` says which facets each kind
of list has; asking a list for another is a ``BadParameter`` naming ``facet``.

>>> split_facets(["field,mode", " level", "field"])
('field', 'mode', 'level')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from . import governance, queries, vocab
from .config import PA
from .errors import BadParameter
from .readmodel import INSTRUMENT_TYPES, Pairing, ReadModel, Resource

Record = Pairing | Resource
Values = Callable[[ReadModel, Any], Iterable[str | None]]
ARROW = "→"  # between the levels of a pairing's two ends: "province→prefecture"
NONE_LABELS = ("无", "none")


def _levels(model: ReadModel, p: Pairing) -> list[str | None]:
    ends = [_level(model, p.supporter), _level(model, p.recipient)]
    return [f"{ends[0]}{ARROW}{ends[1]}"] if all(ends) else []


def _level(model: ReadModel, iri: str | None) -> str | None:
    r = model.resources.get(iri) if iri else None
    return r.level if r is not None else None


def _id(model: ReadModel, iri: str | None) -> str | None:
    return model.split(iri)[1] if iri else None


def _programme_modes(model: ReadModel, r: Resource) -> list[str | None]:
    notation = {iri: value for value, iri in vocab.vocabularies()["mode"].items()}
    out_, _ = model.neighbourhood(r.iri)
    return [notation.get(v["value"]) for v in out_.get(PA + "mode", [])]


def _issuers(model: ReadModel, r: Resource) -> list[str | None]:
    issued = model.memo("facets.issuers", None, lambda: _issued_by(model))
    return [_id(model, i) for i in issued.get(r.iri, ())]


def _issued_by(model: ReadModel) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for instrument, issuer in model.edges.get(PA + "issuedBy", []):
        out.setdefault(instrument, []).append(issuer)
    return out


def _instrument_values(model: ReadModel, r: Resource, facet: str) -> list[str | None]:
    """An instrument's values of a facet the governance module derives (``doc_number``: with or without
    one; ``decade``: of its date, or undated), labelled by ``labels`` from the same source."""
    return [value for value, _, _ in governance.instrument_facet_values(model, r.iri).get(facet, [])]


def _derived_labels(model: ReadModel, facet: str) -> dict[str, tuple[str | None, str | None]]:
    """value → (label_zh, label_en) of a derived instrument facet, over every instrument, once per version."""

    def collect() -> dict[str, tuple[str | None, str | None]]:
        out: dict[str, tuple[str | None, str | None]] = {}
        for r in model.items("instrument"):
            for value, zh, en in governance.instrument_facet_values(model, r.iri).get(facet, []):
                out[value] = (zh, en)
        return out

    return model.memo("facets.derived", facet, collect)


# kind of list -> facet -> the values of one item (``Pairing`` for pairings, else ``Resource``)
FACETS: dict[str, dict[str, Values]] = {
    "pairing": {
        "programme": lambda m, p: [_id(m, p.programme)],
        "field": lambda m, p: p.fields,
        "mode": lambda m, p: [p.mode],
        "level": _levels,
        "supporter_level": lambda m, p: [_level(m, p.supporter)],
        "recipient_level": lambda m, p: [_level(m, p.recipient)],
        "confidence": lambda m, p: [p.confidence],
        "kind": lambda m, p: [p.kind],
        "supporter": lambda m, p: [_id(m, p.supporter)],
        "recipient": lambda m, p: [_id(m, p.recipient)],
    },
    "actor": {
        "level": lambda m, r: [r.level],
        "type": lambda m, r: sorted(t[len(PA) :] for t in r.types if t.startswith(PA)),
        "confidence": lambda m, r: [r.confidence],
        "parent": lambda m, r: [_id(m, r.parent)],
    },
    "instrument": {
        "kind": lambda m, r: [m.instrument_kind(r.iri)[0]],
        "type": lambda m, r: [m.instrument_kind(r.iri)[1]],
        "confidence": lambda m, r: [r.confidence],
        "issuer": _issuers,
        "doc_number": lambda m, r: _instrument_values(m, r, "doc_number"),
        "decade": lambda m, r: _instrument_values(m, r, "decade"),
    },
    "programme": {
        "mode": _programme_modes,
        "confidence": lambda m, r: [r.confidence],
    },
    "source": {
        "kind": lambda m, r: [m.sources[r.iri].kind if r.iri in m.sources else None],
        "publisher": lambda m, r: [m.sources[r.iri].publisher if r.iri in m.sources else None],
    },
}
# instrument facets derived by graph.governance (labelled from the same place)
DERIVED = {"doc_number", "decade"}
# facets whose values are ids of resources of the data (labelled by the resource)
RESOURCE_FACETS = {"programme", "supporter", "recipient", "parent", "issuer"}
# facets whose values are notations of a vocabulary column (``graph.vocab.vocabularies``)
VOCABULARY_OF = {
    "field": "field",
    "mode": "mode",
    "level": "level",
    "supporter_level": "level",
    "recipient_level": "level",
    "confidence": "confidence",
}
# facets whose values name an ontology class, by the kind of list
CLASS_OF: dict[tuple[str, str], Callable[[str], str | None]] = {
    ("pairing", "kind"): lambda v: vocab.CLASSES["pairing-kind"].get(v),
    ("instrument", "kind"): lambda v: vocab.CLASSES["instrument-kind"].get(v),
    ("instrument", "type"): lambda v: {t: c for c, t in INSTRUMENT_TYPES.items()}.get(v),
    ("actor", "type"): lambda v: v,
}


def split_facets(values: Sequence[str]) -> tuple[str, ...]:
    """The facets asked, from a parameter given comma-separated, repeated or both: once each, in order."""
    out: list[str] = []
    for value in values:
        for name in value.split(","):
            name = name.strip()
            if name and name not in out:
                out.append(name)
    return tuple(out)


def check(of: str, names: Sequence[str]) -> None:
    """``BadParameter`` naming ``facet`` when a list of kind ``of`` has no facet of one of ``names``."""
    known = FACETS.get(of, {})
    for name in names:
        if name not in known:
            listed = ", ".join(known) or "none"
            raise BadParameter("facet", f"the {of} list has no facet '{name}' (its facets: {listed})")


def count(model: ReadModel, of: str, records: Sequence[Record], names: Sequence[str]) -> dict[str, list[dict]]:
    """Each facet of ``names`` over ``records`` (every item the list's filters keep): its values, each
    with ``value``, ``label_zh``, ``label_en`` and ``count``, by count (most first) then value."""
    check(of, names)
    out: dict[str, list[dict]] = {}
    for name in names:
        values_of = FACETS[of][name]
        counts: Counter[str | None] = Counter()
        for record in records:
            values = {v for v in values_of(model, record) if v is not None and v != ""}
            counts.update(values or [None])
        rows = [{"value": v, **labels(model, of, name, v), "count": n} for v, n in counts.items()]
        rows.sort(key=lambda row: (-int(row["count"] or 0), row["value"] is None, str(row["value"] or "")))
        out[name] = rows
    return out


def labels(model: ReadModel, of: str, facet: str, value: str | None) -> dict[str, str | None]:
    """The labels of one value of a facet, in Chinese and English (the value itself when the graph
    gives none)."""
    if value is None:
        return {"label_zh": NONE_LABELS[0], "label_en": NONE_LABELS[1]}
    if facet in RESOURCE_FACETS:
        r = next((r for k in ("programme", "actor") if (r := model.resources.get(model.iri(k, value)))), None)
        if r is not None:
            return {"label_zh": r.label_zh, "label_en": r.label_en}
    elif of == "instrument" and facet in DERIVED:
        zh, en = _derived_labels(model, facet).get(value, (None, None))
        return {"label_zh": zh or value, "label_en": en or value}
    elif facet == "level" and of == "pairing" and ARROW in value:
        ends = [labels(model, "actor", "level", v) for v in value.split(ARROW, 1)]
        return {f"label_{lang}": ARROW.join(str(e[f"label_{lang}"]) for e in ends) for lang in ("zh", "en")}
    else:
        iri = _term(of, facet, value)
        found = _term_labels(model).get(iri) if iri else None
        if found:
            return {"label_zh": found.get("label_zh") or value, "label_en": found.get("label_en") or value}
    return {"label_zh": value, "label_en": value}


def _term(of: str, facet: str, value: str) -> str | None:
    """The ontology term (concept or class) a facet's value stands for, if any."""
    if (of, facet) in CLASS_OF:
        local = CLASS_OF[of, facet](value)
        return PA + local if local else None
    column = VOCABULARY_OF.get(facet) or ("source-kind" if (of, facet) == ("source", "kind") else None)
    return vocab.vocabularies().get(column, {}).get(value) if column else None


def _term_labels(model: ReadModel) -> dict[str, dict]:
    """The labels of the ontology's terms in the served graph, read once per dataset version."""
    return model.memo(
        "facets.term_labels",
        None,
        lambda: {row["term"]: row for row in queries.run(model.engine, "vocabulary_labels")},
    )
