"""The ontology, dereferenceable: ``https://w3id.org/pakg/ontology`` (and its version IRI
``…/ontology/{version}``) resolve here by content negotiation — Turtle, N-Triples, JSON-LD, RDF/XML, or an
HTML page generated from the ontology (``graph.ontology_page``): its classes and properties with their
labels in both languages, comments, domains and ranges, the SHACL shapes that apply to each class, and
examples from the data.  The served ontology is the dataset's ontology graph (with its vocabularies and
theory); its ``owl:versionInfo`` is the release's version, and only that version is served."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from graph import formats, linked_data
from graph.errors import NotFound
from graph.ontology_page import OntologyDoc, OntologyTerm, ontology_doc, ontology_triples
from graph.readmodel import ReadModel

from ..dataset import Snapshot
from ..deps import snapshot
from ..html import _page
from ..negotiation import negotiate, wants_page
from ..problems import responses

router = APIRouter(tags=["linked data"], responses=responses(404, 406, 422))
RDF_NAMES = [f.name for f in formats.answering("DESCRIBE")]
FORMAT = Query(
    None, description="turtle, ntriples, jsonld, rdfxml or html", json_schema_extra={"enum": [*RDF_NAMES, "html"]}
)
SHORT = {
    "https://w3id.org/pakg/ontology#": "pa:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:",
    "http://www.w3.org/ns/org#": "org:",
    "http://data.europa.eu/eli/ontology#": "eli:",
    "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2006/time#": "time:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/ns/shacl#": "sh:",
}


def _doc(snap: Snapshot) -> OntologyDoc:
    return snap.model.memo("ontology-doc", None, lambda: ontology_doc(snap.engine, snap.base))


def _answer(request: Request, format: str | None, snap: Snapshot) -> Response:
    accept = request.headers.get("accept")
    if format == "html" or (not format and wants_page(accept)):
        return HTMLResponse(_html(_doc(snap), snap.model))
    fmt = negotiate("DESCRIBE", accept, format)
    return Response(
        linked_data.serialize_triples(ontology_triples(snap.engine, snap.base), fmt), media_type=fmt.media_type
    )


@router.get(
    "/ontology",
    summary="The ontology (https://w3id.org/pakg/ontology): Turtle, JSON-LD, RDF/XML or an HTML page",
    response_class=Response,
)
def ontology(request: Request, format: str | None = FORMAT, snap: Snapshot = Depends(snapshot)):
    return _answer(request, format, snap)


@router.get(
    "/ontology/{version}",
    summary="One version of the ontology (its owl:versionIRI): the version the service serves",
    response_class=Response,
)
def ontology_version(
    request: Request,
    version: str = Path(..., max_length=40),
    format: str | None = Query(None, description="turtle, ntriples, jsonld, rdfxml or html (as /ontology)"),
    snap: Snapshot = Depends(snapshot),
):
    served = _doc(snap).version
    if version != served:
        raise NotFound(f"no version '{version[:40]}' of the ontology here (this service serves version {served})")
    return _answer(request, format, snap)


def _short(iri: str) -> str:
    for namespace, prefix in SHORT.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


def _ref(iri: str, doc: OntologyDoc) -> str:
    """A term as a link: to its entry on this page when the ontology defines it, else to its IRI."""
    defined = {t.iri for t in doc.terms}
    href = "#" + iri.rsplit("#", 1)[-1] if iri in defined else iri
    return f'<a href="{escape(href)}">{escape(_short(iri))}</a>'


def _example(model: ReadModel, iri: str | None) -> str:
    if not iri:
        return "—"
    href = "/id/" + iri[len(model.base) :] if iri.startswith(model.base) else iri
    r = model.resources.get(iri)
    text = f"{r.label_zh} / {r.label_en}" if r else iri.rsplit("/", 1)[-1]
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _term(t: OntologyTerm, doc: OntologyDoc, model: ReadModel) -> str:
    rows: list[tuple[str, str]] = [("IRI", f"<code>{escape(t.iri)}</code>"), ("kind", escape(t.kind))]
    rows += [("comment", escape(c)) for c in t.comments]
    for label, values in (
        ("subclass of" if t.is_class else "subproperty of", t.supers),
        ("domain", t.domains),
        ("range", t.ranges),
        ("inverse", t.inverses),
    ):
        if values:
            rows.append((label, ", ".join(_ref(v, doc) for v in values)))
    used = "instances" if t.is_class else "triples"
    rows.append((f"in the data ({used})", str(t.used)))
    rows.append(("example", _example(model, t.example)))
    if t.is_class:
        rows.append(("SHACL shapes", ", ".join(escape(_short(s)) for s in t.shapes) or "—"))
        if t.inherited:
            rows.append(("and the shapes of", ", ".join(_ref(c, doc) for c in t.inherited)))
    table = "<table>" + "".join(f"<tr><th>{escape(k)}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"
    if t.constraints:
        head = ("shape", "path", "count", "values", "message")
        cells = [
            (
                escape(_short(c.shape)),
                _ref(c.path, doc),
                escape(f"{c.min_count or 0}..{'*' if c.max_count is None else c.max_count}"),
                ", ".join(_ref(v, doc) for v in (c.value_class, c.datatype, *c.allowed) if v) or "—",
                escape(c.message or c.name or ""),
            )
            for c in t.constraints
        ]
        table += (
            "<table><tr>"
            + "".join(f"<th>{h}</th>" for h in head)
            + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in cells)
            + "</table>"
        )
    return (
        f'<h3 id="{escape(t.name)}">{escape(t.label_zh or t.name)} <span class="en">{escape(t.label_en or "")}</span>'
        f" <code>{escape(_short(t.iri))}</code></h3>{table}"
    )


def _html(doc: OntologyDoc, model: ReadModel) -> str:
    def index(terms: list[OntologyTerm]) -> str:
        return " · ".join(f'<a href="#{escape(t.name)}">{escape(_short(t.iri))}</a>' for t in terms)

    schemes = "".join(
        f"<tr><td><code>{escape(_short(s.iri))}</code></td><td>{escape(s.label_zh or '')}</td>"
        f'<td class="en">{escape(s.label_en or "")}</td><td>{escape(", ".join(s.notations))}</td></tr>'
        for s in doc.schemes
    )
    licence = f'<a href="{escape(doc.licence)}">{escape(doc.licence)}</a>' if doc.licence else "—"
    body = (
        f'<h1>{escape(doc.title_zh or "")} <span class="en">{escape(doc.title_en or "")}</span></h1>'
        f"<p><code>{escape(doc.iri)}</code> · version {escape(doc.version or '—')} "
        f"(<code>{escape(doc.version_iri or '—')}</code>) · "
        '<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a> · '
        '<a href="?format=rdfxml">RDF/XML</a> · <a href="/id/dataset">dataset</a></p>'
        f'<p class="en">{escape(doc.description or "")}</p>'
        f"<p>licence {licence} · {escape(doc.creator or '')}</p>"
        f'<h2>类 <span class="en">Classes</span> ({len(doc.classes)})</h2><p>{index(doc.classes)}</p>'
        f'<h2>属性 <span class="en">Properties</span> ({len(doc.properties)})</h2><p>{index(doc.properties)}</p>'
        f'<h2>词表 <span class="en">Vocabularies</span></h2>'
        f"<table><tr><th>scheme</th><th>zh</th><th>en</th><th>notations</th></tr>{schemes}</table>"
        f'<h2>类 <span class="en">Classes</span></h2>{"".join(_term(t, doc, model) for t in doc.classes)}'
        f'<h2>属性 <span class="en">Properties</span></h2>{"".join(_term(t, doc, model) for t in doc.properties)}'
    )
    return _page(f"{doc.title_zh or ''} / {doc.title_en or 'ontology'}", body)
