"""Networks projected from the knowledge graph (networkx), and their file formats.

Views, all with the filters of ``ReadModel.find_pairings`` (supporter, recipient, field,
mode, programme, year, confidence) and its fact filter (``FactFilter``: a minimum confidence,
source kinds to leave out, stated years only):

* ``support`` — supporter → recipient (DiGraph), each end as its pairing names it (``as-paired``, the
  default) or aggregated at an administrative level (``level``, or ``supporter_level`` and
  ``recipient_level`` apart: "provinces → prefectures" in one network): every actor is replaced by the
  unit containing it at that level and parallel pairings become one edge counting them (``pairings``),
  with fields, modes, first and last year, the pairings' periods as spells, and what a user needs to
  judge the edge (``EDGE_KNOWLEDGE``):
  the pairings' ids, their confidence (the edge's lowest and one per pairing), their sources
  (ids, titles, kinds, and the ids per pairing) and their years with the basis of each (a year a
  source states, or one inferred from the programme, an anniversary, a later source);
* ``co-supporters`` / ``co-recipients`` — weighted projections of the support network:
  two supporters linked by the recipients they share (``weight``), or two recipients
  by their shared supporters; each edge with the pairings it rests on, their lowest
  confidence and their sources;
* ``governance`` — hard law → (authorizes) → programme, pairing or soft law; soft law →
  (governs) → programme or pairing; programme → (includes) → pairing; pairing →
  (contracts) → sub-pairing;
* ``chain`` — the administrative contracting chain: issuer → instrument → programme →
  pairing → sub-pairing → team → person → mentorship → mentee;
* ``micro`` — the case's micro-network (Graph): alliance partners, mentor–mentee, team members.

The case study's micro-relations (``of_the_case``: its mentorship, people and teams, and its pseudonymous
actors such as "J province", as the data marks them with ``pa:pseudonym`` or an identification) are only in
the views about them (governance, chain, micro) unless a projection asks for them (``include_case``).

Every node carries ``NODE_FIELDS`` (its short id — the node's id in every file format —, IRI, both labels,
level, parent, GB/T code, kind, its confidence and its point: longitude and latitude in WGS 84 from
``ReadModel.point``, their basis, the unit it is placed in, whether approximate; no coordinates when it has no
point); every support edge also its pairings' programmes and ``EDGE_GEOGRAPHY`` (the geodesic distance between
its ends' points, ``geo.distance_km``); every edge of the governance, chain and micro views the
resource whose row states it (``stated_by``), its confidence and sources.  Projections are built
once per dataset version, filter set and fact filter (``project`` caches them); the graph says
which filters made it (``filters``, ``min_confidence``, ``exclude_source_kinds``,
``stated_years_only``) and what the fact filter left out (``left_out``, and a sentence for people:
``description``).  ``serialize`` writes a projection in a network file format of ``graph.formats``
(``Use.NETWORK``): lists become ``;``-separated text in GraphML, GEXF and CSV (a list aligned with
``ids`` has one value per pairing, empty ones included; a pairing's sources are ``|``-separated
within it), JSON keeps them, and a missing coordinate or distance is absent (GraphML, GEXF), empty (CSV) or
null (JSON), never 0.  GeoJSON (RFC 7946) draws nodes as Points and edges as LineStrings, a node or edge
without a point with a null geometry, counted in its ``pakg.unlocated`` member with each node's reason
(``ReadModel.unlocated``) and the source of the points (``ReadModel.point_source``).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import TYPE_CHECKING

import networkx as nx

from . import formats, geo
from .config import ORG, PA
from .errors import BadParameter
from .formats import Use
from .readmodel import CONFIDENCE_LEVELS, NO_FILTER, FactFilter, Pairing, ReadModel

if TYPE_CHECKING:
    from .export import About

# the levels a network's ends are drawn at: as each pairing names them (no aggregation), or every actor
# replaced by the unit containing it at a level
AS_PAIRED = "as-paired"
LEVELS = (AS_PAIRED, "province", "prefecture", "county", "institution")
AGGREGATION = {"province": 1, "prefecture": 2, "county": 3, "institution": 4}  # the rank each level keeps
VIEWS = ("support", "co-supporters", "co-recipients", "governance", "chain", "micro")
DIRECTED_VIEWS = ("support", "governance", "chain")  # DiGraph; the co-… projections and micro are undirected
RANK = {
    "centre": 1,
    "province": 1,
    "municipality": 1,
    "xpcc-corps": 1,
    "prefecture": 2,
    "city": 2,  # a prefecture-level city (code XXYY00)
    "xpcc-division": 2,
    "county": 3,
    "district": 3,  # 市辖区
    "county-city": 3,  # 县级市
    "xpcc-regiment": 3,  # 兵团团场
    "xpcc-ranch": 3,  # 兵团牧场、农场
    "development-zone": 3,
    "institution": 4,
    "team": 5,
    "person": 6,
}
FILTERS = ("supporter", "recipient", "field", "mode", "programme", "year", "confidence")
SUBUNITS = "include_subunits"  # with a supporter or recipient: also the units below it (true by default)
# the views that show the case study's micro-relations unless asked not to (``include_case``); the others
# leave them out unless asked
CASE_VIEWS = ("governance", "chain", "micro")
# the fact filter's parameters, as the service and the command name them (``facts``)
FACT_PARAMETERS = ("min_confidence", "exclude_source_kind", "stated_years_only")
# what a support edge says of its pairings, in every file format (lists aligned with ``ids`` or ``sources``)
EDGE_KNOWLEDGE = {
    "ids": "the pairings' ids",
    "confidence": "the lowest confidence of the edge's pairings",
    "confidences": "each pairing's confidence (aligned with ids)",
    "sources": "the ids of the sources the pairings rest on",
    "source_titles": "their titles (aligned with sources)",
    "source_kinds": "their kinds (aligned with sources): official, state-media, copy, academic, secondary …",
    "pairing_sources": "each pairing's source ids (aligned with ids; '|'-separated in text formats)",
    "starts": "each pairing's start year (aligned with ids; empty: none, or not stated with stated years only)",
    "start_bases": "the basis of each start year: stated, or what it was inferred from",
    "ends": "each pairing's end year (aligned with ids; empty: none, or not ended)",
    "end_bases": "the basis of each end year: stated, anniversary, later-source, programme, continued",
    "starts_stated": "how many of the start years used a source states",
    "starts_inferred": "how many are inferred",
    "ends_stated": "how many of the end years used a source states",
    "ends_inferred": "how many are inferred",
    "years_stated": "true when every year used is stated by a source",
    "programmes": "the distinct short ids of the programmes of the edge's pairings, sorted",
    "pairing_programmes": "each pairing's programme (aligned with ids; empty: a pairing of no programme)",
}
# what a support edge says of where it runs, in every file format (absent or empty when an end has no point)
EDGE_GEOGRAPHY = {
    "distance_km": "the geodesic distance between its ends' points (WGS 84), in km to 0.1, or none when an end "
    "has no point",
}
NO_FACT_FILTER = NO_FILTER  # keeps every fact


def rank(model: ReadModel, iri: str) -> int:
    """How fine an actor's level is: 1 province … 4 institution (5 team, 6 person)."""
    r = model.resources.get(iri)
    if r is None or r.level is None:
        return 4
    return RANK.get(r.level, 4)


