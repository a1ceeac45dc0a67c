"""Dependencies the routers share: the catalog, the language of labels, pagination."""
from __future__ import annotations

from fastapi import Query, Request

from graph.catalog import Catalog


def snapshot(request: Request):
    """The dataset this request is answered from: fixed when the request starts, so that a reload
    never mixes two versions in one answer (and the version header names the one used)."""
    return request.scope.get("pakg.snapshot") or request.app.state.current


def catalog(request: Request) -> Catalog:
    return snapshot(request).catalog


def language(request: Request) -> str:
    """'zh' or 'en', from Accept-Language by q-value; English when nothing fits."""
    best, best_q = "en", -1.0
    for order, part in enumerate(request.headers.get("accept-language", "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        lang = "zh" if tag.startswith("zh") else "en" if tag.startswith("en") else None
        if lang and q > best_q:
            best, best_q = lang, q
    return best


def localise(value, lang: str):
    """Add ``label`` (the chosen language) beside every ``label_zh`` / ``label_en`` pair, recursively."""
    if isinstance(value, dict):
        out = {k: localise(v, lang) for k, v in value.items()}
        if "label_zh" in value and "label_en" in value:
            out["label"] = value["label_zh"] if lang == "zh" else value["label_en"]
        return out
    if isinstance(value, list):
        return [localise(v, lang) for v in value]
    return value


class Page:
    def __init__(self, limit: int = Query(50, ge=1, le=1000, description="items per page"),
                 offset: int = Query(0, ge=0, description="items to skip")):
        self.limit, self.offset = limit, offset

    def apply(self, items: list) -> dict:
        return {"total": len(items), "limit": self.limit, "offset": self.offset,
                "items": items[self.offset:self.offset + self.limit]}
