"""Do two versions of pakg give byte-identical answers?

    python bench/compare_answers.py BASE [HEAD]

BASE and HEAD are git revisions, or ``.`` for the current working tree (HEAD defaults to ``.``); a path
to another checkout (a folder) is served as it is.  A revision is checked out with ``git worktree add
--detach`` in a temporary folder, removed at the end.  Both versions are served by this same Python
(``PYTHONPATH`` and the working directory set to their tree) on 127.0.0.1, ``python -m pakg serve`` in
newer trees and ``python -m graph.cli serve`` in older ones, each from the same copy of the data, so
that only the code differs:

- ``curated``: the tables of ``data/`` in the current working tree (copied once, ``data/build`` left out);
- ``synthetic``: about 100,000 triples made once by ``bench/generate.py``.

For each dataset one list of requests is derived from BASE's answers (the ids come from its listings,
the analyses and formats from its OpenAPI document and ``/analysis``) and sent to both servers: every
GET route, the REST listings with pagination and filters, details, entity pages in every format (by
``format=`` and by ``Accept``), VoID, SPARQL (the example queries and a few written here, in every
format, by GET, POST form and POST ``application/sparql-query``, and error cases), exports, networks
and analyses, the explorer's files; a subset again with ``Accept-Language: zh``.  Status, body bytes
and headers are compared, except those that differ between any two runs (date, server, x-cache, etag
and last-modified of files, content-length, which the body covers).  When answers differ, both
versions are served again and asked those requests: an answer a version does not repeat itself is
reported apart as not reproducible.  The exit status is 1 when any answer differs (or a request could
not be answered; not reproducible ones only with ``--strict``), 0 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# the absolute links in /void and the SPARQL service description name where the service is reached; both
# servers are told the same (the default address of `pakg serve`), not their own ports
PUBLIC_URL = "http://127.0.0.1:8000"
# headers that differ between two runs of the same code: not compared
VOLATILE = {"date", "server", "x-cache", "etag", "last-modified", "content-length", "transfer-encoding",
            "connection", "keep-alive", "age", "x-request-id", "x-process-time", "x-response-time"}
SPARQL_RESULT_FORMATS = ["json", "xml", "csv", "tsv"]
SPARQL_ACCEPTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                  "text/tab-separated-values", "text/turtle", "application/n-triples", "application/ld+json",
                  "application/rdf+xml", "application/json", "*/*", "text/html",
                  "text/csv;q=0.5, application/sparql-results+xml", "image/png"]
ENTITY_ACCEPTS = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                  "text/html", "*/*", "text/html;q=0.5, text/turtle", "application/json", "image/png"]


def log(*parts) -> None:
    print(*parts, flush=True)


# ---- versions: trees to serve ---------------------------------------------------------------------

def git(*args: str, cwd: Path = ROOT, timeout: float = 120) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout.strip()


@dataclass
class Version:
    role: str          # BASE or HEAD
    spec: str          # as given on the command line
    tree: Path
    describe: str
    worktree: bool = False

    def command(self) -> list[str]:
        """How this tree starts its server: ``python -m pakg`` when it has pakg/__main__.py, else
        ``python -m graph.cli``."""
        if (self.tree / "pakg" / "__main__.py").is_file():
            return [sys.executable, "-m", "pakg"]
        if (self.tree / "graph" / "cli.py").is_file():
            return [sys.executable, "-m", "graph.cli"]
        raise SystemExit(f"{self.spec}: neither pakg/__main__.py nor graph/cli.py in {self.tree}")


def checkout(role: str, spec: str, tmp: Path, made: list[Path]) -> Version:
    if spec == "." or (("/" in spec or spec.startswith("~")) and Path(spec).expanduser().is_dir()):
        tree = ROOT if spec == "." else Path(spec).expanduser().resolve()
        head = git("rev-parse", "--short", "HEAD", cwd=tree) if (tree / ".git").exists() else "?"
        dirty = ""
        if (tree / ".git").exists():
            dirty = " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no",
                                                         cwd=tree) else ""
        return Version(role, spec, tree, f"working tree {tree} (at {head}{dirty})")
    try:
        sha = git("rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}")
    except subprocess.CalledProcessError:
        raise SystemExit(f"{spec}: not a git revision of {ROOT} (nor '.' or a folder)") from None
    tree = tmp / f"tree-{role.lower()}"
    git("worktree", "add", "--detach", "--quiet", str(tree), sha)
    made.append(tree)
    # web/node_modules is installed by npm, not in git: the worktree serves the working tree's
    # libraries (the same files when both lock files agree; said otherwise)
    modules = ROOT / "web" / "node_modules"
    if modules.is_dir() and (tree / "web").is_dir() and not (tree / "web" / "node_modules").exists():
        (tree / "web" / "node_modules").symlink_to(modules)
        lock, own = ROOT / "web" / "package-lock.json", tree / "web" / "package-lock.json"
        if lock.is_file() and own.is_file() and lock.read_bytes() != own.read_bytes():
            log(f"note: {spec}'s web/package-lock.json differs from the working tree's; its /vendor files "
                f"are the working tree's installed ones")
    subject = git("log", "-1", "--format=%h %s", sha)
    return Version(role, spec, tree, f"revision {subject[:100]}", worktree=True)


def remove_worktrees(made: list[Path]) -> None:
    for tree in made:
        try:
            git("worktree", "remove", "--force", str(tree), timeout=60)
        except Exception as exc:  # noqa: BLE001 — clean up what can be cleaned
            log(f"warning: could not remove worktree {tree}: {exc}")
            shutil.rmtree(tree, ignore_errors=True)
    if made:
        try:
            git("worktree", "prune", timeout=60)
        except Exception:  # noqa: BLE001
            pass


# ---- servers -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(tree: Path, hash_seed: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PAKG_") and k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(PYTHONPATH=str(tree), PAKG_PUBLIC_URL=PUBLIC_URL, PAKG_ACCESS_LOG="false",
               PYTHONDONTWRITEBYTECODE="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return env


def check_imports(version: Version, env: dict[str, str]) -> None:
    """The server of a tree must run that tree's code, not the editable install's."""
    out = subprocess.run([sys.executable, "-c", "import graph, api; print(graph.__file__); print(api.__file__)"],
                         cwd=version.tree, env=env, capture_output=True, text=True, timeout=120)
    files = out.stdout.split()
    if out.returncode or len(files) != 2 or not all(Path(f).resolve().is_relative_to(version.tree.resolve())
                                                    for f in files):
        raise SystemExit(f"{version.spec}: graph and api are not imported from {version.tree}: "
                         f"{out.stdout.strip()} {out.stderr.strip()[-500:]}")


def serve_options(version: Version, env: dict[str, str]) -> tuple[str, str, str]:
    """The options of this version's `serve` for the data folder, host and port (read from its --help)."""
    out = subprocess.run([*version.command(), "serve", "--help"], cwd=version.tree, env=env,
                         capture_output=True, text=True, timeout=120)
    text = out.stdout
    options = []
    for wanted in ("--data", "--host", "--port"):
        if not re.search(rf"(^|\s|\[){re.escape(wanted)}\b", text):
            raise SystemExit(f"{version.spec}: its 'serve --help' has no {wanted} (exit status {out.returncode}):\n"
                             f"{text}{out.stderr[-2000:]}")
        options.append(wanted)
    return tuple(options)  # type: ignore[return-value]


