"""The API's documentation pages work with no network beyond this server, and no HTML page the service
serves loads anything from elsewhere.

* Every HTML page — found by walking the app's GET routes (its path parameters filled from the values
  the OpenAPI document enumerates, from the listings' first ids and from the links of the pages already
  seen), not from a list written here — loads scripts, style sheets and other resources from this
  server only, runs no inline script (its Content-Security-Policy allows none) and every file it names
  is served.
* /docs (Swagger UI) and /redoc (ReDoc), in headless Chromium with every request not to the live
  loopback server aborted (and the host resolver mapping every other name nowhere), list every
  operation of /openapi.json; none of their requests went elsewhere, and the browser reported no
  Content-Security-Policy violation and no error.
* The pages are the explorer's: a header in both languages with a link back to the explorer, and the
  explorer's "API" link leads to them."""

from __future__ import annotations

import re
import warnings
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import CSP_WATCH, chromium

from api.routers.explorer import VENDOR
from graph.config import DEFAULT_BASE

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PER_TEMPLATE = 2  # pages fetched per route template and first path value (e.g. two /id/actor/… pages)
MAX_PAGES = 400  # a bound on the walk
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --- the routes ------------------------------------------------------------------------------------


def get_templates(routes, prefix: str = "") -> list[str]:
    """The path templates of every GET route, those left out of the OpenAPI document included (FastAPI's
    included routers are walked whatever their shape: an ``_IncludedRouter`` wrapper or plain routes)."""
    out: list[str] = []
    for route in routes:
        if hasattr(route, "original_router"):  # FastAPI ≥ 0.16x keeps an included router as one entry
            out += get_templates(route.original_router.routes, prefix + route.include_context.prefix)
        elif "GET" in (getattr(route, "methods", None) or ()):
            out.append(prefix + route.path)
        elif hasattr(route, "routes"):  # a Mount
            out += get_templates(route.routes, prefix + getattr(route, "path", ""))
    return out


def pattern(template: str) -> re.Pattern:
    """The regular expression of a path template: {name} one segment, {name:path} the rest."""
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        ("(.+)" if ":path" in part else "([^/]+)") if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(regex + "$")


def enumerated_paths(template: str, spec: dict) -> list[str]:
    """The template filled with the values its OpenAPI document enumerates for every path parameter."""
    operation = spec["paths"].get(template, {}).get("get")
    if not operation:
        return []
    values: dict[str, list[str]] = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        schema = parameter.get("schema", {})
        enum = next((part["enum"] for part in (schema, *schema.get("anyOf", [])) if part.get("enum")), None)
        if not enum:
            return []
        values[parameter["name"]] = [str(v) for v in enum]
    if not values:
        return []
    name, options = next(iter(values.items()))  # a few values of the first, one of the others: the page's form
    return [
        template.format(**{n: (o if n == name else vs[0]) for n, vs in values.items()}) for o in options[:PER_TEMPLATE]
    ]


def listing_paths(template: str, client) -> list[str]:
    """``/things/{id}`` (and deeper) filled with the first id the listing ``/things`` gives."""
    match = re.match(r"^(/[^{}]+)/\{(\w+)\}", template)
    if not match:
        return []
    answer = client.get(match.group(1), params={"limit": 1}, headers={"Accept": "application/json"})
    if answer.status_code != 200 or "json" not in answer.headers.get("content-type", ""):
        return []
    body = answer.json()
    items = body.get("items") if isinstance(body, dict) else body
    if not items or not isinstance(items[0], dict) or not items[0].get("id"):
        return []
    return [re.sub(r"\{[^}]+\}", str(items[0]["id"]), template, count=1)]


