"""Export a dataset in any RDF export format of ``graph.formats`` (``Use.EXPORT``).

Dataset formats (N-Quads, TriG, JSON-LD) keep the named graphs; triple formats
(Turtle, N-Triples, RDF/XML) merge the chosen graphs into one.

``About`` is what every export says of the dataset it comes from: title, licence, the release (the
semantic version of ``data/dataset.toml``) and the content version (the build's hash), creator,
publisher, date, how to cite it and where its facts come from.  RDF exports state it on the dataset
node (``About.quads``), network files in their own metadata (``graph.network.serialize``), files served
over HTTP also in headers (``About.headers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import formats, queries
from .config import DCAT, DCTERMS, PREFIXES, XSD, graph_names
from .formats import Format, Use, write_rdf
from .metadata import citation, dataset_iri, load_metadata
from .store import Engine

GRAPHS = ("all", "data", "ontology")
LICENCE_HEADER = "Pakg-Licence"  # the licence's IRI, beside a Link header rel="license" (CSV has no place for it)


@dataclass(frozen=True)
class About:
    """What every export says of the dataset it comes from."""

    dataset: str  # the dataset's IRI
    title_en: str
    title_zh: str
    licence: str  # IRI
    licence_name: str
    release: str  # the semantic version of the release
    version: str  # the content hash of the build
    creator: str
    publisher: str
    issued: str  # ISO date of the release
    citation: str  # plain text
    source: str  # the IRI of the seed paper (a source of the data)

    @property
    def notice(self) -> str:
        """Where the facts come from and what reuse asks, in one sentence for people."""
        return (
            f"Data by {self.creator}, licensed under {self.licence_name} ({self.licence}): reuse it with "
            f"attribution, citing: {self.citation} Every fact names its sources (prov:wasDerivedFrom in the "
            f"RDF; the sources and source_titles attributes of network files) and a confidence; the dataset "
            f"grew from the paper {self.source}."
        )

    def fields(self) -> dict[str, str]:
        """The metadata as the fields of a JSON file or the graph data of GraphML."""
        return {
            "title": self.title_en,
            "title_zh": self.title_zh,
            "dataset": self.dataset,
            "licence": self.licence,
            "licence_name": self.licence_name,
            "release": self.release,
            "dataset_version": self.version,
            "creator": self.creator,
            "publisher": self.publisher,
            "issued": self.issued,
            "citation": self.citation,
            "source_notice": self.notice,
        }

    def quads(self, graph: ox.NamedNode) -> list[ox.Quad]:
        """The metadata as triples on the dataset node, in ``graph``: the release as ``dcat:version`` (the
        content hash is the build's own ``dcterms:hasVersion``; a graph of one source states it here too)."""
        ds = ox.NamedNode(self.dataset)

        def lit(value: str, **kw) -> ox.Literal:
            return ox.Literal(value, **kw)

        triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
            (DCTERMS + "title", lit(self.title_en, language="en")),
            (DCTERMS + "title", lit(self.title_zh, language="zh-Hans")),
            (DCTERMS + "license", ox.NamedNode(self.licence)),
            (DCAT + "version", lit(self.release)),
            (DCTERMS + "hasVersion", lit(self.version)),
            (DCTERMS + "creator", lit(self.creator)),
            (DCTERMS + "publisher", lit(self.publisher)),
            (DCTERMS + "issued", lit(self.issued, datatype=ox.NamedNode(XSD + "date"))),
            (DCTERMS + "bibliographicCitation", lit(self.citation)),
            (DCTERMS + "rights", lit(self.notice, language="en")),
            (DCTERMS + "source", ox.NamedNode(self.source)),
        ]
        return [ox.Quad(ds, ox.NamedNode(p), o, graph) for p, o in triples]

    def headers(self) -> dict[str, str]:
        """HTTP headers of a file served: the licence (``Link`` rel="license" and ``Pakg-Licence``) and the
        dataset to cite (rel="cite-as"); the release and content version are every answer's
        ``X-Dataset-Release`` and ``X-Dataset-Version``."""
        return {
            "Link": f'<{self.licence}>; rel="license", <{self.dataset}>; rel="cite-as"',
            LICENCE_HEADER: self.licence,
        }


def about(version: str, base: str, data_dir: Path | None = None) -> About:
    """What an export of the build ``version`` (content hash) says of its dataset, from the metadata in
    ``data_dir`` (the project's data folder by default)."""
    meta = load_metadata(data_dir)
    return About(
        dataset=dataset_iri(base),
        title_en=meta.title_en,
        title_zh=meta.title_zh,
        licence=meta.licence,
        licence_name=meta.licence_name,
        release=meta.version,
        version=version,
        creator=meta.creator,
        publisher=meta.publisher,
        issued=meta.issued.isoformat(),
        citation=citation(meta, version, base).text,
        source=f"{base}source/{meta.source}",
    )


def _serialize(quads: list[ox.Quad], spec: Format) -> bytes:
    items: list[ox.Quad] | list[ox.Triple]
    if spec.datasets:
        items = sorted(set(quads), key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    return write_rdf(items, spec.rdf(), PREFIXES if spec.prefixes else None)


def export(engine: Engine, fmt: str, base: str, graph: str = "all", about: About | None = None) -> bytes:
    """The whole dataset, or its data or ontology graph; with ``about``, the dataset node also states its
    metadata (in the data graph, or in the one graph exported)."""
    spec = formats.get(Use.EXPORT, fmt)
    names = graph_names(base)
    wanted = set(names.values()) if graph == "all" else {names[graph]}
    quads = [q for q in engine.quads() if q.graph_name in wanted]
    if about is not None:
        quads += about.quads(names["data" if graph == "all" else graph])
    return _serialize(quads, spec)


def export_source(engine: Engine, fmt: str, source_iri: str, about: About | None = None) -> bytes:
    """What one source backs, as a graph named after the source (with ``about``, the dataset's metadata in it)."""
    query = queries.get("described_by_source")
    graph = ox.NamedNode(source_iri)
    triples = engine.construct(query.text, query.bindings({"source": source_iri}))
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]
    if about is not None:
        quads += about.quads(graph)
    return _serialize(quads, formats.get(Use.EXPORT, fmt))
