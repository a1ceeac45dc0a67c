"""The REST answers: what the read model holds, in the shapes ``api.schemas`` declares.

Every item carries both labels, its confidence and its sources (each with its title, kind, publisher
and date); every year says its basis (stated by a source, or inferred, and from what), in a field and in
words.  Lists can leave out facts (``FactFilter``): they repeat the filter and say what it left out.
Parts that many answers repeat (a reference to a resource, a source, an instrument's fixed fields) are
built once per dataset version and shared read-only (``Shared``); ``api.deps.localise`` adds the label
of the request's language.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from graph import facets as graph_facets
from graph.config import DCTERMS, ELI, ORG, PA, PROV, SKOS
from graph.governance import (
    VIA_LABELS,
    Governance,
    InstrumentFilter,
    Route,
    governance,
    reason,
    record,
    resolve_pairings,
    select_instruments,
)
from graph.readmodel import (
    NO_FILTER,
    Coverage,
    FactFilter,
    Gap,
    Link,
    Pairing,
    ReadModel,
    Resource,
    Statements,
)

# how a year was come by, said after it ("since 2010 (inferred from the programme)"); a stated year
# needs no words
BASIS_WORDS = {
    "anniversary": ("据周年表述推定", "inferred from an anniversary"),
    "later-source": ("据后来的资料推定", "inferred from a later source"),
    "programme": ("据所属计划推定", "inferred from the programme"),
}


def period(start: int | None, end: int | None, start_basis: str | None, end_basis: str | None) -> dict:
    """A period with the basis of each year and the period in words, in Chinese and English.

    >>> period(2010, None, "programme", None)["label_en"]
    'since 2010 (inferred from the programme)'
    >>> period(2010, None, "programme", None)["label_zh"]
    '自2010年（据所属计划推定）'
    >>> period(2016, 2020, "stated", "programme")["label_en"]
    '2016 to 2020 (inferred from the programme)'
    >>> period(2010, None, "stated", "continued")["label_en"]
    'since 2010; continued after its programme ended'
    """

    def year(value: int, basis: str | None, zh: bool) -> str:
        words = BASIS_WORDS.get(basis or "")
        if zh:
            return f"{value}年" + (f"（{words[0]}）" if words else "")
        return f"{value}" + (f" ({words[1]})" if words else "")

    if start is not None and end is not None:
        zh = f"{year(start, start_basis, True)}至{year(end, end_basis, True)}"
        en = f"{year(start, start_basis, False)} to {year(end, end_basis, False)}"
    elif start is not None:
        zh, en = f"自{year(start, start_basis, True)}", f"since {year(start, start_basis, False)}"
    elif end is not None:
        zh, en = f"至{year(end, end_basis, True)}", f"until {year(end, end_basis, False)}"
    else:
        zh, en = "年份不详", "years not known"
    if end_basis == "continued":
        zh, en = zh + "；所属计划结束后仍在继续", en + "; continued after its programme ended"
    return {
        "start": start,
        "start_basis": start_basis,
        "end": end,
        "end_basis": end_basis,
        "label_zh": zh,
        "label_en": en,
    }


class Shared(dict):
    """A part of answers built once and put in many: read-only, so that no answer can change another,
    and localised once per language (``localised`` is filled by ``api.deps.localise``)."""

    __slots__ = ("localised",)

    def __init__(self, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)
        self.localised: dict = {}

    def _read_only(self, *args, **kwargs):
        raise TypeError("a shared part of the answers is read-only: copy it first")

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = setdefault = clear = _read_only

    def __reduce__(self):
        return Shared, (dict(self),)


class Answers:
    """The JSON answers of one read model (one dataset version)."""

    def __init__(self, model: ReadModel):
        self.model = model

    def _shared(self, table: str, key: str, build: Callable[[str], Any]) -> Any:
        return self.model.memo(f"answers.{table}", key, lambda: build(key))

    # ---- references ------------------------------------------------------------------
    def ref(self, iri: str | None) -> dict | None:
        """A short reference to a resource (``reference``), or None for none."""
        return self.reference(iri) if iri else None

    def reference(self, iri: str) -> dict[str, Any]:
        """A short reference to a resource: id, IRI and both labels."""
        r = self.model.resources.get(iri)
        if r is None:
            return {"id": iri.rsplit("/", 1)[-1], "iri": iri, "label_zh": None, "label_en": None}
        return {"id": r.id, "iri": r.iri, "label_zh": r.label_zh, "label_en": r.label_en}

    def shared_ref(self, iri: str | None) -> Shared | None:
        """``ref`` built once per resource and shared by every answer that names it (read-only)."""
        return self._shared("ref", iri, lambda i: Shared(self.ref(i))) if iri else None

    def refs(self, values: list[dict]) -> list[dict]:
        """References to the resources of statement values, once each, by id."""
        seen, out = set(), []
        for v in values:
            if v["value"] not in seen:
                seen.add(v["value"])
                out.append(self.reference(v["value"]))
        return sorted(out, key=lambda r: r["id"])

    def source_ref(self, iri: str) -> dict:
        """A source as a fact cites it: title, kind, publisher, date, address and original outlet."""
        r = self.model.resources.get(iri)
        info = self.model.sources.get(iri)
        return {
            "id": iri.rsplit("/", 1)[-1],
            "iri": iri,
            "title": (info.title if info else None) or (r.label_en if r else None),
            "kind": info.kind if info else None,
            "publisher": info.publisher if info else None,
            "date": info.date if info else None,
            "url": (info.url if info else None) or (self.model.source_urls.get(iri) if r is not None else None),
            "original_outlet": info.original_outlet if info else None,
        }

    def sources(self, iris: list[str] | tuple[str, ...]) -> list[dict]:
        return [self.source_ref(s) for s in sorted(iris)]

    def shared_sources(self, iris: list[str] | tuple[str, ...]) -> list[Shared]:
        """``sources``, each built once and shared (read-only)."""
        return [self._shared("source", s, lambda i: Shared(self.source_ref(i))) for s in sorted(iris)]

    # ---- pairings --------------------------------------------------------------------
    def pairing_item(self, p: Pairing) -> dict:
        ref = self.shared_ref
        return {
            "id": p.id,
            "iri": p.iri,
            "label_zh": p.label_zh,
            "label_en": p.label_en,
            "kind": p.kind,
            "fields": p.fields,
            "mode": p.mode,
            "confidence": p.confidence,
            "supporter": ref(p.supporter),
            "recipient": ref(p.recipient),
            "supporter_detail": p.supporter_detail,
            "supporter_detail_en": p.supporter_detail_en,
            "programme": ref(p.programme),
            "period": period(p.start, p.end, p.start_basis, p.end_basis),
            "parent": ref(p.parent),
            "sources": self.shared_sources(p.sources),
        }

    def pairing_list(
        self, found: tuple[list[Pairing], dict[str, int]], facts: FactFilter, page: Any, facets: Sequence[str] = ()
    ) -> dict:
        """A page of pairings (``page``: an ``api.deps.Page``), with the filter and what it left out, and
        the ``facets`` asked, counted over every pairing kept."""
        kept, left = found
        return {
            **page.apply(kept, self.pairing_item),
            "facts": facts.echo(),
            "left_out": left,
            **self.facets("pairing", kept, facets),
        }

    def facets(self, of: str, records: Sequence[Pairing | Resource], names: Sequence[str]) -> dict:
        """``{"facets": …}``: each facet of ``names`` counted over ``records`` (every item of a list the
        filters keep, ``graph.facets.count``); {} when none is asked."""
        return {"facets": graph_facets.count(self.model, of, records, names)} if names else {}

    def pairing_detail(self, ident: str) -> dict:
        model = self.model
        p = model.pairing(ident)
        out_, inc = model.neighbourhood(p.iri)
        teams = []
        for team in self.refs(inc.get(PA + "underPairing", [])):
            _, team_inc = model.neighbourhood(team["iri"])
            team["members"] = self.refs(team_inc.get(ORG + "memberOf", []))
            teams.append(team)
        people = {m["iri"]: m for t in teams for m in t["members"]}
        for role in (PA + "mentor", PA + "mentee"):
            for v in out_.get(role, []):
                people.setdefault(v["value"], self.ref(v["value"]))
        return {
            **self.pairing_item(p),
            "note": _note(out_),
            "sub_pairings": [self.pairing_item(model.pairing_by_iri[i]) for i in sorted(model.sub_pairings[p.iri])],
            "teams": teams,
            "people": sorted(people.values(), key=lambda r: r["id"]),
            "evidence": self.evidence(out_.get(PA + "evidence", [])),
            "figures": self.refs(inc.get(PA + "figureOf", [])),
            "instruments_url": f"/pairings/{p.id}/instruments",
        }

    def pairing_instruments(
        self,
        ident: str,
        kind: str | None = None,
        type_: str | None = None,
        facts: FactFilter = NO_FILTER,
        as_of: int | None = None,
        issuer: str | None = None,
        doc_number: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> dict:
        """The instruments that govern or authorise the pairing ``ident`` (``graph.governance``): one
        entry per instrument with every route by which it applies and the reason in both languages;
        kept by kind, type, issuer, document number and date range; ``facts`` leaves out instruments
        below a confidence or resting only on excluded kinds of sources; ``as_of`` those that applied
        only after the year or no longer in it, and all of them when the pairing was not active then."""
        wanted = InstrumentFilter.parse(self.model, kind, type_, issuer, doc_number, date_from, date_to)
        return self.governance_answer(governance(self.model, ident, as_of, wanted, facts), wanted, facts)

    def bulk_instruments(self, ids: list[str], **question) -> dict:
        """``pairing_instruments`` of several pairings (ids, IRIs or names; at most
        ``graph.governance.MAX_IDS``), in the order asked, once each."""
        found = resolve_pairings(self.model, ids, "ids")
        items = [self.pairing_instruments(ident, **question) for ident in found]
        return {"total": len(items), "items": items}

    def governance_answer(self, found: Governance, wanted: InstrumentFilter, facts: FactFilter) -> dict:
        p = found.pairing
        items = []
        for g in found.items:
            head, tail = self._instrument_fields(g.instrument)
            routes = [self.route(p.iri, g.instrument, r) for r in g.routes]
            items.append(
                {
                    **head,
                    "routes": routes,
                    "reason_zh": "".join(r["reason_zh"] for r in routes),
                    "reason_en": " ".join(r["reason_en"] for r in routes),
                    **tail,
                }
            )
        return {
            "pairing": self.ref(p.iri),
            "as_of": found.as_of,
            "active": found.active,
            "note_zh": found.note_zh,
            "note_en": found.note_en,
            "filters": wanted.echo(self.model),
            "facts": facts.echo(),
            "total": len(items),
            "items": items,
            "left_out": found.left_out,
        }

    def route(self, pairing: str, instrument: str, r: Route) -> dict:
        """One route by which an instrument applies to a pairing, with its label and reason in both
        languages."""
        via_zh, via_en = VIA_LABELS[r.via]
        why_zh, why_en = reason(self.model, pairing, instrument, r)
        return {
            "via": r.via,
            "via_label_zh": via_zh,
            "via_label_en": via_en,
            "through": self.shared_ref(r.through),
            "parent": self.shared_ref(r.parent),
            "programme": self.shared_ref(r.programme),
            "governed": self.shared_ref(r.governed),
            "reason_zh": why_zh,
            "reason_en": why_en,
        }

    def _instrument_fields(self, iri: str) -> tuple[dict, dict]:
        """The fields of an instrument's entry in ``pairing_instruments`` that do not depend on the
        pairing — those before ``routes`` and those after — built once per instrument."""

        def build(iri: str) -> tuple[dict, dict]:
            r = self.model.resources[iri]
            return (
                {**self.reference(iri), **self.described(iri), "part_of": self.linked(self.model.part_of.get(iri))},
                {"confidence": r.confidence, "sources": self.shared_sources(r.sources)},
            )

        return self._shared("instrument", iri, build)

    def described(self, iri: str) -> dict:
        """What a reader needs of an instrument or article in a list: kind, type, document number,
        issuer (the first; ``issuers``: all), issuer as the source writes it, and date (ISO text, as
        precise as known); an article takes what it lacks from its law."""
        rec = record(self.model, iri)
        kind, type_ = self.model.instrument_kind(iri)
        issuers = [self.shared_ref(a) for a in rec.issuers] if rec else []
        return {
            "kind": kind,
            "type": type_,
            "doc_number": rec.doc_number if rec else None,
            "issuer": issuers[0] if issuers else None,
            "issuers": issuers,
            "issuer_text": rec.issuer_text if rec else None,
            "date": rec.date if rec else None,
        }

    def linked(self, iri: str | None) -> dict | None:
        """A reference to an instrument or article with the address of its answer (``url``)."""
        if not iri:
            return None
        ref = self.reference(iri)
        return {**ref, "url": f"/instruments/{ref['id']}"}

    def evidence(self, values: list[dict]) -> list[dict]:
        out = []
        for ref in self.refs(values):
            ev_out, _ = self.model.neighbourhood(ref["iri"])
            ref["code"] = _first(ev_out, PA + "evidenceCode")
            ref["quote_zh"] = _first(ev_out, PA + "quote")
            ref["summary_en"] = _first(ev_out, DCTERMS + "description")
            speaker = ev_out.get(PA + "speaker")
            ref["speaker"] = self.ref(speaker[0]["value"]) if speaker else None
            out.append(ref)
        return out

    # ---- other kinds -----------------------------------------------------------------------
    def item(self, r: Resource) -> dict:
        """A resource as a list item: labels, pakg types, confidence, sources and its kind's own fields."""
        out: dict[str, Any] = {
            "id": r.id,
            "iri": r.iri,
            "label_zh": r.label_zh,
            "label_en": r.label_en,
            "types": sorted(t.rsplit("#", 1)[-1] for t in r.types if t.startswith(PA)),
            "confidence": r.confidence,
            "sources": self.sources(r.sources),
        }
        if r.kind == "actor":
            out.update(level=r.level, parent=self.ref(r.parent), alt_labels_zh=r.alt_labels)
        if r.kind == "instrument":
            out.update(self.described(r.iri))
        if r.kind == "programme":
            out.update(period=period(r.start, r.end, r.start_basis, r.end_basis))
        return out

    def source_item(self, r: Resource) -> dict:
        return {**self.source_ref(r.iri), "backs": self.model.backs[r.iri]}

    def listing(
        self,
        of: str,
        q: str | None = None,
        label: str | None = None,
        facts: FactFilter | None = None,
        **equal: str | None,
    ) -> list[dict]:
        """The items of kind ``of``: ``q`` in a label, ``label`` an actor's exact label or short name,
        and each of ``equal`` (when given) the value of that field of the item; ``facts`` (when given)
        leaves out items below a confidence or resting only on excluded kinds of sources (see
        ``filtered_listing`` for an answer that says so)."""
        return self.filtered_listing(of, q, label, facts, **equal)[0]

    def filtered_listing(
        self,
        of: str,
        q: str | None = None,
        label: str | None = None,
        facts: FactFilter | None = None,
        only: Collection[str] | None = None,
        **equal: str | None,
    ) -> tuple[list[dict], dict[str, int]]:
        """``listing`` and what ``facts`` left out of it; ``only`` (when given, also through ``page_of``
        and ``listing``): the IRIs an item must be one of (e.g. the instruments an ``InstrumentFilter``
        keeps)."""
        facts = facts or NO_FILTER
        self.model.check_facts(facts)
        needle = q.casefold() if q else None
        wanted = {k: v for k, v in equal.items() if v is not None}
        named = self.model.actors_named(label) if label is not None else None
        items = []
        left = _no_left_out()
        for r in self.model.items(of):
            if needle and not any(needle in t.casefold() for t in (r.label_zh, r.label_en, *r.alt_labels)):
                continue
            if named is not None and r.iri not in named:
                continue
            if only is not None and r.iri not in only:
                continue
            item = self.source_item(r) if of == "source" else self.item(r)
            if all(item[k] == v for k, v in wanted.items()) and _counts(self.model, facts, r, left):
                items.append(item)
        return items, left

    def list_page(self, of: str, page: Any, q: str | None, facets: Sequence[str] = (), **equal: str | None) -> dict:
        """A page of ``listing`` (a list whose facts are not weighed: sources), with the ``facets`` asked."""
        items = self.listing(of, q, None, None, **equal)
        records = [self.model.resources[i["iri"]] for i in items] if facets else []
        return {**page.apply(items), **self.facets(of, records, facets)}

    def page_of(
        self,
        of: str,
        page: Any,
        q: str | None,
        label: str | None,
        facts: FactFilter,
        facets: Sequence[str] = (),
        **equal,
    ) -> dict:
        """A page of ``filtered_listing`` (``page``: an ``api.deps.Page``), with the filter and what it
        left out, and the ``facets`` asked, counted over every item kept."""
        items, left = self.filtered_listing(of, q, label, facts, **equal)
        records = [self.model.resources[i["iri"]] for i in items] if facets else []
        return {**page.apply(items), "facts": facts.echo(), "left_out": left, **self.facets(of, records, facets)}

    def instrument_page(
        self,
        page: Any,
        q: str | None,
        facts: FactFilter,
        kind: str | None = None,
        type_: str | None = None,
        issuer: str | None = None,
        doc_number: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        facets: Sequence[str] = (),
    ) -> dict:
        """A page of instruments kept by kind, type, issuer (a name; a unit below it counts too),
        document number and date range (``graph.governance.InstrumentFilter``), with the filters (and
        the ``facets`` asked)."""
        wanted = InstrumentFilter.parse(self.model, kind, type_, issuer, doc_number, date_from, date_to)
        only = None if wanted == InstrumentFilter() else select_instruments(self.model, wanted)
        listed = self.page_of("instrument", page, q, None, facts, facets, only=only)
        return {**listed, "filters": wanted.echo(self.model)}

    def attributions(self, iri: str) -> list[dict]:
        """Which source gives which fact about a resource (its rdf:Statement nodes), by property."""
        out = []
        for f in self.model.facts_of(iri):
            value_is_resource = isinstance(f.value, str) and f.value.startswith(("http://", "https://"))
            out.append(
                {
                    "property": f.property,
                    "name": f.property.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                    "value": f.value,
                    "language": f.language or None,
                    "resource": self.ref(f.value) if value_is_resource and f.label_en is not None else None,
                    "sources": self.shared_sources(f.sources),
                }
            )
        return out

    def actor_detail(self, ident: str) -> dict:
        model = self.model
        r = model.get("actor", ident)
        out_, inc = model.neighbourhood(r.iri)
        supports = [self.pairing_item(model.pairings[n]) for n in model.positions["supporter"].get(r.iri, ())]
        supported = [self.pairing_item(model.pairings[n]) for n in model.positions["recipient"].get(r.iri, ())]
        below = model.below(r.iri) - {r.iri}
        return {
            **self.item(r),
            "note": _note(out_),
            "gb_code": _first(out_, PA + "gbCode"),
            "pseudonym": _first(out_, PA + "pseudonym"),
            "roles": sorted(v["value"] for v in out_.get(PA + "role", [])),
            "supports": supports,
            "supported_by": supported,
            "supported_below": sum(len(model.positions["recipient"].get(a, ())) for a in below),
            "members": self.refs(inc.get(ORG + "memberOf", [])),
            "member_of": self.refs(out_.get(ORG + "memberOf", [])),
            "sub_organisations": self.refs([{"value": i} for i in model.children.get(r.iri, [])]),
            "issued": self.refs(inc.get(PA + "issuedBy", [])),
            "party_to": self.refs(out_.get(PA + "partyTo", [])),
            "evidence": self.evidence(out_.get(PA + "evidence", [])),
            "attributions": self.attributions(r.iri),
            "location": self.location(r.iri),
            "unlocated": model.unlocated(r.iri),
        }

    def location(self, iri: str) -> dict | None:
        """An actor's point (``Location``), or None."""
        point = self.model.point(iri)
        if point is None:
            return None
        return {
            "longitude": point.longitude,
            "latitude": point.latitude,
            "wkt": point.wkt,
            "basis": point.basis,
            "approximate": point.approximate,
            "placed_in": self.ref(point.placed_in) if point.placed_in else None,
            "confidence": point.confidence,
            "sources": [self.source_ref(s) for s in point.sources],
        }

    def instrument_detail(self, ident: str) -> dict:
        """An instrument: what ``item`` gives (kind, type, document number, issuer, date), its issuers,
        parties, what it governs and authorises, its articles (each with the address of its answer),
        its summary in both languages, its relations, and ``missing``: what the data does not give."""
        model = self.model
        if model.iri("provision", ident) in model.resources:
            return self.provision_detail(ident)
        r = model.get("instrument", ident)
        out_, inc = model.neighbourhood(r.iri)
        rec = record(model, r.iri)
        provisions = []
        for prov in self.refs(out_.get(ELI + "has_part", [])):
            p_out, _ = model.neighbourhood(prov["iri"])
            p_rec = record(model, prov["iri"])
            prov["url"] = f"/instruments/{prov['id']}"
            prov["article"] = _first(p_out, ELI + "number")
            prov["summary_zh"] = p_rec.summary_zh if p_rec else None
            prov["summary_en"] = p_rec.summary_en if p_rec else _first(p_out, DCTERMS + "description")
            prov["authorizes"] = self.refs(p_out.get(PA + "authorizes", []))
            provisions.append(prov)
        provisions.sort(key=_article_order)
        return {
            **self.item(r),
            "date_note": _first(out_, PA + "dateNote"),
            "in_force_from": _text(_first(out_, ELI + "first_date_entry_in_force")),
            "in_force_until": _text(_first(out_, ELI + "date_no_longer_in_force")),
            "summary_zh": rec.summary_zh if rec else None,
            "summary_en": rec.summary_en if rec else None,
            "missing": rec.missing() if rec else [],
            "note": _note(out_),
            "issued_by": self.refs(out_.get(PA + "issuedBy", [])),
            "parties": self.refs(inc.get(PA + "partyTo", [])),
            "governs": self.refs(out_.get(PA + "governs", [])),
            "authorizes": self.refs(out_.get(PA + "authorizes", [])),
            "provisions": provisions,
            "relations": self.relations(r.iri),
        }

    def provision_detail(self, ident: str) -> dict:
        """An article of a law: its number, the law it is part of (with the address of its answer), the
        law's issuers, issuer text and document number, its own date (else the law's), its summary in
        both languages, what it authorises, and ``missing``."""
        r = self.model.get("provision", ident)
        out_, _ = self.model.neighbourhood(r.iri)
        rec = record(self.model, r.iri)
        described = self.described(r.iri)
        return {
            **self.item(r),
            **described,
            "article": _first(out_, ELI + "number"),
            "part_of": self.linked(self.model.part_of.get(r.iri)),
            "issued_by": [dict(i) for i in described["issuers"]],
            "date_note": _first(out_, PA + "dateNote"),
            "summary_zh": rec.summary_zh if rec else None,
            "summary_en": rec.summary_en if rec else _first(out_, DCTERMS + "description"),
            "missing": rec.missing() if rec else [],
            "note": _note(out_),
            "authorizes": self.refs(out_.get(PA + "authorizes", [])),
            "relations": self.relations(r.iri),
        }

    def relations(self, iri: str) -> list[dict]:
        """How an instrument (provision, programme) relates to others (``ReadModel.relations``): each link
        with its relation, direction, the resource at the other end (with its kind), and the sources,
        confidence and note that attribute the link."""
        return [self.relation(direction, link) for direction, link in self.model.relations(iri)]

    def relation(self, direction: str, link: Link) -> dict:
        other = link.object if direction == "outgoing" else link.subject
        kind = self.model.resources[other].kind if other in self.model.resources else self.model.split(other)[0]
        return {
            "relation": link.relation,
            "direction": direction,
            "resource": {**self.reference(other), "kind": kind or "resource"},
            "confidence": link.confidence,
            "note": link.note,
            "sources": self.shared_sources(link.sources),
        }

    def replacement(self, iri: str, out_: Statements, inc: Statements) -> tuple[list[dict], list[dict]]:
        """The programmes that replaced a programme and those it replaced (pa:replacedBy and its inverse
        pa:replaces, either way round the graph states them), as references by id."""
        model = self.model

        def programmes(*values: list[dict]) -> list[dict]:
            named = [v for vs in values for v in vs if model.split(v["value"])[0] == "programme"]
            return self.refs(named)

        return (
            programmes(out_.get(PA + "replacedBy", []), inc.get(PA + "replaces", [])),
            programmes(out_.get(PA + "replaces", []), inc.get(PA + "replacedBy", [])),
        )

    def programme_detail(self, ident: str) -> dict:
        r = self.model.get("programme", ident)
        out_, inc = self.model.neighbourhood(r.iri)
        pairings = [self.pairing_item(p) for p in self.model.pairings if p.programme == r.iri]
        replaced_by, replaces = self.replacement(r.iri, out_, inc)
        return {
            **self.item(r),
            "note": _note(out_),
            "replaced_by": replaced_by,
            "replaces": replaces,
            "mode": [v["value"].rsplit("#", 1)[-1] for v in out_.get(PA + "mode", [])],
            "target_region": _first(out_, PA + "targetRegion"),
            "launched_by": _first(out_, PA + "launchedBy"),
            "governed_by": self.refs(inc.get(PA + "governs", [])),
            "authorised_by": self.refs(inc.get(PA + "authorizes", [])),
            "pairings": pairings,
            "figures": self.refs(inc.get(PA + "figureOf", [])),
            "relations": self.relations(r.iri),
        }

    def source_detail(self, ident: str) -> dict:
        r = self.model.get("source", ident)
        out_, inc = self.model.neighbourhood(r.iri)
        backs = []
        for v in inc.get(PROV + "wasDerivedFrom", []):
            res = self.model.resources.get(v["value"])
            if res is not None:
                backs.append({**self.reference(res.iri), "kind": res.kind})
        backs.sort(key=lambda b: (b["kind"], b["id"]))
        info = self.source_ref(r.iri)
        return {
            "id": r.id,
            "iri": r.iri,
            "title": _first(out_, DCTERMS + "title") or info["title"],
            "url": _first(out_, PA + "url"),
            "citation": _first(out_, DCTERMS + "bibliographicCitation"),
            "publisher": _first(out_, DCTERMS + "publisher"),
            "date": info["date"],
            "kind": info["kind"],
            "original_outlet": info["original_outlet"],
            "note": _first(out_, SKOS + "note"),
            "backs": backs,
        }

    # ---- coverage ----------------------------------------------------------------------------
    def coverage(self) -> dict:
        """Per programme: what the graph holds (``ReadModel.holdings``) beside what sources say it holds
        (coverage statements) and the known gaps about it; then pairings under no programme, the gaps
        about no programme, and the holdings of the whole graph."""
        model = self.model
        gaps = [self.gap(g) for g in model.gaps]
        by_programme: dict[str, list[Pairing]] = {}
        for p in model.pairings:
            by_programme.setdefault(p.programme or "", []).append(p)
        programmes = []
        for r in model.items("programme"):
            programmes.append(
                {
                    "programme": self.reference(r.iri),
                    "period": period(r.start, r.end, r.start_basis, r.end_basis),
                    "holds": model.holdings(by_programme.get(r.iri, [])),
                    "statements": [self.coverage_statement(c) for c in model.coverage if c.programme == r.iri],
                    "gaps": [g for g, raw in zip(gaps, model.gaps, strict=True) if r.iri in raw.about],
                }
            )
        programme_iris = {r.iri for r in model.items("programme")}
        return {
            "programmes": programmes,
            "without_programme": model.holdings(by_programme.get("", [])),
            "other_gaps": [g for g, raw in zip(gaps, model.gaps, strict=True) if not programme_iris & set(raw.about)],
            "total": model.holdings(model.pairings),
        }

    def coverage_statement(self, c: Coverage) -> dict:
        return {
            "id": c.id,
            "iri": c.iri,
            "statement_zh": c.statement_zh,
            "statement_en": c.statement_en,
            "stated_supporters": c.stated_supporters,
            "stated_recipients": c.stated_recipients,
            "recipient_units_en": c.recipient_units_en,
            "confidence": c.confidence,
            "note": c.note,
            "sources": self.shared_sources(c.sources),
        }

    def gap(self, g: Gap) -> dict:
        return {
            "id": g.id,
            "iri": g.iri,
            "label_zh": g.label_zh,
            "label_en": g.label_en,
            "note": g.note,
            "about": [self.reference(a) for a in g.about],
            "sources": self.shared_sources(g.sources),
        }


