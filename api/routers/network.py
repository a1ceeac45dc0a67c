"""Networks and their analyses: GET /network (files) and GET /analysis, /analysis/{name} (JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from graph import formats, network
from graph.analyses import ANALYSES, analysis_catalogue, compute_analysis
from graph.analyses.distance_by import GROUPS
from graph.errors import NotFound
from graph.export import about
from graph.formats import Use
from graph.readmodel import FactFilter

from .. import schemas
from ..dataset import Snapshot
from ..deps import facts, language, localise, snapshot
from ..problems import responses

router = APIRouter(tags=["networks"], responses=responses(404, 422))

# the enumerations of the OpenAPI document, from the registries that decide them
View = Literal[network.VIEWS]  # type: ignore[valid-type]
Level = Literal[network.LEVELS]  # type: ignore[valid-type]
NetworkFormat = Literal[tuple(formats.names(Use.NETWORK))]  # type: ignore[valid-type]
LEVELS_TEXT = (
    "as-paired: each end as its pairing names it (no aggregation); province, prefecture, county, institution: "
    "every actor replaced by the unit containing it at that level"
)


@dataclass
class NetworkFilters:
    view: str | None
    level: str
    supporter_level: str | None
    recipient_level: str | None
    include_case: bool | None
    supporter: str | None
    recipient: str | None
    include_subunits: bool | None  # None: the default (true), left out of the filters echoed
    field: str | None
    mode: str | None
    programme: str | None
    year: int | None
    confidence: str | None

    def filters(self) -> dict:
        """The pairing filters, as ``network.project`` and ``compute_analysis`` take them."""
        return {
            "supporter": self.supporter,
            "recipient": self.recipient,
            network.SUBUNITS: self.include_subunits,
            "field": self.field,
            "mode": self.mode,
            "programme": self.programme,
            "year": self.year,
            "confidence": self.confidence,
        }

    def shape(self) -> dict:
        """How the network is drawn: the levels of its ends and whether the case study is in it."""
        return {
            "supporter_level": self.supporter_level,
            "recipient_level": self.recipient_level,
            "include_case": self.include_case,
        }


def network_filters(
    view: View | None = Query(
        None,
        description="the network: " + ", ".join(network.VIEWS) + " (default: support; an analysis: its own)",
    ),
    level: Level = Query(network.AS_PAIRED, description="both ends' level (support views): " + LEVELS_TEXT),
    supporter_level: Level | None = Query(None, description="the supporters' level (default: level)"),
    recipient_level: Level | None = Query(None, description="the recipients' level (default: level)"),
    include_case: bool | None = Query(
        None,
        description="the case study's micro-relations (its mentorship, people, teams and pseudonymous actors "
        "such as 'J province', as the data marks them): default true in the governance, chain and micro views, "
        "false in the support, co-supporters and co-recipients views",
    ),
    supporter: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    recipient: str | None = Query(None, max_length=200, description=schemas.ACTOR_NAME),
    include_subunits: bool = Query(True, description=schemas.INCLUDE_SUBUNITS),
    field: str | None = Query(None, max_length=50, description="a field notation (pa:fields)"),
    mode: str | None = Query(None, max_length=50, description="a mode notation (pa:modes)"),
    programme: str | None = Query(None, max_length=200, description="a programme id or name"),
    year: int | None = Query(None, ge=1900, le=2100, description="pairings active in this year"),
    confidence: str | None = Query(None, max_length=20, description="pairings of exactly this confidence"),
) -> NetworkFilters:
    subunits = None if include_subunits or not (supporter or recipient) else False  # echoed only when it counts
    return NetworkFilters(
        view,
        level,
        supporter_level,
        recipient_level,
        include_case,
        supporter,
        recipient,
        subunits,
        field,
        mode,
        programme,
        year,
        confidence,
    )


def _network_responses() -> dict:
    """The answer of /network in each format: node-link JSON declared by its model, the others by type."""
    content: dict[str, dict] = {
        spec.media_type: {} for spec in formats.listed(Use.NETWORK) if spec.media_type != "application/json"
    }
    return {
        200: {
            "model": schemas.NodeLinkNetwork | schemas.CytoscapeNetwork,
            "description": "the network file (node-link or Cytoscape.js JSON as declared; GraphML, GEXF, GeoJSON "
            "or CSV as format= asks)",
            "content": content,
        }
    }


@router.get(
    "/network",
    summary="A network as Cytoscape.js JSON, node-link JSON, GraphML, GEXF, GeoJSON or CSV",
    description="Each node has its short id (its id in every format), IRI, both labels, level, parent and GB/T "
    "2260 code.  Each support edge carries its pairings' ids, their confidence (the edge's lowest and one per "
    "pairing), their sources (ids, titles, kinds) and their years with the basis of each (stated by a source, or "
    "inferred); each node its confidence.  The ends are drawn as each pairing names them unless `level` (both) or "
    "`supporter_level` / `recipient_level` (each) ask for a level.  The fact filters (min_confidence, "
    "exclude_source_kind, stated_years_only) leave pairings out: the graph's metadata (JSON graph data — `filters` "
    "an object —, GraphML graph data and the GEXF meta, where filters are JSON text) and the Pakg-Left-Out header "
    "say how many, the Pakg-Filters header which filters.  Each node also has its point (`longitude`, `latitude` "
    "in WGS 84, null when it has none; `point_basis` gazetteer or placed-in, `point_placed_in`, "
    "`point_approximate`), each support edge its `programmes`, `pairing_programmes` and `distance_km` (geodesic, "
    "null when an end has no point).  format=geojson (application/geo+json) is an RFC 7946 FeatureCollection: "
    "nodes as Points, edges as LineStrings from source to target, with the same properties; a node or edge "
    "without a point has a null geometry and is counted in the top-level member `pakg.unlocated` (with each "
    "node's reason), beside the graph's metadata, the licence, the CRS and the source of the points.",
    response_class=Response,
    responses=_network_responses(),
)
def get_network(
    request: Request,
    format: NetworkFormat = Query(  # type: ignore[valid-type]
        "node-link", description=", ".join(formats.names(Use.NETWORK))
    ),
    table: Literal["nodes", "edges"] = Query("edges", description="with format=csv: nodes or edges"),
    f: NetworkFilters = Depends(network_filters),
    fact_filter: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
):
    model = snap.model
    spec = formats.get(Use.NETWORK, format)
    view = f.view or "support"
    model.check_facts(fact_filter)
    graph = network.project(model, view, f.level, facts=fact_filter, **f.shape(), **f.filters())
    suffix = f"-{table}" if format == "csv" else ""
    g = graph.graph
    levels = (
        f"-{g['supporter_level']}-to-{g['recipient_level']}"
        if g.get("level") == "mixed"
        else f"-{g['level']}"
        if g.get("level")
        else ""
    )
    name = f"pakg-{model.version}-{view}{levels}{suffix}.{spec.extension}"
    # the dataset's licence, release, content version and citation, in the file's own metadata and in
    # headers; what the fact filter left out, for every format (a CSV file has no place to say either)
    known = about(model.version, model.base)
    return Response(
        network.serialize(graph, format, table, known),
        media_type=spec.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            network.LEFT_OUT_HEADER: network.left_out_header(graph),
            network.FILTERS_HEADER: network.filters_header(graph),
            **known.headers(),
        },
    )


@router.get(
    "/analysis",
    summary="The analyses, with their definitions and parameters",
    response_model=schemas.AnalysisCatalogue,
)
def list_analyses() -> dict:
    return {"views": list(network.VIEWS), "levels": list(network.LEVELS), "analyses": analysis_catalogue()}


@router.get(
    "/analysis/{name}",
    summary="Run one analysis on a network (filters as /network)",
    response_model=schemas.AnalysisResult,  # written by pydantic, as the answers have always been
)
def run_analysis(
    request: Request,
    name: str = Path(..., description=", ".join(ANALYSES), json_schema_extra={"enum": list(ANALYSES)}),
    k: int | None = Query(None, ge=1, le=100_000, description="betweenness: sample k sources"),
    source: str | None = Query(None, max_length=200, description="paths: from this id"),
    target: str | None = Query(None, max_length=200, description="paths: to this id"),
    by: Literal[GROUPS] | None = Query(  # type: ignore[valid-type]
        None, description="distance-by: group the pairings by " + ", ".join(GROUPS) + " (default: programme)"
    ),
    f: NetworkFilters = Depends(network_filters),
    fact_filter: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
) -> dict:
    if name not in ANALYSES:
        raise NotFound(f"no analysis '{name}' (known: {', '.join(ANALYSES)})")
    result = compute_analysis(
        snap.model,
        name,
        view=f.view,
        level=f.level,
        k=k,
        source=source,
        target=target,
        by=by,
        facts=fact_filter,
        **f.shape(),
        **f.filters(),
    )
    return localise(result, language(request))
