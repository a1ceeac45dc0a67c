"""Linked Data: every IRI of the data dereferences here, and the dataset describes itself (VoID)."""
from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph import describe
from graph.build import PATHS
from graph.catalog import Catalog, NotFound
from graph.sparql import FORMATS

from ..deps import snapshot
from ..html import entity_page
from ..negotiation import negotiate
from ..problems import responses

router = APIRouter(tags=["linked data"], responses=responses(404, 406, 422))
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
KINDS = sorted(set(PATHS.values()) | {"year"})
EXPLORER_VIEWS = {"pairing", "actor", "instrument", "programme", "source"}
RDF_NAMES = [name for name, f in FORMATS.items() if "DESCRIBE" in f.forms]  # declared in the OpenAPI document


@router.get("/id/{kind}/{ident}", summary="Dereference an IRI of the data: Turtle, JSON-LD or an HTML page",
            response_class=Response)
def entity(request: Request, kind: str = Path(..., max_length=40, json_schema_extra={"enum": KINDS}),
           ident: str = Path(..., max_length=200),
           format: str | None = Query(None, description="turtle, ntriples, jsonld, rdfxml or html",
                                      json_schema_extra={"enum": [*RDF_NAMES, "html"]})):
    cat = snapshot(request).catalog
    if kind not in KINDS:
        raise NotFound(f"no kind of resource '{kind}' (expected one of: {', '.join(KINDS)})")
    iri = f"{cat.base}{kind}/{ident}"
    out, inc = cat.neighbourhood(iri)
    if not out:
        raise NotFound(f"no resource {kind}/{ident}")
    accept = request.headers.get("accept", "")
    if format == "html" or (not format and "text/html" in accept):
        return HTMLResponse(_html(cat, iri, out, inc))
    fmt = negotiate("DESCRIBE", accept or None, format)
    body = describe.serialize_triples(describe.describe_resource(snapshot(request).engine, iri), fmt.name)
    return Response(body, media_type=fmt.media_type)


def _link(cat: Catalog, value: str) -> str | None:
    """Where a value links to: the page on this server for IRIs of the data, else the IRI itself."""
    if value.startswith(cat.base):
        return "/id/" + value[len(cat.base):]
    return value if value.startswith(("http://", "https://")) else None


def _name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(cat: Catalog, statements: dict) -> list[tuple[str, str, str | None]]:
    rows = []
    for p, values in sorted(statements.items()):
        for v in values:
            text = f"{v['label_zh']} / {v['label_en']}" if v["label_zh"] else v["value"]
            rows.append((_name(p), text, _link(cat, v["value"])))
    return rows


def _html(cat: Catalog, iri: str, out: dict, inc: dict) -> str:
    r = cat.resources.get(iri)
    labels = [v["value"] for v in out.get(RDFS_LABEL, [])]
    title_zh, title_en = (r.label_zh, r.label_en) if r else ((labels or [_name(iri)])[0], _name(iri))
    kind = r.kind if r else None
    explorer = f"/#/{kind}/{r.id}" if kind in EXPLORER_VIEWS else None
    return entity_page(title_zh, title_en, iri, _rows(cat, out), _rows(cat, inc), explorer)


@router.get("/void", summary="VoID description of the dataset", response_class=Response)
def void(request: Request, format: str | None = Query(None, description="turtle, ntriples, jsonld or rdfxml",
                                                      json_schema_extra={"enum": RDF_NAMES})):
    state = snapshot(request)
    fmt = negotiate("DESCRIBE", None if format else request.headers.get("accept"), format)
    triples = describe.void_triples(state.engine, state.base, state.settings.base_url() + "/sparql")  # not Host
    return Response(describe.serialize_triples(triples, fmt.name), media_type=fmt.media_type)
