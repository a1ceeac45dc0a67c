"""Any SPARQL 1.1 endpoint as the store behind the engine, and loading a build into one.

``RemoteStore`` answers the calls the engine and the SPARQL workers make of a
pyoxigraph ``Store`` — ``query`` (with substitutions and a dataset), ``len`` and
``quads_for_pattern`` — over the SPARQL 1.1 Protocol, so the API, the REST questions,
the analyses and the exports work unchanged on Oxigraph server, Virtuoso, Fuseki, GraphDB
or Neptune.  Portable by construction: bound values travel as a ``VALUES`` block at the
start of the query's WHERE group (standard SPARQL 1.1, terms written in N-Triples syntax,
never pasted into the pattern; the engine joins them first, as the embedded engine's
substitutions do), and every query is scoped to pakg's own named graphs with the
protocol's ``default-graph-uri`` / ``named-graph-uri`` parameters, so that an engine's
other graphs (Virtuoso's system graphs) are never part of an answer.  What an engine
writes its own way is read back by its dialect (``graph.dialects``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from . import queries
from .build import Build, Progress
from .config import PA
from .dialects import Dialect, dialect
from .errors import PakgError, StoreError
from .formats import write_rdf
from .sparql_syntax import shape, where_group
from .terms import QueryResult, Term


def _iri(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str:
    """A graph as the protocol names it: by its IRI."""
    if not isinstance(graph, ox.NamedNode):
        raise ValueError(f"a SPARQL endpoint names graphs by IRI, not {graph}")
    return graph.value


def with_values(text: str, substitutions: dict[ox.Variable, Term] | None) -> str:
    """The query with its bound variables as a ``VALUES`` block (SPARQL 1.1 §10.2) that opens its WHERE
    group (found on the parse), else — a query without one — trailing the query."""
    if not substitutions:
        return text
    names = " ".join(f"?{v.value}" for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    block = f"VALUES ({names}) {{ ({terms}) }}"
    at = where_group(text)
    if at is None:
        return f"{text}\n{block}"
    return f"{text[:at]} {block}\n{text[at:]}"


class EndpointAuth(httpx.Auth):
    """An endpoint's credentials, sent in the scheme its challenge asks for: Basic, or Digest (Virtuoso's
    authenticated endpoints take only Digest).  Nothing is sent before the endpoint asks."""

    def __init__(self, user: str, password: str):
        self.schemes = {"basic": httpx.BasicAuth(user, password), "digest": httpx.DigestAuth(user, password)}
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request):
        if self.scheme is not None:
            yield from self.schemes[self.scheme].auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        if scheme not in self.schemes:
            return
        self.scheme = scheme
        if scheme == "basic":
            yield from self.schemes[scheme].auth_flow(request)
        else:  # Digest answers the challenge it was given
            flow = self.schemes[scheme].auth_flow(request)
            next(flow)
            try:
                yield flow.send(response)
            except StopIteration:
                return


def client(auth: tuple[str, str] | None, timeout: float) -> httpx.Client:
    return httpx.Client(auth=EndpointAuth(*auth) if auth else None, timeout=timeout, headers={"User-Agent": "pakg"})


class RemoteStore:
    """A SPARQL 1.1 endpoint holding a dataset ``pakg load`` loaded, scoped to pakg's named graphs
    (``graphs``; when not given, every named graph the endpoint holds that is not the engine's own)."""

    def __init__(
        self,
        endpoint: str,
        auth: tuple[str, str] | None = None,
        timeout: float = 60.0,
        graphs: Sequence[str] | None = None,
    ):
        self.endpoint = endpoint
        self.client = client(auth, timeout)
        self.dialect: Dialect | None = None  # read from the engine's first answer
        self._graphs: list[str] | None = list(graphs) if graphs else None

    def graphs(self) -> list[str]:
        if self._graphs is None:
            found = sorted(row["g"].value for row in self._select("named_graphs", scoped=False))
            own = self.dialect.own_graph if self.dialect else (lambda iri: False)
            self._graphs = [g for g in found if not own(g)]
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
            params["named-graph-uri"] = [_iri(g) for g in named_graphs] if named_graphs else self.graphs()
        return self._post(text, form, params)

    def _post(
        self, text: str, form: str, params: dict[str, list[str]]
    ) -> list[ox.Triple] | ox.QuerySolutions | ox.QueryBoolean:
        accept = "application/n-triples" if form in ("CONSTRUCT", "DESCRIBE") else "application/sparql-results+json"
        headers = {"Accept": accept}
        if self.dialect is not None and not self.dialect.keep_alive:
            headers["Connection"] = "close"
        try:  # a form POST: every engine takes it (Virtuoso does not answer a POST of application/sparql-query)
            response = self.client.post(self.endpoint, data={"query": text, **params}, headers=headers)
        except httpx.HTTPError as exc:
            raise OSError(f"SPARQL endpoint {self.endpoint}: {exc}") from None
        if self.dialect is None:
            self.dialect = dialect(response.headers.get("server"))
        if response.status_code == 400:
            raise SyntaxError(response.text.strip()[:500] or "the endpoint rejected the query")
        if response.status_code >= 300:
            raise OSError(
                f"SPARQL endpoint {self.endpoint} answered {response.status_code}: {response.text.strip()[:200]}"
            )
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]
            return self.dialect.triples(triples)
        return ox.parse_query_results(self.dialect.results(response.content), format=ox.QueryResultsFormat.JSON)

    def _select(self, name: str, scoped: bool = True) -> ox.QuerySolutions:
        """The solutions of one of the named SELECT queries, over pakg's named graphs."""
        result = self._post(queries.get(name).text, "SELECT", {"named-graph-uri": self.graphs()} if scoped else {})
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

