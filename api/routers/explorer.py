"""The explorer page at / and the files it needs: our own script and style, and the npm libraries.

The page (``web/index.html``) is served with the dataset's description as a schema.org ``Dataset`` in a
``<script type="application/ld+json">`` data block in its head (``graph.dataset_description.schema_org``;
what dataset search engines read): a data block is not executed, so the page's Content-Security-Policy
(scripts from this server only, no inline script) does not apply to it."""

from __future__ import annotations

import json
import logging

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from graph import dataset_description, queries
from graph.config import ROOT
from graph.errors import NotFound
from graph.metadata import load_metadata

from .. import schemas
from ..dataset import Snapshot
from ..deps import snapshot
from .entities import dumps, service_urls

log = logging.getLogger(__name__)
router = APIRouter(tags=["explorer"])
WEB = ROOT / "web"
STATIC = {
    "app.js": "text/javascript",
    "style.css": "text/css",
    "i18n.js": "text/javascript",
    "docs.js": "text/javascript",
    "docs.css": "text/css",
    "sparql-page.js": "text/javascript",
    "map.js": "text/javascript",
}
# the only files served from web/node_modules (installed from the npm registry by `make serve`; the wheel
# carries these same files): name → (path under node_modules, media type)
VENDOR: dict[str, list[str]] = json.loads((WEB / "vendor.json").read_text())


@router.get("/", include_in_schema=False)
def page(snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    return HTMLResponse(snap.model.memo("explorer-page", snap.settings.base_url(), lambda: home_page(snap)))


def home_page(snap: Snapshot) -> str:
    """web/index.html with the dataset's schema.org description in its head."""
    _, landing = service_urls(snap)
    described = dataset_description.schema_org(
        snap.engine, snap.model, load_metadata(), snap.base, landing, dumps(snap)
    )
    # JSON inside <script>: no "<" at all, so neither </script> nor <!-- can end or change the block
    text = json.dumps(described, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    block = f'<script type="application/ld+json" id="dataset-description">\n{text}\n</script>\n'
    html = (WEB / "index.html").read_text(encoding="utf-8")
    return html.replace("</head>", block + "</head>", 1)


# A file not in these lists (a package.json, a source map, a directory), or not installed, is the
# same short 404 that names nothing: what the explorer is built from is not for the public to read.
NO_FILE = "no such file"


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> FileResponse:
    if name not in STATIC:
        raise NotFound(NO_FILE)
    return FileResponse(WEB / "static" / name, media_type=STATIC[name])


@router.get("/vendor/{name}", include_in_schema=False)
def vendor(name: str) -> FileResponse:
    if name not in VENDOR:
        raise NotFound(NO_FILE)
    path, media = VENDOR[name]
    file = WEB / "node_modules" / path
    if not file.is_file():
        log.warning("/vendor/%s is not installed: run 'make serve' (npm install in web/)", name)
        raise NotFound(NO_FILE)
    return FileResponse(file, media_type=media)


@router.get(
    "/sparql/examples",
    tags=["sparql"],
    summary="Bilingual example queries",
    response_model=None,
    responses={200: {"model": list[schemas.ExampleQuery], "description": "the example queries"}},
)
def examples() -> JSONResponse:
    return JSONResponse(
        [{"name": e.name, "title_zh": e.title_zh, "title_en": e.title_en, "text": e.text} for e in queries.examples()]
    )


FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="4" cy="8" r="3" fill="#b3261e"/>'
    '<circle cx="12" cy="8" r="3" fill="#4c72b0"/><path d="M7 8h2" stroke="#1d2733" stroke-width="1.5"/></svg>'
)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(FAVICON, media_type="image/svg+xml")
