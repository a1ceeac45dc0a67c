"""The read model: the indexes that questions are answered from, built once per dataset version.

A ``ReadModel`` reads the resource index and the pairing table (named queries ``catalog_resources``
and ``catalog_pairings``), the links networks and governance are computed from (``network_edges``),
the vocabularies and the sources' addresses, and answers look-ups from them: resources by id or label,
pairings by filter, the regions below a region, the instruments that govern a pairing and how, a
resource's statements.  It returns records (``Resource``, ``Pairing``, ``GoverningInstrument``), never
an answer's JSON: the service shapes those (``api.answers``).  Saved beside an on-disk store by the code
that writes the store (``graph.versions``), so that opening a store is instant.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import queries
from .build import PATHS
from .config import ELI, PA
from .errors import BadParameter, NotFound
from .store import Engine

KIND_OF_PATH = {v: k for k, v in PATHS.items()}
INSTRUMENT_TYPES = {
    "Constitution": "constitution",
    "Law": "law",
    "AdministrativeRegulation": "administrative-regulation",
    "LeadershipDirective": "leadership-directive",
    "CentralPolicy": "central-policy",
    "BilateralAgreement": "bilateral-agreement",
    "LocalPolicy": "local-policy",
}
INSTRUMENT_KINDS = ("hard-law", "soft-law")
# how an instrument reaches a pairing, in the order answers list them
VIAS = ("direct", "programme", "parent-pairing", "parent-programme", "authorising-hard-law")


@dataclass
class Resource:
    """A resource of the data graph: its kind (the path of its IRI), labels, level, parent, confidence,
    years and sources."""

    iri: str
    id: str
    kind: str
    label_zh: str
    label_en: str
    types: set[str]
    alt_labels: list[str] = field(default_factory=list)
    level: str | None = None
    parent: str | None = None
    confidence: str | None = None
    start: int | None = None
    end: int | None = None
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Pairing:
    """One pairing (or mentorship) as the pairing table holds it; actors, programme and parent are IRIs."""

    iri: str
    id: str
    label_zh: str
    label_en: str
    kind: str  # "pairing" | "mentorship"
    supporter: str
    recipient: str
    supporter_detail: str | None
    fields: list[str]
    mode: str | None
    programme: str | None
    start: int | None
    end: int | None
    parent: str | None
    confidence: str | None
    sources: list[str]


@dataclass(frozen=True, slots=True)
class GoverningInstrument:
    """How one instrument applies to a pairing: ``via`` (one of ``VIAS``), the parent pairing it reaches
    the pairing through, the programme, and what the hard law authorises (a pairing, programme or soft
    law).  The rule is the named query ``instruments_for_pairing``'s (a test holds them equal)."""

    instrument: str
    via: str
    parent: str | None
    programme: str | None
    authorised: str | None


Statements = dict[str, list[dict]]  # predicate IRI → [{"value", "label_zh", "label_en"}]

SAVED_FILE = "readmodel.pickle"  # beside an on-disk store: its read model, so that opening it is instant