def lowest(confidences: Iterable[str | None]) -> str:
    """The weakest of some confidences ('' when none is known).

    >>> lowest(["high", "low", "medium"]), lowest(["high", None]), lowest([])
    ('low', 'high', '')
    """
    known = [c for c in confidences if c in CONFIDENCE_LEVELS]
    return min(known, key=CONFIDENCE_LEVELS.index) if known else ""


def check_level(level: str, parameter: str = "level") -> str:
    if level not in LEVELS:
        raise BadParameter(parameter, f"unknown level '{level}' (expected one of: {', '.join(LEVELS)})")
    return level


def at_level(model: ReadModel, iri: str, level: str) -> str:
    """The unit containing ``iri`` at ``level`` (itself when nothing contains it at that level, or with
    ``as-paired``)."""
    if level == AS_PAIRED:
        return iri
    wanted = AGGREGATION[level]
    node = iri
    while rank(model, node) > wanted:
        parent = model.resources[node].parent if node in model.resources else None
        if not parent:
            break
        node = parent
    return node


# what every node of every view says, in every file format (``NODE_FIELDS``)
NODE_FIELDS = {
    "id": "its short id (the node's id in every format)",
    "iri": "its IRI",
    "label_zh": "its Chinese label",
    "label_en": "its English label",
    "level": "its administrative level (province, prefecture, county …; person, team) or ''",
    "parent": "the short id of the region it belongs to (a sub-pairing: its parent pairing) or ''",
    "code": "its GB/T 2260 administrative-division code, or ''",
    "kind": "its class (RegionalGovernment, Pairing, Instrument …)",
    "confidence": "how sure the dataset is of it (high, medium, low)",
    "longitude": "the longitude of its point (WGS 84, degrees east), or none when it has no point",
    "latitude": "the latitude of its point (WGS 84, degrees north), or none when it has no point",
    "point_basis": "where its point comes from: gazetteer (its GB/T code), placed-in (the point of the unit the "
    "data places it in), or '' when it has none",
    "point_placed_in": "with a placed-in point, the short id of the unit whose point it is, else ''",
    "point_approximate": "true when its point is only approximately its own (a placed-in point)",
}
# a projection's private graph attribute: where its points come from and why a node has none (for GeoJSON;
# no file format writes it as such)
POINTS = "_points"


def of_the_case(model: ReadModel, p: Pairing) -> bool:
    """Whether a pairing is one of the case study's micro-relations: a mentorship (or any kind but a
    pairing between units), a relation of people or teams, or one of a pseudonymous actor."""
    if p.kind != "pairing":
        return True
    return any(rank(model, end) >= RANK["team"] or end in model.case_actors() for end in (p.supporter, p.recipient))


def _short(model: ReadModel, iri: str | None) -> str:
    return "" if not iri else model.split(iri)[1] if iri.startswith(model.base) else iri.rsplit("/", 1)[-1]


def _add_node(graph: nx.Graph, model: ReadModel, iri: str) -> None:
    if iri in graph:
        return
    r = model.resources.get(iri)
    if r is None:
        short = iri.rsplit("/", 1)[-1]
        graph.add_node(
            iri,
            id=short,
            iri=iri,
            label_zh=short,
            label_en=short,
            level="",
            parent="",
            code="",
            kind="",
            confidence="",
            **_where(model, iri),
        )
        return
    kinds = sorted(t.rsplit("#", 1)[-1] for t in r.types if t.startswith(PA))
    pairing = model.pairing_by_iri.get(iri)
    parent = r.parent or (pairing.parent if pairing is not None else None)
    graph.add_node(
        iri,
        id=r.id,
        iri=iri,
        label_zh=r.label_zh,
        label_en=r.label_en,
        level=r.level or "",
        parent=_short(model, parent),
        code=model.codes().get(iri, ""),
        kind=kinds[-1] if kinds else r.kind,
        confidence=r.confidence or "",
        **_where(model, iri),
    )


