"""The read model: the indexes that questions are answered from, built once per dataset version.

A ``ReadModel`` reads the resource index and the pairing table (named queries ``catalog_resources``
and ``catalog_pairings``), the links networks and governance are computed from (``network_edges``),
the vocabularies, the sources (``catalog_sources``), the retired ids of merged actors, the coverage
statements and known gaps, the typed links between instruments (``instrument_links``), and answers
look-ups from them: resources by any of their names (``resolve``, on the index of ``graph.names``),
pairings by filter, the regions below a region, the
instruments that govern a pairing and how, how an instrument relates to others, a resource's
statements and which source gives which of its facts.  It returns records (``Resource``, ``Pairing``,
``GoverningInstrument``, ``SourceInfo``, ``Coverage``, ``Gap``, ``Fact``, ``Link``), never an answer's JSON: the
service shapes those (``api.answers``).  Saved beside an on-disk store by the code that writes the
store (``graph.versions``), so that opening a store is instant.

Facts can be weighed: a ``FactFilter`` leaves out pairings below a confidence or resting only on sources
of some kinds, and can ask the year filter to use stated years only; ``left_out`` says how many each
part of it left out.  Every year of a pairing carries its basis (``YEAR_BASES``): stated by a source,
or inferred from an anniversary, a later source or the programme.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import geo, names, queries
from .build import PATHS
from .config import ELI, PA
from .errors import BadParameter, NotFound
from .store import Engine
from .vocab import CLASSES

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
# confidence levels from the lowest; a FactFilter keeps what is at or above its minimum
CONFIDENCE_LEVELS = ("low", "medium", "high")
# the kinds of sources (pa:sourceKinds) and the bases of a year (pa:yearBases); the vocabularies of the
# graph are authoritative, these name them when a graph has none (and fix the order answers list them in)
SOURCE_KINDS = ("official", "state-media", "copy", "academic", "secondary", "fiction-forum")
YEAR_BASES = ("stated", "anniversary", "later-source", "programme", "continued")
STATED = "stated"
# how instruments relate (links-table notations), in the order answers list them, and their predicates
RELATIONS = ("based-on", "implements", "amends", "replaces", "repeals")
RELATION_OF = {PA + CLASSES["link"][r]: r for r in RELATIONS}
DIRECTIONS = ("outgoing", "incoming")


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
    start_basis: str | None = None  # a year-basis notation; None when there is no year
    end_basis: str | None = None


@dataclass(frozen=True, slots=True)
class Pairing:
    """One pairing (or mentorship) as the pairing table holds it; actors, programme and parent are IRIs,
    ``sources`` the IRIs of its sources.  ``start`` and ``end`` are the graph's years, each with its basis
    (a ``YEAR_BASES`` notation): a year the graph gives without a basis is ``stated``; a pairing without
    a year of its own gets its programme's, with basis ``programme`` (as the build states it), except an
    end whose basis is ``continued`` (no end: a source says it went on after its programme ended)."""

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
    sources: tuple[str, ...]
    start_basis: str | None = None
    end_basis: str | None = None
    supporter_detail_en: str | None = None  # the supporter detail in English (supporter_detail: Chinese)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source as a reader weighs it: title, kind (a ``SOURCE_KINDS`` notation), publisher, date of
    publication (as precise as known, ISO text), address and, for a copy, the outlet it reproduces."""

    iri: str
    id: str
    title: str | None
    kind: str | None
    publisher: str | None
    date: str | None
    url: str | None
    original_outlet: str | None


