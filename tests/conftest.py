from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from engines import free_port  # noqa: F401 (the tests import it from here)

from graph.build import build
from graph.config import DATA_DIR, DEFAULT_BASE
from graph.store import Engine

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def built():
    return build(DATA_DIR, DEFAULT_BASE)


@pytest.fixture(scope="session")
def validation(built):
    """`pakg validate` on the curated data, run once for the session (the full SHACL validation is the
    suite's most expensive step): its exit status, what it printed and the report.  It runs in this
    process, on the session's build (the same tables, built the same way), so that the data is built
    and validated once; tests of the report and of the command share it."""
    import contextlib
    import io

    import pakg.cli
    from graph import validate

    reports = []
    real_build, real_validate = pakg.cli.build, validate.validate_quads

    def session_build(data, base=None):
        if Path(data).resolve() == DATA_DIR.resolve() and base == built.base:
            return built
        return real_build(data, base)

    def keep(quads):
        reports.append(real_validate(quads))
        return reports[-1]

    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(out):
        patch.setattr(pakg.cli, "build", session_build)
        patch.setattr(validate, "validate_quads", keep)
        status = pakg.cli.main(["validate"])
    assert len(reports) == 1, reports
    return status, out.getvalue(), reports[0]


@pytest.fixture(scope="session")
def engine(built):
    return Engine.from_build(built)


@pytest.fixture(scope="session")
def base() -> str:
    return DEFAULT_BASE


def iri(kind: str, ident: str) -> str:
    return f"{DEFAULT_BASE}{kind}/{ident}"


def short(value: str) -> str:
    """The id at the end of an instance IRI."""
    return re.split(r"[/#]", value)[-1]


def table_count(table: str) -> int:
    """How many rows the data tables of this kind hold (``pairings`` → every ``data/*/pairings.csv``):
    what a count in an answer should be, read from the data rather than written into a test."""
    import csv

    from graph.config import DATA_DIR

    return sum(len(list(csv.DictReader(path.open(encoding="utf-8")))) for path in Path(DATA_DIR).glob(f"*/{table}.csv"))