def _where(model: ReadModel, iri: str) -> dict:
    """The point attributes of a node (``NODE_FIELDS``): its coordinates, their basis, the unit it is placed
    in and whether the point is approximate; no coordinates (None) when the read model has no point for it."""
    point = model.point(iri)
    if point is None:
        return {
            "longitude": None,
            "latitude": None,
            "point_basis": "",
            "point_placed_in": "",
            "point_approximate": False,
        }
    return {
        "longitude": float(point.longitude),
        "latitude": float(point.latitude),
        "point_basis": point.basis,
        "point_placed_in": _short(model, point.placed_in),
        "point_approximate": point.approximate,
    }


def _lonlat(data: dict) -> tuple[float, float] | None:
    """A node's (longitude, latitude), or None when it has no point."""
    lon, lat = data.get("longitude"), data.get("latitude")
    return None if lon is None or lat is None else (lon, lat)


def node_point(graph: nx.Graph, node) -> tuple[float, float] | None:
    """A node's (longitude, latitude), or None when it has no point (or is not in the graph).

    >>> g = nx.DiGraph()
    >>> g.add_node("a", longitude=121.47, latitude=31.23)
    >>> g.add_node("b", longitude=None, latitude=None)
    >>> node_point(g, "a"), node_point(g, "b"), node_point(g, "c")
    ((121.47, 31.23), None, None)
    """
    return _lonlat(graph.nodes[node]) if node in graph else None


def edge_distance(graph: nx.Graph, a, b) -> float | None:
    """The geodesic distance in km (to 0.1) between the points of two nodes (``geo.distance_km``), or None when
    either has no point.

    >>> g = nx.DiGraph()
    >>> g.add_node("shanghai", longitude=121.47, latitude=31.23)
    >>> g.add_node("kashgar", longitude=75.99, latitude=39.47)
    >>> edge_distance(g, "shanghai", "kashgar")
    4188.1
    """
    ends = node_point(graph, a), node_point(graph, b)
    if ends[0] is None or ends[1] is None:
        return None
    return round(geo.distance_km(ends[0], ends[1]), 1)


def points_of(model: ReadModel, graph: nx.Graph) -> dict:
    """Where a projection's points come from (the gazetteer's ``SourceInfo``: id and title) and, for each node
    without a point, why (``ReadModel.unlocated``): the graph's ``POINTS`` attribute."""
    info = model.point_source
    reasons = {}
    for n, data in graph.nodes(data=True):
        if _lonlat(data) is None:
            reasons[n] = model.unlocated(n) or "the dataset gives it no point"
    return {
        "source": {"id": info.id, "title": info.title or ""} if info is not None else None,
        "reasons": reasons,
    }


def _source(model: ReadModel, iri: str) -> tuple[str, str, str]:
    """(id, title, kind) of a source."""
    info = model.sources.get(iri)
    if info is None:
        return model.split(iri)[1], "", ""
    return info.id, info.title or "", info.kind or ""


def _knowledge(model: ReadModel, records: list[dict]) -> dict:
    """The attributes of ``EDGE_KNOWLEDGE`` for the pairings of one edge (``records``, one per pairing)."""
    records = sorted(records, key=lambda r: r["id"])
    sources = sorted({s for r in records for s in r["sources"]})
    described = [_source(model, s) for s in sources]
    starts = [r for r in records if r["start"] is not None]  # the years used
    ends = [r for r in records if r["end"] is not None]
    knowledge = {
        "ids": [r["id"] for r in records],
        "confidence": lowest(r["confidence"] for r in records),
        "confidences": [r["confidence"] or "" for r in records],
        "sources": [d[0] for d in described],
        "source_titles": [d[1] for d in described],
        "source_kinds": [d[2] for d in described],
        "pairing_sources": [sorted(_source(model, s)[0] for s in r["sources"]) for r in records],
        "starts": [r["start"] for r in records],
        "start_bases": [r["start_basis"] or "" for r in records],
        "ends": [r["end"] for r in records],
        "end_bases": [r["end_basis"] or "" for r in records],
        "starts_stated": sum(1 for r in starts if r["start_basis"] == "stated"),
        "starts_inferred": sum(1 for r in starts if r["start_basis"] != "stated"),
        "ends_stated": sum(1 for r in ends if r["end_basis"] == "stated"),
        "ends_inferred": sum(1 for r in ends if r["end_basis"] != "stated"),
    }
    knowledge["years_stated"] = knowledge["starts_inferred"] == 0 and knowledge["ends_inferred"] == 0
    knowledge["programmes"] = sorted({r["programme"] for r in records if r["programme"]})
    knowledge["pairing_programmes"] = [r["programme"] for r in records]
    return knowledge


def _record(model: ReadModel, p: Pairing, stated_only: bool) -> dict:
    """What an edge keeps of one pairing: id, confidence, sources, the years used and the basis of each
    year the graph gives (kept when stated years only leave the year out: the basis says why it is empty;
    ``continued`` with no end: a source says the pairing went on)."""
    start, end = model.years(p, stated_only=stated_only)
    # its period: none when its start is unknown, nor (stated years only) when its end is only inferred — as
    # the year filter (``ReadModel.active_in``) does not know it to be active then either
    known = start is not None and not (stated_only and end is None and p.end is not None)
    return {
        "spell": (start, end) if known else None,
        "id": p.id,
        "programme": _short(model, p.programme),
        "confidence": p.confidence,
        "sources": list(p.sources),
        "start": start,
        "end": end,
        "start_basis": (p.start_basis or "stated") if p.start is not None else None,
        "end_basis": (p.end_basis or "stated") if p.end is not None else p.end_basis,
    }


