"""Dependencies the routers share: the catalog, the language of labels, pagination."""
from __future__ import annotations

from typing import Callable

import orjson
from fastapi import Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.accept import accept_entries
from graph.catalog import Catalog, Shared


class JSON(JSONResponse):
    """A JSON answer rendered by orjson, straight from the dicts the catalog returns."""

    def render(self, content) -> bytes:
        return orjson.dumps(content)


async def answer(request: Request, fn: Callable[..., dict], *args) -> "JSON":
    """The JSON answer of ``fn(catalog, *args)`` for this request, with labels in its language.  Over
    an embedded store the work is in memory (micro- to milliseconds), cheaper done at once than handed
    to a thread; over a remote endpoint it waits on the network, so it goes to the thread pool and the
    event loop keeps serving."""
    cat, lang = context(request)
    if snapshot(request).engine.embedded:
        return JSON(localise(fn(cat, *args), lang))
    return JSON(localise(await run_in_threadpool(fn, cat, *args), lang))


def snapshot(request: Request):
    """The dataset this request is answered from: fixed when the request starts, so that a reload
    never mixes two versions in one answer (and the version header names the one used)."""
    return request.scope.get("pakg.snapshot") or request.app.state.current


def context(request: Request) -> tuple[Catalog, str]:
    """The catalog of this request's dataset and the language of its labels (plain calls rather than
    FastAPI dependencies: they declare no parameters, and a dependency costs a little on every request)."""
    return snapshot(request).catalog, language(request)


def language(request: Request) -> str:
    """'zh' or 'en', from Accept-Language by q-value; English when nothing fits."""
    return label_language(request.headers.get("accept-language"))


def label_language(accept_language: str | None) -> str:
    """'zh' or 'en': the first of them by q-value among the header's entries (read by
    ``accept_entries``, bounded); English when nothing fits."""
    for tag, _ in accept_entries(accept_language):  # highest q first
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"


def localise(value, lang: str):
    """Add ``label`` (the chosen language) beside every ``label_zh`` / ``label_en`` pair, recursively.
    Returns a copy (the catalog's own dicts are shared between requests); scalars are not visited one
    by one, which keeps this cheap on answers of thousands of values.  A part the catalog shares
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
        chosen = items[self.offset:self.offset + self.limit]
        return {"total": len(items), "limit": self.limit, "offset": self.offset,
                "items": chosen if build is None else [build(i) for i in chosen]}


async def page(limit: int = Query(50, ge=1, le=1000, description="items per page"),
               offset: int = Query(0, ge=0, le=2**53, description="items to skip")) -> Page:
    return Page(limit, offset)
