"""The named queries as a service: /queries lists them, /queries/{name} runs one with typed parameters.

Each ``.rq`` file of ``graph/queries/`` is a query here, its parameters those its ``# Parameters:`` line
declares (``graph.queries.Parameter``): an IRI parameter takes an IRI, a prefixed name (``pa:…``) or the id
or name of a resource of the class it names (``/queries/instruments_for_pairing?pairing=PR-0002``,
``/queries/supporters_of?region=克州``), an integer an integer.  The answer is the SPARQL query's, in the
format ``format`` or ``Accept`` asks (SPARQL JSON by default; XML, CSV, TSV; an RDF format for a
CONSTRUCT), at most the service's row cap (``X-Truncated: true`` past it); ``.csv``, ``.json`` … after the
name is the same as ``format=``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from graph import queries
from graph.errors import BadParameter
from graph.sparql import Answer

from .. import schemas
from ..dataset import Snapshot
from ..deps import JSON, snapshot
from ..negotiation import negotiate
from ..problems import responses
from ..tabular import BOM, Tabular, filename, query_format

router = APIRouter(tags=["queries"])
RESERVED = ("format", "bom")  # the route's own parameters; every other one is the query's


def describe(query: queries.NamedQuery) -> dict:
    """A named query as ``/queries`` lists it."""
    return {
        "name": query.name,
        "description": query.description,
        "form": query.form,
        "parameters": [
            {"name": p.name, "type": p.type, "class": p.cls, "description": p.description}
            for p in query.params.values()
        ],
        "url": f"/queries/{query.name}",
    }


@router.get(
    "/queries",
    summary="The named queries: what each answers and the parameters it takes",
    response_model=list[schemas.QueryInfo],
    response_class=JSON,
)
async def list_queries() -> JSON:
    return JSON([describe(q) for q in queries.named_queries().values()])


@router.get(
    "/queries/{name}",
    summary="Run a named query with its parameters (?pairing=PR-0002, ?region=克州 …)",
    description="The query's own parameters go in the URL beside `format` and `bom`: see `GET /queries` for each "
    "query's (an IRI parameter takes an IRI, a prefixed name, or the id or name of a resource of its class). "
    "An unknown, missing or unusable parameter is a 422 naming it.",
    response_class=Response,
    responses={
        200: {
            "description": "the query's answer, in the format asked",
            "content": {
                "application/sparql-results+json": {},
                "application/sparql-results+xml": {},
                "text/csv": {},
                "text/tab-separated-values": {},
                "text/turtle": {},
            },
        },
        **responses(404, 406, 413, 422),
    },
)
async def run_query(
    request: Request,
    name: str = Path(
        ...,
        max_length=100,
        description="the query's name, as /queries lists it",
        json_schema_extra={"enum": list(queries.named_queries())},
    ),
    shape: Tabular = Depends(query_format),
    snap: Snapshot = Depends(snapshot),
) -> Response:
    query = queries.get(name)  # an unknown one: 404 naming the known ones
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key.lstrip("?$") in values:
            raise BadParameter(key, f"?{key} is given twice: a named query's parameter takes one value")
        values[key.lstrip("?$")] = value
    fmt = negotiate(query.form, request.headers.get("accept"), shape.format or None)
    settings = snap.settings

    def run() -> Answer:
        terms = query.bind(values, snap.model)
        return queries.answer(snap.engine, query, terms, fmt, settings.row_cap, settings.max_response_bytes)

    answer = await run_in_threadpool(run)
    body = answer.body
    headers = {"X-Row-Cap": str(settings.row_cap)}
    if answer.truncated:
        headers["X-Truncated"] = "true"
    media = answer.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    if fmt.name in ("csv", "tsv"):
        headers["Content-Disposition"] = f'attachment; filename="{filename(query.name, fmt.extension)}"'
        if shape.bom:
            body = BOM.encode() + body
    return Response(body, media_type=media, headers=headers)