def support_network(
    model: ReadModel,
    pairings: Iterable[Pairing],
    level: str = AS_PAIRED,
    stated_only: bool = False,
    supporter_level: str | None = None,
    recipient_level: str | None = None,
) -> nx.DiGraph:
    """The support network, its supporters at ``supporter_level`` and its recipients at
    ``recipient_level`` (each ``level`` unless given; ``as-paired``: as each pairing names them); with
    ``stated_only`` only the years a source states give first and last years and spells (a pairing whose
    start is inferred, or whose end is only inferred, then has no spell: the year filter does not know it
    active either)."""
    check_level(level)
    supporter_level = check_level(supporter_level or level, "supporter_level")
    recipient_level = check_level(recipient_level or level, "recipient_level")
    graph = nx.DiGraph(
        view="support",
        level=level_name(supporter_level, recipient_level),
        supporter_level=supporter_level,
        recipient_level=recipient_level,
        dataset_version=model.version,
        years_left_out=0,
    )
    for p in pairings:
        a, b = at_level(model, p.supporter, supporter_level), at_level(model, p.recipient, recipient_level)
        if a == b:
            continue  # a pairing inside one unit at this level
        _add_node(graph, model, a)
        _add_node(graph, model, b)
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, pairings=0, fields=set(), modes=set(), records=[], spells=[])
        edge = graph.edges[a, b]
        edge["pairings"] += 1
        edge["fields"].update(p.fields)
        if p.mode:
            edge["modes"].add(p.mode)
        record = _record(model, p, stated_only)
        edge["records"].append(record)
        if (p.start is not None and record["start"] is None) or (p.end is not None and record["end"] is None):
            graph.graph["years_left_out"] = graph.graph.get("years_left_out", 0) + 1
        if record["spell"] is not None:
            edge["spells"].append(record["spell"])
    for _, _, edge in graph.edges(data=True):
        starts = [s for s, _ in edge["spells"]]
        ends = [e for _, e in edge["spells"]]
        edge["first_year"] = min(starts) if starts else None
        edge["last_year"] = max(ends) if ends and None not in ends else None  # None: still active
        edge["fields"] = sorted(edge["fields"])
        edge["modes"] = sorted(edge["modes"])
        edge.update(_knowledge(model, edge.pop("records")))
        edge["spells"] = sorted(edge["spells"], key=lambda s: (s[0], s[1] or 9999))
    for a, b, edge in graph.edges(data=True):
        edge["distance_km"] = edge_distance(graph, a, b)
    return graph


def level_name(supporter_level: str, recipient_level: str) -> str:
    """The level of a network whose two ends are drawn at these levels: the level, or 'mixed'.

    >>> level_name("province", "province"), level_name("province", "prefecture")
    ('province', 'mixed')
    """
    return supporter_level if supporter_level == recipient_level else "mixed"


def co_network(support: nx.DiGraph, side: str) -> nx.Graph:
    """Supporters linked by shared recipients (side='supporters'), or recipients by shared supporters.

    Each edge keeps the pairings it rests on (``ids``: those of the two support edges through each
    shared unit), their lowest ``confidence`` and their ``sources`` (ids, titles and kinds)."""
    graph = nx.Graph(
        view=f"co-{side}",
        level=support.graph["level"],
        supporter_level=support.graph["supporter_level"],
        recipient_level=support.graph["recipient_level"],
        dataset_version=support.graph["dataset_version"],
        years_left_out=support.graph["years_left_out"],
    )
    for hub in support.nodes:
        around = list(support.predecessors(hub)) if side == "supporters" else list(support.successors(hub))
        for node in around:
            graph.add_node(node, **support.nodes[node])
        for a, b in combinations(sorted(around), 2):
            via = [support.edges[(x, hub) if side == "supporters" else (hub, x)] for x in (a, b)]
            if not graph.has_edge(a, b):
                graph.add_edge(a, b, weight=0, shared=[], ids=set(), confidences=[], sources={})
            edge = graph.edges[a, b]
            edge["weight"] += 1
            edge["shared"].append(support.nodes[hub]["id"])
            for e in via:
                edge["ids"].update(e["ids"])
                edge["confidences"].append(e["confidence"])
                edge["sources"].update(
                    zip(e["sources"], zip(e["source_titles"], e["source_kinds"], strict=True), strict=True)
                )
    for _, _, edge in graph.edges(data=True):
        found = sorted(edge.pop("sources").items())
        edge["ids"] = sorted(edge["ids"])
        edge["confidence"] = lowest(edge.pop("confidences"))
        edge["sources"] = [s for s, _ in found]
        edge["source_titles"] = [title for _, (title, _) in found]
        edge["source_kinds"] = [kind for _, (_, kind) in found]
    return graph


def _stated(model: ReadModel, by: Iterable[str]) -> dict:
    """What an edge of the governance, chain and micro views rests on: the resources whose rows state it
    (``stated_by``: an instrument for governs, a pairing for includes …), their lowest confidence and
    their sources (ids, titles, kinds)."""
    rows = [model.resources[i] for i in sorted(set(by)) if i in model.resources]
    described = [_source(model, s) for s in sorted({s for r in rows for s in r.sources})]
    return {
        "stated_by": [r.id for r in rows],
        "confidence": lowest(r.confidence for r in rows),
        "sources": [d[0] for d in described],
        "source_titles": [d[1] for d in described],
        "source_kinds": [d[2] for d in described],
    }


