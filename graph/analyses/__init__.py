"""The analyses of the support relationships: one module each, a registry, and how results look.

``analyse(catalog, name, view=…, level=…, **filters)`` projects the network (cached per
dataset version), runs the measure, and returns rows whose nodes carry id and both labels.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import network
from ..catalog import BadParameter, Catalog
from . import (betweenness, communities, components, concentration, coverage, degree, hits, pagerank, paths,
               reciprocity, temporal)


@dataclass(frozen=True)
class Analysis:
    name: str
    module: object
    view: str                 # the view it runs on by default
    parameters: tuple[str, ...] = ()
    directed: bool = False    # defined on directed views only

    @property
    def description(self) -> str:
        return (self.module.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")

    @property
    def definition(self) -> str:
        return (self.module.__doc__ or "").strip().split("\n\n")[1].replace("\n", " ")


ANALYSES = {a.name: a for a in (
    Analysis("degree", degree, "support"),
    Analysis("betweenness", betweenness, "support", ("k",)),
    Analysis("pagerank", pagerank, "support"),
    Analysis("hits", hits, "support"),
    Analysis("components", components, "support"),
    Analysis("communities", communities, "support", ("resolution",)),
    Analysis("reciprocity", reciprocity, "support"),
    Analysis("concentration", concentration, "support", directed=True),
    Analysis("coverage", coverage, "support"),
    Analysis("paths", paths, "chain", ("source", "target")),
    Analysis("temporal", temporal, "support", ("until",)),
)}
COMMON = ("view", "level", *network.FILTERS)


def describe() -> list[dict]:
    return [{"name": a.name, "description": a.description, "definition": a.definition, "default_view": a.view,
             "views": list(network.DIRECTED_VIEWS if a.directed else network.VIEWS),
             "parameters": [*COMMON, *a.parameters]} for a in ANALYSES.values()]


def _node_fields(graph, node) -> dict:
    data = graph.nodes[node] if node in graph else {}
    return {"id": data.get("id", node.rsplit("/", 1)[-1]), "iri": node, "label_zh": data.get("label_zh"),
            "label_en": data.get("label_en"), "kind": data.get("kind"), "level": data.get("level")}


def resolve(catalog: Catalog, value: str, parameter: str) -> str:
    """Any resource by id (actor, instrument, pairing, programme …) or exact label, as an IRI."""
    for kind in ("actor", "instrument", "provision", "pairing", "programme"):
        iri = catalog.iri(kind, value)
        if iri in catalog.resources:
            return iri
    return catalog.resolve_actor(value, parameter)


def analyse(catalog: Catalog, name: str, view: str | None = None, level: str = "institution", k: int | None = None,
            resolution: float = 1.0, source: str | None = None, target: str | None = None,
            until: int | None = None, **filters) -> dict:
    """Run an analysis; results are cached per dataset version and parameters (the catalog is per version)."""
    key = (name, view, level, k, resolution, source, target, until,
           tuple(sorted((f, v) for f, v in filters.items() if v is not None)))
    cache = catalog.__dict__.setdefault("_analyses", {})
    if key not in cache:
        if len(cache) > 512:
            cache.clear()
        cache[key] = _analyse(catalog, name, view, level, k, resolution, source, target, until, **filters)
    return cache[key]


def _analyse(catalog: Catalog, name: str, view: str | None, level: str, k: int | None, resolution: float,
             source: str | None, target: str | None, until: int | None, **filters) -> dict:
    if name not in ANALYSES:
        raise BadParameter("name", f"unknown analysis '{name}' (expected one of: {', '.join(ANALYSES)})")
    analysis = ANALYSES[name]
    view = view or analysis.view
    if analysis.directed and view in network.VIEWS and view not in network.DIRECTED_VIEWS:
        raise BadParameter("view", f"{name} is defined on directed networks only (it counts edges by their "
                                   f"direction) and the '{view}' view is undirected; use one of: "
                                   f"{', '.join(network.DIRECTED_VIEWS)}")
    graph = network.project(catalog, view, level, **filters)
    summary: dict = {}
    if name == "paths":
        src, dst = resolve(catalog, source, "source") if source else None, \
            resolve(catalog, target, "target") if target else None
        try:
            rows = paths.run(graph, src, dst)
        except paths.NoPath as exc:
            raise BadParameter("target" if source else "source", f"no path: {exc}") from None
    elif name == "coverage":
        pairings = [p["iri"] for p in catalog.find_pairings(**{k_: filters.get(k_) for k_ in network.FILTERS})]
        rows = coverage.run(graph, catalog=catalog, pairings=pairings)
        summary = coverage.summary(rows)
    else:
        rows = analysis.module.run(graph, k=k, resolution=resolution, until=until)
        if hasattr(analysis.module, "summary"):
            summary = analysis.module.summary(graph)
    for row in rows:
        for key in ("node", "partner"):
            if key in row:
                fields = _node_fields(graph, row[key]) if row[key] in graph else catalog.ref(row[key]) or {}
                row[key if key == "partner" else "node"] = fields
    summary.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    return {"analysis": name, "view": view, "level": graph.graph.get("level", ""),
            "filters": {k_: v for k_, v in filters.items() if v is not None},
            "version": catalog.version, "summary": summary, "rows": rows}