def table_rows(table: str, data: str | os.PathLike | None = None) -> list[dict[str, str]]:
    """The rows of every data table of this kind (``pairings`` → every ``data/*/pairings.csv``; ``data``:
    another data directory, e.g. a test's copy), as dicts by the file's own header: for expectations
    read from the data (which ids, which kinds)."""
    import csv

    from graph.config import DATA_DIR

    rows: list[dict[str, str]] = []
    for path in sorted(Path(data if data is not None else DATA_DIR).glob(f"*/{table}.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            rows += csv.DictReader(fh)
    return rows


def unquoted(response: httpx.Response, query: str) -> str:
    """The answer without what a SPARQL syntax error quotes of the query sent (its ``excerpt``, and the
    text in quotes in its ``detail``), each checked to be the client's own text: what is left must not
    carry anything else (a path, a remote server's answer)."""
    if response.status_code != 400 or "excerpt" not in response.text:
        return response.text
    body = response.json()
    quoted = body.pop("excerpt").split("\n")[0].split(" | ", 1)[1].strip("…")
    assert quoted in re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", " ", query.split("\n")[body["line"] - 1]), body
    words = " ".join(query.split())
    said, _, wanted = body["detail"].partition(": expected ")
    for piece in re.findall(r"'([^']*)'", said):
        assert piece.rstrip("…") in words or piece.rstrip(":") in words, body
        said = said.replace(piece, "")
    # what the grammar expected there: its own words and punctuation, never the client's text
    for piece in re.findall(r"'([^']*)'", wanted):
        assert re.fullmatch(r"[A-Za-z_ ]{1,30}|[^\w\s]{1,3}", piece), body
    body["detail"] = said + (": expected " + wanted if wanted else "")
    return str(body)


def children(pid: int) -> list[int]:
    """The processes a process started (a server's query workers)."""
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def dead(pid: int) -> bool:
    """Whether a process has ended (gone, or a zombie its parent has not yet reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return True
    return state in ("Z", "X")


def memory_mb(pid: int, field: str = "VmRSS", workers: bool = True) -> float:
    """A process's memory from /proc (``VmRSS`` now, ``VmHWM`` its peak), with its descendants' unless
    ``workers`` is false: what a server and its query workers hold."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith(field + ":")) / 1024
            stack += children(current) if workers else []
        except (OSError, StopIteration):  # it has just ended
            continue
    return total


class LiveServer:
    """`pakg serve` in a subprocess on a free loopback port, stopped when the tests are done.
    ``output``: a file to write the server's stdout and stderr to (by default they are discarded)."""

    def __init__(self, *args: str, wait: float = 120, output: str | os.PathLike | None = None, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        sink = open(output, "wb") if output is not None else subprocess.DEVNULL
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pakg", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
                stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **env})
        finally:
            if output is not None:
                sink.close()  # the server has its own copy
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pakg serve {' '.join(args)} exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {wait:g} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def client():
    """The service in this process (no socket): one app for the session, on the curated data, for
    tests of what it answers; real servers (``server``, ``LiveServer``) are for the protocol, clients,
    browser, reload and hardening."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    settings = Settings(query_workers=1, heavy_workers=1, reload_interval=0, access_log=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server():
    """One real `pakg serve` with the default settings for the session (its process too, for tests that
    look at its memory or its port)."""
    live = LiveServer()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def server(live_server) -> str:
    """The URL of the session's real server (``live_server``)."""
    return live_server.url


@pytest.fixture(scope="session")
def strict_server():
    """A server with a 2 s query limit and a 5-row cap."""
    live = LiveServer(PAKG_QUERY_TIMEOUT="2", PAKG_ROW_CAP="5", PAKG_QUERY_WORKERS="2")
    yield live.url
    live.stop()


# ---- the browser: Debian's headless Chromium, driven by Playwright, on loopback -----------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
# every Content-Security-Policy violation the browser reports, as the page sees it (an event) and as
# the console says it; the watcher is set up through the browser's protocol, which no policy governs
CSP_WATCH = """document.addEventListener("securitypolicyviolation",
  (e) => window.pakgCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));"""


@contextlib.contextmanager
def chromium(*extra_args: str):
    """A headless Chromium for the tests of one module (``extra_args``: switches of its own)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args], headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def watch_csp(context) -> list[str]:
    """The policy violations of every page of a browser context, as they happen."""
    violations: list[str] = []
    context.expose_binding("pakgCspViolation", lambda source, text: violations.append(text))
    context.add_init_script(CSP_WATCH)
    context.on("console", lambda msg: violations.append(f"console: {msg.text}")
               if "Content Security Policy" in msg.text else None)
    return violations


def watched_page(browser, server: str, locale: str = "zh-CN", failed_requests: bool = True, **options):
    """A page in a new browser context that records what a user of the explorer must never meet: policy
    violations (``page.csp``), console errors, page errors, answers of 400 and above and, with
    ``failed_requests``, failed requests (``page.errors``), and requests beyond ``server`` (``page.external``).
    ``page.base`` is the server; ``check_watched(page)`` closes it and asserts all three are empty.
    ``options`` go to the context (a viewport other than 1400×1000, ``accept_downloads`` …)."""
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, "locale": locale, **options})
    csp = watch_csp(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    external: list[str] = []
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    if failed_requests:
        page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    page.on(
        "request",
        lambda req: external.append(req.url) if not req.url.startswith((server, "data:", "blob:")) else None,
    )
    page.csp, page.errors, page.external, page.base = csp, errors, external, server
    return page


def check_watched(page) -> None:
    """Close a ``watched_page`` and assert it met no policy violation, error or request beyond its server."""
    page.context.close()
    assert page.csp == [], f"Content-Security-Policy violations: {page.csp}"
    assert page.errors == [], page.errors
    assert page.external == [], f"the page reached beyond this server: {page.external}"