def _link(graph: nx.DiGraph, model: ReadModel, a: str, b: str, relation: str, by: str) -> None:
    """An edge a → b of ``relation``, stated by the row of ``by`` (a or b)."""
    _add_node(graph, model, a)
    _add_node(graph, model, b)
    graph.add_edge(a, b, relation=relation, **_stated(model, [by]))


def governance_network(model: ReadModel, pairings: Iterable[Pairing]) -> nx.DiGraph:
    keep = {p.iri for p in pairings}
    edges = model.edges
    graph = nx.DiGraph(view="governance", level="", dataset_version=model.version)
    programmes = {model.pairing_by_iri[i].programme for i in keep if model.pairing_by_iri[i].programme}
    targets = keep | programmes

    for pairing in sorted(keep):
        prog = model.pairing_by_iri[pairing].programme
        if prog:
            _link(graph, model, prog, pairing, "includes", pairing)
    for child, parent in edges.get(PA + "parentPairing", []):
        if child in keep and parent in keep:
            _link(graph, model, parent, child, "contracts", child)
    governed = set()
    for instrument, target in edges.get(PA + "governs", []):
        if target in targets:
            _link(graph, model, instrument, target, "governs", instrument)
            governed.add(instrument)
    for law, target in edges.get(PA + "authorizes", []):
        if target in targets or target in governed:
            _link(graph, model, law, target, "authorizes", law)
    return graph


def chain_network(model: ReadModel, pairings: Iterable[Pairing]) -> nx.DiGraph:
    graph = governance_network(model, pairings)
    graph.graph["view"] = "chain"
    edges = model.edges

    for instrument, issuer in edges.get(PA + "issuedBy", []):
        if instrument in graph:
            _link(graph, model, issuer, instrument, "issues", instrument)
    for team, pairing in edges.get(PA + "underPairing", []):
        if pairing in graph:
            _link(graph, model, pairing, team, "sends", team)
    teams = {t for t, _ in edges.get(PA + "underPairing", [])}
    for person, org in edges.get(ORG + "memberOf", []):
        if org in teams and org in graph:
            _link(graph, model, org, person, "member", person)
    for mentorship, mentor in edges.get(PA + "mentor", []):
        if mentorship in graph:
            _link(graph, model, mentor, mentorship, "mentors", mentorship)
    for mentorship, mentee in edges.get(PA + "mentee", []):
        if mentorship in graph:
            _link(graph, model, mentorship, mentee, "trains", mentorship)
    return graph


def micro_network(model: ReadModel) -> nx.Graph:
    edges = model.edges
    graph = nx.Graph(view="micro", level="", dataset_version=model.version)

    def link(a, b, relation, by):
        _add_node(graph, model, a)
        _add_node(graph, model, b)
        if graph.has_edge(a, b):
            graph.edges[a, b]["relations"] = sorted(set(graph.edges[a, b]["relations"]) | {relation})
            graph.edges[a, b]["by"].add(by)
        else:
            graph.add_edge(a, b, relations=[relation], by={by})

    members: defaultdict[str, list[str]] = defaultdict(list)
    for alliance, member in edges.get(PA + "allianceMember", []):
        members[alliance].append(member)
    for alliance, group in members.items():
        kind = model.resources[alliance].types
        relation = "political-performance" if PA + "PoliticalPerformanceAlliance" in kind else "skill"
        for a, b in combinations(sorted(group), 2):
            link(a, b, relation, alliance)
    mentors = dict(edges.get(PA + "mentor", []))
    for mentorship, mentee in edges.get(PA + "mentee", []):
        link(mentors[mentorship], mentee, "mentorship", mentorship)
    teams = {t for t, _ in edges.get(PA + "underPairing", [])}
    for person, org in edges.get(ORG + "memberOf", []):
        if org in teams:
            link(person, org, "team", person)
    for _, _, edge in graph.edges(data=True):
        edge.update(_stated(model, edge.pop("by")))
    return graph


LEFT_OUT_WORDS = {
    "below_confidence": "below the minimum confidence",
    "only_excluded_sources": "resting only on sources of the kinds left out",
    "years_not_stated": "whose years are not stated by a source",
}


def describe(graph: nx.Graph) -> str:
    """A sentence for people saying what a projection is, which filters made it and what they left out."""
    g = graph.graph
    s_level, r_level = g.get("supporter_level"), g.get("recipient_level")
    if s_level and r_level and s_level != r_level:
        level = f", supporters at {s_level} level and recipients at {r_level} level"
    elif g.get("level") == AS_PAIRED:
        level = ", each end as its pairing names it"
    else:
        level = f" at {g['level']} level" if g.get("level") else ""
    filters = {**(g.get("filters") or {})}
    if g.get("min_confidence"):
        filters["min_confidence"] = g["min_confidence"]
    if g.get("exclude_source_kinds"):
        filters["exclude_source_kind"] = g["exclude_source_kinds"]
    if g.get("stated_years_only"):
        filters["stated_years_only"] = "true"
    given = "; ".join(
        f"{k}={','.join(v) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v}"
        for k, v in filters.items()
    )
    left = g.get("left_out") or {}
    parts = [f"{n} {LEFT_OUT_WORDS.get(k, k)}" for k, n in left.items() if n]
    case = (
        " The case study's micro-relations (its pseudonymous actors, people, teams and mentorship) are included."
        if g.get("include_case")
        else f" The case study's micro-relations are left out ({g.get('case_left_out', 0)} pairings; include_case=true"
        " shows them)."
    )
    return (
        f"pakg {g.get('view')} network{level}, dataset version {g.get('dataset_version')}. "
        f"Filters: {given or 'none'}. "
        f"Pairings left out by the fact filter: {', '.join(parts) if parts else 'none'}."
        + case
        + (
            f" Years: only those a source states ({g.get('years_left_out', 0)} pairings with a year left out"
            " as not stated)."
            if g.get("stated_years_only")
            else ""
        )
    )