@dataclass(frozen=True, slots=True)
class Fact:
    """One attributed fact (an rdf:Statement node): the resource, the property, the value (an IRI or the
    text), its language tag ("" for none) and the sources that give it."""

    fact: str
    subject: str
    property: str
    value: Any
    language: str
    label_zh: str | None
    label_en: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Coverage:
    """What a source says a programme holds (pa:CoverageStatement)."""

    iri: str
    id: str
    programme: str
    statement_zh: str | None
    statement_en: str | None
    stated_supporters: int | None
    stated_recipients: int | None
    recipient_units_en: str | None
    confidence: str | None
    note: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """A known gap of the data (pa:KnownGap), said to a user, and what it is about."""

    iri: str
    id: str
    label_zh: str | None
    label_en: str | None
    note: str | None
    about: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A typed link between instruments (a ``RELATIONS`` notation): the subject an instrument or
    provision, the object an instrument or programme; the sources, confidence and note of the statement
    node that attributes it (empty when the graph states the link without one)."""

    subject: str
    relation: str
    object: str
    sources: tuple[str, ...]
    confidence: str | None
    note: str | None


@dataclass(frozen=True)
class FactFilter:
    """Which facts an answer rests on.  ``min_confidence``: leave out a pairing below this level (or with
    none); ``exclude_source_kinds``: leave out a pairing every one of whose sources is of one of these
    kinds (a pairing with one source of another kind stays); ``stated_years_only``: the year filter (and
    the time spells of networks) use only years a source states — an inferred year counts as unknown, so a
    pairing whose start is not stated, or whose end is inferred, is not known to be active in a year.  The
    default keeps everything."""

    min_confidence: str | None = None
    exclude_source_kinds: frozenset[str] = frozenset()
    stated_years_only: bool = False

    @property
    def keeps_all(self) -> bool:
        return self == FactFilter()

    def keeps(self, model: ReadModel, pairing: Pairing | Resource) -> bool:
        """Whether a pairing's (or a resource's) confidence and sources pass (the years are the year
        filter's)."""
        return self.confident(pairing) and not self.only_excluded(model, pairing)

    def confident(self, pairing: Pairing | Resource) -> bool:
        if self.min_confidence is None:
            return True
        if pairing.confidence not in CONFIDENCE_LEVELS:
            return False
        return CONFIDENCE_LEVELS.index(pairing.confidence) >= CONFIDENCE_LEVELS.index(self.min_confidence)

    def only_excluded(self, model: ReadModel, pairing: Pairing | Resource) -> bool:
        """Every source of the pairing (at least one) is of an excluded kind."""
        if not self.exclude_source_kinds or not pairing.sources:
            return False
        return all(model.source_kind(s) in self.exclude_source_kinds for s in pairing.sources)

    def echo(self) -> dict[str, Any]:
        """The filter as answers repeat it."""
        return {
            "min_confidence": self.min_confidence,
            "exclude_source_kinds": sorted(self.exclude_source_kinds),
            "stated_years_only": self.stated_years_only,
        }


NO_FILTER = FactFilter()


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
    digest.update(Path(names.__file__).read_bytes())
    for path in sorted(queries.QUERY_DIR.glob("*.rq")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class ReadModel:
    """The indexes of one dataset version (see the module's description)."""

    # a model made without querying an engine (a hand-built one) has no points until it is given some
    points: dict[str, geo.Point] = {}

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
                _basis(row.get("start"), row.get("start_basis")),
                _basis(row.get("end"), row.get("end_basis")),
            )
        self.children: defaultdict[str, list[str]] = defaultdict(list)
        for r in self.resources.values():
            if r.parent:
                self.children[r.parent].append(r.iri)
        self.pairings = [self._with_programme_years(_pairing(row)) for row in queries.run(engine, "catalog_pairings")]
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
        self.sources: dict[str, SourceInfo] = {}
        for row in queries.run(engine, "catalog_sources"):
            iri = row["source"]
            if iri not in self.sources:  # (a source with two titles or dates: the first)
                self.sources[iri] = SourceInfo(
                    iri,
                    iri.rsplit("/", 1)[-1],
                    row.get("title"),
                    row.get("kind"),
                    row.get("publisher"),
                    None if row.get("date") is None else str(row["date"]),
                    row.get("url"),
                    row.get("original_outlet"),
                )
        self.source_urls = {row["source"]: row["url"] for row in queries.run(engine, "source_urls")}
        # retired actor ids (merged into another): old IRI → the survivor's
        self.merged: dict[str, str] = {row["old"]: row["survivor"] for row in queries.run(engine, "merged_actors")}
        self.names = names.from_resources(self.resources.values(), self.merged)  # ids, labels, names (resolve)
        self.coverage: list[Coverage] = [
            Coverage(
                row["statement"],
                row["statement"].rsplit("/", 1)[-1],
                row["programme"],
                row.get("statement_zh"),
                row.get("statement_en"),
                _int(row.get("stated_supporters")),
                _int(row.get("stated_recipients")),
                row.get("recipient_units_en"),
                row.get("confidence"),
                row.get("note"),
                tuple(row.get("sources", "").split()),
            )
            for row in queries.run(engine, "coverage_statements")
        ]
        self.gaps: list[Gap] = [
            Gap(
                row["gap"],
                row["gap"].rsplit("/", 1)[-1],
                row.get("label_zh"),
                row.get("label_en"),
                row.get("note"),
                tuple(sorted(row.get("abouts", "").split())),  # (GROUP_CONCAT's order is the engine's)
                tuple(sorted(row.get("sources", "").split())),
            )
            for row in queries.run(engine, "known_gaps")
        ]
        self.points = {}  # actor IRI → its representative point (``catalog_points``)
        for row in queries.run(engine, "catalog_points"):
            try:
                lon, lat = geo.parse_wkt(str(row["wkt"]))
                geo.check_point(lon, lat)
            except ValueError:
                continue  # (an engine holding a point this build would refuse: the actor is unlocated)
            self.points.setdefault(
                row["actor"],
                geo.Point(
                    lon,
                    lat,
                    row.get("basis") or geo.POINT_BASES[0],
                    row.get("placed_in"),
                    tuple(sorted(row.get("sources", "").split())),
                    row.get("confidence"),
                ),
            )
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
        self.links: list[Link] = []
        seen: dict[tuple[str, str, str], int] = {}
        for row in queries.run(engine, "instrument_links"):
            relation = RELATION_OF[row["predicate"]]
            if self.split(row["subject"])[0] not in ("instrument", "provision"):
                continue  # a programme's pa:replaces of another programme (answered from a programme's statements)
            key = (row["subject"], relation, row["object"])
            sources = tuple(sorted(set(row.get("sources", "").split())))
            if key in seen:  # (a link attributed twice: its sources together, the first confidence)
                n = seen[key]
                old = self.links[n]
                both = tuple(sorted({*old.sources, *sources}))
                self.links[n] = replace(old, sources=both, confidence=old.confidence or row.get("confidence"))
                continue
            seen[key] = len(self.links)
            self.links.append(Link(*key, sources, row.get("confidence"), row.get("note")))
        # each resource's links, with the direction: outgoing (it is the subject), incoming (the object)
        self.links_of: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
        for n, link in enumerate(self.links):
            self.links_of[link.subject].append(("outgoing", n))
            self.links_of[link.object].append(("incoming", n))

    def point(self, iri: str) -> geo.Point | None:
        """An actor's representative point, or None (``unlocated`` says why)."""
        return self.points.get(iri)

    @property
    def point_source(self) -> SourceInfo | None:
        """The gazetteer the points come from: the source most of them cite (found once per dataset version)."""

        def read() -> SourceInfo | None:
            counts: defaultdict[str, int] = defaultdict(int)
            for point in self.points.values():
                for source in point.sources:
                    counts[source] += 1
            best = max(sorted(counts), key=lambda s: counts[s], default=None)
            return self.sources.get(best) if best else None

        return self.memo("readmodel", "point-source", read) if self.points else None

    def unlocated(self, iri: str) -> str | None:
        """Why an actor has no point (a sentence), or None when it has one.

        A known gap about it that rests on the gazetteer says it in its own words; otherwise the reason
        follows from what the actor is: a person, team or central organ is not a place, a pseudonym of
        the case study is not located by the paper, a unit without a code takes the point of the unit it
        belongs to, which may have none.
        """
        if iri in self.points:
            return None
        if not self.points:
            return "the dataset has no points"
        gazetteer = self.point_source
        for gap in self.gaps:
            if iri in gap.about and (gazetteer is None or gazetteer.iri in gap.sources):
                return gap.label_en
        r = self.resources.get(iri)
        if r is None:
            return "not an actor of the dataset"
        kinds = {t.rsplit("#", 1)[-1] for t in r.types}
        if kinds & {"Person", "PersonGroup", "Team"}:
            return "a person or a team, not a place"
        if kinds & {"StateOrgan", "PartyOrgan", "Ministry"}:
            return "a central organ of the state or the party, not placed in a region"
        if iri in self.case_actors():
            return "a pseudonym of the case study: the paper does not say where it is"
        code = self.codes().get(iri)
        if code:
            return f"its GB/T 2260 code {code} is not in the gazetteer"
        unit = self.resources.get(r.parent) if r.parent else None
        while unit is not None and not self.codes().get(unit.iri):
            unit = self.resources.get(unit.parent) if unit.parent else None
        if unit is None:
            return "it has no GB/T 2260 code, nor has any unit it belongs to"
        return f"the unit it belongs to, {unit.label_en} ({unit.label_zh}), has no point"

    def codes(self) -> dict[str, str]:
        """Each actor's GB/T 2260 code (its first, should the data give two)."""

        def read() -> dict[str, str]:
            out: dict[str, str] = {}
            for actor, code in sorted(self.edges.get(PA + "gbCode", [])):
                out.setdefault(actor, str(code))
            return out

        return self.memo("readmodel", "codes", read)

    def case_actors(self) -> frozenset[str]:
        """The case study's pseudonymous actors, as the data marks them: those with a pseudonym
        (``pa:pseudonym``, "J province", "L"), those an identification reads as a real actor
        (``pa:pseudonymousActor``), and the units below them ("N city" under "J province")."""

        def read() -> frozenset[str]:
            marked = {s for s, _ in self.edges.get(PA + "pseudonym", [])}
            marked |= {actor for _, actor in self.edges.get(PA + "pseudonymousActor", [])}
            found: set[str] = set()
            for iri in self.resources:
                node: str | None = iri
                seen: set[str] = set()
                while node and node not in seen:
                    if node in marked:
                        found.add(iri)
                        break
                    seen.add(node)
                    node = self.resources[node].parent if node in self.resources else None
            return frozenset(found | marked)

        return self.memo("readmodel", "case-actors", read)

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

    def name_index(self) -> names.NameIndex:
        """The index ``resolve`` reads (built with the model and saved with it; built here for a model
        made without it)."""
        index = self.__dict__.get("names")
        if index is None:
            index = self.names = names.from_resources(self.resources.values(), getattr(self, "merged", {}))
        return index

    def lookup(self, kind: str | tuple[str, ...] | None, value: str, parameter: str) -> names.Match:
        """``resolve`` with how the name was matched (``names.MATCHED_BY``) and the other resources it
        also names (see ``graph.names``)."""
        return self.name_index().resolve(kind, value, parameter, self.candidate)

    def resolve(self, kind: str | tuple[str, ...] | None, value: str, parameter: str) -> str:
        """The IRI of the resource of ``kind`` ("actor", "programme", "instrument", "pairing", "source", a
        tuple of them, or None for any) that ``value`` names: its IRI, its id (exactly, then in any case
        and width), a retired id (the survivor), its Chinese or English label, an alternative, historical
        or short name, or, for a place, its name without the generic administrative words (see
        ``graph.names``).  ``BadParameter(parameter, …)`` when it names none or several, with up to eight
        candidates (``candidate``), the closest first."""
        return self.lookup(kind, value, parameter).iri

    def candidate(self, iri: str) -> dict[str, Any]:
        """A resource as a list of candidates shows it: id, kind, both labels, level."""
        r = self.resources[iri]
        return {"id": r.id, "kind": r.kind, "label_zh": r.label_zh, "label_en": r.label_en, "level": r.level}

    def resolve_actor(self, value: str, parameter: str) -> str:
        """An actor by any of its names (``resolve("actor", value, parameter)``)."""
        return self.resolve("actor", value, parameter)

    def survivor(self, kind: str, ident: str) -> str | None:
        """The id a retired id (of an actor merged into another) now resolves to, else None."""
        new = self.merged.get(self.iri(kind, ident))
        return self.split(new)[1] if new else None

    def actors_named(self, label: str) -> set[str]:
        """The actors whose label or alternative (or short) name is ``label``, in any case and width."""
        return self.name_index().named(label, ("actor",))

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
    def _with_programme_years(self, p: Pairing) -> Pairing:
        """The pairing with its programme's years where it has none of its own, with basis ``programme``
        (what the build states; done here too for a graph built without it), an end whose basis is
        ``continued`` excepted."""
        prog = self.resources.get(p.programme) if p.programme else None
        if prog is None:
            return p
        changes: dict[str, Any] = {}
        if p.start is None and prog.start is not None:
            changes.update(start=prog.start, start_basis="programme")
        if p.end is None and prog.end is not None and p.end_basis != "continued":
            changes.update(end=prog.end, end_basis="programme")
        return replace(p, **changes) if changes else p

    def years(self, p: Pairing, stated_only: bool = False) -> tuple[int | None, int | None]:
        """A pairing's start and end (the programme's where it has none, see ``Pairing``); with
        ``stated_only``, a year whose basis is not ``stated`` is None."""
        if not stated_only:
            return p.start, p.end
        return (
            p.start if p.start_basis == STATED else None,
            p.end if p.end_basis == STATED else None,
        )

    def active_in(self, p: Pairing, year: int, stated_only: bool = False) -> bool:
        """Begun by ``year`` and not ended before it.  With ``stated_only``, on stated years alone: a
        pairing whose start is not stated, or whose end is inferred, is not known to be active."""
        start, end = self.years(p, stated_only)
        if stated_only and end is None and p.end is not None:
            return False
        return start is not None and start <= year and (end is None or end >= year)

    def source_kind(self, iri: str) -> str | None:
        """The kind of a source (a ``SOURCE_KINDS`` notation), None when unknown."""
        info = self.sources.get(iri)
        return info.kind if info else None

    def source_kinds(self) -> list[str]:
        """The source kinds the graph's vocabulary names (``SOURCE_KINDS`` when it names none)."""
        known = self.vocabulary.get("sourceKinds")
        if not known:
            return list(SOURCE_KINDS)
        return sorted(known, key=lambda k: (SOURCE_KINDS.index(k) if k in SOURCE_KINDS else len(SOURCE_KINDS), k))

    def check_facts(self, facts: FactFilter) -> None:
        """Refuse a filter that names an unknown confidence level or source kind (``BadParameter``
        naming the API parameter)."""
        levels = self.vocabulary.get("confidenceLevels") or list(CONFIDENCE_LEVELS)
        if facts.min_confidence is not None and facts.min_confidence not in levels:
            raise BadParameter(
                "min_confidence",
                f"unknown confidence '{facts.min_confidence}' (expected one of: {', '.join(CONFIDENCE_LEVELS)})",
            )
        kinds = self.source_kinds()
        for kind in sorted(facts.exclude_source_kinds):
            if kind not in kinds:
                raise BadParameter(
                    "exclude_source_kind", f"unknown source kind '{kind}' (expected one of: {', '.join(kinds)})"
                )

    def left_out(self, facts: FactFilter, candidates: list[Pairing], year: int | None = None) -> dict[str, int]:
        """How many of ``candidates`` (the pairings that match every other filter, the year on all
        years) the filter leaves out, by reason; a pairing is counted under the first reason that
        leaves it out, in this order: below the confidence, resting only on excluded kinds of
        sources, active in ``year`` only by years not stated (with ``stated_years_only``)."""
        out = {"below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}
        if facts.keeps_all:
            return out
        for p in candidates:
            if not facts.confident(p):
                out["below_confidence"] += 1
            elif facts.only_excluded(self, p):
                out["only_excluded_sources"] += 1
            elif facts.stated_years_only and year is not None and not self.active_in(p, year, True):
                out["years_not_stated"] += 1
        return out

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
        facts: FactFilter = NO_FILTER,
        include_subunits: bool | None = True,
    ) -> list[Pairing]:
        """The pairings that match every filter given, in table order.  ``supporter`` and ``recipient``
        are names of actors (anything ``resolve`` takes: an id, a retired id, a label, a short name, a
        place's name without its generic words) and take in the actors below them unless
        ``include_subunits`` is false (None: the default, true); ``programme`` is a programme's id or name;
        ``q`` is text in a label (in any case and width); ``facts`` weighs confidence, sources and years
        (see ``FactFilter``)."""
        return self.select_pairings(
            supporter, recipient, field, mode, programme, year, q, confidence, facts, include_subunits
        )[0]

    def select_pairings(
        self,
        supporter: str | None = None,
        recipient: str | None = None,
        field: str | None = None,
        mode: str | None = None,
        programme: str | None = None,
        year: int | None = None,
        q: str | None = None,
        confidence: str | None = None,
        facts: FactFilter = NO_FILTER,
        include_subunits: bool | None = True,
    ) -> tuple[list[Pairing], dict[str, int]]:
        """``find_pairings`` and, in the same pass, what ``facts`` left out (``left_out``)."""
        self.check_facts(facts)
        for name, value, scheme in (
            ("confidence", confidence, "confidenceLevels"),
            ("field", field, "fields"),
            ("mode", mode, "modes"),
        ):
            known = self.vocabulary.get(scheme, [])
            if value is not None and value not in known:
                raise BadParameter(name, f"unknown {name} '{value}' (expected one of: {', '.join(known)})")
        prog_iri = self.resolve("programme", programme, "programme") if programme is not None else None
        places = self.below if include_subunits is not False else (lambda iri: {iri})
        sup = places(self.resolve("actor", supporter, "supporter")) if supporter else None
        rec = places(self.resolve("actor", recipient, "recipient")) if recipient else None
        needle = names.normalise(q) if q else None
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
            if needle and needle not in names.normalise(p.label_zh) and needle not in names.normalise(p.label_en):
                continue
            out.append(p)
        if facts.keeps_all:
            return out, self.left_out(facts, [])
        stated = facts.stated_years_only and year is not None
        kept = [p for p in out if facts.keeps(self, p) and (not stated or self.active_in(p, year or 0, True))]
        return kept, self.left_out(facts, out, year)

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

    # ---- coverage ------------------------------------------------------------------------
    def holdings(self, pairings: list[Pairing]) -> dict[str, Any]:
        """What the graph holds in some pairings: how many, how many distinct supporters and recipients,
        how many at each confidence ("none": without one), how many rest only on sources of one kind (by
        kind), and the basis of their years (by ``YEAR_BASES`` notation; "none": no year)."""
        confidence = dict.fromkeys((*reversed(CONFIDENCE_LEVELS), "none"), 0)
        only_kind: dict[str, int] = dict.fromkeys(self.source_kinds(), 0)
        start = dict.fromkeys((*YEAR_BASES[:-1], "none"), 0)
        end = dict.fromkeys((*YEAR_BASES, "none"), 0)
        for p in pairings:
            confidence[p.confidence if p.confidence in confidence else "none"] += 1
            kinds = {self.source_kind(s) for s in p.sources}
            if len(kinds) == 1 and None not in kinds:
                kind = kinds.pop() or ""
                only_kind[kind] = only_kind.get(kind, 0) + 1
            start[p.start_basis or "none"] = start.get(p.start_basis or "none", 0) + 1
            end[p.end_basis or "none"] = end.get(p.end_basis or "none", 0) + 1
        return {
            "pairings": len(pairings),
            "supporters": len({p.supporter for p in pairings}),
            "recipients": len({p.recipient for p in pairings}),
            "by_confidence": confidence,
            "resting_only_on": only_kind,
            "start_basis": start,
            "end_basis": end,
        }

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

    def relations(self, iri: str) -> list[tuple[str, Link]]:
        """How an instrument (or provision, or programme) relates to others: ("outgoing", link) for each
        link it states, ("incoming", link) for each that names it as the object; by relation (in the
        order of ``RELATIONS``), direction, then the id of the other end."""

        def order(item: tuple[str, Link]) -> tuple[int, int, str]:
            direction, link = item
            other = link.object if direction == "outgoing" else link.subject
            return RELATIONS.index(link.relation), DIRECTIONS.index(direction), self.split(other)[1]

        found = [(direction, self.links[n]) for direction, n in self.links_of.get(iri, ())]
        return sorted(found, key=order)

    # ---- statements ------------------------------------------------------------------------
    def facts_of(self, iri: str) -> list[Fact]:
        """Which source gives which fact about a resource (its rdf:Statement nodes), by property."""
        try:
            ox.NamedNode(iri)
        except ValueError:
            return []
        found: dict[str, dict[str, Any]] = {}
        for row in queries.run(self.engine, "facts_of", resource=iri):
            fact = found.setdefault(row["fact"], {**row, "sources": []})
            if row.get("source") and row["source"] not in fact["sources"]:
                fact["sources"].append(row["source"])
        return [
            Fact(
                f["fact"],
                iri,
                f["property"],
                f["value"],
                f.get("value_lang") or "",
                f.get("value_label_zh"),
                f.get("value_label_en"),
                tuple(sorted(f["sources"])),
            )
            for f in sorted(found.values(), key=lambda f: (f["property"], f["fact"]))
        ]

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
        sorted(f for f in row.get("fields", "").split("|") if f),
        row.get("mode"),
        row.get("programme"),
        row.get("start"),
        row.get("end"),
        row.get("parent"),
        row.get("confidence"),
        tuple(row.get("sources", "").split()),
        _basis(row.get("start"), row.get("start_basis")),
        _basis(row.get("end"), row.get("end_basis")),
        row.get("detail_en"),
    )


def _basis(year: int | None, basis: str | None) -> str | None:
    """The basis of a year: as the graph states it; ``stated`` for a year given without one."""
    if basis is not None:
        return basis
    return STATED if year is not None else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) or value is None else int(value)