GSP_BATCH = 100_000  # triples per Graph Store Protocol request to begin with
UPDATE_BATCH = 5_000  # triples per INSERT DATA to begin with
NOT_HERE = (404, 405, 501)  # no Graph Store Protocol at this URL
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DATASET = ox.NamedNode(PA + "Dataset")


@dataclass
class Loaded:
    """What ``load`` did: triples loaded, the protocol and URL it used, and the batch size the engine took."""

    triples: int
    protocol: str  # "the Graph Store Protocol" | "SPARQL Update"
    url: str
    batch: int
    engine: str


def _version_last(by_graph: dict[ox.NamedNode, list[ox.Triple]]) -> list[tuple[ox.NamedNode, list[ox.Triple]]]:
    """The graphs in the order they are sent: the dataset's own description (its version) last of all, so
    that a service watching the endpoint sees the new version only once the whole dataset is there."""
    described = {
        t.subject for triples in by_graph.values() for t in triples if t.predicate == RDF_TYPE and t.object == DATASET
    }

    def last(item: tuple[ox.NamedNode, list[ox.Triple]]) -> bool:
        return any(t.subject in described for t in item[1])

    ordered = sorted(by_graph.items(), key=last)
    return [(g, sorted(triples, key=lambda t: t.subject in described)) for g, triples in ordered]