def project(
    model: ReadModel,
    view: str = "support",
    level: str = AS_PAIRED,
    facts: FactFilter = NO_FACT_FILTER,
    supporter_level: str | None = None,
    recipient_level: str | None = None,
    include_case: bool | None = None,
    **filters,
) -> nx.Graph:
    """The network of ``view`` for these filters and this fact filter, built once per dataset version
    (cached on the model).

    ``level`` draws both ends of the support views at one level (``as-paired``, the default: as each
    pairing names them, no aggregation); ``supporter_level`` and ``recipient_level`` each end at its own.
    ``include_case``: whether the case study's micro-relations (``of_the_case``: the mentorship, people,
    teams and pseudonymous actors such as "J province") are in the network; by default they are in the
    views about them (``CASE_VIEWS``: governance, chain, micro) and left out of the support views.
    ``filters``: those of ``FILTERS`` and ``include_subunits`` (``ReadModel.select_pairings``).

    The graph's attributes say the filters (``filters``, an object; the levels; ``include_case``; the
    fact filter as ``FactFilter.echo`` says it: ``min_confidence``, ``exclude_source_kinds``,
    ``stated_years_only``) and what was left out (``left_out``: ``ReadModel.left_out``'s counts, also as
    ``left_out_…`` integers; ``case_left_out``: the case's pairings left out; ``years_left_out``: with
    stated years only, the pairings of the network with a year not stated, left out of their years and
    spells; ``description``: a sentence)."""
    if view not in VIEWS:
        raise BadParameter("view", f"unknown view '{view}' (expected one of: {', '.join(VIEWS)})")
    check_level(level)
    supporter_level = check_level(supporter_level or level, "supporter_level")
    recipient_level = check_level(recipient_level or level, "recipient_level")
    unknown = sorted(set(filters) - {*FILTERS, SUBUNITS})
    if unknown:
        raise TypeError(f"project() got unexpected filter(s): {', '.join(unknown)} (known: {', '.join(FILTERS)})")
    if include_case is None:
        include_case = view in CASE_VIEWS
    elif view == "micro" and not include_case:
        raise BadParameter(
            "include_case",
            "the micro view is the case study's micro-network: include_case=false "
            "leaves nothing in it (ask another view, or leave include_case out)",
        )
    chosen = tuple(sorted((k, v) for k, v in filters.items() if v is not None))
    aggregated = view in ("support", "co-supporters", "co-recipients")  # the views drawn at levels
    if not aggregated:
        supporter_level = recipient_level = ""
    key = (view, supporter_level, recipient_level, bool(include_case), chosen, facts)

    def build() -> nx.Graph:
        asked = {k: filters.get(k) for k in FILTERS}
        if filters.get(SUBUNITS) is False:  # the units below a place are in by default
            asked[SUBUNITS] = False
        pairings, left_out = model.select_pairings(**asked, facts=facts)
        case_left_out = 0
        if not include_case:
            kept = [p for p in pairings if not of_the_case(model, p)]
            case_left_out, pairings = len(pairings) - len(kept), kept
        if view == "micro":  # the case's micro-network does not come from the pairings: nothing left out
            left_out = model.left_out(facts, [])
        stated = facts.stated_years_only
        levels = {"supporter_level": supporter_level, "recipient_level": recipient_level}
        if view == "support":
            graph = support_network(model, pairings, level, stated_only=stated, **levels)
        elif view in ("co-supporters", "co-recipients"):
            graph = co_network(support_network(model, pairings, level, stated_only=stated, **levels), view[3:])
        elif view == "governance":
            graph = governance_network(model, pairings)
        elif view == "chain":
            graph = chain_network(model, pairings)
        else:
            graph = micro_network(model)
        g = graph.graph
        g["level"] = level_name(supporter_level, recipient_level) if aggregated else ""
        g["supporter_level"], g["recipient_level"] = supporter_level, recipient_level
        g["include_case"] = bool(include_case)
        g["case_left_out"] = case_left_out
        g["filters"] = dict(chosen)
        g["min_confidence"] = facts.min_confidence or ""
        g["exclude_source_kinds"] = sorted(facts.exclude_source_kinds)
        g["stated_years_only"] = stated
        g["left_out"] = dict(left_out)
        for name, count in left_out.items():
            g[f"left_out_{name}"] = count
        g["description"] = describe(graph)
        g[POINTS] = points_of(model, graph)
        return graph

    return model.memo("projections", key, build, limit=256)


LEFT_OUT_HEADER = "Pakg-Left-Out"  # the response header of a network file: what the fact filter left out
FILTERS_HEADER = "Pakg-Filters"  # and the filters that made it


def left_out_header(graph: nx.Graph) -> str:
    """What the fact filter left out, as the compact JSON of a response header (``LEFT_OUT_HEADER``)."""
    return json.dumps(graph.graph.get("left_out", {}), separators=(",", ":"), sort_keys=True)


