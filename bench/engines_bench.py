"""Engines and scale: pakg (pyoxigraph in memory and on disk) against `oxigraph serve` (memory, disk)
and rdflib-endpoint, and pakg over two SPARQL servers (`pakg serve --endpoint`) beside each server
alone: `oxigraph serve` on disk and Virtuoso Open Source 7 (Debian's `virtuoso-opensource`), on
synthetic data at several sizes, in one run on one machine.

    python bench/engines_bench.py [--scales 10000,100000,1000000] [--requests 200] [--seconds 5]
                                  [--clients 4] [--distinct 1000] [--rdflib-max 200000]
                                  [--endpoints oxigraph,virtuoso] [--virtuoso-mb 2048] [--no-bulk-load]

For each size: build time and peak memory; load time into each engine; latency (p50, p99) of
the REST questions and of five SPARQL queries, sequentially after a warm-up; throughput with
`--clients` concurrent clients for at most `--seconds` (or `--requests` each) per target; and
the ratios pakg / peer for the same storage.  The two SPARQL servers (tests/engines.py) are loaded
by pakg's own loader (`pakg load --endpoint`, timed: it builds the dataset, then sends it by the Graph
Store Protocol) and queried alone with pakg's two graphs as `default-graph-uri` and `named-graph-uri`
(Virtuoso's default graph also holds its system graphs), as pakg itself asks them; at the largest size
Virtuoso's own bulk loader (`ld_dir`, `rdf_loader_run`, `checkpoint`, into a fresh database) is timed
once as a reference.  Each SPARQL answer's size (rows or triples) is compared across the servers once,
and any difference printed (answers cut at pakg's row cap aside).  Two reference servers (bare_server.py, in memory)
show what Python's HTTP layer alone costs: a query run in the request's thread behind a bare
ASGI function, and behind one FastAPI route — with none of pakg's guard, limits or cache.
Each is measured twice: the same request repeated ("repeated": pakg answers it from its cache
of answers after the first time), and distinct requests ("distinct": different pairings or
regions, or the query text with a different comment each time, so that every answer is
computed anew).  The client is the standard library's HTTP/1.1 client with kept-alive
connections (measuring.py), the same for every server.  Every server is started here on a
loopback port and stopped at the end.  Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import engines  # noqa: E402
from conftest import LiveServer, free_port  # noqa: E402
from generate import generate, pairings_for  # noqa: E402
from measuring import Client, percentile  # noqa: E402

from graph.build import build, write_build  # noqa: E402
from graph.versions import write_store  # noqa: E402

BIN = Path(sys.executable).parent
PA = "https://w3id.org/pakg/ontology#"
BASE = "https://w3id.org/pakg/id/"
GRAPHS = [BASE + "graph/data", BASE + "graph/ontology"]  # pakg's two graphs (graph.config.graph_names)


def queries(pairing: str, supporter: str) -> dict[str, str]:
    return {
        "instruments of a pairing": f"""PREFIX pa: <{PA}>
SELECT DISTINCT ?i WHERE {{
  {{ ?i pa:governs <{pairing}> }} UNION {{ <{pairing}> pa:programme ?p . ?i pa:governs ?p }}
  UNION {{ <{pairing}> pa:parentPairing+ ?up . ?i pa:governs ?up }}
  UNION {{ <{pairing}> pa:parentPairing*/pa:programme? ?x . ?i pa:authorizes ?x }} }}""",
        "pairings of a supporter": f"PREFIX pa: <{PA}> SELECT ?p ?r WHERE {{ ?p pa:supporter <{supporter}> ; pa:recipient ?r }}",
        "count per supporter": f"PREFIX pa: <{PA}> SELECT ?s (COUNT(?p) AS ?n) WHERE {{ ?p pa:supporter ?s }} GROUP BY ?s",
        "2-hop with a year filter": f"""PREFIX pa: <{PA}> PREFIX time: <http://www.w3.org/2006/time#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?s ?region WHERE {{ ?p pa:supporter ?s ; pa:recipient ?r ; time:hasBeginning/time:inXSDGYear ?y .
  ?r pa:parentRegion ?region . FILTER(?y >= "2010"^^xsd:gYear) }}""",
        "CONSTRUCT support network": f"""PREFIX pa: <{PA}>
