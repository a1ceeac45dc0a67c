"""Networks and their analyses: GET /network (files) and GET /analysis, /analysis/{name} (JSON)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from graph import formats, network
from graph.analyses import ANALYSES, analysis_catalogue, compute_analysis
from graph.errors import BadParameter, NotFound
from graph.export import about
from graph.formats import Use
from graph.readmodel import FactFilter

from .. import schemas
from ..dataset import Snapshot
from ..deps import facts, language, localise, snapshot
from ..problems import responses

router = APIRouter(tags=["networks"], responses=responses(404, 422))


@dataclass
class NetworkFilters:
    view: str | None
    level: str
    supporter: str | None
    recipient: str | None
    field: str | None
    mode: str | None
    programme: str | None
    year: int | None
    confidence: str | None

    def filters(self) -> dict:
        return {
            "supporter": self.supporter,
            "recipient": self.recipient,
            "field": self.field,
            "mode": self.mode,
            "programme": self.programme,
            "year": self.year,
            "confidence": self.confidence,
        }


def network_filters(
    view: str | None = Query(
        None, description=", ".join(network.VIEWS), json_schema_extra={"enum": list(network.VIEWS)}
    ),
    level: str = Query(
        "institution", description=", ".join(network.LEVELS), json_schema_extra={"enum": list(network.LEVELS)}
    ),
    supporter: str | None = Query(None, max_length=200),
    recipient: str | None = Query(None, max_length=200),
    field: str | None = Query(None, max_length=50),
    mode: str | None = Query(None, max_length=50),
    programme: str | None = Query(None, max_length=100),
    year: int | None = Query(None, ge=1900, le=2100),
    confidence: str | None = Query(None, max_length=20),
) -> NetworkFilters:
    return NetworkFilters(
        view,
        level,
        supporter,
        recipient,
        field,
        mode,
        programme,
        year,
        confidence,
    )


@router.get(
    "/network",
    summary="A network as Cytoscape.js JSON, node-link JSON, GraphML, GEXF or CSV",
    description="Each support edge carries its pairings' ids, their confidence (the edge's lowest and one per "
    "pairing), their sources (ids, titles, kinds) and their years with the basis of each (stated by a source, or "
    "inferred); each node its confidence.  The fact filters (min_confidence, exclude_source_kind, "
    "stated_years_only) leave pairings out: the graph's metadata (JSON graph data, GraphML graph data, the GEXF "
    "meta description) and the Pakg-Left-Out header say how many, the Pakg-Filters header which filters.",
    response_class=Response,
)
def get_network(
    request: Request,
    format: str = Query(
        "node-link",
        description=", ".join(formats.names(Use.NETWORK)),
        json_schema_extra={"enum": formats.names(Use.NETWORK)},
    ),
    table: str = Query(
        "edges",
        pattern="^(nodes|edges)$",
        description="with format=csv: nodes or edges",
        json_schema_extra={"enum": ["nodes", "edges"]},
    ),
    f: NetworkFilters = Depends(network_filters),
    fact_filter: FactFilter = Depends(facts),
    snap: Snapshot = Depends(snapshot),
):
    model = snap.model
    spec = formats.find(Use.NETWORK, format)
    if spec is None:
        raise BadParameter("format", formats.unknown(Use.NETWORK, format))
    view = f.view or "support"
    model.check_facts(fact_filter)
    graph = network.project(model, view, f.level, facts=fact_filter, **f.filters())
    suffix = f"-{table}" if format == "csv" else ""
    level = f"-{f.level}" if graph.graph.get("level") else ""
    name = f"pakg-{model.version}-{view}{level}{suffix}.{spec.extension}"
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
        facts=fact_filter,
        **f.filters(),
    )
    return localise(result, language(request))
