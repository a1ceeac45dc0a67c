"""Governance answers: which instruments apply to a pairing, by which routes, and why — in words.

The rule is the read model's (``ReadModel.governance_rows``, held equal to the named query
``instruments_for_pairing`` by a test): one row per way an instrument reaches a pairing.  This module
groups those rows into one entry per instrument with every ``Route`` by which it applies, says each
route as a sentence in Chinese and English ("applies because the pairing belongs to programme X, which
Y governs" / "因该结对属于X，而Y规范X，故适用"), and answers "as of a year": instruments that came into
force (or, without an entry into force, are dated) after the year, or went out of force before it, are
left out, and a pairing not active in the year gets no instruments and a note saying why.

It also holds what a reader needs of each instrument (``InstrumentRecord``: date, entry into force,
document number, issuers, summaries; an article takes what it lacks from its law), the filters of
instruments (``InstrumentFilter``: kind, type, issuer, document number, date range) and their facets
(``instrument_facet_values``, counted by ``graph.facets``).  Records are read with the named query
``instrument_records`` once per dataset version.  Nothing here knows HTTP: errors are ``BadParameter``
naming the parameter.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from datetime import date as Day  # (InstrumentRecord has a field named date)
from typing import Any

from . import queries
from .config import PA
from .errors import BadParameter
from .readmodel import INSTRUMENT_KINDS, INSTRUMENT_TYPES, NO_FILTER, VIAS, FactFilter, Pairing, ReadModel

# how an instrument reaches a pairing, in words (the order of ``VIAS``)
VIA_LABELS: dict[str, tuple[str, str]] = {
    "direct": ("直接规范", "directly"),
    "programme": ("经由所属工程", "through its programme"),
    "parent-pairing": ("经由上级结对", "through a parent pairing"),
    "parent-programme": ("经由上级结对所属工程", "through a parent pairing's programme"),
    "authorising-hard-law": ("硬法授权", "authorising hard law"),
}
assert tuple(VIA_LABELS) == VIAS
INSTRUMENT_FACETS = ("kind", "type", "issuer", "doc_number", "decade", "confidence")
KIND_CLASSES = {"hard-law": "HardLaw", "soft-law": "SoftLaw"}
TYPE_CLASSES = {v: k for k, v in INSTRUMENT_TYPES.items()}
# what an instrument answer names as missing when the data lacks it
DESCRIBED = ("doc_number", "issuer", "date", "summary_zh", "summary_en")
MAX_IDS = 200  # pairings in one bulk question
DATE_TEXT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
BRACKETS = str.maketrans({"〔": "[", "〕": "]", "【": "[", "】": "]", "［": "[", "］": "]", "（": "(", "）": ")"})


# ---- dates --------------------------------------------------------------------------------------
def date_span(text: str | None) -> tuple[date, date] | None:
    """The first and last day a date as precise as known covers ("1982" → the whole year), None for
    none or for text that is not such a date.

    >>> date_span("2008-05")
    (datetime.date(2008, 5, 1), datetime.date(2008, 5, 31))
    >>> date_span("1982")[1]
    datetime.date(1982, 12, 31)
    """
    m = DATE_TEXT.match((text or "").strip())
    if not m:
        return None
    try:
        year = int(m[1])
        if m[3]:
            day = date(year, int(m[2]), int(m[3]))
            return day, day
        if m[2]:
            month = int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def parse_date(value: str | None, parameter: str) -> tuple[date, date] | None:
    """A user's date bound (a year, a year and month, or an ISO date), or ``BadParameter``."""
    if value is None or not value.strip():
        return None
    span = date_span(value)
    if span is None:
        raise BadParameter(parameter, f"'{value}' is not a year or an ISO date (e.g. 2010, 2010-05, 2010-05-17)")
    return span


def fold(text: str) -> str:
    """Text for a width-, case- and bracket-insensitive comparison (full-width 〔２００８〕 = [2008])."""
    return "".join(unicodedata.normalize("NFKC", text).translate(BRACKETS).casefold().split())


