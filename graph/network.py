"""Networks projected from the knowledge graph (networkx), and their file formats.

Views, all with the filters of ``ReadModel.find_pairings`` (supporter, recipient, field,
mode, programme, year, confidence):

* ``support`` — supporter → recipient (DiGraph), aggregated at an administrative level:
  every actor is replaced by the unit containing it at that level and parallel pairings
  become one edge counting them (``pairings``), with fields, modes, first and last year,
  pairing ids and the pairings' periods as spells;
* ``co-supporters`` / ``co-recipients`` — weighted projections of the support network:
  two supporters linked by the recipients they share (``weight``), or two recipients
  by their shared supporters;
* ``governance`` — hard law → (authorizes) → programme, pairing or soft law; soft law →
  (governs) → programme or pairing; programme → (includes) → pairing; pairing →
  (contracts) → sub-pairing;
* ``chain`` — the administrative contracting chain: issuer → instrument → programme →
  pairing → sub-pairing → team → person → mentorship → mentee;
* ``micro`` — the case's micro-network (Graph): alliance partners, mentor–mentee, team members.

Projections are built once per dataset version and filter set (``project`` caches them).
``serialize`` writes a projection in a network file format of ``graph.formats`` (``Use.NETWORK``).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from . import formats
from .config import ORG, PA
from .errors import BadParameter
from .formats import Use
from .readmodel import Pairing, ReadModel

LEVELS = ("province", "prefecture", "county", "institution")
VIEWS = ("support", "co-supporters", "co-recipients", "governance", "chain", "micro")
DIRECTED_VIEWS = ("support", "governance", "chain")  # DiGraph; the co-… projections and micro are undirected
RANK = {
    "centre": 1,
    "province": 1,
    "municipality": 1,
    "xpcc-corps": 1,
    "prefecture": 2,
    "xpcc-division": 2,
    "county": 3,
    "development-zone": 3,
    "institution": 4,
    "team": 5,
    "person": 6,
}
FILTERS = ("supporter", "recipient", "field", "mode", "programme", "year", "confidence")


def rank(model: ReadModel, iri: str) -> int:
    """How fine an actor's level is: 1 province … 4 institution (5 team, 6 person)."""
    r = model.resources.get(iri)
    if r is None or r.level is None:
        return 4
    if r.level == "city":  # the reference uses 'city' for prefecture-level and county-level cities and districts
        parent = model.resources.get(r.parent) if r.parent else None
        if r.label_zh.endswith("区") or parent is None or RANK.get(parent.level or "", 4) > 1:
            return 3
        return 2
    return RANK.get(r.level, 4)


def at_level(model: ReadModel, iri: str, level: str) -> str:
    """The unit containing ``iri`` at ``level`` (itself when nothing contains it at that level)."""
    wanted = LEVELS.index(level) + 1
    node = iri
    while rank(model, node) > wanted:
        parent = model.resources[node].parent if node in model.resources else None
        if not parent:
            break
        node = parent
    return node


def _add_node(graph: nx.Graph, model: ReadModel, iri: str) -> None:
    if iri in graph:
        return
    r = model.resources.get(iri)
    if r is None:
        graph.add_node(iri, id=iri.rsplit("/", 1)[-1], label_zh=iri, label_en=iri, kind="", level="")
        return
    kinds = sorted(t.rsplit("#", 1)[-1] for t in r.types if t.startswith(PA))
    graph.add_node(
        iri, id=r.id, label_zh=r.label_zh, label_en=r.label_en, kind=kinds[-1] if kinds else r.kind, level=r.level or ""
    )


def support_network(model: ReadModel, pairings: Iterable[Pairing], level: str = "institution") -> nx.DiGraph:
    if level not in LEVELS:
        raise BadParameter("level", f"unknown level '{level}' (expected one of: {', '.join(LEVELS)})")
    graph = nx.DiGraph(view="support", level=level, dataset_version=model.version)
    for p in pairings:
        a, b = at_level(model, p.supporter, level), at_level(model, p.recipient, level)
        if a == b:
            continue  # a pairing inside one unit at this level
        _add_node(graph, model, a)
        _add_node(graph, model, b)
        if not graph.has_edge(a, b):
            graph.add_edge(a, b, pairings=0, fields=set(), modes=set(), ids=[], spells=[])
        edge = graph.edges[a, b]
        edge["pairings"] += 1
        edge["fields"].update(p.fields)
        if p.mode:
            edge["modes"].add(p.mode)
        edge["ids"].append(p.id)
        start, end = model.years(p)
        if start is not None:
            edge["spells"].append((start, end))
    for _, _, edge in graph.edges(data=True):
        starts = [s for s, _ in edge["spells"]]
        ends = [e for _, e in edge["spells"]]
        edge["first_year"] = min(starts) if starts else None
        edge["last_year"] = max(ends) if ends and None not in ends else None  # None: still active
        edge["fields"] = sorted(edge["fields"])
        edge["modes"] = sorted(edge["modes"])
        edge["ids"] = sorted(edge["ids"])
        edge["spells"] = sorted(edge["spells"], key=lambda s: (s[0], s[1] or 9999))
    return graph


