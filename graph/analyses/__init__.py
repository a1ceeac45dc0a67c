"""The analyses of the support relationships: one module each, a registry, and how results look.

``compute_analysis(model, name, view=…, level=…, facts=…, **filters)`` projects the network (cached
per dataset version), runs the measure, and returns rows whose nodes carry id and both labels, the
filters that made the network and what the fact filter left out; ``analysis_catalogue()`` lists the
analyses, their definitions and their parameters.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType

import networkx as nx

from .. import network
from ..errors import BadParameter
from ..readmodel import FactFilter, ReadModel
from . import (
    betweenness,
    centroids,
    communities,
    components,
    concentration,
    coverage,
    degree,
    distance_by,
    distance_over_time,
    distances,
    hits,
    pagerank,
    paths,
    reciprocity,
    temporal,
)


@dataclass(frozen=True)
class Analysis:
    """An analysis: ``measure(graph, **parameters)`` gives its rows, ``summarise(graph)`` (if any) its summary.

    ``parameters`` are those of ``measure`` after the graph, which is given only those.  The
    description and the definition shown to users are the first two paragraphs of the docstring of
    the measure's module.

    >>> import inspect
    >>> [(a.name, a.parameters) for a in ANALYSES.values()
    ...  if a.name != "coverage" and tuple(inspect.signature(a.measure).parameters)[1:] != a.parameters]
    []
    >>> ANALYSES["temporal"].description
    'Temporal snapshots.'
    """

    name: str
    measure: Callable[..., list[dict]]
    view: str  # the view it runs on by default
    parameters: tuple[str, ...] = ()
    directed: bool = False  # defined on directed views only
    summarise: Callable[[nx.Graph], dict] | None = None
    only: tuple[str, ...] = ()  # the views it is defined on, when not every (directed) view
    geographic: bool = False  # its rows' nodes carry their points

    @property
    def views(self) -> tuple[str, ...]:
        """The views it runs on.

        >>> ANALYSES["distances"].views, ANALYSES["concentration"].views
        (('support',), ('support', 'governance', 'chain'))
        """
        return self.only or (network.DIRECTED_VIEWS if self.directed else network.VIEWS)

    @property
    def module(self) -> ModuleType:
        return sys.modules[self.measure.__module__]

    @property
    def description(self) -> str:
        return (self.module.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")

    @property
    def definition(self) -> str:
        return (self.module.__doc__ or "").strip().split("\n\n")[1].replace("\n", " ")


# coverage reads the read model's governance index, not the network (``compute_analysis`` calls it)
ANALYSES = {
    a.name: a
    for a in (
        Analysis("degree", degree.degree_and_strength, "support"),
        Analysis("betweenness", betweenness.betweenness_centrality, "support", ("k",)),
        Analysis("pagerank", pagerank.pagerank_centrality, "support"),
        Analysis("hits", hits.hubs_and_authorities, "support"),
        Analysis("components", components.connected_components, "support"),
        Analysis("communities", communities.louvain_communities, "support", ("resolution",)),
        Analysis("reciprocity", reciprocity.reciprocal_pairs, "support", summarise=reciprocity.reciprocity_summary),
        Analysis(
            "concentration",
            concentration.recipient_concentration,
            "support",
            directed=True,
            summarise=concentration.concentration_summary,
        ),
        Analysis("coverage", coverage.governance_coverage, "support"),
        Analysis("paths", paths.shortest_path, "chain", ("source", "target")),
        Analysis("temporal", temporal.yearly_snapshots, "support", ("until",)),
        # the geography of aid: distances of the pairings (the support view's edges carry them)
        *(
            Analysis(name, measure, "support", parameters, True, summarise, ("support",), True)
            for name, measure, parameters, summarise in (
                ("distances", distances.pairing_distances, (), distances.distance_summary),
                ("distance-by", distance_by.distance_by, ("by",), distances.distance_summary),
                ("centroids", centroids.supporter_centroids, (), centroids.centroids_summary),
                ("distance-over-time", distance_over_time.distance_over_time, (), distance_over_time.over_time_summary),
            )
        ),
    )
}
COMMON = (
    "view",
    "level",
    "supporter_level",
    "recipient_level",
    "include_case",
    *network.FILTERS,
    network.SUBUNITS,
    *network.FACT_PARAMETERS,
)


def analysis_catalogue() -> list[dict]:
    """Every analysis with its description, definition, views and parameters, as ``GET /analysis`` lists them."""
    return [
        {
            "name": a.name,
            "description": a.description,
            "definition": a.definition,
            "default_view": a.view,
            "views": list(a.views),
            "parameters": [*COMMON, *a.parameters],
        }
        for a in ANALYSES.values()
    ]


def _node_fields(graph, node, located: bool = False) -> dict:
    """A node of a row: id, IRI, labels, kind, level, parent, code; ``located``: and its point."""
    data = graph.nodes[node] if node in graph else {}
    fields = {
        "id": data.get("id", node.rsplit("/", 1)[-1]),
        "iri": node,
        "label_zh": data.get("label_zh"),
        "label_en": data.get("label_en"),
        "kind": data.get("kind"),
        "level": data.get("level"),
        "parent": data.get("parent", ""),
        "code": data.get("code", ""),
    }
    if located:
        fields.update({k: data.get(k) for k in ("longitude", "latitude")})
        fields["point_basis"] = data.get("point_basis", "")
        fields["point_approximate"] = data.get("point_approximate", False)
    return fields


def _reference(model: ReadModel, iri: str) -> dict:
    """A resource outside the network (a pairing in coverage): its id, IRI and labels."""
    r = model.resources.get(iri)
    if r is None:
        return {"id": iri.rsplit("/", 1)[-1], "iri": iri, "label_zh": None, "label_en": None}
    return {"id": r.id, "iri": r.iri, "label_zh": r.label_zh, "label_en": r.label_en}


def resolve(model: ReadModel, value: str, parameter: str) -> str:
    """Any resource by id (actor, instrument, pairing, programme …) or exact label, as an IRI."""
    for kind in ("actor", "instrument", "provision", "pairing", "programme"):
        iri = model.iri(kind, value)
        if iri in model.resources:
            return iri
    return model.resolve_actor(value, parameter)


def compute_analysis(
    model: ReadModel,
    name: str,
    view: str | None = None,
    level: str = network.AS_PAIRED,
    k: int | None = None,
    resolution: float = 1.0,
    source: str | None = None,
    target: str | None = None,
    until: int | None = None,
    by: str | None = None,
    facts: FactFilter = network.NO_FACT_FILTER,
    supporter_level: str | None = None,
    recipient_level: str | None = None,
    include_case: bool | None = None,
    **filters,
) -> dict:
    """Run the analysis ``name`` on the network of ``view`` (default: the analysis's own) at ``level``
    (or ``supporter_level`` and ``recipient_level``; ``include_case`` as ``network.project``).

    ``filters`` select the pairings, as for ``network.project`` (names in ``network.FILTERS``), and
    ``facts`` leaves out facts below a confidence or resting only on some source kinds (the result
    says how many: ``left_out``, and echoes it: ``facts``).  Of
    ``k``, ``resolution``, ``source``, ``target``, ``until`` and ``by`` the analysis is given those it declares
    (``ANALYSES[name].parameters``); the others are ignored.  Results are cached per dataset version
    and parameters (the read model is per version).
    """
    unknown = sorted(set(filters) - {*network.FILTERS, network.SUBUNITS})
    if unknown:
        raise TypeError(
            f"compute_analysis() got unexpected keyword argument(s): {', '.join(unknown)} "
            f"(the filters are: {', '.join(network.FILTERS)})"
        )
    parameters = {"k": k, "resolution": resolution, "source": source, "target": target, "until": until, "by": by}
    chosen = tuple(sorted((f, v) for f, v in filters.items() if v is not None))
    shape = {"supporter_level": supporter_level, "recipient_level": recipient_level, "include_case": include_case}
    key = (name, view, level, *shape.values(), *parameters.values(), chosen, facts)
    return model.memo(
        "analyses", key, lambda: _compute(model, name, view, level, parameters, filters, facts, shape), limit=512
    )


def _compute(
    model: ReadModel,
    name: str,
    view: str | None,
    level: str,
    parameters: dict,
    filters: dict,
    facts: FactFilter,
    shape: dict,
) -> dict:
    if name not in ANALYSES:
        raise BadParameter("name", f"unknown analysis '{name}' (expected one of: {', '.join(ANALYSES)})")
    analysis = ANALYSES[name]
    view = view or analysis.view
    if "by" in analysis.parameters:
        parameters["by"] = distance_by.check_by(parameters["by"])
    if analysis.only and view in network.VIEWS and view not in analysis.only:
        raise BadParameter(
            "view",
            f"{name} measures the pairings' distances, which the edges of the {', '.join(analysis.only)} "
            f"view carry and the '{view}' view's do not; use view={analysis.only[0]}",
        )
    if analysis.directed and view in network.VIEWS and view not in network.DIRECTED_VIEWS:
        raise BadParameter(
            "view",
            f"{name} is defined on directed networks only (it counts edges by their "
            f"direction) and the '{view}' view is undirected; use one of: "
            f"{', '.join(network.DIRECTED_VIEWS)}",
        )
    graph = network.project(model, view, level, facts=facts, **shape, **filters)
    summary: dict = {}
    if name == "paths":
        source, target = parameters["source"], parameters["target"]
        src, dst = (
            resolve(model, source, "source") if source else None,
            resolve(model, target, "target") if target else None,
        )
        try:
            rows = paths.shortest_path(graph, src, dst)
        except paths.NoPath as exc:
            raise BadParameter("target" if source else "source", f"no path: {exc}") from None
    elif name == "coverage":
        asked = {k_: filters.get(k_) for k_ in network.FILTERS}
        pairings = [p.iri for p in model.find_pairings(**asked, facts=facts)]
        rows = coverage.governance_coverage(model, pairings)
        summary = coverage.coverage_summary(rows)
    else:
        rows = analysis.measure(graph, **{p: parameters[p] for p in analysis.parameters})
        if analysis.summarise:
            summary = analysis.summarise(graph)
    for row in rows:
        for key in ("node", "partner", "supporter", "recipient"):
            if key in row:
                fields = (
                    _node_fields(graph, row[key], analysis.geographic)
                    if row[key] in graph
                    else _reference(model, row[key])
                )
                row[key] = fields
        if analysis.geographic and isinstance(row.get("programme"), str):
            row["programme"] = (
                _reference(model, model.iri("programme", row["programme"]))
                if row["programme"]
                else {"id": "", "iri": "", "label_zh": None, "label_en": None}
            )
    summary.update(nodes=graph.number_of_nodes(), edges=graph.number_of_edges())
    return {
        "analysis": name,
        "view": view,
        "level": graph.graph.get("level", ""),
        "supporter_level": graph.graph.get("supporter_level", ""),
        "recipient_level": graph.graph.get("recipient_level", ""),
        "include_case": graph.graph.get("include_case", False),
        "case_left_out": graph.graph.get("case_left_out", 0),
        "filters": {k_: v for k_, v in filters.items() if v is not None},
        "facts": facts.echo(),
        "left_out": dict(graph.graph.get("left_out", {})),
        "version": model.version,
        "summary": summary,
        "rows": rows,
    }
