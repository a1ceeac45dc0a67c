"""GET /export: the dataset (or one graph, or what one source backs) in any RDF format, as a file."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from graph.catalog import BadParameter
from graph.export import GRAPHS, export, export_source
from graph.formats import RDF_FORMATS

from ..deps import snapshot
from ..problems import responses

router = APIRouter(tags=["exports"], responses=responses(422))


@router.get("/export", summary="Download the dataset as RDF", response_class=Response)
def export_dataset(request: Request,
                   format: str = Query("turtle", description=", ".join(RDF_FORMATS)),
                   graph: str = Query("all", max_length=200,
                                      description="all, data, ontology, or a source id (what that source backs)")):
    state = snapshot(request)
    if format not in RDF_FORMATS:
        raise BadParameter("format", f"unknown format '{format}' (expected one of: {', '.join(RDF_FORMATS)})")
    spec = RDF_FORMATS[format]
    if graph in GRAPHS:
        body = export(state.engine, format, state.base, graph)
    else:
        source = state.catalog.iri("source", graph)
        if source not in state.catalog.resources:
            raise BadParameter("graph", f"graph must be all, data, ontology or a source id; no source '{graph}'")
        body = export_source(state.engine, format, source)
    name = f"pakg-{state.engine.version}{'' if graph == 'all' else '-' + graph}.{spec.extension}"
    return Response(body, media_type=spec.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
