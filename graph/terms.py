"""RDF terms, query results and the stores that answer queries, as types: what the embedded engine,
a remote endpoint and the named queries share (a module of its own, below all three)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, TypeAlias

import pyoxigraph as ox

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
"""An RDF term as a query binds it (what a solution holds, what a substitution gives)."""
QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]
"""What a query answers: solutions, a boolean, or triples (a remote store's triples: a list)."""


class QueryableStore(Protocol):
    """What the engine and the SPARQL workers ask of a store: a pyoxigraph ``Store`` or a ``RemoteStore``."""

    def query(
        self,
        query: str,
        /,
        *,
        use_default_graph_as_union: bool = ...,
        default_graph: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = ...,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = ...,
        substitutions: dict[ox.Variable, Term] | None = ...,
    ) -> QueryResult: ...

    def quads_for_pattern(
        self, subject: None, predicate: None, object: None, graph_name: None = None, /
    ) -> Iterator[ox.Quad]: ...

    def __len__(self) -> int: ...


class SelectingEngine(Protocol):
    """What running a named query asks of an engine (``graph.store.Engine``): rows of a SELECT."""

    def select(
        self, sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal] | None = None
    ) -> list[dict[str, Term]]: ...
