"""Networks projected from the knowledge graph (networkx), and their file formats.

``support_network`` is the directed supporter → recipient network, aggregated at an
administrative level: every actor is replaced by the unit that contains it at that
level (a county by its prefecture, a district by its municipality …), and parallel
pairings become one edge that counts them.  Filters are those of ``Catalog.find_pairings``.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

import networkx as nx

from .catalog import BadParameter, Catalog

LEVELS = ("province", "prefecture", "county", "institution")
VIEWS = ("support",)
FORMATS = {"cytoscape": "application/json", "node-link": "application/json", "graphml": "application/xml",
           "gexf": "application/xml", "csv": "text/csv"}
EXTENSIONS = {"cytoscape": "cyjs", "node-link": "json", "graphml": "graphml", "gexf": "gexf", "csv": "csv"}
RANK = {"centre": 1, "province": 1, "municipality": 1, "xpcc-corps": 1, "prefecture": 2, "xpcc-division": 2,
        "county": 3, "development-zone": 3, "institution": 4, "team": 5, "person": 6}


def rank(catalog: Catalog, iri: str) -> int:
    """How fine an actor's level is: 1 province … 4 institution (5 team, 6 person)."""
    r = catalog.resources.get(iri)
    if r is None or r.level is None:
        return 4
    if r.level == "city":  # the reference uses 'city' for prefecture-level and county-level cities and districts
        parent = catalog.resources.get(r.parent) if r.parent else None
        if r.label_zh.endswith("区") or parent is None or RANK.get(parent.level or "", 4) > 1:
            return 3
        return 2
    return RANK.get(r.level, 4)


def at_level(catalog: Catalog, iri: str, level: str) -> str:
    """The unit containing ``iri`` at ``level`` (itself when nothing contains it at that level)."""
    wanted = LEVELS.index(level) + 1
    node = iri
    while rank(catalog, node) > wanted:
        parent = catalog.resources[node].parent if node in catalog.resources else None
        if not parent:
            break
        node = parent
    return node


def support_network(catalog: Catalog, pairings: Iterable[dict], level: str = "institution") -> nx.DiGraph:
    if level not in LEVELS:
        raise BadParameter("level", f"unknown level '{level}' (expected one of: {', '.join(LEVELS)})")
    graph = nx.DiGraph(view="support", level=level, dataset_version=catalog.version)
    for p in pairings:
        a, b = at_level(catalog, p["supporter"], level), at_level(catalog, p["recipient"], level)
        if a == b:
            continue  # a pairing inside one unit at this level
        for node in (a, b):
            if node not in graph:
                r = catalog.resources[node]
                graph.add_node(node, id=r.id, label_zh=r.label_zh, label_en=r.label_en,
                               kind=sorted(t.rsplit("#", 1)[-1] for t in r.types)[0], level=r.level or "")
        if graph.has_edge(a, b):
            edge = graph.edges[a, b]
        else:
            graph.add_edge(a, b, pairings=0, fields=set(), modes=set(), ids=[], spells=[])
            edge = graph.edges[a, b]
        edge["pairings"] += 1
        edge["fields"].update(p["fields"])
        if p["mode"]:
            edge["modes"].add(p["mode"])
        edge["ids"].append(p["id"])
        start, end = _years(catalog, p)
        if start is not None:
            edge["spells"].append((start, end))
    for _, _, edge in graph.edges(data=True):
        starts = [s for s, _ in edge["spells"]]
        edge["first_year"] = min(starts) if starts else None
        ends = [e for _, e in edge["spells"]]
        edge["last_year"] = max(ends) if ends and None not in ends else None  # None: still active
        edge["fields"] = sorted(edge["fields"])
        edge["modes"] = sorted(edge["modes"])
        edge["ids"] = sorted(edge["ids"])
    return graph


def _years(catalog: Catalog, p: dict) -> tuple[int | None, int | None]:
    prog = catalog.resources.get(p["programme"]) if p["programme"] else None
    start = p["start"] if p["start"] is not None else (prog.start if prog else None)
    end = p["end"] if p["end"] is not None else (prog.end if prog else None)
    return start, end


def _flat(graph: nx.DiGraph) -> nx.DiGraph:
    """A copy whose attributes are scalars, for GraphML and CSV (lists joined by ';')."""
    flat = nx.DiGraph(**{k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    for n, data in graph.nodes(data=True):
        flat.add_node(n, label=f"{data['label_en']} · {data['label_zh']}",
                      **{k: v for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        attrs = {k: (";".join(map(str, v)) if isinstance(v, list) else v) for k, v in data.items()
                 if k != "spells" and v is not None}
        flat.add_edge(a, b, **attrs)
    return flat


def serialize(graph: nx.DiGraph, fmt: str, table: str = "edges") -> bytes:
    if fmt == "cytoscape":
        data = nx.cytoscape_data(_flat(graph), name="label_en", ident="id")
        for element in data["elements"]["nodes"]:
            element["data"]["iri"] = element["data"]["value"]
        return json.dumps(data, ensure_ascii=False).encode()
    if fmt == "node-link":
        data = nx.node_link_data(graph, edges="links")
        for link in data["links"]:
            link["spells"] = [list(s) for s in link["spells"]]
        return json.dumps(data, ensure_ascii=False).encode()
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(_flat(graph))).encode()
    if fmt == "gexf":
        dynamic = _flat(graph)
        dynamic.graph["mode"] = "dynamic"
        dynamic.graph["time_format"] = "date"
        for a, b, data in graph.edges(data=True):
            spells = [(f"{s}-01-01", f"{e}-12-31" if e else None) for s, e in data["spells"]]
            if spells:
                dynamic.edges[a, b]["spells"] = spells
        return "\n".join(nx.generate_gexf(dynamic)).encode()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if table == "nodes":
            writer.writerow(["iri", "id", "label_zh", "label_en", "kind", "level"])
            for n, d in graph.nodes(data=True):
                writer.writerow([n, d["id"], d["label_zh"], d["label_en"], d["kind"], d["level"]])
        else:
            writer.writerow(["source", "target", "pairings", "fields", "modes", "first_year", "last_year", "ids"])
            for a, b, d in graph.edges(data=True):
                writer.writerow([graph.nodes[a]["id"], graph.nodes[b]["id"], d["pairings"], ";".join(d["fields"]),
                                 ";".join(d["modes"]), d["first_year"] or "", d["last_year"] or "", ";".join(d["ids"])])
        return buf.getvalue().encode()
    raise BadParameter("format", f"unknown format '{fmt}' (expected one of: {', '.join(FORMATS)})")
