"""The dataset describes itself and the ontology is served: /id/dataset (DCAT 3, VoID, DCTERMS) and /ontology
dereference in every format they advertise and parse; the distributions' sizes and checksums are those of
the /export downloads, computed once per dataset version; the explorer's home page embeds the same as a
schema.org Dataset; the HTML pages are clean for their Content-Security-Policy; the w3id redirects lead to
routes that answer."""
from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
import rdflib
from conftest import ROOT, table_count, watch_csp
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, VOID

from api.html import STYLE
from api.security import EXPLORER_POLICY, PAGE_POLICY
from graph import formats, queries
from graph.config import ONTOLOGY_DIR, PA
from graph.formats import Use
from graph.metadata import load_metadata

DS = rdflib.URIRef("https://w3id.org/pakg/id/dataset")
ONTOLOGY = rdflib.URIRef("https://w3id.org/pakg/ontology")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT is version 2: no dcat:version)
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
DQV = rdflib.Namespace("http://www.w3.org/ns/dqv#")
SCHEMA = rdflib.Namespace("https://schema.org/")
# every RDF format the two routes advertise: format= value → (media type to ask for, rdflib's parser)
RDF_FORMATS = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
    "nquads": ("application/n-quads", "nquads"),
    "trig": ("application/trig", "trig"),
}
EXPORTS = [f.name for f in formats.listed(Use.EXPORT)]


def advertised(client, path: str) -> list[str]:
    """The values the OpenAPI document enumerates for a route's format parameter."""
    spec = client.get("/openapi.json").json()
    parameter = next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "format")
    return next(part["enum"] for part in (parameter["schema"], *parameter["schema"].get("anyOf", [])) if "enum" in part)


def parsed(response, parser: str) -> rdflib.Graph:
    assert response.status_code == 200, response.text[:300]
    if parser in ("nquads", "trig"):  # the triples of every graph of a quad format, as one graph
        quads = rdflib.Dataset()
        quads.parse(data=response.content, format=parser)
        merged = rdflib.Graph()
        for s, p, o, _ in quads.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return rdflib.Graph().parse(data=response.content, format=parser)


@pytest.fixture(scope="module")
def description(client) -> rdflib.Graph:
    return parsed(client.get("/id/dataset", headers={"Accept": "text/turtle"}), "turtle")


# ---- /id/dataset ---------------------------------------------------------------------------------------

