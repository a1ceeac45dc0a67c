"""The ``pakg`` command: build, validate, query, export, stats, serve.

A user's error (a missing file, a bad query, an unknown name, analysis or option) is one line on standard
error, ``pakg: error: …``, and exit status 2, never a traceback; Ctrl+C stops with one line and status 130.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox

from graph import __version__, formats, queries
from graph.build import build, write_build
from graph.config import BUILD_FILE, DATA_DIR, PREFIXES, base_iri
from graph.errors import BadParameter, BadQuery, BuildError, PakgError, UnknownName
from graph.export import GRAPHS, export
from graph.formats import Use
from graph.location import open_dataset
from graph.readmodel import CONFIDENCE_LEVELS, SOURCE_KINDS, ReadModel
from graph.store import Engine
from graph.versions import write_store

from . import progress
from .syntax import describe, refuse_update
from .table import FORMATS as OUTPUT_FORMATS  # of the tables printed for people (not formats of graph.formats)
from .table import render as render_table

NETWORK_DEFAULT = "graphml"  # the format of `pakg export --network` without --format


def _settings(**given):
    """The service's settings: ``given``, and the ``PAKG_*`` environment variables for the rest; a bad
    value is said in one line."""
    from pydantic import ValidationError

    from api.settings import Settings

    try:
        return Settings(**given)
    except ValidationError as exc:
        raise PakgError(
            "; ".join(f"PAKG_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        ) from None


@lru_cache(maxsize=1)
def _environment():
    """The ``PAKG_*`` environment variables (endpoint credentials, base IRI), read once."""
    return _settings()


def _auth() -> tuple[str, str] | None:
    return _environment().endpoint_auth()


def _positive(value: str) -> int:
    """An argument that is a whole number above zero."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number above zero")
    return number


def _data_dir(args) -> Path:
    """``--data``, which must be a folder."""
    data = Path(args.data)
    if not data.is_dir():
        raise BadParameter("data", f"{data}: {'not a folder' if data.exists() else 'no such folder'}")
    return data


def _engine(args) -> Engine:
    endpoint, store = getattr(args, "endpoint", None), getattr(args, "store", None)
    engine, _ = open_dataset(
        base=args.base,
        endpoint=endpoint,
        store=store,
        data=args.data if endpoint or store else _data_dir(args),
        auth=_auth(),
    )
    return engine


# ---- tables for people ----------------------------------------------------------------


def render(rows: list[dict], columns: list[str], args) -> str:
    """Rows in the format ``--format`` asks for; a table fits the terminal unless ``--full-width``."""
    return render_table(rows, columns, args.format, full_width=getattr(args, "full_width", False))


# ---- commands ------------------------------------------------------------------------------


def cmd_build(args) -> int:
    with progress.bar("build") as tick:
        result = build(_data_dir(args), args.base, **progress.keyword(tick))
    out = Path(args.out)
    write_build(result, out)
    where = [str(out)]
    if args.store:
        if not args.no_validate:  # a store that a running service may switch to must conform first
            from graph.validate import validate_quads

            with progress.bar("validate") as tick:
                report = validate_quads(result.quads, **progress.keyword(tick))
            if not report.conforms:
                print(report.text(), file=sys.stderr)
                print(f"pakg: the store at {args.store} was not switched", file=sys.stderr)
                return 1
        write_store(result, Path(args.store))
        where.append(f"store {args.store}")
    print(
        f"built dataset {result.version}: {len(result.quads)} triples "
        f"({result.data_triples} data, {len(result.quads) - result.data_triples} ontology and metadata) "
        f"-> {', '.join(where)}"
    )
    return 0