def _no_left_out() -> dict[str, int]:
    return {"below_confidence": 0, "only_excluded_sources": 0, "years_not_stated": 0}


def _counts(model: ReadModel, facts: FactFilter, r: Resource, left: dict[str, int]) -> bool:
    """Whether ``facts`` keeps a resource by its confidence and sources; when not, it is counted in
    ``left`` under its reason."""
    if facts.keeps_all:
        return True
    if not facts.confident(r):
        left["below_confidence"] += 1
        return False
    if facts.only_excluded(model, r):
        left["only_excluded_sources"] += 1
        return False
    return True


def _article_order(prov: dict) -> tuple:
    """Articles in the order of their numbers (Art. 4 before Art. 122), then by id."""
    digits = "".join(c if c.isdigit() else " " for c in str(prov.get("article") or "")).split()
    return (int(digits[0]) if digits else 10**9, prov["id"])


def _first(statements: Statements, predicate: str) -> Any:
    values = statements.get(predicate)
    return values[0]["value"] if values else None


def _text(value: Any) -> str | None:
    """A value as text (a date given as a year is read as a number), None for none."""
    return None if value is None else str(value)


def _note(statements: Statements) -> str | None:
    """A resource's note for users (skos:note; the data states notes in English), None for none."""
    notes = sorted(str(v["value"]) for v in statements.get(SKOS + "note", []))
    return notes[0] if notes else None
