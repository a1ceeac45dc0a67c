"""Small server-rendered HTML pages: the SPARQL query page and entity pages.  No SPARQL here."""

from __future__ import annotations

import base64
import hashlib
from html import escape

# the pages' one style sheet, inline; the Content-Security-Policy allows it by its hash (STYLE_SOURCE)
STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
textarea { width: 100%; height: 14rem; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: .25rem .5rem;
  text-align: left; vertical-align: top; }
.en { color: #555; } code { font-size: .9em; }
"""
STYLE_SOURCE = "'sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode() + "'"


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<style>{STYLE}</style></head><body>{body}</body></html>"""


def sparql_page(examples) -> str:
    items = "".join(
        f'<li><a href="?query={escape(_url(e.text))}&amp;format=json">{escape(e.title_zh)}</a>'
        f' <span class="en">{escape(e.title_en)}</span>'
        f"<details><summary>SPARQL</summary><pre>{escape(e.text)}</pre></details></li>"
        for e in examples
    )
    first = escape(examples[0].text) if examples else ""
    body = f"""<h1>SPARQL 查询 <span class="en">SPARQL query</span></h1>
<p>对口支援知识图谱的只读 SPARQL 1.1 端点。<span class="en">The read-only SPARQL 1.1 endpoint of the
paired-assistance knowledge graph.</span></p>
<form method="get" action="">
<textarea name="query" aria-label="SPARQL query">{first}</textarea>
<p><label>结果格式 <span class="en">format</span>
<select name="format"><option>json</option><option>xml</option><option>csv</option><option>tsv</option>
<option>turtle</option><option>ntriples</option><option>jsonld</option><option>rdfxml</option></select></label>
<button type="submit">运行 <span class="en">Run</span></button></p>
</form>
<h2>示例查询 <span class="en">Example queries</span></h2><ul>{items}</ul>"""
    return _page("SPARQL — pakg", body)


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