def _code_tag() -> str:
    """What a saved read model depends on besides the data: this module and the named queries."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(queries.QUERY_DIR.glob("*.rq")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ReadModel:
    """The indexes of one dataset version (see the module's description)."""

    @classmethod
    def open(cls, engine: Engine, base: str, directory: str | Path | None = None) -> ReadModel:
        """The read model of an engine: read from ``directory`` (an on-disk store's) when it was saved
        there for this dataset version, base and code; else built by querying the engine."""
        saved = Path(directory) / SAVED_FILE if directory else None
        if saved is not None and saved.is_file():
            try:
                with saved.open("rb") as fh:
                    tag, state = pickle.load(fh)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError):
                tag, state = None, None
            if tag == (_code_tag(), engine.version, base):
                model = cls.__new__(cls)
                model.__dict__.update(state)
                model.engine, model._memo = engine, {}
                return model
        return cls(engine, base)

    def save(self, directory: Path) -> Path:
        """Write every index beside a store, atomically."""
        state = {k: v for k, v in self.__dict__.items() if k not in ("engine", "_memo")}
        target = Path(directory) / SAVED_FILE
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(((_code_tag(), self.version, self.base), state), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        return target

    def __init__(self, engine: Engine, base: str):
        self.engine, self.base, self.version = engine, base, engine.version
        self._memo: dict[str, dict] = {}
        self.resources: dict[str, Resource] = {}
        for row in queries.run(engine, "catalog_resources"):
            iri = row["resource"]
            kind, ident = self.split(iri)
            if kind is None:
                continue
            self.resources[iri] = Resource(
                iri,
                ident,
                kind,
                row.get("label_zh", ident),
                row.get("label_en", ident),
                set(row.get("types", "").split()),
                sorted(a for a in row.get("alt_labels", "").split("|") if a),
                row.get("level"),
                row.get("parent"),
                row.get("confidence"),
                row.get("start"),
                row.get("end"),
                row.get("sources", "").split(),
            )
        self.children: defaultdict[str, list[str]] = defaultdict(list)
        for r in self.resources.values():
            if r.parent:
                self.children[r.parent].append(r.iri)
        self.pairings = [_pairing(row) for row in queries.run(engine, "catalog_pairings")]
        self.pairing_by_iri = {p.iri: p for p in self.pairings}
        # where each actor's pairings are in ``pairings``, as supporter and as recipient
        self.positions: dict[str, defaultdict[str, list[int]]] = {
            "supporter": defaultdict(list),
            "recipient": defaultdict(list),
        }
        for n, p in enumerate(self.pairings):
            self.positions["supporter"][p.supporter].append(n)
            self.positions["recipient"][p.recipient].append(n)
        self.sub_pairings: defaultdict[str, list[str]] = defaultdict(list)
        for p in self.pairings:
            if p.parent:
                self.sub_pairings[p.parent].append(p.iri)
        self.backs: defaultdict[str, int] = defaultdict(int)  # how many resources each source backs
        for r in self.resources.values():
            for s in r.sources:
                self.backs[s] += 1
        self.by_label: defaultdict[str, set[str]] = defaultdict(set)
        for r in self.resources.values():
            for label in [r.label_zh, r.label_en, *r.alt_labels]:
                self.by_label[label.casefold()].add(r.iri)
        self.source_urls = {row["source"]: row["url"] for row in queries.run(engine, "source_urls")}
        vocabulary: defaultdict[str, list[str]] = defaultdict(list)
        for row in queries.run(engine, "vocabulary_notations"):
            vocabulary[row["scheme"].rsplit("#", 1)[-1]].append(row["notation"])
        self.vocabulary = {k: sorted(v) for k, v in vocabulary.items()}
        by_predicate: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in queries.run(engine, "network_edges"):
            by_predicate[row["p"]].append((row["s"], row["o"]))
        self.edges = dict(by_predicate)  # the links networks and governance are computed from
        self.governed_by: defaultdict[str, set[str]] = defaultdict(set)
        for instrument, target in self.edges.get(PA + "governs", []):
            self.governed_by[target].add(instrument)
        self.authorised_by: defaultdict[str, set[str]] = defaultdict(set)
        for law, target in self.edges.get(PA + "authorizes", []):
            self.authorised_by[target].add(law)
        self.part_of = dict(self.edges.get(ELI + "is_part_of", []))  # provision → its instrument

    def memo(self, table: str, key: Any, compute: Callable[[], Any], limit: int | None = None) -> Any:
        """``compute()``, kept for this dataset version under ``(table, key)`` (network projections,
        analysis results, parts of answers); never saved with the model.  A table of more than
        ``limit`` entries is emptied before the next is kept."""
        found = self._memo.setdefault(table, {})
        if key not in found:
            if limit is not None and len(found) > limit:
                found.clear()
            found[key] = compute()
        return found[key]

    # ---- ids and labels --------------------------------------------------------------
    def split(self, iri: str) -> tuple[str | None, str]:
        """(kind, id) of an IRI of the data; (None, iri) for any other."""
        if not iri.startswith(self.base):
            return None, iri
        path, _, ident = iri[len(self.base) :].partition("/")
        return KIND_OF_PATH.get(path), ident

    def iri(self, kind: str, ident: str) -> str:
        return f"{self.base}{PATHS[kind]}/{ident}"

    def get(self, kind: str, ident: str) -> Resource:
        r = self.resources.get(self.iri(kind, ident))
        if r is None or r.kind != kind:
            raise NotFound(f"no {kind} with id '{ident}'")
        return r

    def pairing(self, ident: str) -> Pairing:
        p = self.pairing_by_iri.get(self.iri("pairing", ident))
        if p is None:
            raise NotFound(f"no pairing with id '{ident}'")
        return p

    def resolve_actor(self, value: str, parameter: str) -> str:
        """An actor by id, or by an exact label or alternative label in Chinese or English."""
        iri = self.iri("actor", value)
        if iri in self.resources:
            return iri
        found = self.actors_named(value)
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:
            raise BadParameter(
                parameter,
                f"'{value}' names {len(found)} actors; use an id: "
                + ", ".join(sorted(self.resources[i].id for i in found)),
            )
        raise BadParameter(parameter, f"no actor with id or label '{value}'")

    def actors_named(self, label: str) -> set[str]:
        """The actors whose label or alternative label is exactly ``label`` (case-insensitive)."""
        return {i for i in self.by_label.get(label.casefold(), ()) if self.resources[i].kind == "actor"}

    def below(self, iri: str) -> set[str]:
        """An actor and every actor below it (pa:parentRegion*, inverted)."""
        out, todo = set(), [iri]
        while todo:
            node = todo.pop()
            if node not in out:
                out.add(node)
                todo.extend(self.children.get(node, ()))
        return out

    def items(self, kind: str) -> list[Resource]:
        """The resources of a kind, by id."""
        return sorted((r for r in self.resources.values() if r.kind == kind), key=lambda r: r.id)

    # ---- pairings --------------------------------------------------------------------
    def years(self, p: Pairing) -> tuple[int | None, int | None]:
        """A pairing's start and end, the programme's years filling what the pairing lacks."""
        prog = self.resources.get(p.programme) if p.programme else None
        start = p.start if p.start is not None else (prog.start if prog else None)
        end = p.end if p.end is not None else (prog.end if prog else None)
        return start, end

    def active_in(self, p: Pairing, year: int) -> bool:
        """Begun by ``year`` and not ended before it."""
        start, end = self.years(p)
        return start is not None and start <= year and (end is None or end >= year)

    def find_pairings(
        self,
        supporter: str | None = None,
        recipient: str | None = None,
        field: str | None = None,
        mode: str | None = None,
        programme: str | None = None,
        year: int | None = None,
        q: str | None = None,
        confidence: str | None = None,
    ) -> list[Pairing]:
        """The pairings that match every filter given, in table order.  ``supporter`` and ``recipient``
        are actor ids or exact labels and take in the actors below them; ``q`` is text in a label."""
        for name, value, scheme in (
            ("confidence", confidence, "confidenceLevels"),
            ("field", field, "fields"),
            ("mode", mode, "modes"),
        ):
            known = self.vocabulary.get(scheme, [])
            if value is not None and value not in known:
                raise BadParameter(name, f"unknown {name} '{value}' (expected one of: {', '.join(known)})")
        prog_iri = None
        if programme is not None:
            prog_iri = self.iri("programme", programme)
            if prog_iri not in self.resources:
                raise BadParameter("programme", f"no programme with id '{programme}'")
        sup = self.below(self.resolve_actor(supporter, "supporter")) if supporter else None
        rec = self.below(self.resolve_actor(recipient, "recipient")) if recipient else None
        needle = q.casefold() if q else None
        out = []
        for p in self._candidates(sup, rec):
            if sup is not None and p.supporter not in sup:
                continue
            if rec is not None and p.recipient not in rec:
                continue
            if field is not None and field not in p.fields:
                continue
            if mode is not None and p.mode != mode:
                continue
            if prog_iri is not None and p.programme != prog_iri:
                continue
            if year is not None and not self.active_in(p, year):
                continue
            if confidence is not None and p.confidence != confidence:
                continue
            if needle and needle not in p.label_zh.casefold() and needle not in p.label_en.casefold():
                continue
            out.append(p)
        return out

    def _candidates(self, sup: set[str] | None, rec: set[str] | None) -> list[Pairing]:
        """The pairings that can match a supporter and recipient filter, in table order: from the
        position index of the role with fewer pairings, not from a scan of every pairing."""
        options = [
            (sum(len(self.positions[role].get(a, ())) for a in actors), role, actors)
            for role, actors in (("supporter", sup), ("recipient", rec))
            if actors is not None
        ]
        if not options:
            return self.pairings
        _, role, actors = min(options)
        index = self.positions[role]
        return [self.pairings[n] for n in sorted(n for a in actors for n in index.get(a, ()))]

    # ---- governance ----------------------------------------------------------------------
    def governance_rows(self, pairing: str) -> list[GoverningInstrument]:
        """How each instrument applies to a pairing — the rule of the named query ``instruments_for_pairing``
        (direct, programme, parent pairing, parent's programme, authorising hard law), computed from
        indexes built once per dataset version, so that the answer costs dictionary look-ups."""
        rows: set[tuple] = set()
        chain: list[str] = []
        node: str | None = pairing
        seen: set[str] = set()
        while node and node not in seen:  # the pairing and every pairing above it
            seen.add(node)
            chain.append(node)
            node = self.pairing_by_iri[node].parent if node in self.pairing_by_iri else None
        for above in chain:
            parent = None if above == pairing else above
            programme = self.pairing_by_iri[above].programme if above in self.pairing_by_iri else None
            for i in self.governed_by.get(above, ()):
                rows.add((i, "direct" if parent is None else "parent-pairing", parent, None, None))
            if programme:
                for i in self.governed_by.get(programme, ()):
                    rows.add((i, "programme" if parent is None else "parent-programme", parent, programme, None))
            for x in filter(None, (above, programme)):
                for law in self.authorised_by.get(x, ()):
                    rows.add((law, "authorising-hard-law", parent, None, x))
                for soft in self.governed_by.get(x, ()):
                    for law in self.authorised_by.get(soft, ()):
                        rows.add((law, "authorising-hard-law", parent, None, soft))
        return [GoverningInstrument(*row) for row in sorted(rows, key=lambda r: tuple(x or "" for x in r))]

    def governing_instruments(
        self, ident: str, kind: str | None = None, type_: str | None = None
    ) -> list[GoverningInstrument]:
        """``governance_rows`` of the pairing ``ident``, of one kind (hard-law, soft-law) and type when
        given, in the order of ``VIAS`` then instrument id."""
        p = self.pairing(ident)
        if kind is not None and kind not in INSTRUMENT_KINDS:
            raise BadParameter("kind", f"unknown kind '{kind}' (expected hard-law or soft-law)")
        if type_ is not None and type_ not in INSTRUMENT_TYPES.values():
            raise BadParameter(
                "type", f"unknown type '{type_}' (expected one of: {', '.join(sorted(INSTRUMENT_TYPES.values()))})"
            )
        wanted = (kind, type_)
        rows = [
            row
            for row in self.governance_rows(p.iri)
            if all(w is None or w == got for w, got in zip(wanted, self.instrument_kind(row.instrument), strict=True))
        ]
        return sorted(rows, key=lambda r: (VIAS.index(r.via), self.resources[r.instrument].id))

    def instrument_kind(self, iri: str) -> tuple[str, str | None]:
        """('hard-law' | 'soft-law', type) of an instrument, or of the instrument an article belongs to."""
        r = self.resources[iri]
        work = self.resources.get(self.part_of.get(iri) or "", r)
        kind = "hard-law" if PA + "HardLaw" in work.types else "soft-law"
        return kind, next((v for c, v in INSTRUMENT_TYPES.items() if PA + c in work.types), None)

    # ---- statements ------------------------------------------------------------------------
    def neighbourhood(self, iri: str) -> tuple[Statements, Statements]:
        """Outgoing and incoming statements of a resource, by predicate IRI (none for text that
        cannot be an IRI: with a space, <, ", {, \\, a control character, a bare % …)."""
        out: defaultdict[str, list[dict]] = defaultdict(list)
        inc: defaultdict[str, list[dict]] = defaultdict(list)
        try:
            ox.NamedNode(iri)
        except ValueError:
            return out, inc
        for row in queries.run(self.engine, "neighbourhood", resource=iri):
            value = {"value": row["o"], "label_zh": row.get("o_label_zh"), "label_en": row.get("o_label_en")}
            (out if row["direction"] == "out" else inc)[row["p"]].append(value)
        return out, inc


def _pairing(row: dict) -> Pairing:
    iri = row["pairing"]
    return Pairing(
        iri,
        iri.rsplit("/", 1)[-1],
        row["label_zh"],
        row["label_en"],
        "mentorship" if row.get("mentorship") else "pairing",
        row["supporter"],
        row["recipient"],
        row.get("detail"),
        sorted(row.get("fields", "").split()),
        row.get("mode"),
        row.get("programme"),
        row.get("start"),
        row.get("end"),
        row.get("parent"),
        row.get("confidence"),
        row.get("sources", "").split(),
    )
