"""GET /export: the dataset (or one graph, or what one source backs) in any RDF format, as a file."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph import formats
from graph.errors import BadParameter
from graph.export import GRAPHS, about, export, export_source
from graph.formats import Use

from ..dataset import Snapshot
from ..deps import snapshot
from ..problems import responses

router = APIRouter(tags=["exports"], responses=responses(422))


@router.get("/export", summary="Download the dataset as RDF", response_class=Response)
def export_dataset(
    format: str = Query("turtle", description=", ".join(formats.names(Use.EXPORT))),
    graph: str = Query(
        "all", max_length=200, description="all, data, ontology, or a source id (what that source backs)"
    ),
    state: Snapshot = Depends(snapshot),
):
    spec = formats.find(Use.EXPORT, format)
    if spec is None:
        raise BadParameter("format", formats.unknown(Use.EXPORT, format))
    # the dataset node states the licence, release, content version and citation; the headers say them too
    known = about(state.engine.version, state.base)
    if graph in GRAPHS:
        body = export(state.engine, format, state.base, graph, known)
    else:
        source = state.model.iri("source", graph)
        if source not in state.model.resources:
            raise BadParameter("graph", f"graph must be all, data, ontology or a source id; no source '{graph}'")
        body = export_source(state.engine, format, source, known)
    name = f"pakg-{state.engine.version}{'' if graph == 'all' else '-' + graph}.{spec.extension}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', **known.headers()}
    return Response(body, media_type=spec.media_type, headers=headers)
