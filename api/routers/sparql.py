"""The SPARQL 1.1 Protocol at /sparql: GET, POST form, POST sparql-query; read-only.

Without a query, GET /sparql is the service description (SPARQL 1.1 Service Description) in the RDF
format negotiated (``format`` or ``Accept``: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML), or,
for a browser, the plain query page (``api.html.sparql_page``: a Run button that shows the answer as a
table, with the dataset's IRIs linked to this service's own ``/id/`` pages)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph import formats, linked_data, queries
from graph.errors import BadParameter
from graph.formats import Use
from graph.sparql import TooLarge

from ..dataset import Snapshot
from ..deps import snapshot
from ..guard import UpdateRefused
from ..html import sparql_page
from ..negotiation import negotiate, wants_page
from ..problems import QueryTooLong, TooManyRequests, responses
from .entities import KINDS as ENTITY_KINDS

router = APIRouter(tags=["sparql"], responses=responses(400, 403, 406, 413, 414, 415, 422, 429, 503))

UNSUPPORTED_BODY = "POST /sparql takes application/x-www-form-urlencoded or application/sparql-query"


async def _answer(
    request: Request,
    state: Snapshot,
    text: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
    format_param: str | None,
) -> Response:
    settings = state.settings
    if text and len(text.encode()) > settings.max_query_bytes:
        raise QueryTooLong(f"the query is longer than {settings.max_query_bytes} bytes", request.method == "GET")
    if not text:
        accept = request.headers.get("accept")
        if not format_param and wants_page(accept):
            return HTMLResponse(sparql_page(queries.examples(), state.base, ENTITY_KINDS))
        # the service description, in the graph format negotiated as for a DESCRIBE (Turtle by default)
        fmt = negotiate("DESCRIBE", accept, format_param)
        endpoint = settings.base_url() + "/sparql"  # never the request's Host: the answer is cached
        description = linked_data.service_description(state.engine, state.base, endpoint)
        return Response(linked_data.serialize_triples(description, fmt), media_type=fmt.media_type)
    graphs = set(state.graph_names)
    for name, values in (("default-graph-uri", default_graphs), ("named-graph-uri", named_graphs)):
        for value in values:
            if value not in graphs:
                raise BadParameter(name, f"{name} must name a graph of this dataset: {', '.join(sorted(graphs))}")
    client = request.client.host if request.client else "unknown"
    in_flight = state.in_flight
    if in_flight.get(client, 0) >= settings.max_concurrent_per_client:
        raise TooManyRequests(f"more than {settings.max_concurrent_per_client} queries in flight from this client")
    in_flight[client] = in_flight.get(client, 0) + 1
    try:
        # read by the guard, negotiated and run in a query worker: a hostile text costs the event loop nothing
        answer = await state.pool.run(
            text, request.headers.get("accept"), format_param, default_graphs or None, named_graphs or None, client
        )
    finally:
        in_flight[client] -= 1
        if not in_flight[client]:
            del in_flight[client]
    if len(answer.body) > settings.max_response_bytes:
        raise TooLarge(
            f"the answer is larger than {settings.max_response_bytes} bytes; narrow the query or add a LIMIT"
        )
    headers = {"X-Row-Cap": str(state.settings.row_cap)}
    if answer.truncated:
        headers["X-Truncated"] = "true"
    media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
    return Response(answer.body, media_type=media, headers=headers)


ANSWER_FORMATS = formats.listed(Use.ANSWER)
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer in the negotiated format; without a query, the service description "
        "(a graph format) or, for a browser, the query page (HTML)",
        "content": {**{f.media_type: {} for f in ANSWER_FORMATS}, "text/html": {}},
    }
}


@router.get(
    "/sparql",
    summary="SPARQL query (GET), service description or query page",
    response_class=Response,
    responses=ANSWERS,
)
async def sparql_get(
    request: Request,
    query: str | None = Query(None, description="the SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)"),
    format: str | None = Query(
        None,
        description="the answer's format (else the Accept header): one that can write the query's form; "
        "without a query, a graph format for the service description",
        json_schema_extra={"enum": [f.name for f in ANSWER_FORMATS]},
    ),
    default_graph_uri: list[str] = Query([], alias="default-graph-uri", description="a graph of this dataset"),
    named_graph_uri: list[str] = Query([], alias="named-graph-uri", description="a graph of this dataset"),
    snap: Snapshot = Depends(snapshot),
) -> Response:
    if "update" in request.query_params:
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    return await _answer(request, snap, query, default_graph_uri, named_graph_uri, format)


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)", response_class=Response)
async def sparql_post(request: Request, snap: Snapshot = Depends(snapshot)) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    body = (await request.body()).decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        if "update" in form:
            raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
        text = (form.get("query") or [""])[0]
        if not text:
            raise BadParameter("query", "the form has no query")
        return await _answer(
            request,
            snap,
            text,
            form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
            form["format"][0] if form.get("format") else params.get("format"),
        )
    if content_type == "application/sparql-query":
        if not body.strip():
            raise BadParameter("query", "the request body holds no query")
        return await _answer(
            request,
            snap,
            body,
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
            params.get("format"),
        )
    return Response(f'{{"detail": "{UNSUPPORTED_BODY}"}}', status_code=415, media_type="application/json")
