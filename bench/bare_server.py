"""A reference point for engines_bench.py: the least a Python SPARQL server can do per request.

``GET /query?query=…`` runs the query on pyoxigraph in the request's own thread and answers
SPARQL JSON (or Turtle for CONSTRUCT) — no guard, no time limit, no caps, no cache, no
content negotiation: none of what pakg does for a public endpoint.  ``--framework asgi`` is
uvicorn with a bare ASGI function; ``--framework fastapi`` is the same behind one FastAPI
route.  Their throughput against ``oxigraph serve`` shows what Python's HTTP layer alone
costs on this machine.

    python bench/bare_server.py --framework asgi --port 8771 (--store DIR | --nquads FILE)
"""
from __future__ import annotations

import argparse
import os
from urllib.parse import parse_qs

import pyoxigraph as ox
import uvicorn


def open_store(args) -> ox.Store:
    if args.store:
        return ox.Store.read_only(os.path.realpath(args.store))
    store = ox.Store()
    store.bulk_load(path=args.nquads, format=ox.RdfFormat.N_QUADS)
    return store


def answer(store: ox.Store, text: str) -> tuple[bytes, bytes]:
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE), b"text/turtle"
    return result.serialize(format=ox.QueryResultsFormat.JSON), b"application/sparql-results+json"


def asgi_app(store: ox.Store):
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        texts = parse_qs(scope["query_string"].decode()).get("query")
        status, body, media = (200, *answer(store, texts[0])) if texts else (400, b"no query", b"text/plain")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", media), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
    return app


def fastapi_app(store: ox.Store):
    from fastapi import FastAPI
    from fastapi.responses import Response

    app = FastAPI()

    @app.get("/query")
    async def query(query: str) -> Response:
        body, media = answer(store, query)
        return Response(body, media_type=media.decode())
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", choices=("asgi", "fastapi"), default="asgi")
    parser.add_argument("--port", type=int, required=True)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", help="an on-disk pyoxigraph store (opened read-only)")
    where.add_argument("--nquads", help="an N-Quads file, loaded in memory")
    args = parser.parse_args()
    store = open_store(args)
    app = asgi_app(store) if args.framework == "asgi" else fastapi_app(store)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
