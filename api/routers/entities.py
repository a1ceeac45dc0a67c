"""Linked Data: every IRI of the data dereferences here, and the dataset describes itself (VoID).

A retired id (an actor merged into another) answers a permanent redirect to the survivor.  A page shows,
below each property, which source gives that fact where the graph says so (its rdf:Statement nodes)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph import formats, linked_data
from graph.build import PATHS
from graph.config import PROV
from graph.errors import NotFound
from graph.readmodel import ReadModel, Statements

from ..dataset import Snapshot
from ..deps import snapshot
from ..html import entity_page
from ..negotiation import negotiate, wants_page
from ..problems import responses

router = APIRouter(tags=["linked data"], responses=responses(404, 406, 422))
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
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
    survivor = model.merged.get(iri)
    if survivor is not None:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/id/{survivor[len(model.base) :]}{query}", status_code=301)
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


def _source_text(model: ReadModel, iri: str) -> str:
    """A source as a page names it: its title, kind and publisher (its id when it has no title)."""
    info = model.sources.get(iri)
    if info is None:
        return _name(iri)
    extra = ", ".join(x for x in (info.kind, info.publisher, info.date) if x)
    return (info.title or info.id) + (f" ({extra})" if extra else "")


def _rows(
    model: ReadModel, statements: Statements, attributed: dict[tuple[str, str], list[str]] | None = None
) -> list[tuple[str, str, str | None]]:
    """(property, value, link) rows; after a value that a statement node attributes, one row per source
    that gives it ("gbCode — 来源 source")."""
    rows = []
    for p, values in sorted(statements.items()):
        for v in values:
            if p == PROV + "wasDerivedFrom":
                text = _source_text(model, v["value"])
            else:
                text = f"{v['label_zh']} / {v['label_en']}" if v["label_zh"] else str(v["value"])
            rows.append((_name(p), text, _link(model, v["value"])))
            for source in (attributed or {}).get((p, str(v["value"])), []):
                rows.append((f"{_name(p)} — 来源 source", _source_text(model, source), _link(model, source)))
    return rows


def _html(model: ReadModel, iri: str, out: Statements, inc: Statements) -> str:
    r = model.resources.get(iri)
    labels = [v["value"] for v in out.get(RDFS_LABEL, [])]
    title_zh, title_en = (r.label_zh, r.label_en) if r else ((labels or [_name(iri)])[0], _name(iri))
    kind = r.kind if r else None
    explorer = f"/#/{kind}/{r.id}" if r and kind in EXPLORER_VIEWS else None
    attributed: dict[tuple[str, str], list[str]] = {}
    for fact in model.facts_of(iri):
        attributed.setdefault((fact.property, str(fact.value)), []).extend(fact.sources)
    # the statement nodes point at the resource with rdf:subject: shown as the sources of its facts instead
    incoming = {p: v for p, v in inc.items() if p != RDF_SUBJECT}
    return entity_page(title_zh, title_en, iri, _rows(model, out, attributed), _rows(model, incoming), explorer)


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