# --- the pages ---------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What an HTML page loads (scripts, style sheets, icons, images, frames…), its inline scripts and
    the links it gives."""

    LOADS = {
        ("script", "src"),
        ("img", "src"),
        ("iframe", "src"),
        ("source", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("audio", "src"),
        ("video", "src"),
        ("track", "src"),
        ("frame", "src"),
    }

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.links: list[str] = []
        self.inline: list[str] = []  # the types of <script> elements without src
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for t, attribute in self.LOADS:
            if tag == t and a.get(attribute):
                self.loads.append(a[attribute])
        if tag == "link" and a.get("href"):
            rel = set(a.get("rel", "").lower().split())
            if rel & {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}:
                self.loads.append(a["href"])
            else:
                self.links.append(a["href"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "script" and not a.get("src"):
            self.inline.append(a.get("type", "").lower())
        for attribute in ("srcset",):
            if a.get(attribute):
                self.loads += [part.strip().split()[0] for part in a[attribute].split(",") if part.strip()]


def same_origin(url: str, base: str) -> bool:
    return urlsplit(url)[:2] == urlsplit(base)[:2]


# the dataset's namespace (its IRIs dereference on this server: /id/…, /ontology/…)
NAMESPACE = DEFAULT_BASE.removesuffix("id/")
IRI = re.compile(re.escape(NAMESPACE) + r"[^\s\"'<>()\\#]+")

# scripts that are data, which a browser does not run (and a CSP does not govern)
DATA_SCRIPTS = {"application/ld+json", "application/json", "text/plain"}


def walk_html_pages(client) -> tuple[dict[str, object], set[str]]:
    """Every HTML page reached from the app's GET routes: {url path: (response, parsed page)}, and the
    templates that were requested at least once."""
    spec = client.get("/openapi.json").json()
    templates = get_templates(client.app.routes)
    patterns = [(t, pattern(t)) for t in templates if "{" in t]
    queue: deque[str] = deque(t for t in templates if "{" not in t)
    for t in templates:
        if "{" in t:
            queue += enumerated_paths(t, spec) or listing_paths(t, client)
    seen: set[str] = set()
    taken: dict[tuple[str, str], int] = {}
    reached: set[str] = set()
    pages: dict[str, object] = {}
    failed: list[str] = []
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        for t, p in patterns:
            if p.match(path):
                reached.add(t)
        if "{" not in path:
            reached.add(path)
        try:
            answer = client.get(path, headers={"Accept": BROWSER_ACCEPT})
        except Exception as exc:  # a JSON route's own fault, which test_every_route reports: not a page
            failed.append(f"GET {path}: {exc!r}"[:300])
            continue
        media = answer.headers.get("content-type", "")
        found: list[str] = []
        if media.startswith("text/html"):
            parsed = Page()
            parsed.feed(answer.text)
            pages[path] = (answer, parsed)
            found += [urljoin(str(answer.url), link) for link in parsed.links]
        if "json" in media or media.startswith("text/"):
            # the dataset's IRIs an answer names, as this server's paths
            found += ["http://local/" + iri.removeprefix(NAMESPACE) for iri in IRI.findall(answer.text)]
        for target in found:
            if not (same_origin(target, str(answer.url)) or target.startswith("http://local/")):
                continue
            target_path = urlsplit(target).path
            for t, p in patterns:
                match = p.match(target_path)
                if match:
                    key = (t, match.group(1).split("/")[0])  # e.g. (/id/{kind}/{ident}, actor)
                    if taken.get(key, 0) < PER_TEMPLATE and target_path not in seen:
                        taken[key] = taken.get(key, 0) + 1
                        queue.append(target_path)
                    break
    for failure in failed:
        warnings.warn(failure, stacklevel=2)
    return pages, reached


@pytest.fixture(scope="module")
def html_pages(client):
    return walk_html_pages(client)


def test_the_walk_reaches_every_get_route_and_the_html_pages(client, html_pages):
    pages, reached = html_pages
    templates = get_templates(client.app.routes)
    # the files a page loads are checked below, through the pages that name them
    unreached = [t for t in templates if t not in reached and not t.startswith(("/static/", "/vendor/"))]
    assert unreached == [], f"routes the walk did not request: {unreached}"
    for path in ("/", "/docs", "/redoc"):  # the pages this part is about: certainly among them
        assert path in pages, path
    assert len(pages) >= 10, sorted(pages)


def test_every_html_page_loads_only_files_of_this_server_and_runs_no_inline_script(client, html_pages):
    pages, _ = html_pages
    checked: dict[str, int] = {}
    problems: list[str] = []
    for path, (answer, parsed) in pages.items():
        url = str(answer.url)
        policy = answer.headers.get("content-security-policy", "")
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        if not policy:
            problems.append(f"{path}: no Content-Security-Policy")
        for name in ("script-src", "style-src", "default-src", "img-src", "font-src", "connect-src"):
            hosts = [s for s in directives.get(name, []) if not s.startswith("'") and s not in ("data:", "blob:")]
            if hosts:
                problems.append(f"{path}: {name} allows {hosts}")
        if "'unsafe-inline'" in directives.get("script-src", []) or "'unsafe-eval'" in directives.get("script-src", []):
            problems.append(f"{path}: script-src allows inline or eval")
        for kind in parsed.inline:
            if kind not in DATA_SCRIPTS:
                problems.append(f"{path}: an inline <script type={kind!r}>")
        for ref in parsed.loads:
            target = urljoin(url, ref)
            if not same_origin(target, url):
                problems.append(f"{path}: loads {ref} from elsewhere")
                continue
            if target not in checked:
                checked[target] = client.get(target).status_code
            if checked[target] != 200:
                problems.append(f"{path}: {ref} answers {checked[target]}")
    assert problems == [], "\n".join(problems)
    # the documentation pages' own files were among those checked
    loaded = {urlsplit(u).path for u in checked}
    assert {"/static/docs.js", "/static/docs.css"} <= loaded
    assert {f"/vendor/{name}" for name in VENDOR} <= loaded, "a vendor file no page loads"


@pytest.mark.parametrize("path, other", [("/docs", "/redoc"), ("/redoc", "/docs")])
def test_the_docs_pages_are_the_explorers_bilingual_with_a_way_back(client, path, other):
    answer = client.get(path)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    parsed = Page()
    parsed.feed(answer.text)
    assert "/" in parsed.links and other in parsed.links and "/openapi.json" in parsed.links
    text = answer.text
    assert "返回浏览器" in text and "Back to the explorer" in text
    assert 'data-lang="zh"' in text and 'data-lang="en"' in text
    assert "/static/docs.js" in parsed.loads and "/static/docs.css" in parsed.loads
    assert 'data-openapi="/openapi.json"' in text
    assert "cdn" not in text.lower()
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "http" not in policy


def test_the_explorers_api_link_leads_to_the_docs(client):
    parsed = Page()
    parsed.feed(client.get("/").text)
    api = [link for link in parsed.links if urlsplit(link).path in ("/docs", "/redoc")]
    assert api, "the explorer has no link to the API pages"
    for link in api:
        assert client.get(link).status_code == 200


def test_the_vendor_files_are_pinned_npm_packages():
    import json

    root = Path(__file__).resolve().parent.parent / "web"
    package = json.loads((root / "package.json").read_text())
    lock = json.loads((root / "package-lock.json").read_text())
    for name in ("swagger-ui-dist", "redoc"):
        version = package["dependencies"][name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert any(path.startswith(f"{name}/") for path, _ in VENDOR.values()), name


@pytest.mark.skipif(
    not (Path(__file__).resolve().parent.parent / "web" / "node_modules").is_dir(),
    reason="the explorer's libraries are not installed (make web)",
)
def test_the_wheel_carries_the_docs_pages_files(tmp_path):
    """What /docs and /redoc load travels in the wheel (setup.py copies web/static and every vendor.json file)."""
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parent.parent
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(root)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    names = set(zipfile.ZipFile(next(tmp_path.glob("pakg-*.whl"))).namelist())
    wanted = {f"graph/_resources/web/node_modules/{path}" for path, _ in VENDOR.values()}
    wanted |= {"graph/_resources/web/static/docs.js", "graph/_resources/web/static/docs.css", "api/routers/docs.py"}
    assert wanted <= names, sorted(wanted - names)


# --- in Chromium, with the network switched off --------------------------------------------------------

playwright = pytest.importorskip("playwright.sync_api")
# no name resolves but the loopback address: the network is off whatever the page asks for
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def browser():
    with chromium(OFFLINE) as launched:
        yield launched


@pytest.fixture()
def offline(browser, server):
    """A page whose every request not to the live server is aborted (and recorded)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    elsewhere: list[str] = []
    problems: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(server + "/") or url.startswith(("data:", "blob:")):
            return r.continue_()
        elsewhere.append(url)
        return r.abort("internetdisconnected")

    context.route("**/*", route)
    context.expose_binding("pakgCspViolation", lambda source, text: problems.append(f"CSP: {text}"))
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on(
        "request",
        lambda req: elsewhere.append(req.url) if not req.url.startswith((server + "/", "data:", "blob:")) else None,
    )
    page.base = server
    yield page
    context.close()
    assert sorted(set(elsewhere)) == [], "the page tried to reach beyond this server"
    assert problems == [], problems