def filters_header(graph: nx.Graph) -> str:
    """The filters that made a projection, its levels, whether it includes the case study, and its fact
    filter, as compact ASCII JSON (``FILTERS_HEADER``)."""
    g = graph.graph
    facts = {k: g.get(k) or None for k in ("min_confidence", "exclude_source_kinds")}
    facts["stated_years_only"] = bool(g.get("stated_years_only"))
    shape = {k: g.get(k) or None for k in ("supporter_level", "recipient_level")}
    shape["include_case"] = bool(g.get("include_case"))
    return json.dumps({**g.get("filters", {}), **shape, **facts}, separators=(",", ":"), sort_keys=True)


def fact_filter(
    model: ReadModel,
    min_confidence: str | None = None,
    exclude_source_kind: Iterable[str] = (),
    stated_years_only: bool = False,
) -> FactFilter:
    """The fact filter of these parameters, checked against the dataset's vocabularies (a
    ``BadParameter`` naming the parameter otherwise)."""
    facts = FactFilter(min_confidence or None, frozenset(exclude_source_kind), bool(stated_years_only))
    model.check_facts(facts)
    return facts


# ---- file formats ------------------------------------------------------------------------


def _text(value) -> str | int | float | bool:
    """A value as one scalar of a text format: lists joined by ';' (a list within a list by '|'), dicts
    as JSON, None as ''."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (list, tuple, set)):
        return ";".join(
            "|".join("" if x is None else str(x) for x in v) if isinstance(v, (list, tuple)) else _cell(v)
            for v in value
        )
    return value


def _cell(value) -> str:
    return "" if value is None else str(value)


def public(graph: nx.Graph) -> nx.Graph:
    """A copy of a projection whose nodes are their short ids (``id``): the node ids of every file
    format.  Should two nodes share a short id (two kinds with one id), each of those is ``kind/id``."""
    ids = [data["id"] for _, data in graph.nodes(data=True)]
    shared = {i for i in ids if ids.count(i) > 1} if len(set(ids)) < len(ids) else set()
    mapping = {}
    for n, data in graph.nodes(data=True):
        mapping[n] = "/".join(str(n).rsplit("/", 2)[-2:]) if data["id"] in shared else data["id"]
    out = nx.relabel_nodes(graph, mapping, copy=True)
    for n, data in out.nodes(data=True):
        data["id"] = n
    return out


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are scalars, for GraphML, GEXF and CSV (``_text``): the graph's filters and
    what was left out are graph attributes (JSON text and integers).  A node's id is the node itself; it
    also has a ``label`` for tools that show one (English · Chinese)."""
    flat = graph.__class__(**{k: _text(v) for k, v in graph.graph.items() if v is not None})
    for n, data in graph.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None and k != "id"}
        flat.add_node(n, label=f"{data['label_en']} · {data['label_zh']}", **attrs)
    for a, b, data in graph.edges(data=True):
        attrs = {k: _text(v) for k, v in data.items() if k != "spells" and v is not None}
        flat.add_edge(a, b, **attrs)
    return flat


def _json_ready(graph: nx.Graph) -> nx.Graph:
    """A copy for the JSON formats: lists stay lists, spells become [start, end] pairs."""
    ready = graph.copy()
    for _, _, data in ready.edges(data=True):
        if "spells" in data:
            data["spells"] = [list(s) for s in data["spells"]]
    return ready


def _cytoscape(graph: nx.Graph, table: str) -> bytes:
    """Cytoscape.js elements: node ids are the short ids (``key`` too, as before), ``iri`` the IRI; the
    graph's attributes (filters, what was left out) are the elements' ``data``."""
    ready = _json_ready(graph)
    for _, data in ready.nodes(data=True):
        data.update(key=data["id"], label=f"{data['label_en']} · {data['label_zh']}")
    data = nx.cytoscape_data(ready, name="label_en", ident="id")
    data["data"] = dict(ready.graph)  # an object (networkx writes its pairs), as Cytoscape.js reads it
    return json.dumps(data, ensure_ascii=False).encode()


def _node_link(graph: nx.Graph, table: str) -> bytes:
    data = nx.node_link_data(_json_ready(graph), edges="links")
    return json.dumps(data, ensure_ascii=False).encode()


def _graphml(graph: nx.Graph, table: str) -> bytes:
    """GraphML: every attribute declared as a key with its type; the graph's filters, what was left out
    and the description are graph data (objects as JSON text: GraphML data are scalars)."""
    return "\n".join(nx.generate_graphml(_flat(graph))).encode()


def _gexf(graph: nx.Graph, table: str) -> bytes:
    """GEXF, dynamic: each edge with its pairings' periods as spells (only the years a source states when
    the projection was asked for stated years only); the meta description says the filters and what
    was left out, the keywords the filters (as JSON text)."""
    from xml.etree.ElementTree import SubElement

    from networkx.readwrite.gexf import GEXFWriter

    dynamic = _flat(graph)
    dynamic.graph["mode"] = "dynamic"
    dynamic.graph["time_format"] = "date"
    for a, b, data in graph.edges(data=True):
        spells = [(f"{s}-01-01", f"{e}-12-31" if e else None) for s, e in data.get("spells", [])]
        if spells:
            dynamic.edges[a, b]["spells"] = spells
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        g = graph.graph
        if g.get("creator"):  # the dataset's metadata (``serialize``): its creator, date, licence and citation
            creator = meta.find("creator")
            (creator if creator is not None else SubElement(meta, "creator")).text = g["creator"]
            meta.set("lastmodifieddate", g["issued"])
        SubElement(meta, "keywords").text = filters_header(graph)
        about = (
            f" {g['title']}, release {g['release']} (content version {g['dataset_version']}). "
            f"Licence: {g['licence_name']} ({g['licence']}). {g['source_notice']}"
            if g.get("licence")
            else ""
        )
        SubElement(meta, "description").text = (g.get("description") or describe(graph)) + about
    writer.add_graph(dynamic)
    return str(writer).encode()


