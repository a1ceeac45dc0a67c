"""What a SPARQL engine does its own way, and how pakg reads it back as the standard says: the one place
for an engine's quirks.

``dialect(server)`` picks the dialect from the engine's HTTP ``Server`` header.  The standard one changes
nothing.  Virtuoso 7 (``Server: Virtuoso/07…``):

- names blank nodes ``nodeID://b10006`` in SPARQL results (read back as ``_:b10006``);
- writes ``xsd:boolean`` as ``"1"``/``"0"`` (read back as the canonical ``true``/``false``);
- stores a ``geo:wktLiteral`` as its own geometry type and gives it back as
  ``"POINT(116.4 39.9)"^^virtrdf:Geometry`` (read back as ``"POINT (116.4 39.9)"^^geo:wktLiteral``);
- stalls about 40 ms on an answer of some tens of KB sent on a kept-alive connection (its writes held
  back for the client's delayed acknowledgement): pakg opens a connection per query instead (9 ms
  against 55 ms for a 39 KB answer on loopback, measured);
- keeps its own graphs (``virtrdf:``, ``ldp:``, its service description) beside the data, all in its
  default graph: pakg scopes every query to its own named graphs, and lists no other;
- offers the Graph Store Protocol at ``/sparql-graph-crud`` and updates at ``/sparql``, each with a
  Digest-authenticated twin (``…-auth``); refuses an ``INSERT DATA`` of more than about 5,000 triples
  (``SP030``) or a request of more than about 10 MB (``SR578``): the loader halves its batch until the
  engine takes it (``graph.remote.load``).
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox

from .geo import parse_wkt, wkt

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
WKT_LITERAL = "http://www.opengis.net/ont/geosparql#wktLiteral"


class Dialect:
    """The standard: answers are read as they come."""

    name = "SPARQL 1.1"
    keep_alive = True  # whether to keep a connection open between queries

    def results(self, body: bytes) -> bytes:
        """SPARQL JSON results as the standard writes them."""
        return body

    def triples(self, triples: list[ox.Triple]) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE answer as the standard writes them."""
        return triples

    def own_graph(self, iri: str) -> bool:
        """Whether a named graph is the engine's own (not data anyone loaded)."""
        return False

    def gsp_urls(self, endpoint: str, authenticated: bool) -> list[str]:
        """Where the engine may offer the Graph Store Protocol, most likely first (each is tried)."""
        root, _, last = endpoint.rstrip("/").rpartition("/")
        if last in ("query", "sparql"):  # Oxigraph server, Fuseki (…/query → …/data), Jena's layouts
            return [f"{root}/store", f"{root}/data"]
        return []

    def update_urls(self, endpoint: str, authenticated: bool) -> list[str]:
        """Where the engine may take SPARQL Update, most likely first."""
        root, _, last = endpoint.rstrip("/").rpartition("/")
        return [f"{root}/update"] if last in ("query", "sparql") else []

    def too_large(self, status: int, text: str) -> bool:
        """Whether the engine refused a load request for its size (a smaller one may pass)."""
        return status == 413 or (status >= 500 and self.refusal(status, text) is None)

    def refusal(self, status: int, text: str) -> str | None:
        """Why the engine refused a load request and what to do, when it is a matter of rights."""
        if status == 401:
            return "the endpoint refused the credentials: check PAKG_ENDPOINT_USER and PAKG_ENDPOINT_PASSWORD"
        if status == 403:
            return "the endpoint may not be written by this user: give one that may update (PAKG_ENDPOINT_USER)"
        return None


class Virtuoso(Dialect):
    name = "Virtuoso"
    keep_alive = False
    GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
    OWN_GRAPHS = ("http://www.openlinksw.com/", "http://www.w3.org/ns/ldp#", "http://localuriqaserver/")

    def literal(self, value: str, datatype: str | None) -> tuple[str, str | None]:
        """A typed literal's lexical form and datatype as pakg stored them."""
        if datatype == XSD_BOOLEAN and value in ("0", "1"):
            return ("true" if value == "1" else "false"), datatype
        if datatype == self.GEOMETRY:
            try:
                return wkt(*parse_wkt(value)), WKT_LITERAL
            except ValueError:  # not a point: its text as it is, with the standard's type
                return value, WKT_LITERAL
        return value, datatype

    def results(self, body: bytes) -> bytes:
        document = json.loads(body)
        for row in document.get("results", {}).get("bindings", []):
            for term in row.values():
                self._term(term)
        return json.dumps(document).encode()

    def _term(self, term: dict[str, Any]) -> None:
        if term.get("type") == "bnode" and term.get("value", "").startswith("nodeID://"):
            term["value"] = term["value"][len("nodeID://") :]
        elif term.get("type") in ("literal", "typed-literal") and "datatype" in term:
            term["value"], term["datatype"] = self.literal(term["value"], term["datatype"])

    def triples(self, triples: list[ox.Triple]) -> list[ox.Triple]:
        return [ox.Triple(t.subject, t.predicate, self._object(t.object)) for t in triples]

    def _object(self, term: Any) -> Any:
        if isinstance(term, ox.Literal) and term.language is None:
            value, datatype = self.literal(term.value, term.datatype.value)
            if (value, datatype) != (term.value, term.datatype.value):
                return ox.Literal(value, datatype=ox.NamedNode(datatype or term.datatype.value))
        return term

    def own_graph(self, iri: str) -> bool:
        return iri.startswith(self.OWN_GRAPHS)

    def gsp_urls(self, endpoint: str, authenticated: bool) -> list[str]:
        base = endpoint.rstrip("/").removesuffix("-auth")
        return [f"{base}-graph-crud-auth"] if authenticated else [f"{base}-graph-crud"]

    def update_urls(self, endpoint: str, authenticated: bool) -> list[str]:
        base = endpoint.rstrip("/").removesuffix("-auth")
        return [f"{base}-auth"] if authenticated else [base]

    def too_large(self, status: int, text: str) -> bool:
        # SP030: the SPARQL compiler's memory for one INSERT DATA (a 400); SR578: a request of more than ~10 MB
        return "SP030" in text or "SR578" in text or super().too_large(status, text)

    def refusal(self, status: int, text: str) -> str | None:
        if status == 401:
            return (
                "Virtuoso refused the credentials: check PAKG_ENDPOINT_USER and PAKG_ENDPOINT_PASSWORD (a Virtuoso "
                "user with the SPARQL_UPDATE role, e.g. dba; sent by Digest)"
            )
        if status == 403 or "SR186" in text:
            return (
                "Virtuoso refused the update: its anonymous user 'SPARQL' may not write. Load through the "
                "Digest-authenticated endpoints (PAKG_ENDPOINT_USER and PAKG_ENDPOINT_PASSWORD of a user with "
                'the SPARQL_UPDATE role, e.g. dba), or grant the role in isql: GRANT SPARQL_UPDATE TO "SPARQL";'
            )
        return super().refusal(status, text)


def dialect(server: str | None) -> Dialect:
    """The dialect of the engine whose HTTP ``Server`` header is ``server``."""
    if server and server.lower().startswith("virtuoso/"):
        return Virtuoso()
    return Dialect()
