"""The embedded engine: a pyoxigraph store in memory or on disk, and how queries reach it.

``Engine`` is what the CLI and the API hold.  Values go into queries as bindings
(pyoxigraph ``substitutions``), never into the query text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pyoxigraph as ox

from . import queries
from .build import Build
from .errors import BadQuery, StoreError
from .geosparql import query_options
from .remote import RemoteStore
from .terms import QueryableStore, QueryResult, Term


def dataset_version(store: QueryableStore, location: str = "memory") -> str | None:
    """The version of the pakg dataset a store holds, or None when it holds none (StoreError when it cannot
    be read).  ``pakg load`` sends the triples that state it last: an endpoint names a version only once
    the whole of it is there."""
    try:
        result = store.query(queries.get("dataset_version").text, use_default_graph_as_union=True)
        if not isinstance(result, ox.QuerySolutions):  # the query is a SELECT
            raise StoreError(f"{location}: the store did not answer the dataset's version with solutions")
        rows = list(result)
    except (OSError, RuntimeError) as exc:  # damaged files, or an endpoint that does not answer
        raise StoreError(f"{location}: cannot read the store ({exc})") from None
    return rows[0]["version"].value if rows else None


class Engine:
    """A pakg dataset in a pyoxigraph store; the default graph is the union of all graphs."""

    def __init__(self, store: QueryableStore, location: str = "memory"):
        self.store = store
        self.location = location
        version = dataset_version(store, location)
        if version is None:
            raise StoreError(f"{location}: no pakg dataset in this store (build it with 'pakg build')")
        self.version: str = version
        self.triple_count: int = len(self.store)
        # answers from an embedded store take micro- to milliseconds; a remote one waits on the network
        self.embedded: bool = isinstance(store, ox.Store)

    @classmethod
    def from_build(cls, result: Build) -> Engine:
        store = ox.Store()
        store.bulk_extend(result.quads)
        return cls(store)

    @classmethod
    def remote(
        cls,
        endpoint: str,
        auth: tuple[str, str] | None = None,
        timeout: float = 60.0,
        graphs: Sequence[str] | None = None,
    ) -> Engine:
        """Any SPARQL 1.1 endpoint holding a dataset loaded by ``pakg load``, read in ``graphs`` (pakg's
        named graphs; by default every named graph it holds that is not the engine's own)."""
        try:
            return cls(RemoteStore(endpoint, auth, timeout, graphs), endpoint)
        except OSError as exc:
            raise StoreError(str(exc)) from exc

    @classmethod
    def open(cls, path: Path) -> Engine:
        """Open an on-disk store written by ``graph.versions.write_store`` (read-only, no reload)."""
        if not (path.is_dir() and any(path.iterdir())):
            raise StoreError(f"{path}: no store here (build one with 'pakg build --store {path}')")
        try:
            store = ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:  # (the engine reports damaged files as RuntimeError)
            raise StoreError(f"{path}: cannot open the store ({exc})") from exc
        return cls(store, str(path))

    def query(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> QueryResult:
        """Run a SPARQL query; ``bindings`` fix variables (they must be projected by a SELECT)."""
        subs: dict[ox.Variable, Term] = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        try:
            return self.store.query(
                sparql, substitutions=subs or None, use_default_graph_as_union=True, **query_options(self.store)
            )
        except SyntaxError as exc:
            raise BadQuery(f"SPARQL syntax {exc}") from exc
        except (RuntimeError, ValueError) as exc:
            raise BadQuery(str(exc)) from exc

    def select(
        self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
    ) -> list[dict[str, Term]]:
        """A SELECT as a list of rows, each a dict of variable name → pyoxigraph term (unbound left out)."""
        result = self.query(sparql, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise BadQuery("not a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def construct(self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None) -> list[ox.Triple]:
        """A CONSTRUCT or DESCRIBE as a list of triples."""
        result = self.query(sparql, bindings)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            raise BadQuery("not a CONSTRUCT or DESCRIBE query")
        return list(result)

    def quads(self) -> Iterable[ox.Quad]:
        return self.store.quads_for_pattern(None, None, None, None)
