"""Dependencies the routers share: the request's snapshot of the dataset, the language of labels,
pagination, the facts an answer may rest on (confidence, kinds of sources, stated years), and the JSON
answer."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from graph.readmodel import CONFIDENCE_LEVELS, SOURCE_KINDS, FactFilter

from .answers import Shared
from .dataset import Snapshot
from .negotiation import label_language


class JSON(JSONResponse):
    """A JSON answer rendered by orjson, straight from the dicts of ``api.answers``."""

    def render(self, content) -> bytes:
        return orjson.dumps(content)


async def snapshot(request: Request) -> Snapshot:
    """The version of the dataset this request is answered from: fixed when the request starts, so
    that a reload never mixes two versions in one answer (and the version header names the one used).
    Routers take it as a dependency (``Depends(snapshot)``), which tests may override.  (A coroutine,
    so that FastAPI calls it in the event loop rather than handing a plain function to a thread.)"""
    return request.scope.get("pakg.snapshot") or request.app.state.dataset.current


async def answer(request: Request, snap: Snapshot, fn: Callable[..., dict], *args) -> JSON:
    """The JSON answer of ``fn(answers, *args)`` for this request, with labels in its language.  Over
    an embedded store the work is in memory (micro- to milliseconds), cheaper done at once than handed
    to a thread; over a remote endpoint it waits on the network, so it goes to the thread pool and the
    event loop keeps serving."""
    lang = language(request)
    if snap.engine.embedded:
        return JSON(localise(fn(snap.answers, *args), lang))
    return JSON(localise(await run_in_threadpool(fn, snap.answers, *args), lang))


def language(request: Request) -> str:
    """'zh' or 'en', from Accept-Language by q-value; English when nothing fits."""
    return label_language(request.headers.get("accept-language"))


def localise(value, lang: str):
    """Add ``label`` (the chosen language) beside every ``label_zh`` / ``label_en`` pair, recursively.
    Returns a copy (parts of answers are shared between requests); scalars are not visited one
    by one, which keeps this cheap on answers of thousands of values.  A part shared
    between answers (``Shared``) is localised once per language and reused as it is."""
    chosen = "label_zh" if lang == "zh" else "label_en"
    nested = (dict, list, Shared)

    def walk(node):
        kind = type(node)
        if kind is list:
            return [walk(v) if type(v) in nested else v for v in node]
        if kind is Shared:
            found = node.localised.get(lang)
            if found is None:
                found = node.localised[lang] = copy(node)
            return found
        return copy(node)

    def copy(node):
        out = {k: walk(v) if type(v) in nested else v for k, v in node.items()}
        if "label_zh" in node and "label_en" in node:
            out["label"] = node[chosen]
        return out

    return walk(value) if type(value) in nested else value


class Page:
    def __init__(self, limit: int = 50, offset: int = 0):
        self.limit, self.offset = limit, offset

    def apply(self, items: list, build: Callable | None = None) -> dict:
        """This page of ``items``; ``build`` (when given) turns each item of the page, and only those,
        into its answer form."""
        chosen = items[self.offset : self.offset + self.limit]
        return {
            "total": len(items),
            "limit": self.limit,
            "offset": self.offset,
            "items": chosen if build is None else [build(i) for i in chosen],
        }


async def page(
    limit: int = Query(50, ge=1, le=1000, description="items per page"),
    offset: int = Query(0, ge=0, le=2**53, description="items to skip"),
) -> Page:
    return Page(limit, offset)


async def facts(
    min_confidence: str | None = Query(
        None,
        max_length=20,
        description="leave out facts below this confidence",
        json_schema_extra={"enum": list(CONFIDENCE_LEVELS)},
    ),
    exclude_source_kind: list[str] = Query(
        [],
        max_length=len(SOURCE_KINDS),
        description="leave out facts resting only on sources of this kind (repeat for several)",
        json_schema_extra={"items": {"type": "string", "enum": list(SOURCE_KINDS), "maxLength": 40}},
    ),
    stated_years_only: bool = Query(False, description="the year filter uses only years a source states"),
) -> FactFilter:
    """The facts a list may rest on; the read model refuses an unknown level or kind (422 naming it)."""
    return FactFilter(min_confidence, frozenset(exclude_source_kind), stated_years_only)
