"""The query guard: what this service will not run, decided before any engine sees a query.

Every decision is taken on what ``graph.sparql_syntax`` read on a real parse of the text (tree-sitter's
SPARQL grammar), never on the text itself:

- an update (INSERT, DELETE, LOAD, CLEAR, ...) is refused as read-only (``UpdateRefused``), and
  anything else that is not exactly one query as a syntax error;
- a ``SERVICE`` pattern anywhere is refused (``QueryRefused``): this server makes no outbound requests;
  so is ``FROM`` / ``FROM NAMED`` naming anything but a graph of this dataset;
- a text the parser cannot read without error, or that uses a prefix it does not declare, is refused
  with the parser's line and column and an excerpt with a caret (``QuerySyntaxError``, from
  ``graph.sparql_syntax.syntax_problem``), so the guard is never more lenient than the engine;
- nesting past ``MAX_DEPTH`` is refused before the engine, whose parser and evaluator recurse
  and would overflow their stack (measured here: ~900 nested CONCATs and ~2,200 nested groups end
  the process; ~450 chained OPTIONALs or ~600 path steps take it tens of seconds).

A query that passes is run as the guard read it: its comments blanked (``QueryInfo.text``).
The guard runs in the query worker (``api.workers``), where a slow parse of a hostile text can be stopped.
"""

from __future__ import annotations

from graph.errors import BadQuery, PakgError
from graph.sparql_syntax import QueryInfo, UpdateRefused, checked

MAX_DEPTH = 200
__all__ = ["MAX_DEPTH", "QueryRefused", "UpdateRefused", "analyse"]  # UpdateRefused: the graph layer's (403 here)


class QueryRefused(PakgError):
    """A query this server will not run (federation, LOAD, foreign FROM): answered with 400."""


def analyse(text: str, dataset_graphs: set[str] | frozenset[str], max_depth: int = MAX_DEPTH) -> QueryInfo:
    """Check a query before it runs; raise UpdateRefused, QueryRefused or BadQuery (a syntax error: a
    ``QuerySyntaxError``, with its line, column and excerpt)."""
    reading = checked(text)
    form = reading.form
    assert form is not None  # (else a syntax problem)
    # the first refusal in document order is the one given (at one node, its depth before what it is)
    refusals: list[tuple[int, int, PakgError]] = []
    deep = reading.first_deeper_than(max_depth)
    if deep is not None:
        refusals.append(
            (
                deep.order,
                0,
                BadQuery(
                    f"the query nests too deeply (more than {max_depth} levels at {deep.at}); split it or flatten it"
                ),
            )
        )
    if reading.services:
        service = reading.services[0]
        refusals.append(
            (
                service.order,
                1,
                QueryRefused(
                    f"SERVICE (federated query) is not allowed: this server makes no outbound requests ({service.at})"
                ),
            )
        )
    foreign = next((clause for clause in reading.datasets if clause.iri not in dataset_graphs), None)
    if foreign is not None:
        refusals.append(
            (
                foreign.order,
                1,
                QueryRefused(
                    "FROM and FROM NAMED may name only graphs of this dataset (as absolute IRIs): "
                    + ", ".join(sorted(dataset_graphs))
                ),
            )
        )
    if refusals:
        raise min(refusals, key=lambda refusal: refusal[:2])[2]
    return QueryInfo(form, reading.text)