def test_the_dataset_dereferences_in_every_format_it_advertises(client):
    names = advertised(client, "/id/dataset")
    assert set(names) == {*RDF_FORMATS, "html"}
    graphs = []
    for name, (media, parser) in RDF_FORMATS.items():
        by_accept = client.get("/id/dataset", headers={"Accept": media})
        assert by_accept.headers["content-type"].startswith(media)
        by_param = client.get("/id/dataset", params={"format": name})
        graphs += [parsed(by_accept, parser), parsed(by_param, parser)]
    assert all(len(g) == len(graphs[0]) and (DS, RDF.type, DCAT.Dataset) in g for g in graphs)
    page = client.get("/id/dataset", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert client.get("/id/dataset", params={"format": "csv"}).status_code == 406
    assert client.get("/id/dataset", headers={"Accept": "image/png"}).status_code == 406


def test_the_description_says_what_the_metadata_declares(client, description):
    meta, g = load_metadata(), description
    assert {(t.value, t.language) for t in g.objects(DS, DCTERMS.title)} >= {
        (meta.title_zh, "zh-hans"), (meta.title_en, "en")}
    assert {(t.value, t.language) for t in g.objects(DS, DCTERMS.description)} == {
        (meta.description_zh, "zh-hans"), (meta.description_en, "en")}
    assert g.value(DS, DCTERMS.license) == rdflib.URIRef(meta.licence)
    for role, name in ((DCTERMS.creator, meta.creator), (DCTERMS.publisher, meta.publisher)):
        agent = g.value(DS, role)
        assert (agent, RDF.type, FOAF.Agent) in g and str(g.value(agent, FOAF.name)) == name
    for when in (DCTERMS.issued, DCTERMS.modified):
        value = g.value(DS, when)
        assert value.datatype == XSD.date and str(value) == meta.issued.isoformat()
    # both versions: the release and the content hash the service names in its header
    assert str(g.value(DS, DCAT.version)) == meta.version
    assert str(g.value(DS, DCTERMS.hasVersion)) == client.get("/health").headers["x-dataset-version"]
    keywords = {(k.value, k.language) for k in g.objects(DS, DCAT.keyword)}
    assert keywords == {(k, "zh-hans") for k in meta.keywords_zh} | {(k, "en") for k in meta.keywords_en}
    assert str(g.value(g.value(DS, DCTERMS.spatial), RDFS.label)) == meta.spatial
    start = g.value(g.value(DS, DCTERMS.temporal), DCAT.startDate)
    assert start.datatype == XSD.gYear and int(str(start)) == meta.temporal_start
    assert g.value(g.value(DS, DCTERMS.temporal), DCAT.endDate) is None  # the data gives no end
    source = g.value(DS, DCTERMS.source)
    assert source == rdflib.URIRef(f"https://w3id.org/pakg/id/source/{meta.source}")
    assert g.value(source, DCTERMS.title) is not None  # the seed paper's title, from the data
    assert g.value(DS, DCTERMS.conformsTo) == ONTOLOGY
    assert meta.version in str(g.value(DS, DCTERMS.bibliographicCitation))


def test_void_endpoint_dumps_and_partitions(client, description, engine, base):
    g, root = description, "http://127.0.0.1:8000"  # the service's own address (no PAKG_PUBLIC_URL)
    endpoint = g.value(DS, VOID.sparqlEndpoint)
    assert str(endpoint) == root + "/sparql" and (endpoint, RDF.type, DCAT.DataService) in g
    assert (endpoint, DCAT.servesDataset, DS) in g
    dumps = {str(d) for d in g.objects(DS, VOID.dataDump)}
    assert dumps == {f"{root}/export?format={name}" for name in EXPORTS}
    classes = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities)) for p in g.objects(DS, VOID.classPartition)}
    data = f"{base}graph/data"
    expected = {r["class"]: r["entities"] for r in queries.run(engine, "void_class_partitions", data=data)}
    assert {str(c): n for c, n in classes.items()} == expected
    assert classes[rdflib.URIRef(PA + "CoverageStatement")] == table_count("coverage")
    properties = {str(g.value(p, VOID.property)) for p in g.objects(DS, VOID.propertyPartition)}
    assert PA + "supporter" in properties and str(RDFS.label) in properties
    # the same dumps in /void
    void = parsed(client.get("/void"), "turtle")
    assert {str(d) for d in void.objects(DS, VOID.dataDump)} == dumps