# ---- instruments --------------------------------------------------------------------------------
@dataclass(frozen=True)
class InstrumentRecord:
    """What a reader needs of an instrument or an article: its kind and type, the law it is part of,
    issuers (IRIs), the issuer as the source writes it, date (ISO text, as precise as known), entry into
    and end of force, document number and summaries.  An article takes its law's issuers, issuer text
    and document number, and its law's date when it has none of its own."""

    iri: str
    kind: str
    type: str | None
    part_of: str | None
    issuers: tuple[str, ...]
    issuer_text: str | None
    date: str | None
    in_force_from: str | None
    in_force_until: str | None
    doc_number: str | None
    summary_zh: str | None
    summary_en: str | None
    confidence: str | None

    @property
    def since(self) -> tuple[Day, Day] | None:
        """When it applies from: its entry into force where the data gives one, else its date."""
        return date_span(self.in_force_from) or date_span(self.date)

    @property
    def until(self) -> tuple[Day, Day] | None:
        return date_span(self.in_force_until)

    @property
    def year(self) -> int | None:
        span = date_span(self.date)
        return span[0].year if span else None

    def missing(self) -> list[str]:
        """The described fields (``DESCRIBED``) the data does not give."""
        have = {
            "doc_number": self.doc_number,
            "issuer": self.issuers or self.issuer_text,
            "date": self.date,
            "summary_zh": self.summary_zh,
            "summary_en": self.summary_en,
        }
        return [name for name in DESCRIBED if not have[name]]


def records(model: ReadModel) -> dict[str, InstrumentRecord]:
    """Every instrument's and article's record, by IRI (read once per dataset version)."""
    return model.memo("governance.records", "all", lambda: _read_records(model))


def _read_records(model: ReadModel) -> dict[str, InstrumentRecord]:
    rows = {row["instrument"]: row for row in queries.run(model.engine, "instrument_records")}
    issuers: dict[str, list[str]] = {}
    for instrument, actor in model.edges.get(PA + "issuedBy", []):
        issuers.setdefault(instrument, []).append(actor)
    out = {}
    for iri, row in rows.items():
        if iri not in model.resources:
            continue
        law = model.part_of.get(iri)
        up = rows.get(law or "", {})
        kind, type_ = model.instrument_kind(iri)

        def own(key: str, row: dict = row, up: dict = up) -> Any:
            value = row.get(key)
            return value if value not in (None, "") else up.get(key)

        out[iri] = InstrumentRecord(
            iri,
            kind,
            type_,
            law,
            tuple(sorted(issuers.get(iri) or issuers.get(law or "", []), key=lambda a: model.split(a)[1])),
            own("issuer_text"),
            own("date"),
            row.get("in_force_from"),
            row.get("in_force_until"),
            own("doc_number"),
            row.get("summary_zh"),
            row.get("summary_en"),
            model.resources[iri].confidence,
        )
    return out


def record(model: ReadModel, iri: str) -> InstrumentRecord | None:
    return records(model).get(iri)


