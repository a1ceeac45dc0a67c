"""Linked Data: every IRI of the data dereferences here, and the dataset describes itself: ``/id/dataset``
(DCAT 3, VoID and DCTERMS: ``graph.dataset_description``; Turtle, JSON-LD … or an HTML page) and ``/void``.

A retired id (an actor merged into another) answers a permanent redirect to the survivor.  A page shows,
below each property, which source gives that fact where the graph says so (its rdf:Statement nodes).
The dataset's distributions are the service's own ``/export`` downloads: their sizes and SHA-256
checksums are computed once per dataset version, from the bytes ``/export`` answers, and kept in the
read model's memo."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from graph import dataset_description, formats, linked_data, queries
from graph.build import PATHS
from graph.config import PROV, graph_names
from graph.dataset_description import Dump
from graph.errors import NotFound
from graph.formats import Use
from graph.metadata import DatasetMetadata, citation, dataset_iri, load_metadata
from graph.readmodel import ReadModel, Statements

from ..dataset import Snapshot
from ..deps import snapshot
from ..html import _page, entity_page
from ..negotiation import negotiate, wants_page
from ..problems import responses
from .export import export_dataset

router = APIRouter(tags=["linked data"], responses=responses(404, 406, 422))
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_SUBJECT = "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject"
KINDS = sorted(set(PATHS.values()) | {"year"})
EXPLORER_VIEWS = {"pairing", "actor", "instrument", "programme", "source"}
RDF_NAMES = [f.name for f in formats.answering("DESCRIBE")]  # declared in the OpenAPI document


def service_urls(snap: Snapshot) -> tuple[str, str]:
    """The SPARQL endpoint and the landing page (the explorer) at the service's configured address
    (``PAKG_PUBLIC_URL``; never the request's Host)."""
    root = snap.settings.base_url()
    return root + "/sparql", root + "/"


def dumps(snap: Snapshot) -> list[Dump]:
    """The dataset's distributions: each ``/export`` format of the whole dataset, with the size and
    SHA-256 of exactly the bytes ``/export`` answers; computed once per dataset version (the read
    model's memo)."""
    root = snap.settings.base_url()

    def compute() -> list[Dump]:
        return dataset_description.dumps(
            formats.listed(Use.EXPORT),
            lambda fmt: bytes(export_dataset(format=fmt.name, graph="all", state=snap).body),
            lambda fmt: f"{root}/export?format={fmt.name}",
        )

    return snap.model.memo("dataset-dumps", root, compute)


@router.get(
    "/id/dataset",
    summary="The dataset's description (DCAT 3, VoID, DCTERMS): Turtle, JSON-LD or an HTML page",
    response_class=Response,
)
def dataset(
    request: Request,
    format: str | None = Query(
        None, description="turtle, ntriples, jsonld, rdfxml or html", json_schema_extra={"enum": [*RDF_NAMES, "html"]}
    ),
    snap: Snapshot = Depends(snapshot),
):
    accept = request.headers.get("accept")
    meta = load_metadata()
    if format == "html" or (not format and wants_page(accept)):
        return HTMLResponse(_dataset_html(snap, meta))
    fmt = negotiate("DESCRIBE", accept, format)
    endpoint, landing = service_urls(snap)
    triples = dataset_description.description_triples(
        snap.engine, snap.model, meta, snap.base, endpoint, landing, dumps(snap)
    )
    return Response(linked_data.serialize_triples(triples, fmt), media_type=fmt.media_type)


DATASET_PARTS = ("class", "property", "distribution", "confidence")


@router.get(
    "/id/dataset/{part:path}",
    summary="A part of the dataset's description (a class or property partition, distribution or subset by "
    "confidence): 303 to /id/dataset, which describes it",
    response_class=RedirectResponse,
    status_code=303,
)
def dataset_part(request: Request, part: str = Path(..., max_length=200)):
    kind, _, ident = part.partition("/")
    if kind not in DATASET_PARTS or not ident or "/" in ident:
        raise NotFound(f"no part '{part[:80]}' of the dataset's description (expected {'|'.join(DATASET_PARTS)}/ID)")
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/id/dataset{query}", status_code=303)


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
        for v in sorted(values, key=lambda v: str(v["value"])):  # in one order, whatever the engine's
            if p == PROV + "wasDerivedFrom":
                text = _source_text(model, v["value"])
            else:
                text = f"{v['label_zh']} / {v['label_en']}" if v["label_zh"] else str(v["value"])
            rows.append((_name(p), text, _link(model, v["value"])))
            for source in sorted((attributed or {}).get((p, str(v["value"])), [])):
                rows.append((f"{_name(p)} — 来源 source", _source_text(model, source), _link(model, source)))
    return rows


def _chinese(term: object) -> bool:
    return (getattr(term, "language", None) or "").lower().startswith("zh")


def _html(model: ReadModel, iri: str, out: Statements, inc: Statements) -> str:
    r = model.resources.get(iri)
    # a resource outside the catalog (a year, a geometry) is titled by its Chinese label, else its first
    labels = sorted((v["value"] for v in out.get(RDFS_LABEL, [])), key=lambda t: (not _chinese(t), str(t)))
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
    endpoint, _ = service_urls(state)  # not Host
    root = state.settings.base_url()
    downloads = [f"{root}/export?format={f.name}" for f in formats.listed(Use.EXPORT)]
    triples = linked_data.void_triples(state.engine, state.base, endpoint, downloads)
    return Response(linked_data.serialize_triples(triples, fmt), media_type=fmt.media_type)


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    """A table of already escaped HTML cells under a header of plain text."""
    top = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f"<table><tr>{top}</tr>"
        + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        + "</table>"
    )