def operations(server: str) -> set[tuple[str, str]]:
    import httpx

    spec = httpx.get(server + "/openapi.json").json()
    return {(method.upper(), path) for path, item in spec["paths"].items() for method in item if method in METHODS}


def test_swagger_ui_lists_every_operation_offline(offline):
    expected = operations(offline.base)
    offline.goto(offline.base + "/docs")
    offline.wait_for_function(f"() => document.querySelectorAll('#swagger-ui .opblock').length >= {len(expected)}")
    shown = set(
        tuple(pair)
        for pair in offline.locator("#swagger-ui .opblock .opblock-summary").evaluate_all(
            """els => els.map(e => [e.querySelector('.opblock-summary-method').textContent.trim(),
                                    e.querySelector('.opblock-summary-path').dataset.path])"""
        )
    )
    assert shown == expected
    assert offline.locator(".docs-header a.back").get_attribute("href") == "/"
    assert offline.locator(".docs-header a.back").is_visible()
    # the header switches language, and the choice is the explorer's
    offline.click("[data-lang=zh]")
    assert offline.evaluate("document.documentElement.lang") == "zh-Hans"
    assert offline.locator(".docs-header a.back .t-zh").is_visible()
    assert not offline.locator(".docs-header a.back .t-en").is_visible()
    assert offline.evaluate("localStorage.getItem('pakg-lang')") == "zh"
    # an operation opens and answers from this server ("Try it out" → Execute)
    health = offline.locator("#swagger-ui .opblock:has(.opblock-summary-path[data-path='/health'])").first
    health.locator(".opblock-summary").click()
    health.locator("button.try-out__btn").click()
    health.locator("button.execute").click()
    health.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert "200" in health.locator(".live-responses-table tbody .response-col_status").first.inner_text()


