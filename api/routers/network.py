"""GET /network: the support network as Cytoscape.js JSON, node-link JSON, GraphML, GEXF or CSV."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph import network
from graph.catalog import BadParameter, Catalog

from ..deps import catalog

router = APIRouter(tags=["exports"])


@router.get("/network", summary="The support network (filters as /pairings), for Gephi, Cytoscape, D3 or R",
            response_class=Response)
def get_network(
    view: str = Query("support", description=", ".join(network.VIEWS)),
    level: str = Query("institution", description=", ".join(network.LEVELS)),
    format: str = Query("node-link", description=", ".join(network.FORMATS)),
    table: str = Query("edges", pattern="^(nodes|edges)$", description="with format=csv: nodes or edges"),
    supporter: str | None = Query(None, max_length=200), recipient: str | None = Query(None, max_length=200),
    field: str | None = Query(None, max_length=50), mode: str | None = Query(None, max_length=50),
    programme: str | None = Query(None, max_length=100), year: int | None = Query(None, ge=1900, le=2100),
    q: str | None = Query(None, max_length=200),
    cat: Catalog = Depends(catalog),
):
    if view not in network.VIEWS:
        raise BadParameter("view", f"unknown view '{view}' (expected one of: {', '.join(network.VIEWS)})")
    if format not in network.FORMATS:
        raise BadParameter("format", f"unknown format '{format}' (expected one of: {', '.join(network.FORMATS)})")
    pairings = cat.find_pairings(supporter, recipient, field, mode, programme, year, q)  # noqa
    graph = network.support_network(cat, pairings, level)
    suffix = f"-{table}" if format == "csv" else ""
    name = f"pakg-{cat.version}-{view}-{level}{suffix}.{network.EXTENSIONS[format]}"
    return Response(network.serialize(graph, format, table), media_type=network.FORMATS[format],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