CONSTRUCT {{ ?p pa:supporter ?s ; pa:recipient ?r }} WHERE {{ ?p pa:supporter ?s ; pa:recipient ?r }}""",
    }


def target(path: str, params: dict | None = None) -> str:
    return path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")


def measure(url: str, variants: list[str], accept: str, requests: int, seconds: float, clients: int) -> dict:
    """Latency (sequential) and throughput (``clients`` at once) of GET ``url`` + each of ``variants``
    (path and query string) in turn: one variant repeated measures an answer asked again; many distinct
    ones measure answers computed anew."""
    client = Client(url, accept=accept)
    failed = 0
    try:
        for params in variants[:3]:
            client.get(params)
        # timed from the fourth variant on: the first three were warm-ups (and may now be cached)
        times, deadline, n = [], time.monotonic() + seconds, 3
        while len(times) < requests and time.monotonic() < deadline:
            params = variants[n % len(variants)]
            n += 1
            started = time.perf_counter()
            failed += client.get(params) != 200
            times.append((time.perf_counter() - started) * 1000)
    finally:
        client.close()

    def worker(k: int) -> tuple[int, int]:
        done, bad, stop, c = 0, 0, time.monotonic() + seconds, Client(url, accept=accept)
        try:
            while done < requests and time.monotonic() < stop:
                bad += c.get(variants[(n + k + done * clients) % len(variants)]) != 200
                done += 1
        finally:
            c.close()
        return done, bad

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        counts = list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - started
    failed += sum(bad for _, bad in counts)
    answered = sum(done - bad for done, bad in counts)  # throughput counts answers (200) only
    return {"p50": statistics.median(times), "p99": percentile(times, 0.99), "qps": answered / elapsed,
            "n": len(times), "failed": failed}


def distinct(path: str, text: str, count: int, extra: dict | None = None) -> list[str]:
    """The same query ``count`` times with a different comment: the same work for an engine, but a new
    request for any cache of answers."""
    return [target(path, {"query": f"{text}\n# request {i}", **(extra or {})}) for i in range(count)]


def answer_size(url: str, accept: str) -> int | str:
    """Rows of a SELECT answer, or triples of a CONSTRUCT answer (Turtle), marked when pakg cut it at its
    row cap; or why there is none."""
    try:
        response = httpx.get(url, headers={"Accept": accept}, timeout=600)
    except httpx.HTTPError as exc:
        return type(exc).__name__
    if response.status_code != 200:
        return f"status {response.status_code}"
    if accept == "text/turtle":
        import pyoxigraph as ox

        size = sum(1 for _ in ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    else:
        size = len(response.json()["results"]["bindings"])
    return f"{size} (row cap)" if response.headers.get("X-Truncated") == "true" else size


def peak_memory_of_build(data: Path) -> tuple[float, float]:
    code = ("import resource,time,sys; from pathlib import Path; from graph.build import build; "
            "t=time.perf_counter(); b=build(Path(sys.argv[1])); d=time.perf_counter()-t; "
            "print(d, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, check=True,
                         cwd=HERE.parent).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def wait_for_sparql(url: str, tries: int) -> None:
    """Until a SPARQL endpoint answers (every 0.1 s, at most ``tries`` times)."""
    for _ in range(tries):
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


class Peer:
    """A peer server started here on a loopback port; ``load_seconds`` from start to answering."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()

    def launch(self, args: list[str], path: str, tries: int) -> None:
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_sparql(self.url + path, tries)
        self.load_seconds = time.perf_counter() - self.started

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


class Oxigraph:
    """`oxigraph serve --union-default-graph` (tests/engines.py), in memory (loaded through its Graph Store
    endpoint) or on disk (loaded by `oxigraph load` first); ``load_seconds`` from start to answering."""

    def __init__(self, location: Path | None, nquads: Path):
        started = time.perf_counter()
        if location is not None:
            subprocess.run([engines.OXIGRAPH, "load", "--location", str(location), "--file", str(nquads)],
                           check=True, capture_output=True)
        self.engine = engines.start_oxigraph(location, union_default_graph=True)
        self.url = self.engine.query_url.removesuffix("/query")
        if location is None:
            with nquads.open("rb") as fh:
                httpx.post(self.engine.gsp_url, content=fh.read(), timeout=600,
                           headers={"Content-Type": "application/n-quads"}).raise_for_status()
        self.load_seconds = time.perf_counter() - started

    def stop(self):
        self.engine.stop()


class Bare(Peer):
    """bare_server.py: a query run in the request's thread, nothing else (no guard, limits or cache)."""

    def __init__(self, framework: str, nquads: Path):
        super().__init__()
        self.launch([sys.executable, str(HERE / "bare_server.py"), "--framework", framework,
                     "--port", str(self.port), "--nquads", str(nquads)], "/query", 3000)