def test_redoc_lists_every_operation_offline(offline):
    expected = operations(offline.base)
    offline.goto(offline.base + "/redoc")
    offline.locator("#redoc .api-content").wait_for()
    offline.wait_for_function("() => document.querySelectorAll('#redoc [data-section-id*=\"operation/\"]').length > 0")
    # every operation's verb and path, as ReDoc shows them in its endpoint boxes
    shown = set(
        tuple(pair)
        for pair in offline.locator("#redoc [data-section-id*='operation/']").evaluate_all(
            """els => els.map(e => {
                 const verb = e.querySelector('.http-verb');
                 const path = verb && verb.parentElement.querySelector('.http-verb + span, .http-verb ~ *');
                 return [verb ? verb.textContent.trim().toUpperCase() : '', path ? path.textContent.trim() : ''];
               })"""
        )
    )
    assert shown == expected
    assert offline.locator(".docs-header a.back").get_attribute("href") == "/"
    # ReDoc's own words follow the language
    offline.click("[data-lang=zh]")
    offline.locator("#redoc").get_by_text("响应示例").first.wait_for()
    assert offline.evaluate("localStorage.getItem('pakg-lang')") == "zh"
    offline.click("[data-lang=en]")
    offline.locator("#redoc").get_by_text("Response samples").first.wait_for()
    assert offline.locator("#redoc").get_by_text("响应示例").count() == 0
    # the page still lists every operation after ReDoc started again in the other language
    assert offline.locator("#redoc [data-section-id*='operation/']").count() >= len(expected)