class Server:
    def __init__(self, version: Version, data: Path, logs: Path, hash_seed: str | None, tag: str | None = None):
        self.version = version
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.log_path = logs / f"{tag or version.role.lower()}-{data.name}.log"
        env = server_env(version.tree, hash_seed)
        check_imports(version, env)
        data_opt, host_opt, port_opt = serve_options(version, env)
        self.argv = [*version.command(), "serve", data_opt, str(data), host_opt, HOST, port_opt, str(self.port)]
        self.log_file = self.log_path.open("wb")
        self.proc = subprocess.Popen(self.argv, cwd=version.tree, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)

    def shown(self) -> str:
        return " ".join(a if a != sys.executable else "python" for a in self.argv[:3])

    def wait_ready(self, deadline: float) -> None:
        with httpx.Client(timeout=5, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.3)
        tail = self.log_path.read_text(errors="replace")[-3000:]
        state = f"exited with {self.proc.returncode}" if self.proc.poll() is not None else "not ready in time"
        raise SystemExit(f"{self.version.role} server ({self.version.spec}) {state}; its log:\n{tail}")

    def check_alive(self) -> None:
        """A server that has exited ends the comparison (its answers would all be missing)."""
        if self.proc.poll() is not None:
            tail = self.log_path.read_text(errors="replace")[-2000:]
            raise SystemExit(f"the {self.version.role} server ({self.version.spec}) exited with {self.proc.returncode} "
                             f"during the comparison; the end of its log:\n{tail}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        # the query workers share the server's process group: none may outlive it
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.log_file.close()


# ---- requests ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Req:
    method: str
    target: str                                  # path and query string, percent-encoded
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def label(self) -> str:
        text = f"{self.method} {self.target}"
        for name, value in self.headers:
            text += f" [{name}: {value}]"
        if self.body is not None:
            shown = self.body[:70].decode("utf-8", "replace").replace("\n", " ")
            text += f" body({len(self.body)} B): {shown!r}{'…' if len(self.body) > 70 else ''}"
        return text


def target(path: str, *params: tuple[str, object], **kw: object) -> str:
    items = [(k, v) for k, v in [*params, *kw.items()] if v is not None]
    return path + ("?" + urlencode([(k, str(v)) for k, v in items], quote_via=quote, safe="") if items else "")


def seg(value: str) -> str:
    return quote(value, safe="")


def pick(values: list, n: int | None) -> list:
    """``n`` values spread evenly over ``values`` (all when n is None or there are fewer)."""
    if n is None or len(values) <= n:
        return list(values)
    return [values[i * len(values) // n] for i in range(n)]


@dataclass
class Answer:
    status: int | str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return isinstance(self.status, str)


def send(client: httpx.Client, base_url: str, req: Req) -> Answer:
    """One request, as the client sends it; a connection the server closed under a kept-alive client (as
    uvicorn does after a 500) is tried again, the last time on a connection of its own."""
    started = time.monotonic()
    for attempt in range(3):
        fresh = attempt == 2
        own = httpx.Client(timeout=client.timeout, trust_env=False) if fresh else client
        try:
            request = own.build_request(req.method, base_url + req.target, content=req.body)
            for name in ("accept", "accept-encoding"):  # only the request's own headers (and host, user-agent)
                if name in request.headers:
                    del request.headers[name]
            request.headers["accept-encoding"] = "identity"
            for name, value in req.headers:
                request.headers[name] = value
            response = own.send(request)
            body = response.read()
            break
        except httpx.TimeoutException as exc:
            return Answer(f"no answer ({type(exc).__name__}: {exc})"[:200], seconds=time.monotonic() - started)
        except httpx.HTTPError as exc:
            if attempt == 2:
                return Answer(f"no answer ({type(exc).__name__}: {exc})"[:200], seconds=time.monotonic() - started)
        finally:
            if fresh:
                own.close()
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return Answer(response.status_code, headers, body, time.monotonic() - started)


# ---- the list of requests, from BASE's answers ------------------------------------------------------

class Planner:
    def __init__(self, client: httpx.Client, base_url: str, dataset: str, sample: int | None, sample_ids: int | None):
        self.client, self.base_url, self.dataset = client, base_url, dataset
        self.sample, self.sample_ids = sample, sample_ids  # None: every one
        self.reqs: list[Req] = []
        self.seen: set[Req] = set()

    def add(self, path_query: str, method: str = "GET", headers: tuple = (), body: bytes | None = None,
            zh: bool = False) -> None:
        for extra in ((), (("Accept-Language", "zh"),)) if zh else ((),):
            req = Req(method, path_query, tuple(headers) + extra, body)
            if req not in self.seen:
                self.seen.add(req)
                self.reqs.append(req)

    def fetch(self, path_query: str, add: bool = True, **kw) -> dict | list | None:
        """BASE's JSON answer (None when it is not a 200 JSON answer); the request joins the list."""
        if add:
            self.add(path_query, **kw)
        answer = send(self.client, self.base_url, Req("GET", path_query, tuple(kw.get("headers", ()))))
        if answer.status != 200:
            return None
        try:
            return json.loads(answer.body)
        except ValueError:
            return None

    def listing(self, path: str) -> list[dict]:
        """Every item of a REST listing, a page of 1,000 at a time."""
        items, offset = [], 0
        while True:
            page = self.fetch(target(path, limit=1000, offset=offset or None))
            if not page:
                break
            items.extend(page["items"])
            offset += 1000
            if offset >= page["total"] or not page["items"]:
                break
        return items

    def sparql_ids(self, base: str, kind: str) -> list[str]:
        query = (f'SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{base}{kind}/")) }} '
                 f'ORDER BY ?s')
        answer = self.fetch(target("/sparql", query=query, format="json"), add=False)
        if not answer:
            return []
        prefix = f"{base}{kind}/"
        ids = [b["s"]["value"][len(prefix):] for b in answer["results"]["bindings"]]
        return [i for i in ids if i and "/" not in i and "#" not in i]

    # -- the plan ---------------------------------------------------------------------------------
    def plan(self) -> list[Req]:
        openapi = self.fetch("/openapi.json") or {}
        params = {(path, p["name"]): p for path, ops in openapi.get("paths", {}).items()
                  for op in ops.values() if isinstance(op, dict) for p in op.get("parameters", [])}

        def enum(path: str, name: str, fallback: list[str]) -> list[str]:
            schema = params.get((path, name), {}).get("schema", {})
            values = schema.get("enum") or next((s["enum"] for s in schema.get("anyOf", []) if "enum" in s), None)
            return list(values) if values else fallback

        def listed(path: str, name: str, fallback: list[str]) -> list[str]:
            text = params.get((path, name), {}).get("description") or ""
            values = [v.strip() for v in re.split(r",|\bor\b", text) if re.fullmatch(r"\s*[a-z][a-z-]*\s*", v)]
            return values or fallback

        self.service()
        pairings = self.listing("/pairings")
        actors = self.listing("/actors")
        instruments = self.listing("/instruments")
        programmes = self.listing("/programmes")
        sources = self.listing("/sources")
        some = pairings[0]["iri"] if pairings else actors[0]["iri"]
        base = some.rsplit("/", 2)[0] + "/"
        self.rest(pairings, actors, instruments, programmes, sources,
                  listed("/pairings/{id}/instruments", "type", []))
        kinds = enum("/id/{kind}/{ident}", "kind", ["actor", "instrument", "pairing", "programme", "source"])
        ids = {kind: self.sparql_ids(base, kind) for kind in kinds}
        for ident in pick(ids.get("provision", []), self.sample):
            self.add(f"/instruments/{seg(ident)}", zh=True)
        self.entities(ids, enum("/id/{kind}/{ident}", "format", ["turtle", "ntriples", "jsonld", "rdfxml", "html"]))
        self.void(enum("/void", "format", ["turtle", "ntriples", "jsonld", "rdfxml"]))
        self.sparql(base, pairings, actors)
        self.exports(listed("/export", "format", ["turtle"]), sources)
        self.networks(enum("/network", "format", ["node-link"]), enum("/network", "view", ["support"]),
                      enum("/network", "level", ["institution"]), pairings)
        self.analyses(pairings, instruments)
        self.explorer()
        self.cover(openapi)
        return self.reqs

    def service(self) -> None:
        for path in ("/health", "/docs", "/redoc", "/docs/oauth2-redirect", "/favicon.ico", "/no-such-route"):
            self.add(path)
        self.add("/pairings", method="OPTIONS", headers=(("Origin", "https://example.org"),
                                                        ("Access-Control-Request-Method", "GET")))
        self.add("/pairings?limit=1", headers=(("Origin", "https://example.org"),))
        self.add("/health", method="HEAD")
        self.add("/health", method="DELETE")

    def rest(self, pairings, actors, instruments, programmes, sources, types: list[str]) -> None:
        n = self.sample
        sup = sorted({p["supporter"]["id"]: p["supporter"] for p in pairings if p.get("supporter")}.items())
        rec = sorted({p["recipient"]["id"]: p["recipient"] for p in pairings if p.get("recipient")}.items())
        fields = sorted({f for p in pairings for f in p.get("fields") or []})
        modes = sorted({p["mode"] for p in pairings if p.get("mode")})
        progs = sorted({p["programme"]["id"] for p in pairings if p.get("programme")})
        years = sorted({y for p in pairings for y in (p.get("period") or {}).values() if isinstance(y, int)})
        total = len(pairings)
        # pagination and its limits
        for path, count in (("/pairings", total), ("/actors", len(actors)), ("/instruments", len(instruments)),
                            ("/programmes", len(programmes)), ("/sources", len(sources))):
            self.add(path, zh=True)
            for limit, offset in ((1, None), (10, None), (10, 10), (50, 50), (7, max(count - 3, 0)), (1, count - 1),
                                  (1000, None), (5, count), (5, count + 10), (1, 2**53)):
                self.add(target(path, limit=limit, offset=offset))
            for limit, offset in ((0, None), (1001, None), (None, -1), ("x", None), (None, 2**53 + 1)):
                self.add(target(path, limit=limit, offset=offset))
            self.add(target(path, limit=20, offset=20), zh=True)
        # pairings by supporter and recipient, by id and by label, and the other filters
        for key, who in (("supporter", sup), ("recipient", rec)):
            for ident, _ in pick(who, n):
                self.add(target("/pairings", **{key: ident}))
            for _, ref in pick(who, 25 if n is None else min(n, 25)):
                for label in (ref.get("label_zh"), ref.get("label_en")):
                    if label:
                        self.add(target("/pairings", **{key: label}), zh=True)
            self.add(target("/pairings", **{key: "no-such-actor"}))
        for name, values in (("field", fields), ("mode", modes), ("programme", progs)):
            for value in values:
                self.add(target("/pairings", **{name: value}))
                self.add(target("/pairings", **{name: value}, limit=5, offset=3), zh=True)
            self.add(target("/pairings", **{name: "no-such-" + name}))
        for year in sorted({*years, 1900, 1950, 1990, 2000, 2020, 2100}):
            self.add(target("/pairings", year=year))
        for bad in (1899, 2101, "abc", ""):
            self.add(target("/pairings", year=bad))
        needles = set()
        for p in pick(pairings, 20):
            if p.get("label_zh"):
                needles.add(p["label_zh"][:2])
            if p.get("label_en"):
                needles.add(p["label_en"].split()[0])
                needles.add(p["label_en"].split()[0].upper())
        for q in sorted(needles) + ["no such text", "→", "%", "_", " "]:
            self.add(target("/pairings", q=q), zh=q in needles)
        combos = zip(pick(sup, 8), pick(rec, 8), (fields * 8)[:8], (years * 8)[:8], strict=False)
        for (sid, _), (rid, _), field_, year in combos:
            self.add(target("/pairings", supporter=sid, field=field_))
            self.add(target("/pairings", recipient=rid, year=year))
            self.add(target("/pairings", supporter=sid, year=year, limit=3, offset=1), zh=True)
        for prog, mode in zip(progs, (modes * len(progs))[:len(progs)], strict=False):
            self.add(target("/pairings", programme=prog, mode=mode))
        self.add(target("/pairings", supporter="x" * 201))
        # the other listings' filters
        levels = sorted({a["level"] for a in actors if a.get("level")})
        for level in levels + ["no-such-level"]:
            self.add(target("/actors", level=level), zh=level == levels[0] if levels else False)
        for a in pick(actors, 30 if n is None else min(n, 30)):
            for label in (a.get("label_zh"), a.get("label_en"), *(a.get("alt_labels_zh") or [])[:1]):
                if label:
                    self.add(target("/actors", label=label))
            if a.get("label_en"):
                self.add(target("/actors", q=a["label_en"].split()[0]), zh=True)
            if a.get("label_zh"):
                self.add(target("/actors", q=a["label_zh"][:1]))
        self.add(target("/actors", label="no such label"))
        for kind in ("hard-law", "soft-law", "other"):
            self.add(target("/instruments", kind=kind), zh=True)
            self.add(target("/instruments", kind=kind, limit=3, offset=2))
        for path, items in (("/instruments", instruments), ("/programmes", programmes), ("/sources", sources)):
            for item in pick(items, 8):
                text = item.get("label_en") or item.get("title") or item.get("label") or ""
                if text:
                    self.add(target(path, q=text.split()[0]), zh=True)
                if item.get("label_zh"):
                    self.add(target(path, q=item["label_zh"][:2]))
            self.add(target(path, q="no such text"))
        # details: every one on the curated data, a sample on the synthetic data
        itypes = sorted({*types, *(i.get("type") for i in instruments if i.get("type"))})
        for i, p in enumerate(pick(pairings, n)):
            ident = seg(p["id"])
            self.add(f"/pairings/{ident}", zh=i % 5 == 0)
            self.add(f"/pairings/{ident}/instruments", zh=i % 5 == 0)
            for kind in ("hard-law", "soft-law"):
                self.add(target(f"/pairings/{ident}/instruments", kind=kind))
            if i % 4 == 0:  # each type for a quarter of them
                for t in itypes:
                    self.add(target(f"/pairings/{ident}/instruments", type=t))
            if i % 10 == 0:
                self.add(target(f"/pairings/{ident}/instruments", kind="hard-law", type=itypes[0] if itypes else "law"))
                self.add(target(f"/pairings/{ident}/instruments", kind="bogus"))
        for path, items in (("/actors", actors), ("/instruments", instruments), ("/programmes", programmes),
                            ("/sources", sources)):
            for i, item in enumerate(pick(items, n)):
                self.add(f"{path}/{seg(item['id'])}", zh=i % 5 == 0)
            self.add(f"{path}/no-such-id")
            self.add(f"{path}/{'x' * 201}")
        self.add("/pairings/no-such-id")
        self.add("/pairings/no-such-id/instruments")

    def entities(self, ids: dict[str, list[str]], formats: list[str]) -> None:
        for kind, values in ids.items():
            chosen = pick(values, self.sample_ids)
            for i, ident in enumerate(chosen):
                path = f"/id/{seg(kind)}/{seg(ident)}"
                self.add(path)
                self.add(target(path, format="html"))
                # of a kind with many, every format for a third and every Accept for a sixth
                if len(chosen) <= 30 or i % 3 == 0:
                    for fmt in formats:
                        self.add(target(path, format=fmt))
                if len(chosen) <= 30 or i % 6 == 0:
                    for accept in ENTITY_ACCEPTS:
                        self.add(path, headers=(("Accept", accept),))
            self.add(f"/id/{seg(kind)}/no-such-id")
            if values:
                self.add(target(f"/id/{seg(kind)}/{seg(values[0])}", format="bogus"))
        self.add("/id/no-such-kind/x")
        self.add("/id/actor")

    def void(self, formats: list[str]) -> None:
        self.add("/void")
        for fmt in formats + ["bogus"]:
            self.add(target("/void", format=fmt))
        for accept in ENTITY_ACCEPTS:
            self.add("/void", headers=(("Accept", accept),))

    def sparql(self, base: str, pairings: list[dict], actors: list[dict]) -> None:
        examples = self.fetch("/sparql/examples") or []
        self.fetch("/sparql/examples", headers=(("Accept-Language", "zh"),))
        queries = [e["text"] for e in examples if isinstance(e, dict) and e.get("text")]
        pa = "https://w3id.org/pakg/ontology#"
        pairing = pairings[0]["iri"] if pairings else f"{base}pairing/none"
        actor = actors[0]["iri"] if actors else f"{base}actor/none"
        prefixes = f"PREFIX pa: <{pa}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        queries += [
            prefixes + "SELECT ?p ?s ?r ?sl ?rl WHERE { ?p pa:supporter ?s ; pa:recipient ?r . OPTIONAL "
                       "{ ?s rdfs:label ?sl } OPTIONAL { ?r rdfs:label ?rl } } ORDER BY ?p ?sl ?rl LIMIT 200",
            "SELECT ?class (COUNT(?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } } GROUP BY ?class "
            "ORDER BY DESC(?n) ?class",
            prefixes + "SELECT ?s ?label (LANG(?label) AS ?lang) (DATATYPE(?label) AS ?dt) WHERE { ?s rdfs:label "
                       '?label FILTER(LANG(?label) = "zh" || REGEX(STR(?label), "支援|aid", "i")) } ORDER BY ?s ?label '
                       "LIMIT 300",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 500",
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",  # every triple: cut at the row cap on larger data
            "SELECT ?o (COUNT(*) AS ?n) (SAMPLE(?x) AS ?one) WHERE { ?x ?p ?o FILTER(ISLITERAL(?o) && "
            "DATATYPE(?o) != <http://www.w3.org/2001/XMLSchema#string>) } GROUP BY ?o ORDER BY ?o LIMIT 200",
            f"ASK {{ <{pairing}> ?p ?o }}",
            f"ASK {{ <{base}pairing/no-such-id> ?p ?o }}",
            prefixes + "CONSTRUCT { ?s pa:supports ?r } WHERE { ?p pa:supporter ?s ; pa:recipient ?r }",
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?s = <{actor}>) }}",
            f"DESCRIBE <{pairing}>",
            f"DESCRIBE <{actor}> <{base}no-such/thing>",
            "SELECT ?x WHERE { VALUES ?x { \"对口支援\"@zh \"a\\tb\" 1 2.5 true <urn:x> } }",
        ]
        rdf = ["turtle", "ntriples", "jsonld", "rdfxml"]
        for text in queries:
            q = ("query", text)
            self.add(target("/sparql", q))
            if send(self.client, self.base_url, Req("GET", target("/sparql", q))).status == 503:
                # stopped at the time limit by BASE (the larger data): each way of asking once, not each format
                self.add(target("/sparql", q, format="csv"))
                self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-query"),),
                         body=text.encode())
                continue
            for fmt in SPARQL_RESULT_FORMATS + rdf + ["application/sparql-results+json", "text/csv"]:
                self.add(target("/sparql", q, format=fmt))
                self.add("/sparql", method="POST",
                         headers=(("Content-Type", "application/x-www-form-urlencoded"),),
                         body=urlencode([q, ("format", fmt)]).encode())
            for accept in SPARQL_ACCEPTS:
                self.add(target("/sparql", q), headers=(("Accept", accept),))
                self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-query"),
                                                            ("Accept", accept)), body=text.encode())
            self.add("/sparql", method="POST", headers=(("Content-Type", "application/x-www-form-urlencoded"),),
                     body=urlencode([q]).encode())
            self.add(target("/sparql", format="csv"), method="POST",
                     headers=(("Content-Type", "application/sparql-query; charset=utf-8"),), body=text.encode())
        # the service, graphs and refusals
        graphs = [f"{base}graph/data", f"{base}graph/ontology"]
        first = queries[0] if queries else "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
        for accept in (None, "text/html", "text/turtle", "application/json"):
            self.add("/sparql", headers=(("Accept", accept),) if accept else ())
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        for graph in graphs + ["urn:no-such-graph"]:
            self.add(target("/sparql", query=count, **{"default-graph-uri": graph}))
            per_graph = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
            self.add(target("/sparql", query=per_graph, **{"named-graph-uri": graph}))
        self.add(target("/sparql", ("query", count), *(("default-graph-uri", g) for g in graphs)))
        for bad in ("SELECT * WHERE {", "SELEKT ?x", "SELECT ?x WHERE { ?x <urn:p> \"unterminated }",
                    "PREFIX x: <urn:x#> SELECT * WHERE { y:a ?p ?o }", ""):
            self.add(target("/sparql", query=bad))
            self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-query"),),
                     body=bad.encode())
        for fmt in ("bogus", "json", "turtle"):
            self.add(target("/sparql", query="CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", format=fmt))
        self.add(target("/sparql", query="ASK {}", format="csv"))
        self.add(target("/sparql", query=first, format="bogus"))
        self.add(target("/sparql", query=first), headers=(("Accept", "image/png"),))
        self.add(target("/sparql", update="INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
        self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-update"),),
                 body=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        self.add("/sparql", method="POST", headers=(("Content-Type", "application/x-www-form-urlencoded"),),
                 body=b"update=INSERT+DATA+%7B%7D")
        self.add("/sparql", method="POST", headers=(("Content-Type", "application/x-www-form-urlencoded"),),
                 body=b"format=json")
        self.add("/sparql", method="POST", headers=(("Content-Type", "text/plain"),), body=first.encode())
        self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-query"),), body=b"  ")
        self.add(target("/sparql", query="INSERT DATA { <urn:a> <urn:b> <urn:c> }"))
        long_query = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 #" + "x" * 17_000
        self.add(target("/sparql", query=long_query))
        self.add("/sparql", method="POST", headers=(("Content-Type", "application/sparql-query"),),
                 body=long_query.encode())
        self.add(target("/sparql", query="SELECT * WHERE " + "{ " * 300 + "?s ?p ?o" + " }" * 300 + " LIMIT 1"))
        self.add(target("/sparql", query="SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 60 + "} LIMIT 1"))

    def exports(self, formats: list[str], sources: list[dict]) -> None:
        graphs = ["all", "data", "ontology"] + [s["id"] for s in pick(sources, 3 if self.sample else 10)]
        self.add("/export")
        for fmt in formats:
            for graph in graphs:
                self.add(target("/export", format=fmt, graph=graph))
        self.add(target("/export", format="bogus"))
        self.add(target("/export", graph="no-such-source"))
        self.add(target("/export", format="turtle", graph="x" * 201))

    def networks(self, formats: list[str], views: list[str], levels: list[str], pairings: list[dict]) -> None:
        self.add("/network")
        for view in views:
            for level in levels:
                # on the larger data a projection's files run to tens of MB: every format at the default
                # view and at the coarsest level, node-link elsewhere
                everything = self.sample is None or view == views[0] or level == levels[0]
                for fmt in formats if everything else formats[:1] + ["node-link"]:
                    tables = ("edges", "nodes") if fmt == "csv" else (None,)
                    for table in tables:
                        self.add(target("/network", format=fmt, view=view, level=level, table=table))
        filters = self._filters(pairings)
        for name, value in filters:
            self.add(target("/network", **{name: value}))
            self.add(target("/network", format="csv", table="nodes", view="co-recipients", **{name: value}))
        for bad in (("format", "bogus"), ("view", "bogus"), ("level", "bogus"), ("table", "bogus"), ("year", "1800")):
            self.add(target("/network", (bad[0], bad[1])))

    def _filters(self, pairings: list[dict]) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        for p in pick(pairings, 3):
            out += [("supporter", p["supporter"]["id"]), ("recipient", p["recipient"]["id"])]
            if p["supporter"].get("label_zh"):
                out.append(("supporter", p["supporter"]["label_zh"]))
        out += [("field", f) for f in sorted({f for p in pairings for f in p.get("fields") or []})[:3]]
        out += [("mode", m) for m in sorted({p["mode"] for p in pairings if p.get("mode")})[:3]]
        out += [("programme", g) for g in sorted({p["programme"]["id"] for p in pairings if p.get("programme")})[:3]]
        out += [("year", y) for y in (1995, 2010, 2020)]
        out += [("confidence", c) for c in ("high", "medium", "low")]
        out += [("supporter", "no-such-actor")]
        return out

    def analyses(self, pairings: list[dict], instruments: list[dict]) -> None:
        listing = self.fetch("/analysis", zh=True) or {}
        levels = listing.get("levels") or ["institution"]
        filters = self._filters(pairings)
        for a in listing.get("analyses", []):
            name, views, parameters = a["name"], a.get("views") or [None], a.get("parameters") or []
            path = f"/analysis/{seg(name)}"
            self.add(path, zh=True)
            # exact betweenness takes tens of seconds at 100k triples: there, once exact, else sampled (k=64)
            k = 64 if self.sample is not None and "k" in parameters else None
            for view in views:
                for level in levels if self.sample is None else [None]:
                    self.add(target(path, view=view, level=level, k=k))
            if self.sample is not None:
                for level in levels:
                    self.add(target(path, level=level, k=k))
            for fname, value in filters[::2] if self.sample is not None else filters:
                if fname in parameters:
                    self.add(target(path, **{fname: value}, k=k))
            if "k" in parameters:
                for k in (1, 8, 64, 100_000, 0) if self.sample is None else (1, 8, 64, 0):
                    self.add(target(path, k=k))
                self.add(target(path, k=8, view="co-supporters", level="province"))
            if "resolution" in parameters:
                for r in (0.5, 2.0):
                    self.add(target(path, resolution=r))
            if "until" in parameters:
                for u in (2000, 2010):
                    self.add(target(path, until=u))
            if "source" in parameters:
                ends = []
                for p in pick(pairings, 6):
                    ends += [(p["supporter"]["id"], p["recipient"]["id"]), (p["recipient"]["id"], p["supporter"]["id"])]
                if len(pairings) > 1:
                    ends.append((pairings[0]["supporter"]["id"], pairings[-1]["recipient"]["id"]))
                    ends.append((pairings[0]["id"], pairings[-1]["id"]))
                if instruments and pairings:
                    ends.append((instruments[0]["id"], pairings[0]["recipient"]["id"]))
                    ends.append((instruments[0]["id"], pairings[0]["id"]))
                if pairings and pairings[0]["supporter"].get("label_zh"):
                    ends.append((pairings[0]["supporter"]["label_zh"], pairings[0]["recipient"]["id"]))
                ends += [("no-such-id", pairings[0]["recipient"]["id"] if pairings else "x"), (None, None)]
                for src, dst in ends:
                    self.add(target(path, source=src, target=dst))
                    self.add(target(path, source=src, target=dst, view="governance"), zh=True)
                if pairings:
                    self.add(target(path, source=pairings[0]["supporter"]["id"]))
        self.add("/analysis/no-such-analysis")
        self.add(target("/analysis/degree", view="bogus"))

    def explorer(self) -> None:
        page = send(self.client, self.base_url, Req("GET", "/"))
        self.add("/")
        self.add("/", headers=(("Accept", "text/html"),))
        files = sorted(set(re.findall(r'(?:src|href)="(/(?:static|vendor)/[^"#?]+)"', page.body.decode("utf-8",
                                                                                                          "replace"))))
        for path in files + ["/static/app.js", "/static/style.css", "/vendor/cytoscape.min.js",
                             "/vendor/yasgui.min.js", "/vendor/yasgui.min.css"]:
            self.add(path)
        for path in ("/static/no-such-file.js", "/static/..%2Fweb%2Findex.html", "/vendor/package.json",
                     "/vendor/no-such-library.js", "/static/", "/vendor/"):
            self.add(path)

    def cover(self, openapi: dict) -> None:
        """Every GET route of BASE's OpenAPI document has at least one request."""
        for path, ops in sorted(openapi.get("paths", {}).items()):
            if "get" not in ops:
                continue
            pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/?]+", re.escape(path)) + r"(\?|$)")
            if not any(r.method == "GET" and pattern.match(r.target) for r in self.reqs):
                if "{" in path:
                    log(f"{self.dataset}: warning: no request for GET {path} (no ids for it in BASE's answers)")
                else:
                    self.add(path)


# ---- comparing -------------------------------------------------------------------------------------

@dataclass
class Outcome:
    req: Req
    a: Answer
    b: Answer
    retried: bool = False
    unstable: bool = False  # a version answered differently when served again

    def same(self) -> bool:
        return identical(self.a, self.b)

    def header_diffs(self) -> list[tuple[str, str | None, str | None]]:
        return header_diffs(self.a, self.b)


def header_diffs(a: Answer, b: Answer) -> list[tuple[str, str | None, str | None]]:
    names = sorted((set(a.headers) | set(b.headers)) - VOLATILE)
    return [(n, a.headers.get(n), b.headers.get(n)) for n in names if a.headers.get(n) != b.headers.get(n)]


def identical(a: Answer, b: Answer) -> bool:
    return not a.failed and not b.failed and a.status == b.status and a.body == b.body and not header_diffs(a, b)


def first_difference(x: bytes, y: bytes) -> int:
    n = min(len(x), len(y))
    lo = 0
    while lo < n and x[lo:lo + 4096] == y[lo:lo + 4096]:
        lo += 4096
    for i in range(lo, min(lo + 4096, n)):
        if x[i] != y[i]:
            return i
    return n


def excerpt(body: bytes, at: int, before: int = 24, after: int = 56) -> str:
    start = max(0, at - before)
    part = body[start:at + after]
    return ("…" if start else "") + repr(part.decode("utf-8", "backslashreplace"))[1:-1] + \
        ("…" if at + after < len(body) else "")


def describe_difference(o: Outcome) -> list[str]:
    lines = [f"  {o.req.label()}" + ("  (asked again: still differs)" if o.retried else ""),
             f"      status BASE: {o.a.status}, HEAD: {o.b.status}"]
    for name, x, y in o.header_diffs():
        lines.append(f"      header {name}: BASE: {x!r}  HEAD: {y!r}")
    if o.a.body != o.b.body:
        at = first_difference(o.a.body, o.b.body)
        lines.append(f"      body differs at byte {at} (length BASE: {len(o.a.body)}, HEAD: {len(o.b.body)})")
        lines.append(f"        BASE: {excerpt(o.a.body, at)}")
        lines.append(f"        HEAD: {excerpt(o.b.body, at)}")
    return lines


def parallel(function, items, jobs: int) -> None:
    """``function`` on every item, ``jobs`` at a time; on an interruption, what has not started never does."""
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        list(pool.map(function, items))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def kind_of(o: Outcome) -> str:
    """What a difference is, to group them: route, statuses, differing headers, whether the body differs."""
    path = o.req.target.split("?")[0]
    parts = path.split("/")
    keep = 3 if parts[1:2] in (["analysis"], ["id"]) else 2
    where = "/".join(parts[:keep]) + ("/…" if len(parts) > keep else "")
    accept = dict((k.lower(), v) for k, v in o.req.headers).get("accept")
    what = [f"{o.req.method} {where}" + (f" [Accept: {accept}]" if accept else ""),
            f"status {o.a.status} / {o.b.status}" if o.a.status != o.b.status else f"status {o.a.status}"]
    names = [n for n, _, _ in o.header_diffs()]
    if names:
        what.append("headers " + ", ".join(names))
    if o.a.body != o.b.body:
        what.append("body")
    return "; ".join(str(w) for w in what)


def route(req: Req) -> str:
    """A request's route, for the timing summary: method and the path's first segment."""
    path = req.target.split("?")[0]
    return f"{req.method} /{path.split('/')[1] if path.count('/') else ''}"


def run_dataset(name: str, data: Path, versions: tuple[Version, Version], logs: Path, args) -> tuple[int, int, int]:
    """Serve ``data`` with both versions, send them the same requests, print what differs; returns the
    number of requests, of differences, and of answers BASE does not reproduce itself."""
    started = time.monotonic()
    servers: list[Server] = []
    try:
        for version in versions:
            servers.append(Server(version, data, logs, args.hash_seed))
        deadline = time.monotonic() + args.ready_timeout
        for server in servers:
            server.wait_ready(deadline)
        base, head = servers
        log(f"{name}: BASE ({base.shown()}) at {base.url}, HEAD ({head.shown()}) at {head.url}, ready in "
            f"{time.monotonic() - started:.1f} s")
        limits = httpx.Limits(max_connections=args.jobs + 2, max_keepalive_connections=args.jobs + 2)
        with httpx.Client(timeout=args.timeout, trust_env=False, limits=limits) as client_a, \
                httpx.Client(timeout=args.timeout, trust_env=False, limits=limits) as client_b:
            planner = Planner(client_a, base.url, name, args.sample if name != "curated" else None,
                              args.sample_ids if name != "curated" else None)
            reqs = planner.plan()
            if args.limit:
                reqs = reqs[:args.limit]
            log(f"{name}: {len(reqs)} requests, planned from BASE's answers in {time.monotonic() - started:.1f} s")
            outcomes: list[Outcome] = [None] * len(reqs)  # type: ignore[list-item]
            done = [0, 0]  # answered, differing
            lock = threading.Lock()
            step = max(100, len(reqs) // 20)

            def one(i: int) -> None:
                req = reqs[i]
                o = Outcome(req, send(client_a, base.url, req), send(client_b, head.url, req))
                outcomes[i] = o
                if o.a.failed or o.b.failed:
                    for server in servers:
                        server.check_alive()
                with lock:
                    done[0] += 1
                    done[1] += not o.same()
                    if done[0] % step == 0 or done[0] == len(reqs):
                        log(f"{name}: {done[0]}/{len(reqs)} compared, {done[1]} differ so far "
                            f"({time.monotonic() - started:.0f} s)")

            parallel(one, range(len(reqs)), args.jobs)
            # an answer refused for load (429, 503) or not given may not be the code's: asked again, one by one
            for i, o in enumerate(outcomes):
                if not o.same() and ({o.a.status, o.b.status} & {429, 503, 504} or o.a.failed or o.b.failed):
                    for _ in range(2):
                        outcomes[i] = Outcome(o.req, send(client_a, base.url, o.req), send(client_b, head.url, o.req),
                                              retried=True)
                        if outcomes[i].same():
                            break
        differ = [o for o in outcomes if not o.same()]
        if differ and args.recheck:
            recheck(name, data, versions, logs, args, differ)
        slow = {}
        for o in outcomes:
            slow[route(o.req)] = slow.get(route(o.req), 0.0) + o.a.seconds + o.b.seconds
        if args.report:
            with open(args.report, "a", encoding="utf-8") as fh:
                for o in outcomes:
                    fh.write(json.dumps({"dataset": name, "request": o.req.label(), "same": o.same(),
                                         "unstable": o.unstable, "status": [o.a.status, o.b.status],
                                         "bytes": [len(o.a.body), len(o.b.body)],
                                         "seconds": [round(o.a.seconds, 4), round(o.b.seconds, 4)]},
                                        ensure_ascii=False) + "\n")
        real = [o for o in differ if not o.unstable]
        unstable = [o for o in differ if o.unstable]
        elapsed = time.monotonic() - started
        log(f"{name}: time answering, both servers, by route: " + ", ".join(
            f"{r} {t:.0f} s" for r, t in sorted(slow.items(), key=lambda kv: -kv[1])[:6]))
        log(f"{name}: {len(reqs)} requests, {len(reqs) - len(differ)} identical, {len(real)} differ"
            + (f", {len(unstable)} not reproducible (a version's own answer differs when served again)"
               if unstable else "")
            + f" ({elapsed:.0f} s)")
        for heading, group in (("differ", real), ("not reproducible: a version answers differently when served "
                                                   "again (not counted unless --strict)", unstable)):
            if not group:
                continue
            kinds: dict[str, list[Outcome]] = {}
            for o in group:
                kinds.setdefault(kind_of(o), []).append(o)
            log(f"{name}: {heading}, {len(group)} in {len(kinds)} kinds:")
            for kind, members in kinds.items():
                log(f"  {len(members):5d} × {kind}")
            for kind, members in kinds.items():
                log(f"{name}: {kind} ({len(members)}):")
                for o in members[:args.show]:
                    for line in describe_difference(o):
                        log(line)
                if len(members) > args.show:
                    log(f"  … and {len(members) - args.show} more of this kind (--show N to see them)")
        return len(reqs), len(real), len(unstable)
    finally:
        for server in servers:
            server.stop()


def recheck(name: str, data: Path, versions: tuple[Version, Version], logs: Path, args,
            differ: list[Outcome]) -> None:
    """Serve both versions again and ask them the requests whose answers differed: when either version's
    new answer differs from its first one, the answer is not reproducible (a random start, hash order …)
    and byte-identity cannot be told; up to ``args.recheck`` rounds, for the answers each round leaves."""
    pending = [o for o in differ if not o.a.failed and not o.b.failed]
    for round_ in range(1, args.recheck + 1):
        if not pending:
            return
        log(f"{name}: serving both versions again (round {round_} of {args.recheck}) to see which of "
            f"{len(pending)} differing answers each reproduces")
        servers: list[Server] = []
        try:
            for version in versions:
                servers.append(Server(version, data, logs, args.hash_seed, tag=f"{version.role.lower()}-again{round_}"))
            deadline = time.monotonic() + args.ready_timeout
            for server in servers:
                server.wait_ready(deadline)
            urls = [server.url for server in servers]
            with httpx.Client(timeout=args.timeout, trust_env=False) as client_a, \
                    httpx.Client(timeout=args.timeout, trust_env=False) as client_b:
                def one(o: Outcome, urls: list[str] = urls) -> None:
                    a = send(client_a, urls[0], o.req)
                    b = send(client_b, urls[1], o.req)
                    if not a.failed and not b.failed and not (identical(o.a, a) and identical(o.b, b)):
                        o.unstable = True

                parallel(one, pending, args.jobs)
        finally:
            for server in servers:
                server.stop()
        pending = [o for o in pending if not o.unstable]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("base", help="git revision, '.' (the working tree) or a folder")
    parser.add_argument("head", nargs="?", default=".", help="the same (default: '.')")
    parser.add_argument("--datasets", default="curated,synthetic", help="curated, synthetic or both (default)")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic data (default 100,000)")
    parser.add_argument("--sample", type=int, default=150,
                        help="details of each kind asked on the synthetic data (default 150; every one on curated)")
    parser.add_argument("--sample-ids", type=int, default=30,
                        help="entity pages of each kind on the synthetic data, in every format (default 30)")
    parser.add_argument("--jobs", type=int, default=4,
                        help="requests in flight (default 4, the service's SPARQL limit per client)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request (default 60)")
    parser.add_argument("--ready-timeout", type=float, default=120, help="seconds for both servers to answer /health")
    parser.add_argument("--hash-seed", default="0",
                        help="PYTHONHASHSEED of both servers (default 0, so that only the code differs; "
                             "'random' to leave it unset)")
    parser.add_argument("--show", type=int, default=1_000_000, metavar="N",
                        help="differences printed in full per kind of difference (default: every one)")
    parser.add_argument("--recheck", type=int, default=2, metavar="ROUNDS",
                        help="when answers differ, serve both versions again up to ROUNDS times to tell differences "
                             "from answers a version does not reproduce itself (default 2; 0: never)")
    parser.add_argument("--strict", action="store_true",
                        help="exit status 1 also when an answer is not reproducible by a version itself")
    parser.add_argument("--logs", help="keep the servers' logs in this folder (default: removed at the end)")
    parser.add_argument("--report", help="append one JSON line per request to this file")
    parser.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)  # first N requests only (debugging)
    args = parser.parse_args(argv)
    args.hash_seed = None if args.hash_seed == "random" else args.hash_seed
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    if not set(datasets) <= {"curated", "synthetic"}:
        parser.error("--datasets takes curated, synthetic or both")

    def terminate(signum, frame):  # SIGTERM cleans up as Ctrl-C does
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    tmp = Path(tempfile.mkdtemp(prefix="pakg-compare-"))
    made: list[Path] = []
    started = time.monotonic()
    failed = 0
    try:
        versions = (checkout("BASE", args.base, tmp, made), checkout("HEAD", args.head, tmp, made))
        for v in versions:
            log(f"{v.role} {v.spec}: {v.describe}")
        logs = Path(args.logs).resolve() if args.logs else tmp / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        totals = []
        for name in datasets:
            data = tmp / name
            if name == "curated":
                shutil.copytree(ROOT / "data", data, ignore=lambda d, names: ["build"] if Path(d) == ROOT / "data"
                                else [])
            else:
                t = time.monotonic()
                subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(data), "--triples",
                                str(args.triples)], cwd=ROOT, check=True, timeout=600)
                log(f"synthetic: generated {args.triples:,} triples' worth of tables in {time.monotonic() - t:.1f} s")
            n, k, u = run_dataset(name, data, versions, logs, args)
            totals.append(f"{name}: {n} requests, {n - k - u} identical, {k} differ"
                          + (f", {u} not reproducible" if u else ""))
            failed += k + (u if args.strict else 0)
        log("summary: " + "; ".join(totals) + f" (in {time.monotonic() - started:.0f} s)")
        return 1 if failed else 0
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        remove_worktrees(made)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