class Endpoint:
    """A SPARQL server of tests/engines.py, loaded by `pakg load` (``load_seconds``), queried alone at
    its query URL with pakg's two graphs as the protocol's dataset."""

    def __init__(self, engine: engines.External, data: Path):
        self.engine = engine
        parts = urllib.parse.urlsplit(engine.query_url)
        self.url, self.path = f"{parts.scheme}://{parts.netloc}", parts.path
        self.graphs = {"default-graph-uri": GRAPHS, "named-graph-uri": GRAPHS}
        env = {**os.environ}
        if engine.auth:
            env.update(PAKG_ENDPOINT_USER=engine.auth[0], PAKG_ENDPOINT_PASSWORD=engine.auth[1])
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "pakg", "load", "--endpoint", engine.query_url,
                               "--data", str(data)], capture_output=True, text=True, env=env, cwd=HERE.parent)
        self.load_seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"pakg load into {engine.name} failed:\n{done.stdout[-1000:]}{done.stderr[-2000:]}")
        self.said = done.stdout.strip().splitlines()[-1]

    def stop(self):
        self.engine.stop()


def virtuoso_bulk_load(folder: Path, nquads: Path, memory_mb: int) -> tuple[float, int]:
    """Seconds for Virtuoso's own bulk loader to load ``nquads`` (each quad into its own graph) into a
    fresh database in ``folder``, checkpoint included; and the triples then in pakg's graphs."""
    engine = engines.start_virtuoso(folder, memory_mb=memory_mb)
    try:
        shutil.copy(nquads, folder / "pakg.nq")
        port = engine.extra["sql_port"]
        started = time.perf_counter()
        engines.isql(port, f"ld_dir('{folder}', 'pakg.nq', 'http://unused/')")
        engines.isql(port, "rdf_loader_run()", timeout=3600)
        engines.isql(port, "checkpoint", timeout=3600)
        seconds = time.perf_counter() - started
        errors = engines.isql(port, "select ll_file, ll_error from DB.DBA.load_list where ll_error is not null")
        if "pakg.nq" in errors:
            raise RuntimeError(f"Virtuoso's bulk loader: {errors}")
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { <%s> <%s> } }" % tuple(GRAPHS)
        answer = httpx.get(engine.query_url, params={"query": count}, timeout=600,
                           headers={"Accept": "application/sparql-results+json"})
        return seconds, int(answer.json()["results"]["bindings"][0]["n"]["value"])
    finally:
        engine.stop()


class RdflibEndpoint(Peer):
    def __init__(self, ntriples: Path):
        super().__init__()
        self.launch([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                     str(ntriples)], "/", 6000)  # it loads the file before it listens


def where(server: str, instance) -> tuple[str, dict]:
    """The SPARQL path of a server and the parameters every query to it carries."""
    if isinstance(instance, Endpoint):
        return instance.path, instance.graphs
    return ("/sparql" if server.startswith("pakg") else "/" if server == "rdflib-endpoint" else "/query"), {}