@dataclass(frozen=True)
class InstrumentFilter:
    """Which instruments a question keeps: of a kind (hard-law, soft-law) and type, issued by an actor
    (or a unit below it), whose document number holds a text (width-, case- and bracket-insensitive),
    dated within a range (a bound is a year, a month or a day; an instrument dated only by year is in a
    range that meets that year).  Made by ``parse``, which refuses what it cannot use."""

    kind: str | None = None
    type: str | None = None
    issuer: str | None = None  # an actor's IRI
    doc_number: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    issuers: frozenset[str] = frozenset()  # the issuer and the units below it
    span: tuple[date | None, date | None] = (None, None)

    @classmethod
    def parse(
        cls,
        model: ReadModel,
        kind: str | None = None,
        type: str | None = None,  # noqa: A002 - the API's parameter name
        issuer: str | None = None,
        doc_number: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
    ) -> InstrumentFilter:
        if kind is not None and kind not in INSTRUMENT_KINDS:
            raise BadParameter("kind", f"unknown kind '{kind}' (expected one of: {', '.join(INSTRUMENT_KINDS)})")
        types = sorted(INSTRUMENT_TYPES.values())
        if type is not None and type not in types:
            raise BadParameter("type", f"unknown type '{type}' (expected one of: {', '.join(types)})")
        who = None
        if issuer is not None and issuer.strip():
            resolve = getattr(model, "resolve", None)
            who = resolve("actor", issuer, "issuer") if resolve else model.resolve_actor(issuer, "issuer")
        start = parse_date(date_from, "date_from")
        end = parse_date(date_to, "date_to")
        if start and end and start[0] > end[1]:
            raise BadParameter("date_to", f"date_to '{date_to}' is before date_from '{date_from}'")
        return cls(
            kind,
            type,
            who,
            doc_number if doc_number and doc_number.strip() else None,
            date_from.strip() if date_from and date_from.strip() else None,
            date_to.strip() if date_to and date_to.strip() else None,
            frozenset(model.below(who)) if who else frozenset(),
            (start[0] if start else None, end[1] if end else None),
        )

    def keeps(self, rec: InstrumentRecord) -> bool:
        if self.kind is not None and rec.kind != self.kind:
            return False
        if self.type is not None and rec.type != self.type:
            return False
        if self.issuer is not None and not self.issuers & set(rec.issuers):
            return False
        if self.doc_number is not None and fold(self.doc_number) not in fold(rec.doc_number or ""):
            return False
        low, high = self.span
        if low is not None or high is not None:
            span = date_span(rec.date)
            if span is None:
                return False
            if low is not None and span[1] < low:
                return False
            if high is not None and span[0] > high:
                return False
        return True

    def echo(self, model: ReadModel) -> dict[str, Any]:
        """The filter as answers repeat it (the issuer as the actor's id)."""
        return {
            "kind": self.kind,
            "type": self.type,
            "issuer": model.split(self.issuer)[1] if self.issuer else None,
            "doc_number": self.doc_number,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


NO_INSTRUMENT_FILTER = InstrumentFilter()


def select_instruments(model: ReadModel, wanted: InstrumentFilter) -> set[str]:
    """The IRIs of the instruments and articles a filter keeps."""
    return {iri for iri, rec in records(model).items() if wanted.keeps(rec)}


# ---- routes and reasons -------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """One way an instrument applies to a pairing: ``via`` (one of ``VIAS``); ``through``, what the
    instrument itself governs or authorises (the pairing, a parent pairing, a programme, or a soft-law
    instrument); the parent pairing and the programme the way passes; and, when a hard law authorises a
    soft-law instrument, what that instrument governs (``governed``)."""

    via: str
    through: str | None
    parent: str | None
    programme: str | None
    governed: str | None = None


@dataclass
class Governing:
    """One instrument that applies to a pairing, with every route, and its record."""

    instrument: str
    record: InstrumentRecord
    routes: list[Route] = field(default_factory=list)


@dataclass
class Governance:
    """The instruments that apply to a pairing (as of a year, when asked), what was left out and why."""

    pairing: Pairing
    as_of: int | None
    active: bool
    items: list[Governing]
    left_out: dict[str, int]
    note_zh: str | None = None
    note_en: str | None = None


def routes_of(model: ReadModel, pairing: str) -> dict[str, list[Route]]:
    """The rule's rows for a pairing as routes, grouped by instrument (routes in the order of ``VIAS``,
    then of what they go through)."""
    grouped: dict[str, list[Route]] = {}
    for row in model.governance_rows(pairing):
        above = row.parent or pairing
        if row.via == "authorising-hard-law":
            target = row.authorised
            kind = model.split(target or "")[0]
            programme = target if kind == "programme" else None
            governed = None
            if kind in ("instrument", "provision"):
                prog = model.pairing_by_iri[above].programme if above in model.pairing_by_iri else None
                governed = above if target in model.governed_by.get(above, ()) else prog
                programme = prog if governed == prog else None
            route = Route(row.via, target, row.parent, programme, governed)
        elif row.via in ("direct", "parent-pairing"):
            route = Route(row.via, above, row.parent, None)
        else:
            route = Route(row.via, row.programme, row.parent, row.programme)
        grouped.setdefault(row.instrument, []).append(route)
    for routes in grouped.values():
        routes.sort(key=lambda r: (VIAS.index(r.via), model.split(r.through or "")[1], r.parent or ""))
    return grouped


def reason(model: ReadModel, pairing: str, instrument: str, route: Route) -> tuple[str, str]:
    """One sentence in Chinese and one in English saying why an instrument applies by a route.

    The sentence names the pairing's way to what the instrument (or the soft law a hard law authorises)
    names — its parent pairing, its programme, or the parent's programme — then who governs or
    authorises it."""

    def zh(iri: str | None) -> str:
        r = model.resources.get(iri or "")
        return (r.label_zh or r.id) if r else (iri or "")

    def en(iri: str | None) -> str:
        r = model.resources.get(iri or "")
        return f"“{(r.label_en or r.id) if r else iri}”"

    soft = route.through if route.governed is not None else None
    target = route.governed if soft is not None else route.through
    verb_en, verb_zh = (
        ("authorises", "授权") if route.via == "authorising-hard-law" and soft is None else ("governs", "规范")
    )
    actor = soft or instrument
    if target == pairing or target is None:
        if soft is not None:
            return (
                f"因{zh(soft)}规范该结对，而{zh(instrument)}授权{zh(soft)}，故适用。",
                f"Applies because {en(soft)} governs this pairing and {en(instrument)} authorises {en(soft)}.",
            )
        if verb_en == "governs":
            return (
                f"因{zh(instrument)}直接规范该结对，故适用。",
                f"Applies because {en(instrument)} governs this pairing directly.",
            )
        return f"因{zh(instrument)}授权该结对，故适用。", f"Applies because {en(instrument)} authorises this pairing."
    parent = route.parent
    if target == parent:
        chain_zh, chain_en = f"该结对隶属于上级结对{zh(parent)}", f"the pairing comes under the pairing {en(parent)}"
    elif parent is not None:
        chain_zh = f"该结对隶属于上级结对{zh(parent)}，该上级结对属于{zh(target)}"
        chain_en = f"the pairing comes under the pairing {en(parent)}, which belongs to programme {en(target)}"
    else:
        chain_zh, chain_en = f"该结对属于{zh(target)}", f"the pairing belongs to programme {en(target)}"
    if soft is not None:
        return (
            f"因{chain_zh}，而{zh(soft)}规范{zh(target)}，{zh(instrument)}又授权{zh(soft)}，故适用。",
            f"Applies because {chain_en}, which {en(soft)} governs, and {en(instrument)} authorises {en(soft)}.",
        )
    return (
        f"因{chain_zh}，而{zh(actor)}{verb_zh}{zh(target)}，故适用。",
        f"Applies because {chain_en}, which {en(actor)} {verb_en}.",
    )


# ---- the answer ---------------------------------------------------------------------------------
def left_out_counts() -> dict[str, int]:
    return {
        "below_confidence": 0,
        "only_excluded_sources": 0,
        "years_not_stated": 0,
        "dated_after_as_of": 0,
        "no_longer_in_force": 0,
        "pairing_not_active": 0,
    }


def governance(
    model: ReadModel,
    ident: str,
    as_of: int | None = None,
    wanted: InstrumentFilter = NO_INSTRUMENT_FILTER,
    facts: FactFilter = NO_FILTER,
) -> Governance:
    """The instruments that apply to the pairing ``ident``: one entry each with all its routes, those
    the filter keeps, in the order of their first route's ``via`` then id.  ``facts`` leaves out
    instruments below a confidence or resting only on excluded kinds of sources; ``as_of`` those that
    apply only from a later year or no longer applied in it, and all of them when the pairing was not
    active in the year (``active`` false, with a note in both languages).  ``left_out`` counts each
    instrument left out under its first reason."""
    model.check_facts(facts)
    p = model.pairing(ident)
    left = left_out_counts()
    recs = records(model)
    active = as_of is None or model.active_in(p, as_of, facts.stated_years_only)
    # not active only because its years in the question are inferred (with stated_years_only)
    inferred = not active and as_of is not None and model.active_in(p, as_of)
    items = []
    for instrument, routes in routes_of(model, p.iri).items():
        rec = recs.get(instrument)
        if rec is None or not wanted.keeps(rec):
            continue
        r = model.resources[instrument]
        if not facts.confident(r):
            left["below_confidence"] += 1
        elif facts.only_excluded(model, r):
            left["only_excluded_sources"] += 1
        elif not active:
            left["years_not_stated" if inferred else "pairing_not_active"] += 1
        elif as_of is not None and rec.since is not None and rec.since[0].year > as_of:
            left["dated_after_as_of"] += 1
        elif as_of is not None and rec.until is not None and rec.until[1].year < as_of:
            left["no_longer_in_force"] += 1
        else:
            items.append(Governing(instrument, rec, routes))
    items.sort(key=lambda g: (VIAS.index(g.routes[0].via), model.resources[g.instrument].id))
    note_zh, note_en = _note(model, p, as_of, active, left, facts.stated_years_only)
    return Governance(p, as_of, active, items, left, note_zh, note_en)


def _note(
    model: ReadModel, p: Pairing, year: int | None, active: bool, left: dict[str, int], stated_only: bool
) -> tuple[str | None, str | None]:
    """What an answer as of a year says: why a pairing not active then has no instruments, or how
    many instruments came after the year or had gone out of force."""
    if year is None:
        return None, None
    if not active:
        start, end = model.years(p, stated_only)
        if stated_only and model.active_in(p, year):
            return (
                f"该结对在{year}年开展仅依据推定的年份（已要求只用来源明载的年份），故不列出文件。",
                f"The pairing was active in {year} only by inferred years (stated years only were asked), "
                "so no instruments are listed.",
            )
        if start is None:
            return (
                f"该结对的起始年份不详，无法确定其在{year}年是否开展，故不列出文件。",
                f"The pairing's start year is not known, so it is not known to be active in {year}; "
                "no instruments are listed.",
            )
        if start > year:
            return (
                f"该结对始于{start}年，{year}年尚未开展，故不列出文件。",
                f"The pairing began in {start}, after {year}: it was not active in {year}, "
                "so no instruments are listed.",
            )
        return (
            f"该结对于{end}年结束，{year}年已不再开展，故不列出文件。",
            f"The pairing ended in {end}, before {year}: it was not active in {year}, so no instruments are listed.",
        )
    later, ended = left["dated_after_as_of"], left["no_longer_in_force"]
    if not later and not ended:
        return None, None
    zh, en = [], []
    if later:
        zh.append(f"{later}份文件晚于{year}年才施行或发布，未列出")
        en.append(f"{later} instrument{'s' if later > 1 else ''} dated or in force only after {year} left out")
    if ended:
        zh.append(f"{ended}份文件在{year}年前已失效，未列出")
        en.append(f"{ended} instrument{'s' if ended > 1 else ''} no longer in force in {year} left out")
    return "；".join(zh) + "。", "; ".join(en).capitalize() + "."


def resolve_pairings(model: ReadModel, values: Iterable[str], parameter: str = "ids") -> list[str]:
    """The pairing ids of a bulk question, in the order given, once each: ids, IRIs or (with the read
    model's resolver) names; at most ``MAX_IDS``; an unknown one is a ``BadParameter``."""
    wanted = [v.strip() for value in values for v in value.split(",") if v.strip()]
    if not wanted:
        raise BadParameter(parameter, "give at least one pairing id (e.g. ids=PR-0001,PR-0002)")
    if len(wanted) > MAX_IDS:
        raise BadParameter(parameter, f"{len(wanted)} pairings asked; at most {MAX_IDS} in one question")
    out: list[str] = []
    resolve = getattr(model, "resolve", None)
    for value in wanted:
        iri = model.iri("pairing", value)
        if iri not in model.pairing_by_iri:
            if resolve is not None:
                iri = resolve("pairing", value, parameter)
            else:
                raise BadParameter(parameter, f"unknown pairing '{value}'")
        ident = model.split(iri)[1]
        if ident not in out:
            out.append(ident)
    return out


# ---- facets -------------------------------------------------------------------------------------
def term_labels(model: ReadModel) -> dict[str, tuple[str | None, str | None]]:
    """The Chinese and English labels of the ontology's classes and concepts, by IRI."""

    def read() -> dict[str, tuple[str | None, str | None]]:
        return {
            row["term"]: (row.get("label_zh"), row.get("label_en"))
            for row in queries.run(model.engine, "vocabulary_labels")
        }

    return model.memo("governance.labels", "all", read)


def instrument_facet_values(model: ReadModel, iri: str) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Facet name → the (value, label_zh, label_en) of one instrument or article (``INSTRUMENT_FACETS``;
    an instrument issued by several actors has several issuer values)."""
    rec = record(model, iri)
    if rec is None:
        return {}
    labels = term_labels(model)

    def term(local: str | None, value: str) -> tuple[str, str | None, str | None]:
        zh, en = labels.get(PA + local, (None, None)) if local else (None, None)
        return value, zh or value, en or value

    issuers: list[tuple[str, str | None, str | None]] = [
        (model.split(a)[1], model.resources[a].label_zh, model.resources[a].label_en)
        for a in rec.issuers
        if a in model.resources
    ]
    year = rec.year
    decade = (
        ((str(year // 10 * 10), f"{year // 10 * 10}年代", f"{year // 10 * 10}s"),)
        if year
        else (("undated", "日期不详", "undated"),)
    )
    return {
        "kind": [term(KIND_CLASSES.get(rec.kind), rec.kind)],
        "type": [term(TYPE_CLASSES.get(rec.type or ""), rec.type)] if rec.type else [("none", "无", "none")],
        "issuer": issuers or [("none", "无", "none")],
        "doc_number": [("with", "有文号", "with a document number")]
        if rec.doc_number
        else [("without", "无文号", "without a document number")],
        "decade": list(decade),
        "confidence": [term(rec.confidence, rec.confidence)] if rec.confidence else [("none", "无", "none")],
    }
