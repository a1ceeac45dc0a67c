"""Named SPARQL queries: one ``.rq`` file each under ``graph/queries/``.

Each file starts with a comment that says what it answers and, on a line
``# Parameters: ?name (IRI of …), …`` or ``# Parameters: ?text (a plain string)``,
the variables a caller must bind.  Values are passed as bindings, never pasted
into the query text; each file is read and checked once per process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pyoxigraph as ox

from .config import QUERY_DIR, XSD
from .errors import BadQuery, UnknownName
from .terms import SelectingEngine

PARAM = re.compile(r"\?(\w+) \(([^)]*)\)")


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: dict[str, str]  # variable -> "iri" | "literal"

    def bindings(self, values: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        missing = set(self.params) - set(values)
        unknown = set(values) - set(self.params)
        if missing or unknown:
            raise UnknownName(
                f"query '{self.name}' takes {sorted(self.params) or 'no parameters'}; "
                f"missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        return {k: ox.NamedNode(v) if self.params[k] == "iri" else ox.Literal(v) for k, v in values.items()}


@cache
def named_queries() -> dict[str, NamedQuery]:
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        params: dict[str, str] = {}
        for line in header:
            if line.startswith("Parameters:"):
                params = {name: ("iri" if "IRI" in desc else "literal") for name, desc in PARAM.findall(line)}
        try:  # every named query must parse; a broken file fails at start-up, not on a request
            ox.Store().query(text)
        except SyntaxError as exc:
            raise BadQuery(f"{path.name}: SPARQL syntax {exc}") from exc
        out[path.stem] = NamedQuery(path.stem, text, " ".join(header), params)
    return out


def get(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise UnknownName(f"no named query '{name}' (known: {', '.join(named_queries())})") from None


def run(engine: SelectingEngine, name: str, **values: str) -> list[dict[str, Any]]:
    """Run a named query with its parameters bound; rows of plain Python values."""
    query = get(name)
    rows = engine.select(query.text, query.bindings(values))
    return [{k: to_python(v) for k, v in row.items()} for row in rows]


INTEGERS = {XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "gYear")}


def to_python(term) -> Any:
    """A pyoxigraph term as a plain value: IRIs and strings as str, integers and years as int."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in INTEGERS:
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt == XSD + "decimal" or dt == XSD + "double":
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value == "true"
        return term.value
    return term.value


@dataclass(frozen=True)
class Example:
    name: str
    title_zh: str
    title_en: str
    text: str


@lru_cache(maxsize=1)
def examples() -> tuple[Example, ...]:
    """Bilingual example queries (graph/queries/examples/*.rq) for the query page and the explorer."""
    out = []
    for path in sorted((QUERY_DIR / "examples").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = dict(re.findall(r"^# (title_zh|title_en): (.+)$", text, re.M))
        out.append(Example(path.stem, titles["title_zh"], titles["title_en"], text))
    return tuple(out)
