"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served from npm packages
installed beside the explorer's: no CDN.

Each page is our own HTML: the explorer's header (bilingual, with a link back to the explorer and
between the two pages), the tool's files from ``/vendor/`` (``web/vendor.json``) and our style
(``/static/docs.css``); the tool is started by ``/static/docs.js``, which reads what it needs from the
page's ``data-`` attributes — no inline script, so the page's Content-Security-Policy allows scripts
from this server only (``api.security.DOCS_POLICY``)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Tool:
    """One documentation page: its path, the tool's name, its element's id and its vendor files."""

    path: str
    name: str
    element: str
    scripts: tuple[str, ...]
    styles: tuple[str, ...]
    title_zh: str
    title_en: str
    words_zh: str  # which of the tool's own words follow the reader's language
    words_en: str


SWAGGER = Tool(
    "/docs",
    "Swagger UI",
    "swagger-ui",
    ("/vendor/swagger-ui-bundle.js",),
    ("/vendor/swagger-ui.css",),
    "接口文档（可试用）",
    "API reference (try it out)",
    "Swagger UI 自身的界面文字为英文（它不提供其他语言）。",
    "Swagger UI's own wording is in English (it offers no other language).",
)
REDOC = Tool(
    "/redoc",
    "ReDoc",
    "redoc",
    ("/vendor/redoc.standalone.js",),
    (),
    "接口文档（阅读版）",
    "API reference (reading view)",
    "ReDoc 的栏目名称（响应、示例、默认值等）随所选语言切换，其余界面文字为英文。",
    "ReDoc's headings (responses, samples, defaults…) follow the language chosen; its other words are English.",
)
TOOLS = (SWAGGER, REDOC)


def _both(zh: str, en: str) -> str:
    """A text in both languages; the page's style shows the one the reader chose (docs.js sets it)."""
    return f'<span class="t-zh" lang="zh-Hans">{escape(zh)}</span><span class="t-en" lang="en">{escape(en)}</span>'


def docs_page(tool: Tool, root: str, openapi_url: str, version: str) -> str:
    """The HTML of one documentation page; ``root`` is the service's root path ("" unless behind a proxy
    that mounts it under a prefix), every link and file is under it."""
    links = "".join(
        f'<a href="{escape(root + t.path)}"' + (' aria-current="page"' if t is tool else "") + f">{escape(t.name)}</a>"
        for t in TOOLS
    )
    styles = "".join(f'<link rel="stylesheet" href="{escape(root + s)}">\n' for s in (*tool.styles, "/static/docs.css"))
    scripts = "".join(f'<script src="{escape(root + s)}"></script>\n' for s in (*tool.scripts, "/static/docs.js"))
    intro = _both(
        "对口支援知识图谱的 HTTP 接口：REST 问答、SPARQL 端点、网络与导出。每个 IRI 都可在 /id/ 下解引用。"
        f"本页由本服务自带的文件生成，无需外部网络。{tool.words_zh}",
        "The HTTP interface of the paired-assistance knowledge graph: questions as REST, the SPARQL endpoint, "
        "networks and exports; every IRI dereferences under /id/. This page is served with its own files, "
        f"no outside network. {tool.words_en}",
    )
    missing = _both(
        f"{tool.name} 未安装：请在 web/ 中运行 npm ci（或 make serve）。",
        f"{tool.name} is not installed: run npm ci in web/ (or make serve).",
    )
    return f"""<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(tool.title_zh)} · {escape(tool.title_en)} — pakg {escape(tool.name)}</title>
<link rel="icon" href="{escape(root)}/favicon.ico" type="image/svg+xml">
{styles}</head>
<body class="docs" data-tool="{escape(tool.element)}" data-openapi="{escape(root + openapi_url)}">
<header class="docs-header">
  <a class="brand" href="{escape(root)}/">{_both("对口支援知识图谱", "Paired-assistance knowledge graph")}</a>
  <nav aria-label="API">
    <a class="back" href="{escape(root)}/">← {_both("返回浏览器", "Back to the explorer")}</a>
    {links}
    <a href="{escape(root + openapi_url)}">OpenAPI JSON</a>
    <a href="{escape(root)}/sparql">SPARQL</a>
  </nav>
  <div class="lang" role="group" aria-label="语言 / language">
    <button type="button" data-lang="zh">中文</button><button type="button" data-lang="en">English</button>
  </div>
</header>
<section class="docs-intro">
  <h1>{_both(tool.title_zh, tool.title_en)} <span class="version">v{escape(version)}</span></h1>
  <p>{intro}</p>
  <p class="docs-missing" hidden>{missing}</p>
</section>
<main id="{escape(tool.element)}"></main>
{scripts}</body>
</html>
"""


def _answer(tool: Tool, request: Request) -> HTMLResponse:
    app = request.app
    root = request.scope.get("root_path", "").rstrip("/")
    return HTMLResponse(docs_page(tool, root, app.openapi_url or "/openapi.json", app.version))


@router.get(SWAGGER.path)
def swagger(request: Request) -> HTMLResponse:
    """Swagger UI: every operation, with a form to try it."""
    return _answer(SWAGGER, request)


@router.get(REDOC.path)
def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the same document as one reading page, with search."""
    return _answer(REDOC, request)