class _Loader:
    """Sends one graph's triples in batches, halving the batch while the engine refuses it for its size
    (413, or a server error such as Virtuoso's SP030/SR578) and keeping the size it took."""

    def __init__(self, http: httpx.Client, engine: Dialect, say: Progress, total: int, batch: int | None):
        self.http, self.engine, self.say, self.total = http, engine, say, total
        self.batch, self.done = batch, 0

    def graph(self, protocol: str, url: str, graph: ox.NamedNode, triples: list[ox.Triple]) -> bool:
        """Load one graph, replacing what the endpoint holds in it; False when ``url`` offers no Graph
        Store Protocol (found on the first request, before anything is written)."""
        size = self.batch or (GSP_BATCH if protocol == "gsp" else UPDATE_BATCH)
        if protocol == "update":
            self._check(self._update(url, f"DROP SILENT GRAPH {graph}"), url)
        sent, first = 0, True
        while sent < len(triples):
            chunk = triples[sent : sent + size]
            body = write_rdf(chunk, ox.RdfFormat.N_TRIPLES)
            if protocol == "gsp":  # PUT replaces the graph, POST adds to it
                response = self.http.request(
                    "PUT" if first else "POST",
                    url,
                    params={"graph": graph.value},
                    content=body,
                    headers={"Content-Type": "application/n-triples"},
                )
                if first and response.status_code in NOT_HERE:
                    return False
            else:
                response = self._update(url, f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode()}}} }}")
            if response.status_code >= 300 and self.engine.too_large(response.status_code, response.text) and size > 1:
                size = max(1, size // 2)
                continue
            self._check(response, url)
            sent, first = sent + len(chunk), False
            self.done += len(chunk)
            self.batch = size
            self.say(f"loading {graph.value}", self.done, self.total)
        return True

    def _update(self, url: str, text: str) -> httpx.Response:
        return self.http.post(url, content=text.encode(), headers={"Content-Type": "application/sparql-update"})

    def _check(self, response: httpx.Response, url: str) -> None:
        if response.status_code >= 300:
            hint = self.engine.refusal(response.status_code, response.text)
            raise StoreError(
                f"{url} answered {response.status_code}: {response.text.strip()[:300]}" + (f"\n{hint}" if hint else "")
            )


def load(
    result: Build,
    *,
    endpoint: str | None = None,
    update: str | None = None,
    gsp: str | None = None,
    auth: tuple[str, str] | None = None,
    batch: int | None = None,
    timeout: float = 300.0,
    progress: Progress | None = None,
) -> Loaded:
    """Replace each graph of ``result`` in the endpoint by the fastest way it offers: the Graph Store
    Protocol (``gsp``, else where the engine's dialect says it may be, each tried), else SPARQL Update
    (``update``, else the dialect's) in batches.  ``batch`` (triples per request) is where the batches
    begin; the loader halves it while the engine refuses a request for its size.  ``progress(what, done,
    total)`` is told of the triples loaded after each request."""
    say = progress or (lambda what, done, total: None)
    by_graph: dict[ox.NamedNode, list[ox.Triple]] = {}
    for q in result.quads:
        if not isinstance(q.graph_name, ox.NamedNode):  # a build states everything in its named graphs
            raise PakgError(f"a quad outside the build's named graphs: {q}")
        by_graph.setdefault(q.graph_name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    total = sum(len(v) for v in by_graph.values())
    graphs = _version_last(by_graph)
    with client(auth, timeout) as http:
        engine = Dialect()
        if endpoint:
            try:
                engine = dialect(http.get(endpoint, params={"query": "ASK {}"}).headers.get("server"))
            except httpx.HTTPError as exc:
                raise StoreError(f"SPARQL endpoint {endpoint}: {exc}") from None
        gsps = [gsp] if gsp else ([] if update else engine.gsp_urls(endpoint or "", auth is not None))
        updates = [update] if update else ([] if gsp else engine.update_urls(endpoint or "", auth is not None))
        if not (gsps or updates):
            raise PakgError("give --gsp URL (Graph Store Protocol) or --update URL (SPARQL Update)")
        loader = _Loader(http, engine, say, total, batch)
        for url in gsps:  # the first graph finds out whether the URL offers the protocol
            if loader.graph("gsp", url, *graphs[0]):
                for graph, triples in graphs[1:]:
                    loader.graph("gsp", url, graph, triples)
                return Loaded(loader.done, "the Graph Store Protocol", url, loader.batch or 0, engine.name)
        if not updates:
            raise StoreError(f"no Graph Store Protocol at {', '.join(gsps)}; give --update URL (SPARQL Update)")
        for graph, triples in graphs:
            loader.graph("update", updates[0], graph, triples)
        return Loaded(loader.done, "SPARQL Update", updates[0], loader.batch or 0, engine.name)