def _a(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _local(model: ReadModel, iri: str) -> str:
    """Where an IRI is read on this service (its page for IRIs of the data)."""
    return _link(model, iri) or iri


def _dataset_html(snap: Snapshot, meta: DatasetMetadata) -> str:
    """The dataset's description as a page: what the Turtle and JSON-LD say, for people."""
    model, engine, base = snap.model, snap.engine, snap.base
    endpoint, landing = service_urls(snap)
    source = dataset_description.source_iri(meta, base)
    info = model.sources.get(source)
    data = graph_names(base)["data"].value
    facts = dataset_description.facts_by_confidence(engine)
    rows = [
        ("版本 release", escape(meta.version)),
        ("内容版本 content version", f"<code>{escape(engine.version)}</code>"),
        ("许可 licence", _a(meta.licence, meta.licence_name)),
        ("创建者 creator", escape(meta.creator)),
        ("发布者 publisher", escape(meta.publisher)),
        ("发布 issued / 修改 modified", escape(meta.issued.isoformat())),
        ("关键词 keywords", escape(" · ".join([*meta.keywords_zh, *meta.keywords_en]))),
        ("空间 spatial", escape(meta.spatial)),
        ("时间 temporal", escape(f"{meta.temporal_start}–")),
        ("来源 source", _a(_local(model, source), (info.title if info and info.title else meta.source))),
        ("本体 ontology", _a("/ontology", dataset_description.ONTOLOGY)),
        ("SPARQL", _a(endpoint, endpoint)),
        ("浏览 explorer", _a(landing, landing)),
        ("三元组 triples", str(engine.triple_count)),
        ("引用 how to cite", escape(citation(meta, engine.version, base).text) + " · " + _a("/cite", "/cite")),
    ]
    dists = [
        (
            _a(d.url, d.format.label),
            f"<code>{escape(d.format.media_type)}</code>",
            str(d.byte_size),
            f"<code>{escape(d.sha256)}</code>",
        )
        for d in dumps(snap)
    ]
    coverage = [
        (
            _a(_local(model, c.iri), c.id),
            _a(_local(model, c.programme), c.programme.rsplit("/", 1)[-1]),
            escape(c.statement_zh or ""),
            escape(c.statement_en or ""),
        )
        for c in model.coverage
    ]
    gaps = [(_a(_local(model, g.iri), g.id), escape(g.label_zh or ""), escape(g.label_en or "")) for g in model.gaps]
    classes = [
        (_a(r["class"], _name(r["class"])), str(r["entities"]))
        for r in queries.run(engine, "void_class_partitions", data=data)
    ]
    properties = [
        (_a(r["property"], _name(r["property"])), str(r["triples"]))
        for r in queries.run(engine, "void_property_partitions", data=data)
    ]
    body = (
        f'<h1>{escape(meta.title_zh)} <span class="en">{escape(meta.title_en)}</span></h1>'
        f"<p><code>{escape(dataset_iri(base))}</code> · "
        f'<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a> · '
        f'<a href="?format=rdfxml">RDF/XML</a> · <a href="/void">VoID</a></p>'
        f'<p>{escape(meta.description_zh)}</p><p class="en">{escape(meta.description_en)}</p>'
        f"{_table(('', ''), rows)}"
        f'<h2>下载 <span class="en">Distributions</span></h2>'
        f"{_table(('format', 'media type', 'bytes', 'SHA-256'), dists)}"
        f'<h2>各可信度的事实数 <span class="en">Facts per confidence</span></h2>'
        f"{_table(('confidence', 'facts'), [(escape(c.notation), str(c.facts)) for c in facts])}"
        f'<h2>覆盖声明 <span class="en">Coverage statements</span></h2>'
        f"{_table(('id', 'programme', 'zh', 'en'), coverage)}"
        f'<h2>已知缺口 <span class="en">Known gaps</span></h2>'
        f"{_table(('id', 'zh', 'en'), gaps)}"
        f'<h2>类 <span class="en">Classes</span></h2>{_table(("class", "entities"), classes)}'
        f'<h2>属性 <span class="en">Properties</span></h2>{_table(("property", "triples"), properties)}'
    )
    return _page(f"{meta.title_zh} / {meta.title_en}", body)