def cmd_validate(args) -> int:
    from graph.validate import validate_graph, validate_quads

    if args.rdf:
        import rdflib

        if b"<!DOCTYPE" in Path(args.rdf).read_bytes()[:65536].upper():
            raise PakgError(f"{args.rdf}: a DOCTYPE is refused (no entity expansion in RDF/XML)")
        from graph.vocab import ontology_quads

        try:
            graph = rdflib.Graph().parse(args.rdf)
        except Exception as exc:  # rdflib's parsers raise many kinds: each is "this file does not parse"
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise BadParameter("rdf", f"{args.rdf}: not RDF that rdflib can read ({first[:200]})") from None
        onto = ox.serialize(ontology_quads(), format=ox.RdfFormat.N_TRIPLES)
        graph.parse(data=onto, format="nt")
        with progress.bar("validate") as tick:
            report = validate_graph(graph, **progress.keyword(tick))
    else:
        data = _data_dir(args)
        with progress.bar("build") as tick:
            quads = build(data, args.base, **progress.keyword(tick)).quads
        with progress.bar("validate") as tick:
            report = validate_quads(quads, **progress.keyword(tick))
    print(report.text())
    return 0 if report.conforms else 1


ABSOLUTE_IRI = re.compile(r"^(https?|urn):[^\s<>\"{}|\\^`]+$")


def _bind(args, engine: Engine, named: queries.NamedQuery | None, values: dict[str, str]) -> dict:
    """The terms bound to a query's variables.  A named query's IRI parameters take an IRI, a prefixed
    name, a short id (PR-0002) or a name (克州) (``NamedQuery.bind``, shared with ``GET /queries/{name}``);
    in a query's own text, a value in angle brackets is such an IRI, id or name of any resource, an
    absolute http(s)/urn IRI is an IRI, and anything else a plain literal."""
    model: ReadModel | None = None

    def the_model() -> ReadModel:
        nonlocal model
        if model is None:
            model = ReadModel(engine, args.base)
        return model

    plain = {k: v[1:-1] if v.startswith("<") and v.endswith(">") else v for k, v in values.items()}
    any_resource = {k: queries.Parameter(k, "iri", None, "an IRI, id or name of a resource") for k in values}
    try:
        if named is not None:
            needs_model = any(not ABSOLUTE_IRI.match(v) for v in plain.values())
            return dict(named.bind(plain, the_model() if needs_model else None))
        terms: dict = {}
        for key, value in values.items():
            if value.startswith("<") and value.endswith(">"):  # any resource, by IRI, id or name
                inner = plain[key]
                terms[key] = any_resource[key].term(inner, None if ABSOLUTE_IRI.match(inner) else the_model())
            elif ABSOLUTE_IRI.match(value):
                terms[key] = any_resource[key].term(value, None)
            else:
                terms[key] = ox.Literal(value)
        return terms
    except BadParameter as exc:  # said as the option the user typed
        raise BadParameter(f"bind {exc.name.lstrip('?$')}", str(exc), exc.candidates) from None


def _compact(term, base: str):
    """A term for a table people read: an IRI of the dataset by its path after the base
    (``pairing/PR-0002``), one of a known vocabulary by its prefix (``pa:high``); other values as they are."""
    if not isinstance(term, ox.NamedNode):
        return queries.to_python(term)
    return _short(term.value, base)


def _short(iri: str, base: str) -> str:
    """An IRI as ``_compact`` shows it."""
    if iri.startswith(base):
        return iri[len(base) :]
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def cmd_query(args) -> int:
    bindings: dict[str, str] = {}
    for item in args.bind or []:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not name:
            raise PakgError(f"--bind takes name=value, not '{item}'")
        bindings[name] = value.strip()
    named = None
    if args.named:
        named = queries.get(args.named)
        text = named.text
        if args.file or args.sparql:
            raise PakgError("give one query: SPARQL text, --file FILE or --named NAME")
    elif args.file:
        if args.sparql:
            raise PakgError("give one query: SPARQL text, --file FILE or --named NAME")
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise BadParameter("file", f"{args.file}: not UTF-8 text") from None
    elif args.sparql:
        text = args.sparql
    else:
        raise PakgError("give a SPARQL query, --file FILE or --named NAME")
    refuse_update(text)
    engine = _engine(args)
    terms = _bind(args, engine, named, bindings)
    try:
        result = engine.query(text, terms)
    except BadQuery as exc:
        if isinstance(exc.__cause__, SyntaxError):
            raise BadQuery(describe(text, exc)) from None
        raise
    if isinstance(result, bool):
        if args.format == "json":
            print(json.dumps({"boolean": result}))
        elif args.format == "csv":
            print(f"boolean\n{str(result).lower()}")
        else:
            print(str(result).lower())
    elif isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        shown = (lambda t: _compact(t, args.base)) if args.format == "table" else queries.to_python
        rows = [{c: shown(row[c]) for c in columns if row[c] is not None} for row in result]
        print(render(rows, columns, args))
    else:
        sys.stdout.buffer.write(ox.serialize(list(result), format=formats.get(Use.ANSWER, "turtle").engine))
    return 0


