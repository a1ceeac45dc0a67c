"""The dataset described for catalogues: what ``/id/dataset`` dereferences to, in DCAT 3, VoID and DCTERMS,
and the same as a schema.org ``Dataset`` (the form dataset search engines read).

The description says, from ``data/dataset.toml`` (``graph.metadata``): the titles and descriptions in
Chinese and English, licence, creator and publisher, the release's date (issued and modified: the data
of a release is last modified when it is released; between releases the content hash tells builds
apart), both versions (``dcat:version``: the release; ``dcterms:hasVersion``: the content hash),
keywords, spatial and temporal coverage and the seed paper (``dcterms:source``); from the data: the
distributions (each dump the service exports, with its media type, byte size and SHA-256 checksum, given
by the caller as ``Dump``s), the VoID description (``graph.linked_data.void_triples``: endpoint, dumps,
class and property partitions), the coverage statements and known gaps (``dqv:hasQualityAnnotation``
to the ``pa:CoverageStatement`` and ``pa:KnownGap`` resources) and how many facts the data states at each
confidence (a ``void:subset`` per level).

Nothing here knows of HTTP: the caller names the URLs (the SPARQL endpoint, the landing page, each dump's
download address) and gives the dumps' bytes, once per dataset version (``dumps``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from . import linked_data, queries
from .config import DCTERMS, PA, RDF, RDFS, XSD
from .formats import Format
from .linked_data import DCAT, DQV, FOAF, SPDX, VOID
from .metadata import DatasetMetadata, citation, dataset_iri
from .readmodel import ReadModel
from .store import Engine

A = ox.NamedNode(RDF + "type")
IANA = "https://www.iana.org/assignments/media-types/"
ONTOLOGY = "https://w3id.org/pakg/ontology"


@dataclass(frozen=True)
class Dump:
    """One distribution of the dataset: a file in one export format, where to download it, its size in
    bytes and SHA-256 checksum (hex)."""

    format: Format
    url: str
    byte_size: int
    sha256: str


def dumps(exports: Iterable[Format], body: Callable[[Format], bytes], url: Callable[[Format], str]) -> list[Dump]:
    """The dumps of the dataset, one per export format: ``body`` gives the exact bytes a download of the
    format answers, ``url`` where it is downloaded.  Each is written once, here, to measure and hash it:
    call this once per dataset version and keep the result (``ReadModel.memo``)."""
    out = []
    for fmt in exports:
        data = body(fmt)
        out.append(Dump(fmt, url(fmt), len(data), hashlib.sha256(data).hexdigest()))
    return out


@dataclass(frozen=True)
class ConfidenceCount:
    """How many facts the data states at one confidence level (its concept IRI and notation)."""

    level: str
    notation: str
    facts: int


def facts_by_confidence(engine: Engine) -> list[ConfidenceCount]:
    """The facts per confidence, highest level first (named query ``facts_by_confidence``)."""
    order = {"high": 0, "medium": 1, "low": 2}
    rows = queries.run(engine, "facts_by_confidence")
    counts = [ConfidenceCount(r["level"], r["notation"], r["facts"]) for r in rows]
    return sorted(counts, key=lambda c: (order.get(c.notation, len(order)), c.notation))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, language: str | None = None, datatype: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=_n(datatype)) if datatype else ox.Literal(value)


def source_iri(meta: DatasetMetadata, base: str) -> str:
    """The IRI of the seed paper (a source of the data)."""
    return f"{base}source/{meta.source}"


def description_triples(
    engine: Engine,
    model: ReadModel,
    meta: DatasetMetadata,
    base: str,
    sparql_endpoint: str,
    landing_page: str,
    dump_list: list[Dump],
) -> list[ox.Triple]:
    """The dataset's description (see the module's description): what the store says of the dataset node,
    its VoID description, and the DCAT 3 and DCTERMS description."""
    ds = _n(dataset_iri(base))
    out = linked_data.resource_description(engine, ds.value)
    out += linked_data.void_triples(engine, base, sparql_endpoint, [d.url for d in dump_list])
    date = meta.issued.isoformat()
    agents: dict[str, ox.BlankNode] = {}
    for role, name in (("creator", meta.creator), ("publisher", meta.publisher)):
        if name not in agents:
            agents[name] = ox.BlankNode(role)
            out += [
                ox.Triple(agents[name], A, _n(FOAF + "Agent")),
                ox.Triple(agents[name], _n(FOAF + "name"), _lit(name)),
            ]
        out.append(ox.Triple(ds, _n(DCTERMS + role), agents[name]))
    spatial, temporal = ox.BlankNode("spatial"), ox.BlankNode("temporal")
    source = _n(source_iri(meta, base))
    out += [
        ox.Triple(ds, A, _n(DCAT + "Dataset")),
        ox.Triple(ds, _n(DCTERMS + "title"), _lit(meta.title_zh, "zh-Hans")),
        ox.Triple(ds, _n(DCTERMS + "title"), _lit(meta.title_en, "en")),
        ox.Triple(ds, _n(DCTERMS + "description"), _lit(meta.description_zh, "zh-Hans")),
        ox.Triple(ds, _n(DCTERMS + "description"), _lit(meta.description_en, "en")),
        ox.Triple(ds, _n(DCTERMS + "license"), _n(meta.licence)),
        ox.Triple(ds, _n(DCTERMS + "issued"), _lit(date, datatype=XSD + "date")),
        ox.Triple(ds, _n(DCTERMS + "modified"), _lit(date, datatype=XSD + "date")),
        ox.Triple(ds, _n(DCAT + "version"), _lit(meta.version)),
        ox.Triple(ds, _n(DCTERMS + "bibliographicCitation"), _lit(citation(meta, engine.version, base).text)),
        ox.Triple(ds, _n(DCTERMS + "conformsTo"), _n(ONTOLOGY)),
        ox.Triple(ds, _n(DCTERMS + "source"), source),
        ox.Triple(ds, _n(DCAT + "landingPage"), _n(landing_page)),
        ox.Triple(ds, _n(DCTERMS + "spatial"), spatial),
        ox.Triple(spatial, A, _n(DCTERMS + "Location")),
        ox.Triple(spatial, _n(RDFS + "label"), _lit(meta.spatial, "en")),
        ox.Triple(ds, _n(DCTERMS + "temporal"), temporal),
        ox.Triple(temporal, A, _n(DCTERMS + "PeriodOfTime")),
        ox.Triple(temporal, _n(DCAT + "startDate"), _lit(str(meta.temporal_start), datatype=XSD + "gYear")),
    ]
    out += [ox.Triple(ds, _n(DCAT + "keyword"), _lit(k, "zh-Hans")) for k in meta.keywords_zh]
    out += [ox.Triple(ds, _n(DCAT + "keyword"), _lit(k, "en")) for k in meta.keywords_en]
    info = model.sources.get(source.value)
    if info is not None and info.title:
        out.append(ox.Triple(source, _n(DCTERMS + "title"), _lit(info.title)))
    # the SPARQL endpoint as a DCAT data service
    service = _n(sparql_endpoint)
    out += [
        ox.Triple(service, A, _n(DCAT + "DataService")),
        ox.Triple(service, _n(DCAT + "endpointURL"), service),
        ox.Triple(service, _n(DCAT + "servesDataset"), ds),
        ox.Triple(service, _n(DCTERMS + "conformsTo"), _n("https://www.w3.org/TR/sparql11-protocol/")),
        ox.Triple(service, _n(DCTERMS + "title"), _lit("SPARQL 1.1 endpoint", "en")),
    ]
    for dump in dump_list:
        dist = _n(f"{dataset_iri(base)}/distribution/{dump.format.name}")
        checksum = ox.BlankNode(f"checksum_{dump.format.name}")
        out += [
            ox.Triple(ds, _n(DCAT + "distribution"), dist),
            ox.Triple(dist, A, _n(DCAT + "Distribution")),
            ox.Triple(dist, _n(DCTERMS + "title"), _lit(dump.format.label, "en")),
            ox.Triple(dist, _n(DCAT + "downloadURL"), _n(dump.url)),
            ox.Triple(dist, _n(DCAT + "accessURL"), _n(dump.url)),
            ox.Triple(dist, _n(DCAT + "mediaType"), _n(IANA + dump.format.media_type)),
            ox.Triple(dist, _n(DCAT + "byteSize"), _lit(str(dump.byte_size), datatype=XSD + "nonNegativeInteger")),
            ox.Triple(dist, _n(DCTERMS + "license"), _n(meta.licence)),
            ox.Triple(dist, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, A, _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, _n(SPDX + "checksumValue"), _lit(dump.sha256, datatype=XSD + "hexBinary")),
        ]
        if dump.format.iri:
            out.append(ox.Triple(dist, _n(DCTERMS + "format"), _n(dump.format.iri)))
    # coverage statements and known gaps: what the data says of its own completeness
    for cov in model.coverage:
        node = _n(cov.iri)
        out += [ox.Triple(ds, _n(DQV + "hasQualityAnnotation"), node), ox.Triple(node, A, _n(PA + "CoverageStatement"))]
        out += [
            ox.Triple(node, _n(PA + "statement"), _lit(t, lang))
            for t, lang in _both(cov.statement_zh, cov.statement_en)
        ]
    for gap in model.gaps:
        node = _n(gap.iri)
        out += [ox.Triple(ds, _n(DQV + "hasQualityAnnotation"), node), ox.Triple(node, A, _n(PA + "KnownGap"))]
        out += [ox.Triple(node, _n(RDFS + "label"), _lit(t, lang)) for t, lang in _both(gap.label_zh, gap.label_en)]
    for count in facts_by_confidence(engine):
        subset = _n(f"{dataset_iri(base)}/confidence/{count.notation}")
        out += [
            ox.Triple(ds, _n(VOID + "subset"), subset),
            ox.Triple(subset, A, _n(VOID + "Dataset")),
            ox.Triple(subset, _n(DCTERMS + "title"), _lit(f"facts of confidence {count.notation}", "en")),
            ox.Triple(subset, _n(DCTERMS + "title"), _lit(f"可信度为 {count.notation} 的事实", "zh-Hans")),
            ox.Triple(subset, _n(PA + "confidence"), _n(count.level)),
            ox.Triple(subset, _n(VOID + "entities"), _lit(str(count.facts), datatype=XSD + "integer")),
        ]
    return sorted(set(out), key=str)


def _both(zh: str | None, en: str | None) -> list[tuple[str, str]]:
    return [(t, lang) for t, lang in ((zh, "zh-Hans"), (en, "en")) if t]


def schema_org(
    engine: Engine, model: ReadModel, meta: DatasetMetadata, base: str, landing_page: str, dump_list: list[Dump]
) -> dict[str, Any]:
    """The same description as a schema.org ``Dataset`` in JSON-LD (what the explorer's home page embeds
    for dataset search engines)."""
    info = model.sources.get(source_iri(meta, base))
    based_on: dict[str, Any] = {"@type": "CreativeWork", "@id": source_iri(meta, base)}
    if info is not None:
        based_on |= {k: v for k, v in (("name", info.title), ("url", info.url)) if v}
    agents = [{"@type": "Organization", "name": name} for name in (meta.creator, meta.publisher)]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": dataset_iri(base),
        "name": meta.title_en,
        "alternateName": meta.title_zh,
        "description": [
            {"@value": meta.description_en, "@language": "en"},
            {"@value": meta.description_zh, "@language": "zh-Hans"},
        ],
        "url": landing_page,
        "identifier": dataset_iri(base),
        "version": meta.version,
        "license": meta.licence,
        "isAccessibleForFree": True,
        "creator": agents[0],
        "publisher": agents[1],
        "datePublished": meta.issued.isoformat(),
        "dateModified": meta.issued.isoformat(),
        "keywords": [*meta.keywords_en, *meta.keywords_zh],
        "inLanguage": ["zh-Hans", "en"],
        "spatialCoverage": {"@type": "Place", "name": meta.spatial},
        "temporalCoverage": f"{meta.temporal_start}/..",
        "isBasedOn": based_on,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.format.label,
                "encodingFormat": d.format.media_type,
                "contentUrl": d.url,
                "contentSize": f"{d.byte_size} B",
                "sha256": d.sha256,
            }
            for d in dump_list
        ],
    }
