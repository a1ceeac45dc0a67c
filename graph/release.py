"""A release: a folder someone can upload as it is to a data repository (Zenodo, Dataverse, figshare …).

``write_release(out, data_dir, base, previous)`` builds the data tables and writes into ``out``:

* the dataset (data and ontology, with its metadata on the dataset node) as N-Quads, TriG, Turtle and
  JSON-LD: ``pakg-{release}.nq`` …;
* the support network at institution and province level in ``network/``: GraphML, GEXF, node-link JSON
  and CSV (nodes and edges; plain UTF-8, and UTF-8 with a byte-order mark in ``network/excel/`` so that
  Excel shows Chinese), each carrying the licence, versions and citation in its own metadata;
* the data tables as CSV in ``tables/`` (as the project keeps them);
* the panel (one row per pairing and year active), its figures and its codebook in ``panel/`` (CSV and
  Parquet), from ``graph.panel``;
* ``csv-metadata.json``: a CSV on the Web (W3C CSVW) description of every CSV file, with the licence,
  versions and citation (a CSV file has no place for them);
* ``README.md`` (what is in it, licence, how to cite, counts, coverage and known gaps, from the graph),
  ``CITATION.cff`` (this release), ``LICENSE-DATA``;
* ``CHANGES.md``: what changed since ``previous`` (a release folder, an N-Quads file or data tables),
  computed by ``graph.diff``;
* ``SHA256SUMS`` of every other file (``sha256sum -c SHA256SUMS`` checks them).

The folder is written beside ``out`` and moved into place when complete; an ``out`` that holds files is
refused.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import formats, network, queries
from .build import Build, Progress, build
from .config import CHECKOUT, ROOT
from .diff import Diff, diff, read_dataset, short
from .errors import PakgError
from .export import About, about, export
from .formats import Use
from .metadata import citation, citation_cff, load_metadata
from .readmodel import CONFIDENCE_LEVELS, ReadModel
from .store import Engine
from .tables import find_tables

DUMPS = ("nquads", "trig", "turtle", "jsonld")  # the dataset's formats in a release
NETWORK_LEVELS = ("institution", "province")
NETWORK_FILES = ("graphml", "gexf", "node-link", "geojson")  # and csv, nodes and edges
BOM = b"\xef\xbb\xbf"
SUMS = "SHA256SUMS"
LABELS = frozenset(  # the properties whose changes alone are a patch (notes and labels)
    {
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        "http://www.w3.org/2004/02/skos/core#note",
        "http://www.w3.org/2004/02/skos/core#altLabel",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://purl.org/dc/terms/description",
    }
)
BUMPS = ("none", "patch", "minor", "major")


@dataclass
class Release:
    """What ``write_release`` wrote."""

    path: Path
    release: str  # the semantic version
    version: str  # the content hash
    files: list[str]  # relative paths, SHA256SUMS last
    changes: Diff | None = None
    warnings: list[str] = field(default_factory=list)


def required_bump(d: Diff) -> str:
    """The part of the version the rule of ``data/dataset.toml`` asks to bump for these changes: major when
    the model (the ontology graph) changed, patch when only notes and labels changed, minor for other facts
    added, corrected or removed ('none' when nothing changed).  A changed IRI reads as a resource removed
    and one added: the rule's major bump for it is the maintainer's call."""
    if not d.resources:
        return "none"
    if any(r.graph == "ontology" for r in d.resources):
        return "major"
    if all(r.status == "changed" and all(p.property in LABELS for p in r.properties) for r in d.resources):
        return "patch"
    return "minor"


def bump(old: str, new: str) -> str:
    """Which part of a semantic version changed from ``old`` to ``new``.

    >>> bump("1.0.0", "1.1.0"), bump("1.2.3", "2.0.0"), bump("1.0.0", "1.0.1"), bump("1.0.0", "1.0.0")
    ('minor', 'major', 'patch', 'none')
    """

    def parts(v: str) -> tuple[int, ...]:
        core = v.split("-", 1)[0].split("+", 1)[0]
        try:
            return tuple(int(x) for x in core.split("."))
        except ValueError:
            return ()

    a, b = parts(old), parts(new)
    if len(a) != 3 or len(b) != 3 or b <= a:
        return "none"
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_sums(folder: Path) -> list[str]:
    """The files of a release whose checksum does not match ``SHA256SUMS``, or that it lists but are missing,
    or that it does not list (empty: the release is intact)."""
    listed: dict[str, str] = {}
    for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    bad = [n for n, d in listed.items() if not (folder / n).is_file() or sha256(folder / n) != d]
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    return sorted(bad + sorted(present - set(listed)))


# ---- the files ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, root: Path, progress: Progress | None = None):
        self.root = root
        self.files: dict[str, str] = {}  # relative path → what it is
        self.progress = progress

    def write(self, name: str, data: bytes, what: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.files[name] = what
        if self.progress is not None:
            self.progress(f"wrote {name}", len(self.files), None)


def _tables(w: _Writer, data_dir: Path) -> None:
    for name, paths in find_tables(data_dir).items():
        for path in paths:
            rel = path.relative_to(data_dir).as_posix()
            w.write(f"tables/{rel}", path.read_bytes(), f"the data table {name} ({rel} in the project's data)")


def _networks(w: _Writer, model: ReadModel, known: About) -> None:
    for level in NETWORK_LEVELS:
        graph = network.project(model, "support", level)
        stem = f"network/support-{level}"
        what = f"the support network at {level} level"
        for fmt in NETWORK_FILES:
            spec = formats.get(Use.NETWORK, fmt)
            w.write(f"{stem}.{spec.extension}", network.serialize(graph, fmt, about=known), f"{what}, {spec.label}")
        for table in ("nodes", "edges"):
            data = network.serialize(graph, "csv", table, known)
            w.write(f"{stem}-{table}.csv", data, f"{what}: its {table} (CSV, UTF-8)")
            w.write(
                f"network/excel/support-{level}-{table}.csv",
                BOM + data,
                f"{what}: its {table} (CSV, UTF-8 with a byte-order mark, for Excel)",
            )


def _panel(w: _Writer, model: ReadModel) -> None:
    from . import panel

    rows = panel.panel(model)
    figures = panel.figures(model)
    w.write("panel/panel.csv", panel.to_csv(rows.rows), "the panel: one row per pairing and year active (CSV)")
    w.write(
        "panel/panel.parquet",
        panel.to_parquet(rows.rows, "panel", panel.describe(rows, model)),
        "the panel (Parquet, with the codebook's types)",
    )
    w.write(
        "panel/excel/panel.csv",
        panel.to_csv(rows.rows, bom=True),
        "the panel (CSV, UTF-8 with a byte-order mark, for Excel)",
    )
    w.write(
        "panel/figures.csv",
        panel.to_csv(figures.rows, "figures"),
        "the figures (funds, cadres, projects …) keyed as the panel, one row per figure (CSV)",
    )
    w.write(
        "panel/figures.parquet",
        panel.to_parquet(figures.rows, "figures", panel.describe(figures, model)),
        "the figures (Parquet)",
    )
    w.write("panel/codebook.csv", panel.codebook_csv(), "the codebook: every column of the panel and the figures")
    w.write(
        "panel/codebook.json",
        json.dumps(panel.codebook(), ensure_ascii=False, indent=2).encode(),
        "the codebook (JSON)",
    )


def _csvw(w: _Writer, known: About) -> None:
    """A CSV on the Web description of every CSV file: their licence, versions and citation, and columns."""
    tables = []
    for name in sorted(n for n in w.files if n.endswith(".csv")):
        raw = (w.root / name).read_bytes()
        header = raw.removeprefix(BOM).split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
        columns = next(csv.reader([header]), [])
        tables.append(
            {
                "url": name,
                "dc:description": w.files[name],
                "tableSchema": {"columns": [{"titles": c} for c in columns]},
            }
        )
    doc = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "dc:title": known.title_en,
        "dc:creator": known.creator,
        "dc:publisher": known.publisher,
        "dc:issued": known.issued,
        "dc:license": {"@id": known.licence},
        "dc:isPartOf": {"@id": known.dataset},
        "dcat:version": known.release,
        "dc:hasVersion": known.version,
        "dc:bibliographicCitation": known.citation,
        "dc:rights": known.notice,
        "dialect": {"encoding": "utf-8", "header": True},
        "tables": tables,
    }
    w.write(
        "csv-metadata.json",
        json.dumps(doc, ensure_ascii=False, indent=2).encode(),
        "the CSV files described in CSV on the Web (W3C CSVW) metadata: licence, versions, citation, columns",
    )


def _readme(w: _Writer, result: Build, engine: Engine, model: ReadModel, data_dir: Path, changes: str) -> bytes:
    meta = load_metadata(data_dir)
    cite = citation(meta, result.version, result.base)
    base = result.base
    lines = [
        f"# {meta.title_en} · {meta.title_zh}",
        "",
        f"Release **{meta.version}** of {meta.issued.isoformat()}; content version (the hash of the build) "
        f"`{result.version}`. Dataset: <{cite.csl_json['URL']}>.",
        "",
        meta.description_en,
        "",
        meta.description_zh,
        "",
        "## Licence",
        "",
        f"The data and the ontology are licensed under {meta.licence_name} (<{meta.licence}>): you may share and "
        "adapt them for any purpose, giving credit by citing the dataset as below, linking to the licence and "
        "saying what you changed. See `LICENSE-DATA`. Every file here says its licence in its own metadata "
        "(RDF: the dataset node; GraphML: graph data; GEXF: meta; JSON: fields; CSV: `csv-metadata.json`).",
        "",
        "## How to cite",
        "",
        cite.text,
        "",
        "```bibtex",
        cite.bibtex.rstrip(),
        "```",
        "",
        "`CITATION.cff` says the same in the Citation File Format.",
        "",
        "## Files",
        "",
        "| file | what | bytes |",
        "|---|---|---|",
    ]
    for name, what in sorted(w.files.items()):
        lines.append(f"| `{name}` | {what} | {(w.root / name).stat().st_size} |")
    lines += [
        "| `README.md` | this file | |",
        f"| `{SUMS}` | the SHA-256 checksum of every other file (`sha256sum -c {SUMS}`) | |",
        "",
        "## Counts",
        "",
        f"{len(result.quads)} triples: {result.data_triples} in the data graph, the rest the ontology, its "
        "vocabularies and the dataset's own description.",
        "",
        "| class | resources |",
        "|---|---|",
    ]
    for row in queries.run(engine, "stats_by_class"):
        lines.append(f"| {short(row['class'], base)} | {row['count']} |")
    confidences = Counter(row["confidence"] for row in queries.run(engine, "stats_fact_kinds"))
    order = list(reversed(CONFIDENCE_LEVELS)) + sorted(set(confidences) - set(CONFIDENCE_LEVELS))
    lines += [
        "",
        "Resources that state a fact, by confidence: "
        + "; ".join(f"{c} {confidences[c]}" for c in order if confidences.get(c))
        + f" (of {sum(confidences.values())}).",
        "",
        "## Coverage",
        "",
        "What the sources say each programme holds, beside what the data holds of it.",
        "",
    ]
    held = Counter(p.programme for p in model.pairings if p.programme)
    by_programme: dict[str, list] = {}
    for c in sorted(model.coverage, key=lambda c: c.id):
        by_programme.setdefault(c.programme, []).append(c)
    for iri, statements in by_programme.items():
        programme = model.resources.get(iri)
        name = programme.label_en if programme is not None and programme.label_en else short(iri, base)
        said = " ".join(
            f"{c.statement_en or c.statement_zh or ''} (sources: {', '.join(short(s, base) for s in c.sources)})"
            for c in statements
        )
        lines.append(f"- **{name}** (`{short(iri, base)}`; {held.get(iri, 0)} pairings in the data): {said}")
    lines += ["", "## Known gaps", ""]
    for g in sorted(model.gaps, key=lambda g: g.id):
        text = g.label_en or g.label_zh or g.id
        lines.append(f"- {text}" + (f" ({g.note})" if g.note else ""))
    lines += ["", "## Changes", "", changes, ""]
    return "\n".join(lines).encode()


def write_release(
    out: Path,
    data_dir: Path,
    base: str,
    previous: Path | None = None,
    result: Build | None = None,
    progress: Progress | None = None,
) -> Release:
    """Write a release of the tables in ``data_dir`` into ``out`` (see the module's docstring); ``result``: the
    build of those tables when the caller has it; ``progress(what, done, total)``: told of the build's rows,
    then of each file written."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise PakgError(f"--out {out}: exists and is not an empty folder (a release is written into a new one)")
    meta = load_metadata(data_dir)
    old = read_dataset(previous, base) if previous is not None else None  # a bad --previous, before the work
    result = result or build(data_dir, base, progress)
    engine = Engine.from_build(result)
    model = ReadModel(engine, result.base)
    known = about(result.version, result.base, data_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    warnings: list[str] = []
    try:
        w = _Writer(tmp, progress)
        stem = f"pakg-{meta.version}"
        for fmt in DUMPS:
            spec = formats.get(Use.EXPORT, fmt)
            w.write(
                f"{stem}.{spec.extension}",
                export(engine, fmt, result.base, "all", known),
                f"the dataset (data and ontology) in {spec.label}" + (" (named graphs)" if spec.datasets else ""),
            )
        _networks(w, model, known)
        _tables(w, data_dir)
        try:
            _panel(w, model)
        except ImportError:  # a checkout without graph/panel.py
            pass
        _csvw(w, known)
        w.write(
            "CITATION.cff",
            citation_cff(meta, result.version, result.base, data_dir).encode(),
            "how to cite this release (Citation File Format 1.2)",
        )
        licence = next((p for p in (CHECKOUT / "LICENSE-DATA", ROOT / "LICENSE-DATA") if p.is_file()), None)
        if licence is not None:
            what = f"the licence of the data and the ontology ({meta.licence_name})"
            w.write("LICENSE-DATA", licence.read_bytes(), what)
        changes = None
        if old is not None:
            new = dataclasses.replace(read_dataset(tmp / f"{stem}.nq"), where=str(out / f"{stem}.nq"))
            changes = diff(old, new)
            needed, made = required_bump(changes), bump(old.release, meta.version) if old.release else "none"
            if old.release and BUMPS.index(made) < BUMPS.index(needed):
                warnings.append(
                    f"the changes since {old.release} ask for a {needed} version bump (the rule of "
                    f"data/dataset.toml); the version is {meta.version}"
                )
            title = f"Changes in release {meta.version}"
            text = changes.markdown(title)
            if needed != "none":
                text = text.replace(
                    "\n\n", f"\n\nThese changes ask for a {needed} version bump (the rule in data/dataset.toml).\n\n", 1
                )
            summary = (
                f"Since {old.release or old.version}: {len(changes.by_status('added'))} resources added, "
                f"{len(changes.by_status('removed'))} removed, {len(changes.by_status('changed'))} changed; "
                "see `CHANGES.md`."
            )
        else:
            text = (
                f"# Changes in release {meta.version}\n\nNo previous release was given: this release is compared "
                "with none, and every fact in it is new.\n"
            )
            summary = "No previous release was compared; see `CHANGES.md`."
        w.write("CHANGES.md", text.encode(), "what changed since the previous release, computed (pakg diff)")
        readme = _readme(w, result, engine, model, data_dir, summary)
        w.write("README.md", readme, "this file")
        names = sorted(w.files)
        sums = "".join(f"{sha256(tmp / n)}  {n}\n" for n in names)
        (tmp / SUMS).write_text(sums, encoding="utf-8")
        os.chmod(tmp, 0o755)
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Release(out, meta.version, result.version, [*names, SUMS], changes, warnings)
