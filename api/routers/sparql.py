"""The SPARQL 1.1 Protocol at /sparql: GET, POST form, POST sparql-query; read-only."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from graph import formats, linked_data, queries
from graph.errors import BadParameter
from graph.formats import Use
from graph.sparql import TooLarge

from ..dataset import Snapshot
from ..deps import snapshot
from ..guard import UpdateRefused
from ..html import sparql_page
from ..negotiation import wants_page
from ..problems import QueryTooLong, TooManyRequests, responses

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
        if wants_page(request.headers.get("accept")):
            return HTMLResponse(sparql_page(queries.examples()))
        endpoint = settings.base_url() + "/sparql"  # never the request's Host: the answer is cached
        turtle = formats.get(Use.ANSWER, "turtle")
        description = linked_data.service_description(state.engine, state.base, endpoint)
        return Response(linked_data.serialize_triples(description, turtle), media_type=turtle.media_type)
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


@router.get("/sparql", summary="SPARQL query (GET), service description or query page", response_class=Response)
async def sparql_get(request: Request, snap: Snapshot = Depends(snapshot)) -> Response:
    params = request.query_params
    if "update" in params:
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    return await _answer(
        request,
        snap,
        params.get("query"),
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        params.get("format"),
    )


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
