"""Question-level answers for the REST API, as plain dicts.

A ``Catalog`` reads the pairing table and the resource index once per dataset
version (two named queries) and answers lists, filters and lookups from them;
details come from the ``neighbourhood`` and ``instruments_for_pairing`` queries.
Every item carries both labels, its confidence and its sources.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import queries
from .build import PATHS
from .config import DCTERMS, ELI, ORG, PA, PROV, SKOS
from .errors import UnknownName
from .store import Engine

KIND_OF_PATH = {v: k for k, v in PATHS.items()}
INSTRUMENT_TYPES = {"Constitution": "constitution", "Law": "law", "AdministrativeRegulation": "administrative-regulation",
                    "LeadershipDirective": "leadership-directive", "CentralPolicy": "central-policy",
                    "BilateralAgreement": "bilateral-agreement", "LocalPolicy": "local-policy"}


class BadParameter(ValueError):
    """A query parameter with a value the API cannot use (422); ``name`` says which."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name


class NotFound(UnknownName):
    """No resource of that kind with that id (404)."""


class Shared(dict):
    """A part of answers built once and put in many (a reference to a resource, a source, an
    instrument's fixed fields): read-only, so that no answer can change another, and localised once
    per language (``localised`` is filled by ``api.deps.localise``)."""

    __slots__ = ("localised",)

    def __init__(self, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)
        self.localised: dict = {}

    def _read_only(self, *args, **kwargs):
        raise TypeError("a shared part of the catalog's answers is read-only: copy it first")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = setdefault = clear = _read_only

    def __reduce__(self):
        return Shared, (dict(self),)


@dataclass
class Resource:
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


CATALOG_FILE = "catalog.pickle"  # beside an on-disk store: its indexes, so that opening it is instant


