"""What a SPARQL query does, decided on a real parse before any engine sees it.

The text is parsed by tree-sitter's SPARQL grammar (a generated parser, not a hand-made
tokenizer) into a concrete syntax tree; every decision is taken on that tree:

- the query form is the tree's, and anything that is not exactly one query (an update, LOAD,
  CLEAR, ...) is refused (``UpdateRefused``);
- a ``SERVICE`` pattern anywhere is refused (``QueryRefused``), as is ``FROM`` / ``FROM NAMED``
  naming anything but a graph of this dataset;
- a text the parser cannot read without error is refused with the parser's line and column
  (``BadQuery``), so the guard is never more lenient than the engine;
- nesting past ``MAX_DEPTH`` is refused before the engine, whose parser and evaluator recurse
  and would overflow their stack (measured here: ~900 nested CONCATs and ~2,200 nested groups end
  the process; ~450 chained OPTIONALs or ~600 path steps take it tens of seconds).

The engine is then given the text *as the guard read it*: each comment the parser found is
blanked (same length, so positions in the engine's own errors stay right).  Two SPARQL readers
disagree most easily on where a comment ends (SPARQL ends comments at ``\\r`` as well as
``\\n``): with the comments gone there is nothing left for that disagreement to hide.
"""
from __future__ import annotations

import re
import time
import warnings
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter_sparql
from tree_sitter import Language, Node, Parser

from .errors import BadQuery, PakgError

with warnings.catch_warnings():  # the grammar package hands its language over as an address
    warnings.simplefilter("ignore", DeprecationWarning)
    LANGUAGE = Language(tree_sitter_sparql.language())
QUERY_FORMS = {"select_query": "SELECT", "construct_query": "CONSTRUCT", "describe_query": "DESCRIBE",
               "ask_query": "ASK"}
UPDATE_KINDS = {"insert_data", "delete_data", "delete_where", "modify", "load", "clear", "drop", "create",
                "add", "move", "copy"}
# children of these are evaluated one after another (a left-deep join / union in the algebra), so each
# further child is one more level for the engine, as a nested group would be
CHAINED = {"group_graph_pattern", "group_or_union_graph_pattern"}
MAX_DEPTH = 200
PARSE_SECONDS = 0.25  # the grammar's error recovery is slow on some garbage: give up after this


class QueryRefused(PakgError):
    """A query this server will not run (federation, LOAD, foreign FROM): answered with 400."""


class UpdateRefused(PakgError):
    """A SPARQL Update: the endpoint is read-only (403)."""


@dataclass(frozen=True)
class QueryInfo:
    form: str   # SELECT, ASK, CONSTRUCT or DESCRIBE
    text: str   # the query as the guard read it: comments blanked


def _parse(data: bytes):
    parser = Parser(LANGUAGE)
    started = time.monotonic()
    try:
        return parser.parse(lambda offset, _point: data[offset:offset + 65536],
                            progress_callback=lambda *_: time.monotonic() - started > PARSE_SECONDS)
    except ValueError:  # cancelled by the callback
        raise BadQuery(f"malformed query: the parser gave up after {PARSE_SECONDS:g} s") from None


def _position(data: bytes, node: Node, end: bool = False) -> str:
    row, column = node.end_point if end else node.start_point
    line = data.split(b"\n")[row] if row < data.count(b"\n") + 1 else b""
    return f"line {row + 1}, column {len(line[:column].decode('utf-8', 'replace')) + 1}"


def _first_error(root: Node) -> Node | None:
    """The first node the parser could not read (ERROR) or had to invent (MISSING), in text order."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing or node.type == "ERROR":
            return node
        stack.extend(child for child in reversed(node.children) if child.has_error or child.is_missing)
    return None


def _walk(root: Node):
    """Every named node with its weighted depth (a chained child counts its place in the chain)."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        chained = node.type in CHAINED
        children = node.named_children
        for index in range(len(children) - 1, -1, -1):  # popped in document order
            stack.append((children[index], depth + 1 + (index if chained else 0)))


_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


