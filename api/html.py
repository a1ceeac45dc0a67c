"""Small server-rendered HTML pages: the SPARQL query page and entity pages.  No SPARQL here, and no
inline script: a page's scripts are this server's own files (``_page(..., scripts)``)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from html import escape

from graph import formats
from graph.config import PREFIXES
from graph.formats import Use

# the pages' one style sheet, inline; the Content-Security-Policy allows it by its hash (STYLE_SOURCE)
STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
textarea { width: 100%; height: 14rem; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: .25rem .5rem;
  text-align: left; vertical-align: top; }
.en { color: #555; } code { font-size: .9em; }
.results { overflow-x: auto; margin-top: 1rem; } .results td { font-family: ui-monospace, monospace; font-size: .85em; }
.results .lang, .results .datatype { color: #777; font-size: .85em; } .results .bnode { color: #777; }
.problem { color: #8a1c12; } pre.excerpt { background: #fbeeec; padding: .5rem; overflow-x: auto; }
button.primary { font-weight: 600; }
"""
STYLE_SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'"


def _page(title: str, body: str, scripts: Sequence[str] = ()) -> str:
    """A page with the one style sheet; ``scripts``: this server's scripts it loads (no inline script)."""
    tags = "".join(f'<script src="{escape(src)}" defer></script>' for src in scripts)
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style>{tags}</head><body>{body}</body></html>"""


PAGE_SCRIPT = "/static/sparql-page.js"  # the Run button: runs the query and shows the answer as a table
EXPLORER_EDITOR = "/#/sparql"  # the explorer's YASGUI editor


def sparql_page(examples, base: str = "", kinds: Sequence[str] = ()) -> str:
    """The plain query page.  Its script (``PAGE_SCRIPT``) runs the query and shows the answer as a table,
    linking the IRIs of the dataset (those under ``base`` whose first step is one of ``kinds``, or the
    dataset itself) to this service's own ``/id/`` pages; without the script the form sends the query and
    the raw answer comes back in the format chosen."""
    items = "".join(
        f'<li><a class="example" href="?query={escape(_url(e.text))}&amp;format=json" data-query="{escape(e.text)}">'
        f'{escape(e.title_zh)}</a> <span class="en">{escape(e.title_en)}</span>'
        f"<details><summary>SPARQL</summary><pre>{escape(e.text)}</pre></details></li>"
        for e in examples
    )
    first = escape(examples[0].text) if examples else ""
    options = "".join(
        f'<option value="{escape(f.name)}">{escape(f.label)}</option>' for f in formats.listed(Use.ANSWER)
    )
    prefixes = escape(json.dumps(PREFIXES, separators=(",", ":")))
    body = f"""<h1>SPARQL 查询 <span class="en">SPARQL query</span></h1>
<p>对口支援知识图谱的只读 SPARQL 1.1 端点。<span class="en">The read-only SPARQL 1.1 endpoint of the
paired-assistance knowledge graph.</span>
<a id="editor" href="{EXPLORER_EDITOR}">在 YASGUI 编辑器中打开 <span class="en">open in the YASGUI editor</span></a></p>
<form id="sparql-form" method="get" action="" data-base="{escape(base)}" data-kinds="{escape(" ".join(kinds))}"
 data-prefixes="{prefixes}">
<textarea name="query" id="query" aria-label="SPARQL query" spellcheck="false">{first}</textarea>
<p><button type="submit" id="run" class="primary">运行 <span class="en">Run</span></button>
<label>结果格式 <span class="en">format</span>
<select name="format" id="format">{options}</select></label>
<button type="submit" id="raw" formtarget="_blank">原始结果 <span class="en">raw answer</span></button></p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<div id="problem" class="problem" hidden><p id="problem-detail"></p>
<pre class="excerpt" id="problem-excerpt"></pre></div>
<div id="results" class="results"></div>
<h2>示例查询 <span class="en">Example queries</span></h2><ul>{items}</ul>"""
    return _page("SPARQL — pakg", body, [PAGE_SCRIPT])


def _url(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def entity_page(
    title_zh: str,
    title_en: str,
    iri: str,
    rows: list[tuple[str, str, str | None]],
    incoming: list[tuple[str, str, str | None]],
    explorer: str | None = None,
) -> str:
    """rows: (property label, value text, link or None); explorer: this entity's view in the explorer."""

    def table(items):
        return (
            "<table>"
            + "".join(
                f"<tr><th>{escape(p)}</th><td>"
                + (f'<a href="{escape(link)}">{escape(v)}</a>' if link else escape(v))
                + "</td></tr>"
                for p, v, link in items
            )
            + "</table>"
        )

    body = (
        f'<h1>{escape(title_zh)} <span class="en">{escape(title_en)}</span></h1>'
        f'<p><code>{escape(iri)}</code> · <a href="?format=turtle">Turtle</a> · '
        f'<a href="?format=jsonld">JSON-LD</a>'
        + (
            f' · <a class="explorer" href="{escape(explorer)}">在浏览器中查看 / open in the explorer</a>'
            if explorer
            else ""
        )
        + "</p>"
        f'<h2>描述 <span class="en">Description</span></h2>{table(rows)}'
        f'<h2>被引用 <span class="en">Referred to by</span></h2>{table(incoming)}'
    )
    return _page(f"{title_zh} / {title_en}", body)