def co_network(support: nx.DiGraph, side: str) -> nx.Graph:
    """Supporters linked by shared recipients (side='supporters'), or recipients by shared supporters."""
    graph = nx.Graph(view=f"co-{side}", level=support.graph["level"], dataset_version=support.graph["dataset_version"])
    for hub in support.nodes:
        around = list(support.predecessors(hub)) if side == "supporters" else list(support.successors(hub))
        for node in around:
            graph.add_node(node, **support.nodes[node])
        for a, b in combinations(sorted(around), 2):
            if graph.has_edge(a, b):
                graph.edges[a, b]["weight"] += 1
                graph.edges[a, b]["shared"].append(support.nodes[hub]["id"])
            else:
                graph.add_edge(a, b, weight=1, shared=[support.nodes[hub]["id"]])
    return graph


def _link(graph: nx.DiGraph, model: ReadModel, a: str, b: str, relation: str) -> None:
    _add_node(graph, model, a)
    _add_node(graph, model, b)
    graph.add_edge(a, b, relation=relation)


def governance_network(model: ReadModel, pairings: Iterable[Pairing]) -> nx.DiGraph:
    keep = {p.iri for p in pairings}
    edges = model.edges
    graph = nx.DiGraph(view="governance", level="", dataset_version=model.version)
    programmes = {model.pairing_by_iri[i].programme for i in keep if model.pairing_by_iri[i].programme}
    targets = keep | programmes

    for pairing in sorted(keep):
        prog = model.pairing_by_iri[pairing].programme
        if prog:
            _link(graph, model, prog, pairing, "includes")
    for child, parent in edges.get(PA + "parentPairing", []):
        if child in keep and parent in keep:
            _link(graph, model, parent, child, "contracts")
    governed = set()
    for instrument, target in edges.get(PA + "governs", []):
        if target in targets:
            _link(graph, model, instrument, target, "governs")
            governed.add(instrument)
    for law, target in edges.get(PA + "authorizes", []):
        if target in targets or target in governed:
            _link(graph, model, law, target, "authorizes")
    return graph


def chain_network(model: ReadModel, pairings: Iterable[Pairing]) -> nx.DiGraph:
    graph = governance_network(model, pairings)
    graph.graph["view"] = "chain"
    edges = model.edges

    for instrument, issuer in edges.get(PA + "issuedBy", []):
        if instrument in graph:
            _link(graph, model, issuer, instrument, "issues")
    for team, pairing in edges.get(PA + "underPairing", []):
        if pairing in graph:
            _link(graph, model, pairing, team, "sends")
    teams = {t for t, _ in edges.get(PA + "underPairing", [])}
    for person, org in edges.get(ORG + "memberOf", []):
        if org in teams and org in graph:
            _link(graph, model, org, person, "member")
    for mentorship, mentor in edges.get(PA + "mentor", []):
        if mentorship in graph:
            _link(graph, model, mentor, mentorship, "mentors")
    for mentorship, mentee in edges.get(PA + "mentee", []):
        if mentorship in graph:
            _link(graph, model, mentorship, mentee, "trains")
    return graph


def micro_network(model: ReadModel) -> nx.Graph:
    edges = model.edges
    graph = nx.Graph(view="micro", level="", dataset_version=model.version)

    def link(a, b, relation):
        _add_node(graph, model, a)
        _add_node(graph, model, b)
        if graph.has_edge(a, b):
            graph.edges[a, b]["relations"] = sorted(set(graph.edges[a, b]["relations"]) | {relation})
        else:
            graph.add_edge(a, b, relations=[relation])

    members: defaultdict[str, list[str]] = defaultdict(list)
    for alliance, member in edges.get(PA + "allianceMember", []):
        members[alliance].append(member)
    for alliance, group in members.items():
        kind = model.resources[alliance].types
        relation = "political-performance" if PA + "PoliticalPerformanceAlliance" in kind else "skill"
        for a, b in combinations(sorted(group), 2):
            link(a, b, relation)
    mentors = dict(edges.get(PA + "mentor", []))
    for mentorship, mentee in edges.get(PA + "mentee", []):
        link(mentors[mentorship], mentee, "mentorship")
    teams = {t for t, _ in edges.get(PA + "underPairing", [])}
    for person, org in edges.get(ORG + "memberOf", []):
        if org in teams:
            link(person, org, "team")
    return graph