def start_servers(servers: dict, work: Path, data: Path, store: Path, nquads: Path, ntriples: Path, result,
                  args, largest: bool) -> dict[str, str]:
    """Start every server of one size into ``servers`` (name -> server); pakg over an endpoint -> the
    endpoint alone."""
    started = time.perf_counter()
    servers["pakg memory"] = LiveServer("--data", str(data), wait=900, PAKG_ACCESS_LOG="false")
    pakg_mem_start = time.perf_counter() - started
    started = time.perf_counter()
    servers["pakg disk"] = LiveServer("--store", str(store), wait=900, PAKG_ACCESS_LOG="false")
    pakg_disk_start = time.perf_counter() - started
    servers["oxigraph memory"] = Oxigraph(None, nquads)
    servers["oxigraph disk"] = Oxigraph(work / "oxistore", nquads)
    servers["bare asgi"] = Bare("asgi", nquads)
    servers["bare fastapi"] = Bare("fastapi", nquads)
    with_rdflib = len(result.quads) <= args.rdflib_max
    if with_rdflib:
        servers["rdflib-endpoint"] = RdflibEndpoint(ntriples)
    over = {}  # pakg over an endpoint -> the endpoint alone
    for name in args.endpoints:
        if name == "virtuoso":
            engine = engines.start_virtuoso(work / "virtuoso", memory_mb=args.virtuoso_mb)
        else:
            engine = engines.start_oxigraph(work / "oxigraph-server")
        alone = "virtuoso" if name == "virtuoso" else "oxigraph server"
        try:
            servers[alone] = Endpoint(engine, data)
        except BaseException:
            engine.stop()
            raise
        env = {"PAKG_ENDPOINT_USER": engine.auth[0], "PAKG_ENDPOINT_PASSWORD": engine.auth[1]} \
            if engine.auth else {}
        started = time.perf_counter()
        servers[f"pakg→{name}"] = LiveServer(wait=900, PAKG_ACCESS_LOG="false", PAKG_ENDPOINT=engine.query_url,
                                             **env)
        servers[f"pakg→{name}"].ready_seconds = time.perf_counter() - started
        over[f"pakg→{name}"] = alone
    if args.endpoints:
        print("pakg load (builds the dataset, then sends it): "
              + ", ".join(f"{a} {servers[a].load_seconds:.1f} s" for a in over.values())
              + "; ready to serve: " + ", ".join(f"{p} {servers[p].ready_seconds:.1f} s" for p in over))
        for alone in over.values():
            print(f"  {alone}: {servers[alone].said}")
    if "virtuoso" in args.endpoints and largest and args.bulk_load:
        seconds, count = virtuoso_bulk_load(work / "virtuoso-bulk", nquads, args.virtuoso_mb)
        print(f"Virtuoso's own bulk loader (ld_dir + rdf_loader_run + checkpoint, fresh database): {seconds:.1f} s, "
              f"{count:,} triples in pakg's graphs")
    print(f"ready: pakg memory {pakg_mem_start:.1f} s (builds the tables), pakg disk {pakg_disk_start:.1f} s, "
          f"oxigraph memory {servers['oxigraph memory'].load_seconds:.1f} s, oxigraph disk "
          f"{servers['oxigraph disk'].load_seconds:.1f} s"
          + (f", rdflib-endpoint {servers['rdflib-endpoint'].load_seconds:.1f} s" if with_rdflib else ""))
    return over