def _csv(graph: nx.Graph, table: str) -> bytes:
    """One table: the nodes (``NODE_FIELDS``), or the edges (``table``), by short id; lists as in ``_text``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if table == "nodes":
        writer.writerow(list(NODE_FIELDS))
        for _, d in graph.nodes(data=True):
            writer.writerow([_cell(d.get(k)) for k in NODE_FIELDS])
    else:
        keys = sorted({k for _, _, d in graph.edges(data=True) for k in d} - {"spells"})
        writer.writerow(["source", "target", *keys])
        for a, b, d in graph.edges(data=True):
            writer.writerow([a, b, *[_text(d.get(k)) for k in keys]])
    return buf.getvalue().encode()


CRS_TEXT = "WGS 84 longitude/latitude (RFC 7946; CRS84)"


def _geojson(graph: nx.Graph, table: str) -> bytes:
    """An RFC 7946 FeatureCollection: each node a Feature whose geometry is its Point (``[longitude, latitude]``)
    and whose properties are its attributes (``NODE_FIELDS`` less the coordinates, with ``feature: node``); each
    edge a Feature whose geometry is the LineString from its source's point to its target's, with its attributes
    as node-link JSON gives them (``feature: edge``, the ends' short ids and labels).  A node or edge without a
    point has ``"geometry": null`` (RFC 7946 §3.2) and is counted in ``pakg.unlocated`` with, for a node, why.
    Nodes come first (by id), then edges (by source and target).  The foreign member ``pakg`` holds the graph's
    attributes as node-link JSON gives them (view, levels, filters, what was left out, the dataset's licence,
    release and citation), the CRS, and the source of the points (``points_source``)."""
    ready = _json_ready(graph)
    g = dict(ready.graph)
    points = g.pop(POINTS, None) or {"source": None, "reasons": {}}
    features: list[dict] = []
    unlocated_nodes = []
    for n in sorted(ready.nodes, key=str):
        data = ready.nodes[n]
        where = _lonlat(data)
        features.append(
            {
                "type": "Feature",
                "id": data["id"],
                "geometry": None if where is None else {"type": "Point", "coordinates": list(where)},
                "properties": {
                    "feature": "node",
                    **{k: v for k, v in data.items() if k not in ("longitude", "latitude")},
                },
            }
        )
        if where is None:
            unlocated_nodes.append(
                {
                    "id": data["id"],
                    "label_zh": data["label_zh"],
                    "label_en": data["label_en"],
                    "reason": points["reasons"].get(data["iri"]) or "the dataset gives it no point",
                }
            )
    unlocated_edges = 0
    for a, b in sorted(ready.edges, key=lambda e: (str(e[0]), str(e[1]))):
        data, ends = ready.edges[a, b], (ready.nodes[a], ready.nodes[b])
        line = [_lonlat(ends[0]), _lonlat(ends[1])]
        if line[0] is None or line[1] is None:
            unlocated_edges += 1
        features.append(
            {
                "type": "Feature",
                "id": f"{ends[0]['id']}→{ends[1]['id']}",
                "geometry": None
                if line[0] is None or line[1] is None
                else {"type": "LineString", "coordinates": [list(line[0]), list(line[1])]},
                "properties": {
                    "feature": "edge",
                    "source": ends[0]["id"],
                    "target": ends[1]["id"],
                    "source_label_zh": ends[0]["label_zh"],
                    "source_label_en": ends[0]["label_en"],
                    "target_label_zh": ends[1]["label_zh"],
                    "target_label_en": ends[1]["label_en"],
                    **data,
                },
            }
        )
    g["crs"] = CRS_TEXT
    g["points_source"] = points["source"]
    g["unlocated"] = {"nodes": len(unlocated_nodes), "edges": unlocated_edges, "items": unlocated_nodes}
    body = {"type": "FeatureCollection", "features": features, "pakg": g}
    return json.dumps(body, ensure_ascii=False).encode()


WRITERS = {
    "cytoscape": _cytoscape,
    "node-link": _node_link,
    "graphml": _graphml,
    "gexf": _gexf,
    "geojson": _geojson,
    "csv": _csv,
}
assert list(WRITERS) == formats.names(Use.NETWORK), "a writer for each network format of graph.formats"


def serialize(graph: nx.Graph, fmt: str, table: str = "edges", about: About | None = None) -> bytes:
    """A network in a network file format (``table``: with csv, nodes or edges).  With ``about`` (the
    dataset's metadata, ``graph.export.About``) the file says its title, licence, release and content
    version, creator, date, citation and where its facts come from: as graph data in GraphML, the
    ``meta`` of GEXF (creator, date, description), the graph's fields in node-link and Cytoscape JSON, the
    ``pakg`` member of GeoJSON.
    A CSV table has no place for it: a file served says it in headers (``About.headers``), a release in
    its companion metadata."""
    if formats.find(Use.NETWORK, fmt) is None:
        raise BadParameter("format", formats.unknown(Use.NETWORK, fmt))
    graph = graph.copy()  # on a copy: the projection is cached, shared by every request
    points = graph.graph.pop(POINTS, None)  # only GeoJSON writes where the points come from
    if about is not None:
        graph.graph.update(about.fields())
    if fmt == "geojson" and points is not None:
        graph.graph[POINTS] = points
    return WRITERS[fmt](public(graph), table)