def _text(data: bytes, node: Node) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", "replace")


def _iri(data: bytes, node: Node, prefixes: dict[str, str]) -> str | None:
    """The IRI an iri_reference or prefixed_name stands for (None when it depends on BASE)."""
    if node.type == "iri_reference":
        value = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), _text(data, node)[1:-1])
        return value if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", value) else None
    if node.type == "prefixed_name":
        prefix, _, local = _text(data, node).partition(":")
        if prefix not in prefixes:
            return None
        return prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    return None


def analyse(text: str, dataset_graphs: set[str] | frozenset[str], max_depth: int = MAX_DEPTH) -> QueryInfo:
    """Check a query before it runs; raise UpdateRefused, QueryRefused or BadQuery (with the position)."""
    return _analyse(text, frozenset(dataset_graphs), max_depth)


@lru_cache(maxsize=256)  # verdicts of recent texts (at most 256 × the 16 KB cap)
def _analyse(text: str, dataset_graphs: frozenset[str], max_depth: int) -> QueryInfo:
    data = text.encode("utf-8", "surrogatepass")
    root = _parse(data).root_node
    kinds = [child.type for child in root.named_children if child.type != "comment"]
    if any(kind in UPDATE_KINDS for kind in kinds):
        raise UpdateRefused("SPARQL Update is not allowed: this endpoint is read-only")
    error = _first_error(root) if root.has_error else None
    if error is not None and error.is_missing:
        raise BadQuery(f"malformed query at {_position(data, error)}: expected {error.type.replace('_', ' ')}")
    if error is not None:
        raise BadQuery(f"malformed query: cannot read it from {_position(data, error)} to "
                       f"{_position(data, error, end=True)}")
    forms = [QUERY_FORMS[kind] for kind in kinds if kind in QUERY_FORMS]
    if len(forms) != 1 or any(kind not in QUERY_FORMS and kind not in ("prologue", "values_clause")
                              for kind in kinds):
        raise BadQuery("malformed query: expected one SELECT, ASK, CONSTRUCT or DESCRIBE query")
    prefixes: dict[str, str] = {}
    blanks: list[Node] = []
    for node, depth in _walk(root):
        if depth > max_depth:
            raise BadQuery(f"the query nests too deeply (more than {max_depth} levels at "
                           f"{_position(data, node)}); split it or flatten it")
        kind = node.type
        if kind == "comment":
            blanks.append(node)
        elif kind == "service_graph_pattern":
            raise QueryRefused("SERVICE (federated query) is not allowed: this server makes no outbound requests "
                               f"({_position(data, node)})")
        elif kind == "prefix_declaration":
            names = node.named_children
            namespace = _text(data, names[0]).rstrip(":") if len(names) == 2 else ""
            iri = _iri(data, names[-1], prefixes)
            if iri is not None:
                prefixes[namespace] = iri
        elif kind in ("default_graph_clause", "named_graph_clause"):
            source = node.child_by_field_name("source_selector") or node.named_children[-1]
            if _iri(data, source, prefixes) not in dataset_graphs:
                raise QueryRefused("FROM and FROM NAMED may name only graphs of this dataset (as absolute IRIs): "
                                   + ", ".join(sorted(dataset_graphs)))
    if blanks:
        out = bytearray(data)
        for node in blanks:
            out[node.start_byte:node.end_byte] = b" " * (node.end_byte - node.start_byte)
        text = out.decode("utf-8", "replace")
    return QueryInfo(forms[0], text)


@lru_cache(maxsize=256)
def shape(text: str) -> tuple[str, bool]:
    """A query's form and whether it names its own dataset (FROM / FROM NAMED), read on the parse (for
    a client that must choose an Accept header and protocol parameters; nothing is refused here)."""
    root = _parse(text.encode("utf-8", "surrogatepass")).root_node
    queries = [child for child in root.named_children if child.type in QUERY_FORMS]
    form = QUERY_FORMS[queries[0].type] if queries else "SELECT"
    return form, any(part.type == "dataset_clause" for query in queries for part in query.named_children)