def project(model: ReadModel, view: str = "support", level: str = "institution", **filters) -> nx.Graph:
    """The network of ``view`` for these filters, built once per dataset version (cached on the model)."""
    if view not in VIEWS:
        raise BadParameter("view", f"unknown view '{view}' (expected one of: {', '.join(VIEWS)})")
    if level not in LEVELS:
        raise BadParameter("level", f"unknown level '{level}' (expected one of: {', '.join(LEVELS)})")
    key = (view, level, tuple(sorted((k, v) for k, v in filters.items() if v is not None)))

    def build() -> nx.Graph:
        pairings = model.find_pairings(**{k: filters.get(k) for k in FILTERS})
        if view == "support":
            graph = support_network(model, pairings, level)
        elif view in ("co-supporters", "co-recipients"):
            graph = co_network(support_network(model, pairings, level), view[3:])
        elif view == "governance":
            graph = governance_network(model, pairings)
        elif view == "chain":
            graph = chain_network(model, pairings)
        else:
            graph = micro_network(model)
        graph.graph["filters"] = json.dumps(dict(key[2]), ensure_ascii=False)
        graph.graph["level"] = level if view in ("support", "co-supporters", "co-recipients") else ""
        return graph

    return model.memo("projections", key, build, limit=256)


# ---- file formats ------------------------------------------------------------------------


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are scalars, for GraphML, GEXF and CSV (lists joined by ';')."""
    flat = graph.__class__(**{k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    for n, data in graph.nodes(data=True):
        attrs = {k: v for k, v in data.items() if v is not None and k != "id"}
        flat.add_node(n, label=f"{data['label_en']} · {data['label_zh']}", key=data["id"], **attrs)
    for a, b, data in graph.edges(data=True):
        attrs = {
            k: (";".join(map(str, v)) if isinstance(v, list) else v)
            for k, v in data.items()
            if k != "spells" and v is not None
        }
        flat.add_edge(a, b, **attrs)
    return flat


def _cytoscape(graph: nx.Graph, table: str) -> bytes:
    """Cytoscape.js elements: node ids are the IRIs, `key` the short id."""
    flat = _flat(graph)
    nx.set_node_attributes(flat, {n: n for n in flat.nodes}, "iri")
    data = nx.cytoscape_data(flat, name="label_en", ident="iri")
    return json.dumps(data, ensure_ascii=False).encode()


def _node_link(graph: nx.Graph, table: str) -> bytes:
    data = nx.node_link_data(graph, edges="links")
    for link in data["links"]:
        if "spells" in link:
            link["spells"] = [list(s) for s in link["spells"]]
    return json.dumps(data, ensure_ascii=False).encode()


def _graphml(graph: nx.Graph, table: str) -> bytes:
    return "\n".join(nx.generate_graphml(_flat(graph))).encode()


def _gexf(graph: nx.Graph, table: str) -> bytes:
    """GEXF, dynamic: each edge with its pairings' periods as spells."""
    dynamic = _flat(graph)
    dynamic.graph["mode"] = "dynamic"
    dynamic.graph["time_format"] = "date"
    for a, b, data in graph.edges(data=True):
        spells = [(f"{s}-01-01", f"{e}-12-31" if e else None) for s, e in data.get("spells", [])]
        if spells:
            dynamic.edges[a, b]["spells"] = spells
    return "\n".join(nx.generate_gexf(dynamic)).encode()


def _csv(graph: nx.Graph, table: str) -> bytes:
    """One table: the nodes, or the edges (``table``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if table == "nodes":
        writer.writerow(["iri", "id", "label_zh", "label_en", "kind", "level"])
        for n, d in graph.nodes(data=True):
            writer.writerow([n, d["id"], d["label_zh"], d["label_en"], d["kind"], d["level"]])
    else:
        keys = sorted({k for _, _, d in graph.edges(data=True) for k in d} - {"spells"})
        writer.writerow(["source", "target", *keys])
        for a, b, d in graph.edges(data=True):
            writer.writerow(
                [
                    graph.nodes[a]["id"],
                    graph.nodes[b]["id"],
                    *[
                        ";".join(map(str, d[k])) if isinstance(d.get(k), list) else ("" if d.get(k) is None else d[k])
                        for k in keys
                    ],
                ]
            )
    return buf.getvalue().encode()


WRITERS = {"cytoscape": _cytoscape, "node-link": _node_link, "graphml": _graphml, "gexf": _gexf, "csv": _csv}
assert list(WRITERS) == formats.names(Use.NETWORK), "a writer for each network format of graph.formats"


def serialize(graph: nx.Graph, fmt: str, table: str = "edges") -> bytes:
    """A network in a network file format (``table``: with csv, nodes or edges)."""
    if formats.find(Use.NETWORK, fmt) is None:
        raise BadParameter("format", formats.unknown(Use.NETWORK, fmt))
    return WRITERS[fmt](graph, table)
