"""Engines and scale: pakg (pyoxigraph in memory and on disk) against `oxigraph serve` (memory, disk)
and rdflib-endpoint, on synthetic data at several sizes, in one run on one machine.

    python bench/engines_bench.py [--scales 10000,100000,1000000] [--requests 200] [--seconds 5]
                                  [--clients 4] [--distinct 1000] [--rdflib-max 200000]

For each size: build time and peak memory; load time into each engine; latency (p50, p99) of
the REST questions and of five SPARQL queries, sequentially after a warm-up; throughput with
`--clients` concurrent clients for at most `--seconds` (or `--requests` each) per target; and
the ratios pakg / peer for the same storage.  Two reference servers (bare_server.py, in memory)
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

from conftest import LiveServer, free_port  # noqa: E402
from generate import generate, pairings_for  # noqa: E402
from measuring import Client, percentile  # noqa: E402

from graph.build import build, write_build  # noqa: E402
from graph.versions import write_store  # noqa: E402

BIN = Path(sys.executable).parent
PA = "https://w3id.org/pakg/ontology#"
BASE = "https://w3id.org/pakg/id/"


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
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


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


def distinct(path: str, text: str, count: int) -> list[str]:
    """The same query ``count`` times with a different comment: the same work for an engine, but a new
    request for any cache of answers."""
    return [target(path, {"query": f"{text}\n# request {i}"}) for i in range(count)]


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


class Oxigraph(Peer):
    def __init__(self, location: Path | None, nquads: Path):
        super().__init__()
        if location is not None:
            subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(nquads)],
                           check=True, capture_output=True)
        args = [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        self.launch(args + (["--location", str(location)] if location else []), "/query", 300)
        if location is None:
            with nquads.open("rb") as fh:
                httpx.post(self.url + "/store", content=fh.read(), timeout=600,
                           headers={"Content-Type": "application/n-quads"}).raise_for_status()
            self.load_seconds = time.perf_counter() - self.started


class Bare(Peer):
    """bare_server.py: a query run in the request's thread, nothing else (no guard, limits or cache)."""

    def __init__(self, framework: str, nquads: Path):
        super().__init__()
        self.launch([sys.executable, str(HERE / "bare_server.py"), "--framework", framework,
                     "--port", str(self.port), "--nquads", str(nquads)], "/query", 3000)


class RdflibEndpoint(Peer):
    def __init__(self, ntriples: Path):
        super().__init__()
        self.launch([str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                     str(ntriples)], "/", 6000)  # it loads the file before it listens


def run_scale(triples: int, args) -> None:
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
        print(f"ready: pakg memory {pakg_mem_start:.1f} s (builds the tables), pakg disk {pakg_disk_start:.1f} s, "
              f"oxigraph memory {servers['oxigraph memory'].load_seconds:.1f} s, oxigraph disk "
              f"{servers['oxigraph disk'].load_seconds:.1f} s"
              + (f", rdflib-endpoint {servers['rdflib-endpoint'].load_seconds:.1f} s" if with_rdflib else ""))
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
            print(f"{'REST question':<34}{'server':<13}{'requests':<10}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}")
            for name, (same, many) in rest.items():
                for server in ("pakg memory", "pakg disk"):
                    for kind, variants in (("repeated", same), ("distinct", many)):
                        m = measure(servers[server].url, variants, "application/json", *limits)
                        failed = f"  ({m['failed']} not 200)" if m["failed"] else ""
                        print(f"{name:<34}{server:<13}{kind:<10}{m['p50']:>9.2f}{m['p99']:>9.2f}{m['qps']:>9.0f}"
                              f"{failed}")
            print(f"\n{'SPARQL query':<27}{'server':<17}{'requests':<10}{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}"
                  f"{'pakg/peer':>11}")
            for qname, text in queries(pairing, supporter).items():
                accept = "text/turtle" if "CONSTRUCT" in text.split("WHERE")[0] else "application/sparql-results+json"
                for kind in ("repeated", "distinct"):
                    found = {}
                    for server, instance in servers.items():
                        path = ("/sparql" if server.startswith("pakg") else "/" if server == "rdflib-endpoint"
                                else "/query")
                        variants = [target(path, {"query": text})] if kind == "repeated" else \
                            distinct(path, text, args.distinct)
                        found[server] = measure(instance.url, variants, accept, *limits)
                    for server, m in found.items():
                        peer = {"pakg memory": "oxigraph memory", "pakg disk": "oxigraph disk",
                                "bare asgi": "oxigraph memory", "bare fastapi": "oxigraph memory"}.get(server)
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
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"{resource.getpagesize()} B pages; all servers on loopback")
    for scale in (int(s) for s in args.scales.split(",")):
        run_scale(scale, args)


if __name__ == "__main__":
    main()