def _facts(model: ReadModel, args):
    """The fact filter of ``--min-confidence``, ``--exclude-source-kind`` and ``--stated-years-only``."""
    from graph.network import fact_filter

    return fact_filter(model, args.min_confidence, args.exclude_source_kind or (), args.stated_years_only)


def _fact_options(sp) -> None:
    sp.add_argument("--min-confidence", default=None, help="leave out facts below this confidence (high, medium, low)")
    sp.add_argument(
        "--exclude-source-kind",
        action="append",
        metavar="KIND",
        help="leave out facts resting only on sources of this kind, e.g. fiction-forum (repeatable)",
    )
    sp.add_argument("--stated-years-only", action="store_true", help="use only years a source states")


def cmd_export(args) -> int:
    engine = _engine(args)
    if args.network:
        from graph import network

        fmt = args.format if args.format != "turtle" else NETWORK_DEFAULT
        if formats.find(Use.NETWORK, fmt) is None:
            raise BadParameter("format", f"a network is written as one of: {', '.join(formats.names(Use.NETWORK))}")
        model = ReadModel(engine, args.base)
        filters = {f: getattr(args, f) for f in network.FILTERS}
        graph = network.project(model, args.network, args.level, facts=_facts(model, args), **filters)
        from graph.export import about

        # with the dataset's licence, release and citation, as /network serves it: the same bytes
        data = network.serialize(graph, fmt, args.table, about(engine.version, args.base))
    else:
        if formats.find(Use.EXPORT, args.format) is None:
            raise BadParameter("format", f"the dataset is written as one of: {', '.join(formats.names(Use.EXPORT))}")
        from graph.export import about

        data = export(engine, args.format, args.base, args.graph, about(engine.version, args.base))
    if args.out:
        Path(args.out).write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
    return 0


