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


class Problem(BaseModel):
    detail: str
    parameter: str | None = None
    problems: list[ParameterProblem] | None = None
    supported: list[str] | None = None


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
