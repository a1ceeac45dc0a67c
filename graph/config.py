"""Where things are, and the namespaces every module shares."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

CHECKOUT = Path(__file__).resolve().parent.parent
# in a checkout the ontology, data and explorer are beside the packages; an installed wheel carries them
# in graph/_resources (see setup.py)
IN_CHECKOUT = (CHECKOUT / "ontology" / "pakg.ttl").is_file()
ROOT = CHECKOUT if IN_CHECKOUT else Path(__file__).resolve().parent / "_resources"
ONTOLOGY_DIR = ROOT / "ontology"
DATA_DIR = ROOT / "data"
# a build is written beside the tables in a checkout, else in the current folder (never into the package)
BUILD_FILE = DATA_DIR / "build" / "pakg.nq" if IN_CHECKOUT else Path("pakg-build") / "pakg.nq"
QUERY_DIR = Path(__file__).resolve().parent / "queries"

ONTOLOGY_FILES = ("pakg.ttl", "vocabularies.ttl", "theory.ttl")
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"

PA = "https://w3id.org/pakg/ontology#"
DEFAULT_BASE = "https://w3id.org/pakg/id/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
ELI = "http://data.europa.eu/eli/ontology#"
OWL = "http://www.w3.org/2002/07/owl#"
TIME = "http://www.w3.org/2006/time#"
DCAT = "http://www.w3.org/ns/dcat#"
GEO = "http://www.opengis.net/ont/geosparql#"
SF = "http://www.opengis.net/ont/sf#"

PREFIXES = {
    "pa": PA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "eli": ELI,
    "owl": OWL,
    "time": TIME,
    "dcat": DCAT,
    "geo": GEO,
    "sf": SF,
}


def base_iri(base: str | None = None) -> str:
    """The base of instance IRIs: ``base``, or the default when none is given; always ends with '/' or
    '#'.  (The service and the command read it from ``PAKG_BASE_IRI``, through ``api.settings``.)

    >>> base_iri("https://example.org/kg"), base_iri()
    ('https://example.org/kg/', 'https://w3id.org/pakg/id/')
    """
    base = base or DEFAULT_BASE
    return base if base.endswith(("/", "#")) else base + "/"


def graph_names(base: str) -> dict[str, ox.NamedNode]:
    """The named graphs of a build: the ontology (with vocabularies and theory) and the data."""
    return {"ontology": ox.NamedNode(base + "graph/ontology"), "data": ox.NamedNode(base + "graph/data")}


def graph_iris(base: str) -> tuple[str, ...]:
    """The IRIs of a build's named graphs (what a query of the dataset is scoped to)."""
    return tuple(g.value for g in graph_names(base).values())