def run_scale(triples: int, args, largest: bool) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"pakg-bench-{triples}-"))
    try:
        data = work / "data"
        generate(data, pairings_for(triples))
        build_seconds, peak_mb = peak_memory_of_build(data)
        result = build(data)
        nquads, ntriples, store = work / "dataset.nq", work / "dataset.nt", work / "store"
        write_build(result, nquads)
        import pyoxigraph as ox
        ntriples.write_bytes(ox.serialize({ox.Triple(q.subject, q.predicate, q.object) for q in result.quads},
                                          format=ox.RdfFormat.N_TRIPLES))
        started = time.perf_counter()
        write_store(result, store)
        store_seconds = time.perf_counter() - started
        started = time.perf_counter()
        mem = ox.Store()
        mem.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        memory_seconds = time.perf_counter() - started
        del mem
        started = time.perf_counter()
        disk = ox.Store(str(work / "plain-disk-store"))
        disk.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        disk.flush()
        disk_seconds = time.perf_counter() - started
        del disk
        shutil.rmtree(work / "plain-disk-store")
        print(f"\n=== {len(result.quads):,} triples ({pairings_for(triples):,} pairings)")
        print(f"build {build_seconds:.2f} s, peak memory {peak_mb:.0f} MB; load into pyoxigraph: memory "
              f"{memory_seconds:.2f} s, disk {disk_seconds:.2f} s; `pakg build --store` (the disk store and the "
              f"REST indexes saved beside it) {store_seconds:.2f} s")

        pairings = [q.subject.value for q in result.quads if q.predicate.value == PA + "parentPairing"]
        pairing = pairings[0]
        supporter = next(q.object.value for q in result.quads if q.subject.value == pairing
                         and q.predicate.value == PA + "supporter")
        regions = sorted({q.object.value for q in result.quads if q.predicate.value == PA + "parentRegion"})
        every_pairing = sorted({q.subject.value for q in result.quads if q.predicate.value == PA + "supporter"})

        servers = {}
        try:
            over = start_servers(servers, work, data, store, nquads, ntriples, result, args, largest)
        except BaseException:
            for server in servers.values():
                server.stop()
            raise
        with_rdflib = "rdflib-endpoint" in servers
        try:
            limits = (args.requests, args.seconds, args.clients)
            short = lambda iri: iri.rsplit("/", 1)[-1]  # noqa: E731
            rest = {
                "GET /pairings/{id}/instruments": (
                    [f"/pairings/{short(pairing)}/instruments"],
                    [f"/pairings/{short(p)}/instruments" for p in every_pairing[:args.distinct]]),
                "GET /pairings?recipient=…": (
                    [target("/pairings", {"recipient": short(regions[0]), "limit": 50})],
                    [target("/pairings", {"recipient": short(r), "limit": 50}) for r in regions[:args.distinct]]),
            }
            print(f"{'REST question':<34}{'server':<15}{'requests':<10}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
            for name, (same, many) in rest.items():
                for server in ("pakg memory", "pakg disk", *over):
                    for kind, variants in (("repeated", same), ("distinct", many)):
                        m = measure(servers[server].url, variants, "application/json", *limits)
                        failed = f"  ({m['failed']} not 200)" if m["failed"] else ""
                        print(f"{name:<34}{server:<15}{kind:<10}{m['p50']:>9.2f}{m['p99']:>9.2f}{m['qps']:>9.0f}"
                              f"{failed}")
            print(f"\n{'SPARQL query':<27}{'server':<17}{'requests':<10}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}"
                  f"{'pakg/peer':>11}")
            peers = {"pakg memory": "oxigraph memory", "pakg disk": "oxigraph disk", "bare asgi": "oxigraph memory",
                     "bare fastapi": "oxigraph memory", **over}
            if "virtuoso" in servers and "oxigraph server" in servers:
                peers["virtuoso"] = "oxigraph server"  # Virtuoso over Oxigraph server, both alone
            sizes = {}
            for qname, text in queries(pairing, supporter).items():
                accept = "text/turtle" if "CONSTRUCT" in text.split("WHERE")[0] else "application/sparql-results+json"
                for server, instance in servers.items():
                    path, extra = where(server, instance)
                    sizes[server] = answer_size(instance.url + target(path, {"query": text, **extra}), accept)
                if len({size for size in sizes.values() if not str(size).endswith("(row cap)")}) > 1:
                    print(f"{qname}: answers differ in size: "
                          + ", ".join(f"{server} {size}" for server, size in sizes.items()))
                for kind in ("repeated", "distinct"):
                    found = {}
                    for server, instance in servers.items():
                        path, extra = where(server, instance)
                        variants = [target(path, {"query": text, **extra})] if kind == "repeated" else \
                            distinct(path, text, args.distinct, extra)
                        found[server] = measure(instance.url, variants, accept, *limits)
                    for server, m in found.items():
                        peer = peers.get(server)
                        ratio = f"{m['qps'] / found[peer]['qps']:.2f}x" if peer else ""
                        if server == "pakg memory" and with_rdflib:
                            ratio += f" ({m['qps'] / found['rdflib-endpoint']['qps']:.0f}x rdflib)"
                        failed = f"  ({m['failed']} not 200)" if m["failed"] else ""
                        print(f"{qname:<27}{server:<17}{kind:<10}{m['p50']:>9.2f}{m['p99']:>9.2f}{m['qps']:>9.1f}"
                              f"  {ratio}{failed}")
        finally:
            for server in servers.values():
                server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=200, help="at most this many requests per measurement")
    parser.add_argument("--seconds", type=float, default=5.0, help="at most this long per measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients for throughput")
    parser.add_argument("--distinct", type=int, default=1000,
                        help="requests per 'distinct' measurement (different pairings, regions or query texts)")
    parser.add_argument("--rdflib-max", type=int, default=200_000, help="skip rdflib-endpoint above this size")
    parser.add_argument("--endpoints", default="oxigraph,virtuoso",
                        help="SPARQL servers to load with `pakg load` and serve pakg from (empty: none)")
    parser.add_argument("--virtuoso-mb", type=int, default=2048, help="Virtuoso's memory (tests/engines.py)")
    parser.add_argument("--no-bulk-load", dest="bulk_load", action="store_false",
                        help="do not time Virtuoso's own bulk loader at the largest size")
    args = parser.parse_args()
    args.endpoints = [e for e in args.endpoints.split(",") if e]
    unknown = set(args.endpoints) - {"oxigraph", "virtuoso"}
    if unknown:
        parser.error(f"--endpoints: unknown {', '.join(sorted(unknown))} (oxigraph, virtuoso)")
    if "virtuoso" in args.endpoints and engines.virtuoso_missing():
        parser.error(engines.virtuoso_missing())
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{resource.getpagesize()} B pages; all servers on loopback")
    scales = [int(s) for s in args.scales.split(",")]
    for scale in scales:
        run_scale(scale, args, largest=scale == max(scales))


if __name__ == "__main__":
    main()