def test_each_distribution_is_an_export_with_its_true_size_and_checksum(client, description):
    g = description
    distributions = list(g.objects(DS, DCAT.distribution))
    assert len(distributions) == len(EXPORTS)
    for dist in distributions:
        url = str(g.value(dist, DCAT.downloadURL))
        name = url.rsplit("=", 1)[-1]
        download = client.get("/export", params={"format": name})
        assert download.status_code == 200
        assert int(g.value(dist, DCAT.byteSize)) == len(download.content), name
        checksum = g.value(dist, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(download.content).hexdigest(), name
        media = str(g.value(dist, DCAT.mediaType)).removeprefix("https://www.iana.org/assignments/media-types/")
        assert download.headers["content-type"].split(";")[0] == media
        assert g.value(dist, DCTERMS.license) == g.value(DS, DCTERMS.license)
        assert g.value(dist, DCTERMS["format"]) is not None


def test_sizes_and_checksums_are_computed_once_per_dataset_version(client, monkeypatch):
    import api.routers.entities as entities

    client.get("/id/dataset", params={"format": "turtle"})  # computed here if no test did before
    snap = client.app.state.dataset.current
    assert snap.model._memo.get("dataset-dumps")  # kept with this version's read model

    def refuse(**_):
        raise AssertionError("an export was written again for the same dataset version")

    monkeypatch.setattr(entities, "export_dataset", refuse)
    for params in ({"format": "ntriples"}, {"format": "html"}, {"format": "jsonld", "again": "1"}):
        assert client.get("/id/dataset", params=params).status_code == 200


def test_coverage_gaps_and_facts_per_confidence(description, engine):
    g = description
    annotations = set(g.objects(DS, DQV.hasQualityAnnotation))
    coverage = {a for a in annotations if (a, RDF.type, rdflib.URIRef(PA + "CoverageStatement")) in g}
    gaps = {a for a in annotations if (a, RDF.type, rdflib.URIRef(PA + "KnownGap")) in g}
    assert len(coverage) == table_count("coverage") and len(gaps) == table_count("gaps")
    assert coverage | gaps == annotations
    assert all(str(a).startswith("https://w3id.org/pakg/id/") for a in annotations)
    by_level = {}
    for subset in g.objects(DS, VOID.subset):
        level = str(g.value(subset, rdflib.URIRef(PA + "confidence"))).rsplit("#", 1)[-1]
        by_level[level] = int(g.value(subset, VOID.entities))
    expected: dict[str, int] = {}
    for row in queries.run(engine, "stats_fact_kinds"):  # what `pakg stats` counts as facts
        expected[row["confidence"]] = expected.get(row["confidence"], 0) + 1
    assert by_level == expected and set(by_level) == {"high", "medium", "low"}


def test_the_parts_of_the_description_lead_to_it(client):
    answer = client.get("/id/dataset/distribution/turtle", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/id/dataset"
    assert client.get("/id/dataset/class/0", follow_redirects=False).status_code == 303
    for wrong in ("/id/dataset/nothing/0", "/id/dataset/class", "/id/dataset/class/0/1"):
        assert client.get(wrong).status_code == 404, wrong


# ---- the pages are clean for their Content-Security-Policy ----------------------------------------------

class Page(HTMLParser):
    """What a Content-Security-Policy looks at in a page: its scripts, style elements and attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.styles: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.anchors: set[str] = set()
        self.links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        self.attributes += [(k, attrs[k]) for k in attrs]
        if tag == "script":
            self.scripts.append({**attrs, "text": ""})
        if tag in ("script", "style"):
            self._in = tag
            if tag == "style":
                self.styles.append("")
        if "id" in attrs:
            self.anchors.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts[-1]["text"] += data
        elif self._in == "style":
            self.styles[-1] += data


def csp_clean(response, policy: str = PAGE_POLICY) -> Page:
    """The page has the policy, no script that is not a file of this server (or a data block), no style
    but the pages' one allowed by its hash, no inline event handler or javascript: link."""
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == policy
    page = Page()
    page.feed(response.text)
    for script in page.scripts:
        if script.get("type") == "application/ld+json":
            continue  # a data block: never executed
        assert script.get("src", "").startswith("/") and not script["text"].strip(), script
    assert page.styles in ([], [STYLE])
    assert not [k for k, _ in page.attributes if k == "style" or k.startswith("on")]
    assert not [v for _, v in page.attributes if v.strip().lower().startswith("javascript:")]
    return page


def test_the_dataset_page_is_csp_clean_and_shows_the_description(client):
    meta = load_metadata()
    page = client.get("/id/dataset", headers={"Accept": "text/html"})
    parsed_page = csp_clean(page)
    for text in (meta.title_zh, meta.title_en, meta.version, meta.licence, "SHA-256"):
        assert text in page.text
    for name in EXPORTS:
        assert f"http://127.0.0.1:8000/export?format={name}" in parsed_page.links
    download = client.get("/export", params={"format": "turtle"})
    assert hashlib.sha256(download.content).hexdigest() in page.text


# ---- /ontology -----------------------------------------------------------------------------------------

def ontology_file() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_DIR / "pakg.ttl", format="turtle")


def test_the_ontology_is_served_in_every_format_it_advertises(client):
    assert set(advertised(client, "/ontology")) == {*RDF_FORMATS, "html"}
    version = load_metadata().version
    declared = ontology_file()
    for path in ("/ontology", f"/ontology/{version}"):
        for name, (media, parser) in RDF_FORMATS.items():
            for answer in (client.get(path, headers={"Accept": media}), client.get(path, params={"format": name})):
                g = parsed(answer, parser)
                assert answer.headers["content-type"].startswith(media)
                assert (ONTOLOGY, RDF.type, OWL.Ontology) in g
                assert set(declared) <= set(g)  # the whole ontology file, with the vocabularies beside it
    assert client.get("/ontology", params={"format": "csv"}).status_code == 406


def test_the_ontology_version_is_the_release(client):
    version = load_metadata().version
    g = parsed(client.get("/ontology", headers={"Accept": "text/turtle"}), "turtle")
    assert str(g.value(ONTOLOGY, OWL.versionInfo)) == version
    assert g.value(ONTOLOGY, OWL.versionIRI) == rdflib.URIRef(f"{ONTOLOGY}/{version}")
    assert ontology_file().value(ONTOLOGY, OWL.versionInfo) == rdflib.Literal(version)
    other = client.get("/ontology/0.0.1")
    assert other.status_code == 404 and version in other.json()["detail"]


def test_the_ontology_page_documents_every_term(client):
    declared = ontology_file()
    page = client.get("/ontology", headers={"Accept": "text/html"})
    parsed_page = csp_clean(page)
    terms = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in declared.subjects(RDF.type, kind) if str(s).startswith(PA)}
    assert len(terms) > 50
    for term in terms:
        name = str(term).rsplit("#", 1)[-1]
        assert name in parsed_page.anchors, name  # https://w3id.org/pakg/ontology#Name lands on its entry
        for label in declared.objects(term, RDFS.label):
            assert str(label) in page.text, (name, str(label))
    # the shapes that apply, and examples from the data
    section = page.text.split('id="Pairing"', 1)[1].split("<h3", 1)[0]
    assert "pa:PairingShape" in section and "pa:SourcedShape" in section and 'href="/id/pairing/' in section
    hospital = page.text.split('id="Hospital"', 1)[1].split("<h3", 1)[0]
    assert 'href="#Actor"' in hospital  # the actor's shapes apply to hospitals too
    assert "href=\"#Programme\"" in page.text  # domains and ranges link to their entries
    assert client.get("/ontology/1.0.0", params={"format": "html"}).status_code == 200