def _code_tag() -> str:
    """What the saved indexes depend on besides the data: this module and the named queries."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in sorted(queries.QUERY_DIR.glob("*.rq")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Catalog:
    @classmethod
    def open(cls, engine: Engine, base: str, directory: Path | None = None) -> "Catalog":
        """The catalog of an engine: read from ``directory`` (an on-disk store's) when it was saved
        there for this dataset version, base and code; else built by querying the engine."""
        saved = Path(directory) / CATALOG_FILE if directory else None
        if saved is not None and saved.is_file():
            try:
                with saved.open("rb") as fh:
                    tag, state = pickle.load(fh)
            except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError, ImportError):
                tag, state = None, None
            if tag == (_code_tag(), engine.version, base):
                catalog = cls.__new__(cls)
                catalog.__dict__.update(state)
                catalog.engine = engine
                return catalog
        return cls(engine, base)

    def save(self, directory: Path) -> Path:
        """Write every index (the lazy ones computed now) beside a store, atomically."""
        self._source_urls(), self.vocabulary(), self._governance_index(), self._parts_index()
        state = {k: v for k, v in self.__dict__.items() if k not in ("engine", "_memo")}
        target = Path(directory) / CATALOG_FILE
        tmp = target.with_name(target.name + ".tmp")
        with tmp.open("wb") as fh:
            pickle.dump(((_code_tag(), self.version, self.base), state), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        return target

    def __init__(self, engine: Engine, base: str):
        self.engine, self.base = engine, base
        self.version = engine.version
        self.resources: dict[str, Resource] = {}
        for row in queries.run(engine, "catalog_resources"):
            iri = row["resource"]
            kind, ident = self.split(iri)
            if kind is None:
                continue
            self.resources[iri] = Resource(
                iri, ident, kind, row.get("label_zh", ident), row.get("label_en", ident), set(row.get("types", "").split()),
                sorted(a for a in row.get("alt_labels", "").split("|") if a), row.get("level"), row.get("parent"),
                row.get("confidence"), row.get("start"), row.get("end"), row.get("sources", "").split())
        self.children: defaultdict[str, list[str]] = defaultdict(list)
        for r in self.resources.values():
            if r.parent:
                self.children[r.parent].append(r.iri)
        self.pairings = [self._pairing_row(row) for row in queries.run(engine, "catalog_pairings")]
        self.pairing_by_iri = {p["iri"]: p for p in self.pairings}
        # where each actor's pairings are in ``pairings``, as supporter and as recipient
        self.positions: dict[str, defaultdict[str, list[int]]] = {"supporter": defaultdict(list),
                                                                    "recipient": defaultdict(list)}
        for n, p in enumerate(self.pairings):
            for role, index in self.positions.items():
                index[p[role]].append(n)
        self.sub_pairings: defaultdict[str, list[str]] = defaultdict(list)
        for p in self.pairings:
            if p["parent"]:
                self.sub_pairings[p["parent"]].append(p["iri"])
        self.backs: defaultdict[str, int] = defaultdict(int)
        for r in self.resources.values():
            for s in r.sources:
                self.backs[s] += 1
        self.by_label: defaultdict[str, set[str]] = defaultdict(set)
        for r in self.resources.values():
            for label in [r.label_zh, r.label_en, *r.alt_labels]:
                self.by_label[label.casefold()].add(r.iri)

    # ---- ids and labels --------------------------------------------------------------
    def split(self, iri: str) -> tuple[str | None, str]:
        if not iri.startswith(self.base):
            return None, iri
        path, _, ident = iri[len(self.base):].partition("/")
        return KIND_OF_PATH.get(path), ident

    def iri(self, kind: str, ident: str) -> str:
        return f"{self.base}{PATHS[kind]}/{ident}"

    def ref(self, iri: str | None) -> dict | None:
        """A short reference to a resource: id, IRI and both labels."""
        if not iri:
            return None
        r = self.resources.get(iri)
        if r is None:
            return {"id": iri.rsplit("/", 1)[-1], "iri": iri, "label_zh": None, "label_en": None}
        return {"id": r.id, "iri": r.iri, "label_zh": r.label_zh, "label_en": r.label_en}

    def sources(self, iris: list[str]) -> list[dict]:
        return [self.source_ref(s) for s in sorted(iris)]

    def _shared(self, table: str, key: str, build):
        """``build(key)``, made once per dataset version and kept (never saved with the catalog)."""
        memo = self.__dict__.setdefault("_memo", {}).setdefault(table, {})
        found = memo.get(key)
        if found is None:
            found = memo[key] = build(key)
        return found

    def shared_ref(self, iri: str | None) -> Shared | None:
        """``ref`` built once per resource and shared by every answer that names it (read-only)."""
        return self._shared("ref", iri, lambda i: Shared(self.ref(i))) if iri else None

    def shared_sources(self, iris: list[str]) -> list[Shared]:
        """``sources``, each built once and shared (read-only)."""
        return [self._shared("source", s, lambda i: Shared(self.source_ref(i))) for s in sorted(iris)]

    def source_ref(self, iri: str) -> dict:
        r = self.resources.get(iri)
        out = {"id": iri.rsplit("/", 1)[-1], "iri": iri, "title": r.label_en if r else None, "url": None}
        if r is not None:
            out["url"] = self._source_urls().get(iri)
        return out

    def _source_urls(self) -> dict[str, str]:
        if not hasattr(self, "_urls"):
            rows = self.engine.select(f"SELECT ?s ?u WHERE {{ ?s <{PA}url> ?u }}")
            self._urls = {r["s"].value: r["u"].value for r in rows}
        return self._urls

    def get(self, kind: str, ident: str) -> Resource:
        r = self.resources.get(self.iri(kind, ident))
        if r is None or r.kind != kind:
            raise NotFound(f"no {kind} with id '{ident}'")
        return r

    def resolve_actor(self, value: str, parameter: str) -> str:
        """An actor by id, or by an exact label or alternative label in Chinese or English."""
        iri = self.iri("actor", value)
        if iri in self.resources:
            return iri
        found = [i for i in self.by_label.get(value.casefold(), ()) if self.resources[i].kind == "actor"]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise BadParameter(parameter, f"'{value}' names {len(found)} actors; use an id: "
                                          + ", ".join(sorted(self.resources[i].id for i in found)))
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

    # ---- pairings --------------------------------------------------------------------
    def _pairing_row(self, row: dict) -> dict:
        iri = row["pairing"]
        return {"id": iri.rsplit("/", 1)[-1], "iri": iri, "label_zh": row["label_zh"], "label_en": row["label_en"],
                "kind": "mentorship" if row.get("mentorship") else "pairing",
                "supporter": row["supporter"], "recipient": row["recipient"],
                "supporter_detail": row.get("detail"),
                "fields": sorted(row.get("fields", "").split()), "mode": row.get("mode"),
                "programme": row.get("programme"), "start": row.get("start"), "end": row.get("end"),
                "parent": row.get("parent"), "confidence": row.get("confidence"),
                "sources": row.get("sources", "").split()}

    def pairing_item(self, p: dict) -> dict:
        ref = self.shared_ref
        return {**{k: p[k] for k in ("id", "iri", "label_zh", "label_en", "kind", "fields", "mode", "confidence")},
                "supporter": ref(p["supporter"]), "recipient": ref(p["recipient"]),
                "supporter_detail": p["supporter_detail"], "programme": ref(p["programme"]),
                "period": {"start": p["start"], "end": p["end"]}, "parent": ref(p["parent"]),
                "sources": self.shared_sources(p["sources"])}

    def years(self, p: dict) -> tuple[int | None, int | None]:
        """A pairing's start and end, the programme's years filling what the pairing lacks."""
        prog = self.resources.get(p["programme"]) if p["programme"] else None
        start = p["start"] if p["start"] is not None else (prog.start if prog else None)
        end = p["end"] if p["end"] is not None else (prog.end if prog else None)
        return start, end

    def active_in(self, p: dict, year: int) -> bool:
        """Begun by ``year`` and not ended before it."""
        start, end = self.years(p)
        return start is not None and start <= year and (end is None or end >= year)

    def find_pairings(self, supporter=None, recipient=None, field=None, mode=None, programme=None, year=None,
                      q=None, confidence=None) -> list[dict]:
        vocab = self.vocabulary()
        if confidence is not None and confidence not in vocab["confidenceLevels"]:
            raise BadParameter("confidence", f"unknown confidence '{confidence}' (expected one of: "
                                             f"{', '.join(vocab['confidenceLevels'])})")
        if field is not None and field not in vocab["fields"]:
            raise BadParameter("field", f"unknown field '{field}' (expected one of: {', '.join(vocab['fields'])})")
        if mode is not None and mode not in vocab["modes"]:
            raise BadParameter("mode", f"unknown mode '{mode}' (expected one of: {', '.join(vocab['modes'])})")
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
            if sup is not None and p["supporter"] not in sup:
                continue
            if rec is not None and p["recipient"] not in rec:
                continue
            if field is not None and field not in p["fields"]:
                continue
            if mode is not None and p["mode"] != mode:
                continue
            if prog_iri is not None and p["programme"] != prog_iri:
                continue
            if year is not None and not self.active_in(p, year):
                continue
            if confidence is not None and p["confidence"] != confidence:
                continue
            if needle and needle not in p["label_zh"].casefold() and needle not in p["label_en"].casefold():
                continue
            out.append(p)
        return out

    def _candidates(self, sup: set[str] | None, rec: set[str] | None) -> list[dict]:
        """The pairings that can match a supporter and recipient filter, in table order: from the
        position index of the role with fewer pairings, not from a scan of every pairing."""
        options = [(sum(len(self.positions[role].get(a, ())) for a in actors), role, actors)
                   for role, actors in (("supporter", sup), ("recipient", rec)) if actors is not None]
        if not options:
            return self.pairings
        _, role, actors = min(options)
        index = self.positions[role]
        return [self.pairings[n] for n in sorted(n for a in actors for n in index.get(a, ()))]

    def vocabulary(self) -> dict[str, list[str]]:
        if not hasattr(self, "_vocab"):
            rows = self.engine.select(f"""SELECT ?scheme ?n WHERE {{
                ?c <{SKOS}inScheme> ?scheme ; <{SKOS}notation> ?n }}""")
            vocab: defaultdict[str, list[str]] = defaultdict(list)
            for r in rows:
                vocab[r["scheme"].value.rsplit("#", 1)[-1]].append(r["n"].value)
            self._vocab = {k: sorted(v) for k, v in vocab.items()}
        return self._vocab

    # ---- neighbourhoods ------------------------------------------------------------------
    def neighbourhood(self, iri: str) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
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

    def refs(self, values: list[dict]) -> list[dict]:
        seen, out = set(), []
        for v in values:
            if v["value"] not in seen:
                seen.add(v["value"])
                out.append(self.ref(v["value"]))
        return sorted(out, key=lambda r: r["id"])

    def pairing_detail(self, ident: str) -> dict:
        p = self.pairing_by_iri.get(self.iri("pairing", ident))
        if p is None:
            raise NotFound(f"no pairing with id '{ident}'")
        out_, inc = self.neighbourhood(p["iri"])
        teams = []
        for team in self.refs(inc.get(PA + "underPairing", [])):
            _, team_inc = self.neighbourhood(team["iri"])
            team["members"] = self.refs(team_inc.get(ORG + "memberOf", []))
            teams.append(team)
        people = {m["iri"]: m for t in teams for m in t["members"]}
        for role in (PA + "mentor", PA + "mentee"):
            for v in out_.get(role, []):
                people.setdefault(v["value"], self.ref(v["value"]))
        return {**self.pairing_item(p),
                "sub_pairings": [self.pairing_item(self.pairing_by_iri[i]) for i in sorted(self.sub_pairings[p["iri"]])],
                "teams": teams, "people": sorted(people.values(), key=lambda r: r["id"]),
                "evidence": self.evidence(out_.get(PA + "evidence", [])),
                "figures": self.refs(inc.get(PA + "figureOf", [])),
                "instruments_url": f"/pairings/{p['id']}/instruments"}

    def evidence(self, values: list[dict]) -> list[dict]:
        out = []
        for ref in self.refs(values):
            ev_out, _ = self.neighbourhood(ref["iri"])
            ref["code"] = _first(ev_out, PA + "evidenceCode")
            ref["quote_zh"] = _first(ev_out, PA + "quote")
            ref["summary_en"] = _first(ev_out, DCTERMS + "description")
            speaker = ev_out.get(PA + "speaker")
            ref["speaker"] = self.ref(speaker[0]["value"]) if speaker else None
            out.append(ref)
        return out

    def edges(self) -> dict[str, list[tuple[str, str]]]:
        """The links networks and governance are computed from (named query ``network_edges``), once."""
        if not hasattr(self, "_edges"):
            by_predicate: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
            for row in queries.run(self.engine, "network_edges"):
                by_predicate[row["p"]].append((row["s"], row["o"]))
            self._edges = dict(by_predicate)
        return self._edges

    def governance_rows(self, pairing: str) -> list[dict]:
        """How each instrument applies to a pairing — the rule of the named query ``instruments_for_pairing``
        (direct, programme, parent pairing, parent's programme, authorising hard law), computed from
        indexes built once per dataset version, so that the answer costs dictionary look-ups."""
        governed_by, authorised_by = self._governance_index()
        rows: set[tuple] = set()
        chain, node, seen = [], pairing, set()
        while node and node not in seen:  # the pairing and every pairing above it
            seen.add(node)
            chain.append(node)
            node = self.pairing_by_iri[node]["parent"] if node in self.pairing_by_iri else None
        for above in chain:
            parent = None if above == pairing else above
            programme = self.pairing_by_iri.get(above, {}).get("programme")
            for i in governed_by.get(above, ()):
                rows.add((i, "direct" if parent is None else "parent-pairing", parent, None, None))
            if programme:
                for i in governed_by.get(programme, ()):
                    rows.add((i, "programme" if parent is None else "parent-programme", parent, programme, None))
            for x in filter(None, (above, programme)):
                for law in authorised_by.get(x, ()):
                    rows.add((law, "authorising-hard-law", parent, None, x))
                for soft in governed_by.get(x, ()):
                    for law in authorised_by.get(soft, ()):
                        rows.add((law, "authorising-hard-law", parent, None, soft))
        return [{"instrument": i, "via": via, "parent": parent, "programme": prog, "authorised": auth}
                for i, via, parent, prog, auth in sorted(rows, key=lambda r: tuple(x or "" for x in r))]

    def _governance_index(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """What each pairing or programme is governed by, and what each is authorised by (once)."""
        if not hasattr(self, "_governance"):
            edges = self.edges()
            governed_by: defaultdict[str, set[str]] = defaultdict(set)
            for instrument, target in edges.get(PA + "governs", []):
                governed_by[target].add(instrument)
            authorised_by: defaultdict[str, set[str]] = defaultdict(set)
            for law, target in edges.get(PA + "authorizes", []):
                authorised_by[target].add(law)
            self._governance = (governed_by, authorised_by)
        return self._governance

    def pairing_instruments(self, ident: str, kind: str | None = None, type_: str | None = None) -> list[dict]:
        p = self.pairing_by_iri.get(self.iri("pairing", ident))
        if p is None:
            raise NotFound(f"no pairing with id '{ident}'")
        if kind is not None and kind not in ("hard-law", "soft-law"):
            raise BadParameter("kind", f"unknown kind '{kind}' (expected hard-law or soft-law)")
        if type_ is not None and type_ not in INSTRUMENT_TYPES.values():
            raise BadParameter("type", f"unknown type '{type_}' (expected one of: "
                                       f"{', '.join(sorted(INSTRUMENT_TYPES.values()))})")
        out = []
        for row in self.governance_rows(p["iri"]):
            head, tail = self._instrument_fields(row["instrument"])
            if (kind and head["kind"] != kind) or (type_ and head["type"] != type_):
                continue
            path, named = [self.shared_ref(p["iri"])], {p["iri"]}
            for key in ("parent", "programme", "authorised"):
                if row[key] and row[key] not in named:
                    named.add(row[key])
                    path.append(self.shared_ref(row[key]))
            out.append({**head, "via": row["via"], "path": path, **tail})
        order = {"direct": 0, "programme": 1, "parent-pairing": 2, "parent-programme": 3, "authorising-hard-law": 4}
        return sorted(out, key=lambda i: (order[i["via"]], i["id"]))

    def _instrument_fields(self, iri: str) -> tuple[dict, dict]:
        """The fields of an instrument's entry in ``pairing_instruments`` that do not depend on the
        pairing — those before ``via`` and ``path`` and those after — built once per instrument."""
        def build(iri: str) -> tuple[dict, dict]:
            r = self.resources[iri]
            k, t = self.instrument_kind(iri)
            work_iri = self._part_of_iri(iri)
            return ({**self.ref(iri), "kind": k, "type": t},
                    {"part_of": self.shared_ref(work_iri), "confidence": r.confidence,
                     "sources": self.shared_sources(r.sources)})
        return self._shared("instrument", iri, build)

    def instrument_kind(self, iri: str) -> tuple[str, str | None]:
        """('hard-law' | 'soft-law', type) of an instrument, or of the instrument an article belongs to."""
        r = self.resources[iri]
        work = self.resources.get(self._part_of_iri(iri) or "", r)
        kind = "hard-law" if PA + "HardLaw" in work.types else "soft-law"
        return kind, next((v for c, v in INSTRUMENT_TYPES.items() if PA + c in work.types), None)

    def _parts_index(self) -> dict[str, str]:
        """The instrument each provision is part of (from the edge index, once)."""
        if not hasattr(self, "_parts"):
            self._parts = dict(self.edges().get(ELI + "is_part_of", []))
        return self._parts

    def _part_of_iri(self, iri: str) -> str | None:
        return self._parts_index().get(iri)

    def _part_of(self, iri: str) -> dict | None:
        work = self._part_of_iri(iri)
        return self.ref(work) if work else None

    # ---- other kinds -----------------------------------------------------------------------
    def items(self, kind: str) -> list[Resource]:
        return sorted((r for r in self.resources.values() if r.kind == kind), key=lambda r: r.id)

    def item(self, r: Resource) -> dict:
        out = {"id": r.id, "iri": r.iri, "label_zh": r.label_zh, "label_en": r.label_en,
               "types": sorted(t.rsplit("#", 1)[-1] for t in r.types if t.startswith(PA)),
               "confidence": r.confidence, "sources": self.sources(r.sources)}
        if r.kind == "actor":
            out.update(level=r.level, parent=self.ref(r.parent), alt_labels_zh=r.alt_labels)
        if r.kind == "instrument":
            kind, type_ = self.instrument_kind(r.iri)
            out.update(kind=kind, type=type_)
        if r.kind == "programme":
            out.update(period={"start": r.start, "end": r.end})
        return out

    def actor_detail(self, ident: str) -> dict:
        r = self.get("actor", ident)
        out_, inc = self.neighbourhood(r.iri)
        supports = [self.pairing_item(self.pairings[n]) for n in self.positions["supporter"].get(r.iri, ())]
        supported = [self.pairing_item(self.pairings[n]) for n in self.positions["recipient"].get(r.iri, ())]
        below = self.below(r.iri) - {r.iri}
        return {**self.item(r),
                "gb_code": _first(out_, PA + "gbCode"), "pseudonym": _first(out_, PA + "pseudonym"),
                "roles": sorted(v["value"] for v in out_.get(PA + "role", [])),
                "supports": supports, "supported_by": supported,
                "supported_below": sum(len(self.positions["recipient"].get(a, ())) for a in below),
                "members": self.refs(inc.get(ORG + "memberOf", [])),
                "member_of": self.refs(out_.get(ORG + "memberOf", [])),
                "sub_organisations": self.refs([{"value": i} for i in self.children.get(r.iri, [])]),
                "issued": self.refs(inc.get(PA + "issuedBy", [])),
                "party_to": self.refs(out_.get(PA + "partyTo", [])),
                "evidence": self.evidence(out_.get(PA + "evidence", []))}

    def instrument_detail(self, ident: str) -> dict:
        if self.iri("provision", ident) in self.resources:
            return self.provision_detail(ident)
        r = self.get("instrument", ident)
        out_, inc = self.neighbourhood(r.iri)
        provisions = []
        for prov in self.refs(out_.get(ELI + "has_part", [])):
            p_out, _ = self.neighbourhood(prov["iri"])
            prov["article"] = _first(p_out, ELI + "number")
            prov["summary_en"] = _first(p_out, DCTERMS + "description")
            prov["authorizes"] = self.refs(p_out.get(PA + "authorizes", []))
            provisions.append(prov)
        return {**self.item(r), "date": _first(out_, PA + "date"), "date_note": _first(out_, PA + "dateNote"),
                "document_number": _first(out_, PA + "documentNumber"),
                "issuer_text": _first(out_, PA + "issuerText"), "summary_en": _first(out_, DCTERMS + "description"),
                "issued_by": self.refs(out_.get(PA + "issuedBy", [])),
                "parties": self.refs(inc.get(PA + "partyTo", [])),
                "governs": self.refs(out_.get(PA + "governs", [])),
                "authorizes": self.refs(out_.get(PA + "authorizes", [])),
                "provisions": provisions}

    def provision_detail(self, ident: str) -> dict:
        r = self.get("provision", ident)
        out_, _ = self.neighbourhood(r.iri)
        part_of = self._part_of(r.iri)
        return {**self.item(r), "kind": "hard-law", "article": _first(out_, ELI + "number"),
                "part_of": part_of, "date": _first(out_, PA + "date"), "date_note": _first(out_, PA + "dateNote"),
                "summary_en": _first(out_, DCTERMS + "description"),
                "authorizes": self.refs(out_.get(PA + "authorizes", []))}

    def programme_detail(self, ident: str) -> dict:
        r = self.get("programme", ident)
        out_, inc = self.neighbourhood(r.iri)
        pairings = [self.pairing_item(p) for p in self.pairings if p["programme"] == r.iri]
        return {**self.item(r), "mode": [v["value"].rsplit("#", 1)[-1] for v in out_.get(PA + "mode", [])],
                "target_region": _first(out_, PA + "targetRegion"), "launched_by": _first(out_, PA + "launchedBy"),
                "governed_by": self.refs(inc.get(PA + "governs", [])),
                "authorised_by": self.refs(inc.get(PA + "authorizes", [])),
                "pairings": pairings, "figures": self.refs(inc.get(PA + "figureOf", []))}

    def source_detail(self, ident: str) -> dict:
        r = self.get("source", ident)
        out_, inc = self.neighbourhood(r.iri)
        backs = []
        for v in inc.get(PROV + "wasDerivedFrom", []):
            res = self.resources.get(v["value"])
            if res is not None:
                backs.append({**self.ref(res.iri), "kind": res.kind})
        backs.sort(key=lambda b: (b["kind"], b["id"]))
        return {"id": r.id, "iri": r.iri, "title": _first(out_, DCTERMS + "title"), "url": _first(out_, PA + "url"),
                "citation": _first(out_, DCTERMS + "bibliographicCitation"),
                "publisher": _first(out_, DCTERMS + "publisher"), "kind": _first(out_, PA + "sourceKind"),
                "note": _first(out_, SKOS + "note"), "backs": backs}

    def source_item(self, r: Resource) -> dict:
        return {"id": r.id, "iri": r.iri, "title": r.label_en, "url": self._source_urls().get(r.iri),
                "backs": self.backs[r.iri]}


def _first(statements: dict[str, list[dict]], predicate: str):
    values = statements.get(predicate)
    return values[0]["value"] if values else None