def fact_shares(rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """The shares of facts (resources that state one: they have a confidence) per confidence and per
    kind of source, and how many rest only on fiction or forum sources.  A resource resting only on
    sources of one kind counts as that kind; on several kinds, as "mixed"; on sources of no known kind
    or none, as "unknown".

    >>> by_conf, by_kind, fiction = fact_shares([{"confidence": "high", "kinds": "official"},
    ...     {"confidence": "low", "kinds": "fiction-forum"}, {"confidence": "medium", "kinds": "copy official"},
    ...     {"confidence": "high", "kinds": "official"}])
    >>> [(r["confidence"], r["facts"], r["share"]) for r in by_conf]
    [('high', 2, '50.0%'), ('medium', 1, '25.0%'), ('low', 1, '25.0%')]
    >>> [(r["source_kind"], r["facts"], r["with_any"]) for r in by_kind]
    [('official', 2, 3), ('copy', 0, 1), ('fiction-forum', 1, 1), ('mixed', 1, 0)]
    >>> fiction
    1
    """
    total = len(rows) or 1
    confidence: dict[str, int] = {}
    only: dict[str, int] = {}
    any_: dict[str, int] = {}
    for row in rows:
        confidence[row["confidence"]] = confidence.get(row["confidence"], 0) + 1
        kinds = set(row.get("kinds", "").split())
        for kind in kinds:
            any_[kind] = any_.get(kind, 0) + 1
        key = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else "unknown")
        only[key] = only.get(key, 0) + 1
    order = {k: i for i, k in enumerate((*reversed(CONFIDENCE_LEVELS), *SOURCE_KINDS, "mixed", "unknown"))}

    def share(n: int) -> str:
        return f"{100 * n / total:.1f}%"

    by_confidence = [
        {"confidence": c, "facts": n, "share": share(n)}
        for c, n in sorted(confidence.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    ]
    kinds = sorted(set(only) | set(any_), key=lambda k: (order.get(k, len(order)), k))
    by_kind = [
        {"source_kind": k, "facts": only.get(k, 0), "share": share(only.get(k, 0)), "with_any": any_.get(k, 0)}
        for k in kinds
    ]
    return by_confidence, by_kind, only.get("fiction-forum", 0)


def cmd_stats(args) -> int:
    engine = _engine(args)
    by_class = queries.run(engine, "stats_by_class")
    by_source = queries.run(engine, "stats_by_source")
    facts = queries.run(engine, "stats_fact_kinds")
    by_confidence, by_kind, fiction = fact_shares(facts)
    for row in by_class:
        row["class"] = row["class"].replace("https://w3id.org/pakg/ontology#", "pa:")
    if args.format == "json":
        print(
            json.dumps(
                {
                    "version": engine.version,
                    "triples": engine.triple_count,
                    "by_class": by_class,
                    "by_source": by_source,
                    "facts": len(facts),
                    "facts_by_confidence": by_confidence,
                    "facts_by_source_kind": by_kind,
                    "facts_only_on_fiction_forum": fiction,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if args.format == "csv":  # one table for scripts: each figure a row (what it counts, of what, which measure)
        rows: list[dict] = [
            {"table": "dataset", "key": "version", "measure": "value", "value": engine.version},
            {"table": "dataset", "key": "triples", "measure": "count", "value": engine.triple_count},
            *({"table": "by_class", "key": r["class"], "measure": "count", "value": r["count"]} for r in by_class),
            *(
                {"table": "by_source", "key": r["source"], "measure": m, "value": r.get(m)}
                for r in by_source
                for m in ("resources", "title")
            ),
            {"table": "facts", "key": "all", "measure": "count", "value": len(facts)},
            *(
                {"table": "facts_by_confidence", "key": r["confidence"], "measure": m, "value": r[m]}
                for r in by_confidence
                for m in ("facts", "share")
            ),
            *(
                {"table": "facts_by_source_kind", "key": r["source_kind"], "measure": m, "value": r[m]}
                for r in by_kind
                for m in ("facts", "share", "with_any")
            ),
            {"table": "facts", "key": "only_on_fiction_forum", "measure": "count", "value": fiction},
        ]
        print(render(rows, ["table", "key", "measure", "value"], args))
        return 0
    print(f"dataset {engine.version}: {engine.triple_count} triples")
    by_class = [{**r, "class": _short(r["class"], args.base)} for r in by_class]
    by_source = [{**r, "source": _short(r["source"], args.base)} for r in by_source]
    print(render(by_class, ["class", "count"], args))
    print()
    print(render(by_source, ["source", "resources", "title"], args))
    print()
    print(f"facts (resources that state one, with a confidence): {len(facts)}")
    print(render(by_confidence, ["confidence", "facts", "share"], args))
    print()
    print("facts by the kind of the sources they rest on (facts, share: only on that kind; with_any: on at least one)")
    print(render(by_kind, ["source_kind", "facts", "share", "with_any"], args))
    print()
    print(f"facts resting only on fiction or forum sources: {fiction}")
    return 0


def _parameter(name: str, spec) -> str:
    """A named query's parameter for people: its name, type and (for an IRI) the class it names."""
    if isinstance(spec, str):
        return f"{name} ({spec})"
    kind = getattr(spec, "type", None) or getattr(spec, "kind", None) or ""
    cls = getattr(spec, "cls", None) or getattr(spec, "class_", None) or getattr(spec, "klass", None)
    return f"{name} ({kind}{', ' + str(cls) if cls else ''})" if kind else name


def cmd_queries(args) -> int:
    rows = [
        {
            "name": q.name,
            "parameters": ", ".join(_parameter(n, spec) for n, spec in q.params.items()) or "-",
            "description": q.description,
        }
        for q in queries.named_queries().values()
    ]
    print(render(rows, ["name", "parameters", "description"], args))
    return 0


def cmd_analyses(args) -> int:
    """``pakg analyze`` without a name: the analyses, each with what it measures."""
    from graph.analyses import ANALYSES

    rows = [
        {
            "name": a.name,
            "view": a.view,
            "parameters": ", ".join(a.parameters) or "-",
            "description": a.description,
            "definition": a.definition,
        }
        for a in ANALYSES.values()
    ]
    columns = ["name", "view", "parameters", "description"]
    if args.format == "table":
        print("the analyses (run one with: pakg analyze NAME; definitions: pakg analyze --format json)")
    else:
        columns.append("definition")
    print(render(rows, columns, args))
    return 0


def _summary(summary) -> str:
    """An analysis's summary in one line: ``key value, …`` (a dict; a list as ``[its length]``), or as it is."""
    if isinstance(summary, dict):  # a list (the unlocated pairings …) by its length: --format json lists it
        return ", ".join(
            f"{k} {round(v, 6) if isinstance(v, float) else f'[{len(v)}]' if isinstance(v, list) else v}"
            for k, v in summary.items()
        )
    return str(summary)


def cmd_analyze(args) -> int:
    from graph.analyses import ANALYSES, compute_analysis

    if args.name is None:
        return cmd_analyses(args)
    if args.name not in ANALYSES:
        raise UnknownName(f"unknown analysis '{args.name}' (known: {', '.join(ANALYSES)}; 'pakg analyze' lists them)")
    model = ReadModel(_engine(args), args.base)
    filters = {
        f: getattr(args, f) for f in ("supporter", "recipient", "field", "mode", "programme", "year", "confidence")
    }
    result = compute_analysis(
        model,
        args.name,
        view=args.view,
        level=args.level,
        k=args.k,
        source=args.source,
        target=args.target,
        by=args.by,
        facts=_facts(model, args),
        **filters,
    )
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    rows = []
    for row in result["rows"]:
        flat = {}
        for key, value in row.items():
            if isinstance(value, dict):
                flat[key] = value.get("id")
                flat[f"{key}_label_zh"] = value.get("label_zh")
                flat[f"{key}_label_en"] = value.get("label_en")
                for part in ("longitude", "latitude"):  # a node of a geography analysis: its point
                    if part in value:
                        flat[f"{key}_{part}"] = value[part]
            else:
                flat[key] = round(value, 6) if isinstance(value, float) else value
        rows.append(flat)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    if args.format == "table":
        print(
            f"{args.name} on the {result['view']} network"
            + (f" at {result['level']} level" if result["level"] else "")
            + f": {_summary(result['summary'])}"
        )
    print(render(rows, columns, args))
    return 0


def cmd_load(args) -> int:
    from graph.config import base_iri, graph_iris
    from graph.remote import load

    with progress.bar("build") as tick:
        result = build(_data_dir(args), args.base, **progress.keyword(tick))
    with progress.bar("load") as tick:
        done = load(
            result,
            endpoint=args.endpoint,
            update=args.update,
            gsp=args.gsp,
            auth=_auth(),
            batch=args.batch,
            progress=tick,
        )
    engine = Engine.remote(args.endpoint, _auth(), graphs=graph_iris(base_iri(args.base)))
    print(
        f"loaded dataset {result.version}: {done.triples} triples into {args.endpoint} ({done.engine}) by "
        f"{done.protocol} at {done.url}, {done.batch} triples a request "
        f"(pakg's graphs there now hold {engine.triple_count} triples, version {engine.version})"
    )
    return 0 if engine.version == result.version else 1


def cmd_diff(args) -> int:
    from graph.diff import diff, read_dataset

    changes = diff(read_dataset(Path(args.old), args.base), read_dataset(Path(args.new), args.base))
    if args.format == "json":
        print(json.dumps(changes.as_json(), ensure_ascii=False, indent=2))
    else:
        print(changes.markdown(args.title))
    return 1 if args.exit_code and not changes.empty() else 0


def cmd_release(args) -> int:
    from graph.release import write_release

    previous = Path(args.previous) if args.previous else None
    with progress.bar("release") as tick:
        done = write_release(Path(args.out), _data_dir(args), args.base, previous, **progress.keyword(tick))
    for warning in done.warnings:
        print(f"pakg: warning: {warning}", file=sys.stderr)
    changes = done.changes
    compared = (
        f"; against {args.previous}: {len(changes.by_status('added'))} resources added, "
        f"{len(changes.by_status('removed'))} removed, {len(changes.by_status('changed'))} changed"
        if changes is not None
        else ""
    )
    print(f"release {done.release} (content version {done.version}): {len(done.files)} files -> {done.path}{compared}")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from api.app import create_app

    # --host and --port, else PAKG_HOST and PAKG_PORT, else 127.0.0.1:8000 (the settings' defaults)
    given = {"host": args.host, "port": args.port, "store": args.store, "endpoint": args.endpoint}
    settings = _settings(data_dir=args.data, base_iri=args.base, **{k: v for k, v in given.items() if v is not None})
    # a store that cannot be opened, or an endpoint that does not answer, is said in one line before the
    # server starts (not as a traceback from its start-up)
    if settings.endpoint or settings.store:
        open_dataset(
            base=args.base,
            endpoint=settings.endpoint,
            store=settings.store,
            auth=settings.endpoint_auth(),
            timeout=settings.endpoint_timeout,
        )
    else:
        _data_dir(args)
    # server_header=False: no `server: uvicorn`.  The header limits are checked by the app (431); when
    # uvicorn runs on h11 rather than httptools, h11 also stops a request line and header block larger
    # than the headers allowed plus a GET query's URL (up to 3 bytes a query byte, percent-encoded)
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        server_header=False,
        proxy_headers=False,  # X-Forwarded-For is read by the app, from PAKG_TRUSTED_PROXIES only
        h11_max_incomplete_event_size=settings.max_header_bytes + 4 * settings.max_query_bytes,
    )
    server = uvicorn.Server(config)
    # (not uvicorn.run, which swallows the Ctrl+C it re-raises after a graceful shutdown: the command says
    # "interrupted" and exits with 130 like every other command stopped by Ctrl+C)
    server.run()
    if not server.started:
        raise PakgError(f"the service did not start on {settings.host}:{settings.port} (see the log above)")
    return 0


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose usage errors are one line, ``pakg: error: …`` (status 2), as the
    command's own errors are; ``--help`` still shows the usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"pakg: error: {message} (see '{self.prog} --help')\n")


def _table_options(sp, more: str = "") -> None:
    sp.add_argument(
        "--format",
        choices=OUTPUT_FORMATS,
        default="table",
        help="table for people (default), csv or json for scripts" + more,
    )
    sp.add_argument(
        "--full-width", action="store_true", help="do not cut cells to fit the terminal (tables are cut with …)"
    )


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="pakg", description="The paired-assistance knowledge graph (对口支援知识图谱).")
    p.add_argument("--version", action="version", version=f"pakg {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, store=True):
        sp.add_argument("--data", default=str(DATA_DIR), help="folder of data tables (default: %(default)s)")
        sp.add_argument(
            "--base", default=None, help="base of instance IRIs (default: PAKG_BASE_IRI or https://w3id.org/pakg/id/)"
        )
        if store:
            sp.add_argument("--store", default=None, help="read an on-disk store instead of building from --data")
            sp.add_argument(
                "--endpoint",
                default=None,
                help="read a SPARQL 1.1 endpoint loaded by 'pakg load' (credentials from PAKG_ENDPOINT_USER/_PASSWORD)",
            )

    sp = sub.add_parser("build", help="build the graph from the data tables")
    common(sp, store=False)
    sp.add_argument("--out", default=str(BUILD_FILE), help="N-Quads file to write (default: %(default)s)")
    sp.add_argument(
        "--store",
        default=None,
        help="also write an on-disk pyoxigraph store and switch PATH to it "
        "(validated first; a running service reloads it)",
    )
    sp.add_argument("--no-validate", action="store_true", help="switch the store without SHACL validation")
    sp.set_defaults(func=cmd_build)

    sp = sub.add_parser("validate", help="check the built data against the SHACL shapes")
    common(sp, store=False)
    sp.add_argument("--rdf", default=None, help="validate this RDF file (with the ontology) instead of the data")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("query", help="run a SPARQL query (text, file or named)")
    common(sp)
    sp.add_argument("sparql", nargs="?", help="SPARQL query text")
    sp.add_argument("--file", help="read the query from FILE")
    sp.add_argument("--named", help="run a named query (see 'pakg queries')")
    sp.add_argument(
        "--bind",
        action="append",
        metavar="NAME=VALUE",
        help="bind a variable (repeatable); a named query's IRI parameter takes an IRI, a short id or a name "
        "(pairing=PR-0002, region=克州); in your own query, write <id or name> for an IRI",
    )
    _table_options(
        sp,
        "; a table shows IRIs of the dataset by their path (pairing/PR-0002) and others by prefix "
        "(pa:high), csv and json show them whole",
    )
    sp.set_defaults(func=cmd_query)

    from graph.network import AS_PAIRED, LEVELS, VIEWS

    level_help = (
        f"{AS_PAIRED} (the default: each end as its pairing names it, as the API does) or a level to aggregate at"
    )

    sp = sub.add_parser("export", help="export the dataset as RDF, or a network (--network VIEW)")
    common(sp)
    network_formats = [name + " (default)" if name == NETWORK_DEFAULT else name for name in formats.names(Use.NETWORK)]
    sp.add_argument(
        "--format",
        choices=formats.names(Use.EXPORT) + formats.names(Use.NETWORK),
        default="turtle",
        help=f"RDF formats for the dataset; {', '.join(network_formats)} for --network",
    )
    sp.add_argument("--graph", choices=GRAPHS, default="all")
    sp.add_argument("--network", choices=VIEWS, default=None, help="export this network view instead")
    sp.add_argument("--level", choices=LEVELS, default=AS_PAIRED, help=level_help)
    sp.add_argument("--table", choices=("nodes", "edges"), default="edges", help="with --format csv")
    for name in ("supporter", "recipient", "field", "mode", "programme", "confidence"):
        sp.add_argument(f"--{name}", default=None)
    sp.add_argument("--year", type=int, default=None)
    _fact_options(sp)
    sp.add_argument("--out", help="file to write (default: standard output)")
    sp.set_defaults(func=cmd_export)

    sp = sub.add_parser("stats", help="counts by class and by source; shares of facts per confidence and source kind")
    common(sp)
    _table_options(sp)
    sp.set_defaults(func=cmd_stats)

    sp = sub.add_parser("queries", help="list the named queries")
    _table_options(sp)
    sp.set_defaults(func=cmd_queries)

    from graph.analyses import ANALYSES

    sp = sub.add_parser(
        "analyze",
        help="network analyses of the support relationships ('pakg analyze' lists them)",
        description="Without NAME: the analyses, with what each measures.",
    )
    common(sp)
    sp.add_argument("name", nargs="?", metavar="NAME", help=f"the analysis: {', '.join(ANALYSES)}")
    sp.add_argument("--view", choices=VIEWS, default=None, help="network to analyse (default: the analysis's own)")
    sp.add_argument("--level", choices=LEVELS, default=AS_PAIRED, help=level_help)
    for name in ("supporter", "recipient", "field", "mode", "programme", "confidence"):
        sp.add_argument(f"--{name}", default=None)
    sp.add_argument("--year", type=int, default=None, help="pairings active that year")
    _fact_options(sp)
    sp.add_argument("--k", type=int, default=None, help="betweenness: sample k sources (approximate)")
    sp.add_argument("--source", default=None, help="paths: from this id (instrument, actor, pairing …)")
    sp.add_argument("--target", default=None, help="paths: to this id")
    from graph.analyses.distance_by import GROUPS

    sp.add_argument("--by", choices=GROUPS, default=None, help="distance-by: group pairings by (default: programme)")
    _table_options(sp)
    sp.set_defaults(func=cmd_analyze)

    sp = sub.add_parser("load", help="load the built dataset into a SPARQL 1.1 endpoint")
    sp.add_argument("--data", default=str(DATA_DIR))
    sp.add_argument("--base", default=None)
    sp.add_argument("--endpoint", required=True, help="the endpoint's query URL (checked after loading)")
    sp.add_argument(
        "--gsp",
        default=None,
        help="Graph Store Protocol URL (default: where the engine offers it, e.g. Oxigraph's /store, Virtuoso's "
        "/sparql-graph-crud[-auth]; tried first)",
    )
    sp.add_argument(
        "--update", default=None, help="SPARQL Update URL, used in batches when there is no Graph Store Protocol"
    )
    sp.add_argument(
        "--batch",
        type=_positive,
        default=None,
        help="triples per request to begin with (default 100000 by the Graph Store Protocol, 5000 by SPARQL "
        "Update); halved while the engine refuses a request for its size",
    )
    sp.set_defaults(func=cmd_load)

    sp = sub.add_parser(
        "diff",
        help="what changed between two builds: facts added, removed and changed by resource and property",
        description="OLD and NEW are each an N-Quads file (e.g. data/build/pakg.nq), a release folder "
        "(pakg release) or a folder of data tables (built first). The dataset node's content hash and "
        "triple count are left out.",
    )
    sp.add_argument("old", help="the older dataset: N-Quads file, release folder or data folder")
    sp.add_argument("new", help="the newer dataset")
    sp.add_argument("--base", default=None, help="base of instance IRIs when building a data folder")
    sp.add_argument("--format", choices=("markdown", "json"), default="markdown")
    sp.add_argument("--title", default="Changes", help="the heading of the markdown")
    sp.add_argument("--exit-code", action="store_true", help="exit with status 1 when they differ")
    sp.set_defaults(func=cmd_diff)

    sp = sub.add_parser(
        "release",
        help="write a release folder: dumps, networks, tables, panel, README, CITATION.cff, CHANGES.md, SHA256SUMS",
    )
    common(sp, store=False)
    sp.add_argument("--out", required=True, help="the folder to write (new, or empty)")
    sp.add_argument(
        "--previous",
        default=None,
        help="the previous release (folder, N-Quads file or data folder): CHANGES.md says what changed since",
    )
    sp.set_defaults(func=cmd_release)

    sp = sub.add_parser("serve", help="run the HTTP service (Ctrl+C stops it)")
    common(sp)
    sp.add_argument("--host", default=None, help="address to listen on (default: PAKG_HOST, else 127.0.0.1)")
    sp.add_argument("--port", type=int, default=None, help="port (default: PAKG_PORT, else 8000)")
    sp.set_defaults(func=cmd_serve)
    return p


def _problem(exc: OSError) -> str:
    """A file-system error as a user reads it: the file, then what is wrong with it."""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {what}" if exc.filename else what


def main(argv: list[str] | None = None) -> int:
    """Run the command; every error the user can cause is one line and status 2 (1: the data does not
    build, or the service's answer is not what was loaded), Ctrl+C status 130."""
    import httpx

    try:
        args = parser().parse_args(argv)
        if hasattr(args, "base"):  # --base, else PAKG_BASE_IRI, else the default
            args.base = base_iri(args.base or _environment().base_iri)
        return args.func(args)
    except KeyboardInterrupt:
        print("pakg: interrupted", file=sys.stderr)
        return 130
    except BadParameter as exc:
        where = f"--{exc.name}" if exc.name.startswith("bind ") else f"--{exc.name.replace('_', '-')}"
        print(f"pakg: error: {where}: {exc}", file=sys.stderr)  # (the message names the closest matches)
        return 2
    except BuildError as exc:
        count = f"{len(exc.problems)} problem{'s' if len(exc.problems) != 1 else ''}"
        print(f"pakg: error: the data does not build ({count}):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except PakgError as exc:
        print(f"pakg: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        try:  # nothing more reaches the pipe, and Python's own flush at exit must not complain either
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except OSError as exc:  # a file that is missing, unreadable, a folder…
        print(f"pakg: error: {_problem(exc)}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:  # an endpoint that does not answer
        try:
            where = f"{exc.request.url}: "
        except RuntimeError:  # an error raised before a request was made
            where = ""
        print(f"pakg: error: {where}{str(exc) or type(exc).__name__}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