# ---- the explorer's home page -----------------------------------------------------------------------------

def test_the_home_page_embeds_the_dataset_as_schema_org(client, description):
    meta = load_metadata()
    home = client.get("/")
    page = csp_clean(home, EXPLORER_POLICY)
    blocks = [s for s in page.scripts if s.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0]["text"])
    assert data["@context"] == "https://schema.org/" and data["@type"] == "Dataset"
    assert data["version"] == meta.version and data["license"] == meta.licence
    assert data["@id"] == str(DS) and data["datePublished"] == meta.issued.isoformat()
    # the same in RDF (parsed offline: the schema.org context as a vocabulary)
    g = rdflib.Graph().parse(data=json.dumps({**data, "@context": {"@vocab": str(SCHEMA)}}), format="json-ld")
    assert (DS, RDF.type, SCHEMA.Dataset) in g
    downloads = {
        str(g.value(d, SCHEMA.contentUrl)): str(g.value(d, SCHEMA.sha256)) for d in g.objects(DS, SCHEMA.distribution)
    }
    expected = {}
    for dist in description.objects(DS, DCAT.distribution):
        checksum = description.value(description.value(dist, SPDX.checksum), SPDX.checksumValue)
        expected[str(description.value(dist, DCAT.downloadURL))] = str(checksum)
    assert downloads == expected
    assert str(g.value(g.value(DS, SCHEMA.isBasedOn), SCHEMA.name))  # the seed paper, by its title
    # the rest of the page is the explorer as before
    assert '<script type="module" src="/static/app.js"></script>' in home.text
    assert "</script>" not in blocks[0]["text"] and "<" not in blocks[0]["text"]


# ---- the w3id.org redirects ---------------------------------------------------------------------------------

def test_the_w3id_redirects_lead_to_routes_that_answer(client):
    text = (ROOT / "docs" / "w3id" / ".htaccess").read_text(encoding="utf-8")
    rules = re.findall(r"^RewriteRule\s+(\S+)\s+(\S+)\s+\[([^\]]+)\]", text, re.M)
    assert len(rules) >= 4 and "RewriteEngine on" in text
    version = load_metadata().version
    samples = ["ontology", f"ontology/{version}", "id/dataset", "id/pairing/PR-0001", "id/actor/beijing", ""]
    reached = set()
    for sample in samples:
        pattern, target, flags = next((r for r in rules if re.match(r[0], sample)), (None, None, None))
        assert pattern is not None, f"no rule for https://w3id.org/pakg/{sample}"
        assert "R=303" in flags or (sample == "" and "R=302" in flags)
        url = re.sub(pattern, target.replace("$1", r"\1"), sample)
        path = url.removeprefix("https://pakg.example.org")
        assert path.startswith("/"), url
        for media in ("text/turtle", "text/html"):
            assert client.get(path, headers={"Accept": media}).status_code == 200, (sample, path, media)
        reached.add(path)
    assert {"/ontology", "/id/dataset"} <= reached


def test_in_a_browser_the_pages_break_no_policy_and_the_description_is_read(server, browser):
    """In Chromium, the JSON-LD data block of the home page and the two generated pages cause no
    Content-Security-Policy violation, and the block is there for a crawler's script to read."""
    context = browser.new_context()
    csp = watch_csp(context)
    page = context.new_page()
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    text = page.evaluate("document.querySelector('script[type=\"application/ld+json\"]').textContent")
    assert json.loads(text)["@type"] == "Dataset"
    for path in ("/id/dataset", "/ontology"):
        page.goto(server + path)
        assert page.evaluate("getComputedStyle(document.body).maxWidth") == "1120px"  # its style applies
    page.wait_for_timeout(300)  # reports come asynchronously
    assert csp == [], f"Content-Security-Policy violations: {csp}"
