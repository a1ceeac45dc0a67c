"""Any SPARQL 1.1 endpoint as the store behind the engine, and loading a build into one.

``RemoteStore`` answers the calls the engine and the SPARQL workers make of a
pyoxigraph ``Store`` — ``query`` (with substitutions and a dataset), ``len`` and
``quads_for_pattern`` — over the SPARQL 1.1 Protocol, so the API, the REST questions,
the analyses and the exports work unchanged on Oxigraph server, Fuseki, GraphDB,
Virtuoso or Neptune.  Portable by construction: bound values travel as a trailing
``VALUES`` clause (standard SPARQL 1.1, terms written in N-Triples syntax, never
pasted into the pattern), and the union default graph is requested with the
protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import httpx
import pyoxigraph as ox

from . import queries
from .build import Build, Progress
from .errors import PakgError, StoreError
from .formats import write_rdf
from .sparql_syntax import shape
from .terms import QueryResult, Term


def _iri(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """A graph as the protocol names it: by its IRI."""
    if not isinstance(graph, ox.NamedNode):
        raise ValueError(f"a SPARQL endpoint names graphs by IRI, not {graph}")
    return graph.value


def with_values(text: str, substitutions: dict[ox.Variable, Term] | None) -> str:
    """The query with its bound variables as a trailing VALUES clause (SPARQL 1.1 §10.2)."""
    if not substitutions:
        return text
    names = " ".join(f"?{v.value}" for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    return f"{text}\nVALUES ({names}) {{ ({terms}) }}"


class RemoteStore:
    def __init__(self, endpoint: str, auth: tuple[str, str] | None = None, timeout: float = 60.0):
        self.endpoint = endpoint
        self.client = httpx.Client(auth=auth, timeout=timeout, headers={"User-Agent": "pakg"})
        self._graphs: list[str] | None = None

    def graphs(self) -> list[str]:
        if self._graphs is None:
            self._graphs = sorted(row["g"].value for row in self._select("named_graphs"))
        return self._graphs

    def query(
        self,
        text: str,
        *,
        substitutions: dict[ox.Variable, Term] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        **_: object,
    ) -> QueryResult:
        text = with_values(text, substitutions)
        form, own_dataset = shape(text)
        params: dict[str, list[str]] = {}
        if not own_dataset:  # a query's own FROM clauses keep their meaning
            if default_graph:
                params["default-graph-uri"] = [_iri(g) for g in default_graph]
            elif use_default_graph_as_union:
                params["default-graph-uri"] = self.graphs()
            if named_graphs:
                params["named-graph-uri"] = [_iri(g) for g in named_graphs]
            elif params:
                params["named-graph-uri"] = self.graphs()
        return self._post(text, form, params)

    def _post(
        self, text: str, form: str, params: dict[str, list[str]]
    ) -> list[ox.Triple] | ox.QuerySolutions | ox.QueryBoolean:
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        try:
            response = self.client.post(self.endpoint, data={"query": text, **params}, headers={"Accept": accept})
        except httpx.HTTPError as exc:
            raise OSError(f"SPARQL endpoint {self.endpoint}: {exc}") from None
        if response.status_code == 400:
            raise SyntaxError(response.text.strip()[:500] or "the endpoint rejected the query")
        if response.status_code >= 300:
            raise OSError(
                f"SPARQL endpoint {self.endpoint} answered {response.status_code}: {response.text.strip()[:200]}"
            )
        if form in ("CONSTRUCT", "DESCRIBE"):
            return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
        return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)

    def _select(self, name: str) -> ox.QuerySolutions:
        """The solutions of one of the named SELECT queries."""
        result = self._post(queries.get(name).text, "SELECT", {})
        if not isinstance(result, ox.QuerySolutions):
            raise OSError(f"SPARQL endpoint {self.endpoint} did not answer a SELECT query with solutions")
        return result

    def __len__(self) -> int:
        rows = list(self._select("quad_count"))
        return int(rows[0]["n"].value)

    def quads_for_pattern(self, *_: None) -> Iterator[ox.Quad]:
        """Every quad (the engine asks for no other pattern)."""
        for row in self._select("all_quads"):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"])


# ---- loading a build into an endpoint ----------------------------------------------------------------


def _batches(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load(
    result: Build,
    *,
    update: str | None = None,
    gsp: str | None = None,
    auth: tuple[str, str] | None = None,
    batch: int = 5000,
    timeout: float = 300.0,
    progress: Progress | None = None,
) -> int:
    """Replace each graph of ``result`` in the endpoint: Graph Store Protocol PUT, or SPARQL Update batches;
    ``progress(what, done, total)`` is told of the triples loaded after each graph or batch."""
    say = progress or (lambda what, done, total: None)
    if not (update or gsp):
        raise PakgError("give --gsp URL (Graph Store Protocol) or --update URL (SPARQL Update)")
    by_graph: dict[ox.NamedNode, list[ox.Triple]] = {}
    for q in result.quads:
        if not isinstance(q.graph_name, ox.NamedNode):  # a build states everything in its named graphs
            raise PakgError(f"a quad outside the build's named graphs: {q}")
        by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    total, done = sum(len(v) for v in by_graph.values()), 0
    with httpx.Client(auth=auth, timeout=timeout, headers={"User-Agent": "pakg"}) as client:
        for graph, triples in by_graph.items():
            if gsp:
                response = client.put(
                    gsp,
                    params={"graph": graph.value},
                    content=write_rdf(triples, ox.RdfFormat.N_TRIPLES),
                    headers={"Content-Type": "application/n-triples"},
                )
                _check(response, gsp)
                done += len(triples)
                say(f"loaded {graph.value}", done, total)
            elif update:  # (one of the two is given)
                _check(
                    client.post(
                        update,
                        content=f"DROP SILENT GRAPH {graph}".encode(),
                        headers={"Content-Type": "application/sparql-update"},
                    ),
                    update,
                )
                for chunk in _batches(triples, batch):
                    body = write_rdf(chunk, ox.RdfFormat.N_TRIPLES).decode()
                    text = f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"
                    _check(
                        client.post(
                            update, content=text.encode(), headers={"Content-Type": "application/sparql-update"}
                        ),
                        update,
                    )
                    done += len(chunk)
                    say(f"loading {graph.value}", done, total)
    return done


def _check(response: httpx.Response, url: str) -> None:
    if response.status_code >= 300:
        raise StoreError(f"{url} answered {response.status_code}: {response.text.strip()[:300]}")
