"""The one error body every endpoint answers with, declared in the OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel

from graph.errors import PakgError
from graph.sparql import TooLarge


class QueryTooLong(TooLarge):
    """A query text over its cap: 414 when it came in the URL, else 413."""

    def __init__(self, message: str, in_url: bool):
        super().__init__(message)
        self.status = 414 if in_url else 413


class TooManyRequests(PakgError):
    """Too many queries in flight from one client (429)."""


class ParameterProblem(BaseModel):
    parameter: str
    message: str


class Candidate(BaseModel):
    """A resource an unknown or ambiguous name may have meant (``candidates`` of a 422)."""

    id: str
    kind: str
    label_zh: str | None = None
    label_en: str | None = None
    level: str | None = None


class Problem(BaseModel):
    detail: str
    parameter: str | None = None
    candidates: list[Candidate] | None = None  # a name that is unknown (the closest first) or ambiguous
    problems: list[ParameterProblem] | None = None
    supported: list[str] | None = None
    # a SPARQL syntax error: where (line and column from 1, in characters) and the text there with a caret
    line: int | None = None
    column: int | None = None
    excerpt: str | None = None


def responses(*statuses: int) -> dict:
    text = {
        400: "Malformed or refused query",
        403: "Read-only: updates are refused",
        404: "No such resource",
        406: "No acceptable format (the body lists what is supported)",
        413: "Query, body or answer too large",
        414: "Query too long for a URL",
        415: "Unsupported request body",
        429: "Too many queries in flight",
        422: "A bad parameter, named in `parameter`",
        503: "Query stopped at the time limit, or busy",
    }
    return {status: {"model": Problem, "description": text[status]} for status in statuses}
