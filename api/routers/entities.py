"""Linked Data: every IRI of the data dereferences here, and the dataset describes itself (VoID)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph import formats, linked_data
from graph.build import PATHS
from graph.errors import NotFound
from graph.readmodel import ReadModel, Statements

from ..dataset import Snapshot
from ..deps import snapshot
from ..html import entity_page
from ..negotiation import negotiate, wants_page
from ..problems import responses

router = APIRouter(tags=["linked data"], responses=responses(404, 406, 422))
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KINDS = sorted(set(PATHS.values()) | {"year"})
EXPLORER_VIEWS = {"pairing", "actor", "instrument", "programme", "source"}
RDF_NAMES = [f.name for f in formats.answering("DESCRIBE")]  # declared in the OpenAPI document


@router.get(
    "/id/{kind}/{ident}",
    summary="Dereference an IRI of the data: Turtle, JSON-LD or an HTML page",
    response_class=Response,
)
def entity(
    request: Request,
    kind: str = Path(..., max_length=40, json_schema_extra={"enum": KINDS}),
    ident: str = Path(..., max_length=200),
    format: str | None = Query(
        None, description="turtle, ntriples, jsonld, rdfxml or html", json_schema_extra={"enum": [*RDF_NAMES, "html"]}
    ),
    snap: Snapshot = Depends(snapshot),
):
    model = snap.model
    if kind not in KINDS:
        raise NotFound(f"no kind of resource '{kind}' (expected one of: {', '.join(KINDS)})")
    iri = f"{model.base}{kind}/{ident}"
    out, inc = model.neighbourhood(iri)
    if not out:
        raise NotFound(f"no resource {kind}/{ident}")
    accept = request.headers.get("accept")
    if format == "html" or (not format and wants_page(accept)):
        return HTMLResponse(_html(model, iri, out, inc))
    fmt = negotiate("DESCRIBE", accept, format)
    body = linked_data.serialize_triples(linked_data.resource_description(snap.engine, iri), fmt)
    return Response(body, media_type=fmt.media_type)


def _link(model: ReadModel, value: object) -> str | None:
    """Where a value links to: the page on this server for IRIs of the data, else the IRI itself (none
    for a number, a year or other text)."""
    if not isinstance(value, str):
        return None
    if value.startswith(model.base):
        return "/id/" + value[len(model.base) :]
    return value if value.startswith(("http://", "https://")) else None


def _name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(model: ReadModel, statements: Statements) -> list[tuple[str, str, str | None]]:
    rows = []
    for p, values in sorted(statements.items()):
        for v in values:
            text = f"{v['label_zh']} / {v['label_en']}" if v["label_zh"] else str(v["value"])
            rows.append((_name(p), text, _link(model, v["value"])))
    return rows


def _html(model: ReadModel, iri: str, out: Statements, inc: Statements) -> str:
    r = model.resources.get(iri)
    labels = [v["value"] for v in out.get(RDFS_LABEL, [])]
    title_zh, title_en = (r.label_zh, r.label_en) if r else ((labels or [_name(iri)])[0], _name(iri))
    kind = r.kind if r else None
    explorer = f"/#/{kind}/{r.id}" if r and kind in EXPLORER_VIEWS else None
    return entity_page(title_zh, title_en, iri, _rows(model, out), _rows(model, inc), explorer)


@router.get("/void", summary="VoID description of the dataset", response_class=Response)
def void(
    request: Request,
    format: str | None = Query(
        None, description="turtle, ntriples, jsonld or rdfxml", json_schema_extra={"enum": RDF_NAMES}
    ),
    state: Snapshot = Depends(snapshot),
):
    fmt = negotiate("DESCRIBE", None if format else request.headers.get("accept"), format)
    triples = linked_data.void_triples(state.engine, state.base, state.settings.base_url() + "/sparql")  # not Host
    return Response(linked_data.serialize_triples(triples, fmt), media_type=fmt.media_type)
