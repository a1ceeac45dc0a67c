"""The SPARQL 1.1 Protocol at /sparql: GET, POST form, POST sparql-query; read-only."""
from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from graph import describe, queries
from graph.catalog import BadParameter
from graph.guard import UpdateRefused
from graph.sparql import TooLarge, TooManyRequests

from ..html import sparql_page
from ..deps import snapshot
from ..problems import responses

router = APIRouter(tags=["sparql"], responses=responses(400, 403, 406, 413, 414, 415, 422, 429, 503))

UNSUPPORTED_BODY = "POST /sparql takes application/x-www-form-urlencoded or application/sparql-query"


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "text/turtle" not in accept


async def _answer(request: Request, text: str | None, default_graphs: list[str], named_graphs: list[str],
                  format_param: str | None) -> Response:
    state = snapshot(request)
    settings = state.settings
    if text and len(text.encode()) > settings.max_query_bytes:
        raise TooLarge(f"the query is longer than {settings.max_query_bytes} bytes",
                       414 if request.method == "GET" else 413)
    if not text:
        if _wants_html(request):
            return HTMLResponse(sparql_page(queries.examples()))
        endpoint = settings.base_url() + "/sparql"  # never the request's Host: the answer is cached
        body = describe.turtle(describe.service_description(state.engine, state.base, endpoint))
        return Response(body, media_type="text/turtle")
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
        answer = await state.pool.run(text, request.headers.get("accept"), format_param, default_graphs or None,
                                      named_graphs or None, client)
    finally:
        in_flight[client] -= 1
        if not in_flight[client]:
            del in_flight[client]
    if len(answer.body) > settings.max_response_bytes:
        raise TooLarge(f"the answer is larger than {settings.max_response_bytes} bytes; narrow the query or add "
                       f"a LIMIT")
    headers = {"X-Row-Cap": str(state.settings.row_cap)}
    if answer.truncated:
        headers["X-Truncated"] = "true"
    media = answer.media_type + ("; charset=utf-8" if answer.media_type.startswith("text/") else "")
    return Response(answer.body, media_type=media, headers=headers)


@router.get("/sparql", summary="SPARQL query (GET), service description or query page",
            response_class=Response)
async def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    return await _answer(request, params.get("query"), params.getlist("default-graph-uri"),
                         params.getlist("named-graph-uri"), params.get("format"))


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)", response_class=Response)
async def sparql_post(request: Request) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    body = (await request.body()).decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(body, keep_blank_values=True)
        if "update" in form:
            raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
        text = (form.get("query") or [None])[0]
        if not text:
            raise BadParameter("query", "the form has no query")
        return await _answer(request, text, form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
                             form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
                             (form.get("format") or [params.get("format")])[0])
    if content_type == "application/sparql-query":
        if not body.strip():
            raise BadParameter("query", "the request body holds no query")
        return await _answer(request, body, params.getlist("default-graph-uri"), params.getlist("named-graph-uri"),
                             params.get("format"))
    return Response(f'{{"detail": "{UNSUPPORTED_BODY}"}}', status_code=415, media_type="application/json")
