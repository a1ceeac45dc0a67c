"""The dataset's metadata, declared once in ``data/dataset.toml``, and how to cite the dataset.

``load_metadata()`` reads and checks the file (a bad or missing key raises ``BuildError`` naming the
file, line and key); ``citation(meta, content_version, base)`` gives the dataset's citation as plain
text, BibTeX, RIS and CSL-JSON.  Two versions identify the data: ``meta.version``, the semantic version
of the release (bumped by the rule at the top of dataset.toml; served as ``release``), and the content
hash of a build (``Build.version``; served as ``version``), which a citation carries beside it.

>>> meta = load_metadata()
>>> meta.licence
'https://creativecommons.org/licenses/by/4.0/'
>>> licence_name(meta.licence)
'CC BY 4.0'
"""

from __future__ import annotations

import csv
import functools
import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from graph.config import DATA_DIR
from graph.errors import BuildError, DataProblem

METADATA_FILE = "dataset.toml"

# semantic versioning 2.0.0: MAJOR.MINOR.PATCH with an optional pre-release
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$")

# the short names of the licences a dataset or its code may carry (the IRI is what the data states)
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
}
# SPDX identifiers of the same licences (CITATION.cff and package metadata use these)
LICENCE_SPDX = {
    "https://creativecommons.org/licenses/by/4.0/": "CC-BY-4.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC-BY-SA-4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0-1.0",
}


@dataclass(frozen=True)
class DatasetMetadata:
    """What ``data/dataset.toml`` declares (lists as tuples)."""

    version: str  # the release's semantic version ("release" in answers)
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    licence: str  # the data's licence, an IRI
    code_licence: str  # the code's licence, an SPDX identifier
    creator: str
    publisher: str
    issued: date  # the date of this release
    keywords_zh: tuple[str, ...]
    keywords_en: tuple[str, ...]
    spatial: str
    temporal_start: int  # the earliest programme year in the data
    source: str  # the seed paper's source id
    repository: str | None = None  # the repository's URL, when one is stated

    @property
    def year(self) -> int:
        """The year of ``issued`` (the year a citation gives)."""
        return self.issued.year

    @property
    def licence_name(self) -> str:
        return licence_name(self.licence)


_TEXT: tuple[str, ...] = ("title_zh", "title_en", "description_zh", "description_en", "code_licence")
_TEXT += ("creator", "publisher", "spatial", "source")
_KEYS = frozenset(
    _TEXT + ("version", "licence", "issued", "keywords_zh", "keywords_en", "temporal_start", "repository")
)


def licence_name(iri: str) -> str:
    """The short name of a licence IRI (the IRI itself when it is not a known one)."""
    return LICENCE_NAMES.get(iri, iri)


def licence_spdx(iri: str) -> str | None:
    """The SPDX identifier of a licence IRI, or None."""
    return LICENCE_SPDX.get(iri)


def load_metadata(data_dir: Path | None = None) -> DatasetMetadata:
    """The metadata in ``data_dir/dataset.toml`` (the project's data folder by default), read again only
    when the file changes."""
    data_dir = Path(data_dir or DATA_DIR).resolve()
    try:
        stamp = (data_dir / METADATA_FILE).stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _load(data_dir, stamp)


@functools.lru_cache(maxsize=8)
def _load(data_dir: Path, stamp: int) -> DatasetMetadata:
    path = data_dir / METADATA_FILE
    shown = f"{data_dir.name}/{METADATA_FILE}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise BuildError([DataProblem(shown, 0, 0, "", f"cannot read the dataset's metadata: {e.strerror}")]) from e
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise BuildError([DataProblem(shown, 0, 0, "", f"not valid TOML: {e}")]) from e
    lines = text.splitlines()
    problems: list[DataProblem] = []

    def problem(key: str, message: str) -> None:
        line = next((n for n, s in enumerate(lines, 1) if re.match(rf"\s*{re.escape(key)}\s*=", s)), 0)
        problems.append(DataProblem(shown, line, 0, key, message))

    for key in sorted(set(raw) - _KEYS):
        problem(key, f"unknown key (known: {', '.join(sorted(_KEYS))})")
    for key in sorted(_KEYS - set(raw) - {"repository"}):
        problem(key, "missing")
    values: dict[str, Any] = {}
    for key in _TEXT:
        if key in raw:
            v = raw[key]
            if not isinstance(v, str) or not v.strip():
                problem(key, "must be a non-empty string")
            else:
                values[key] = v.strip()
    if "version" in raw:
        v = raw["version"]
        if not isinstance(v, str) or not SEMVER.match(v):
            problem("version", f"{v!r} is not a semantic version MAJOR.MINOR.PATCH such as 1.0.0")
        else:
            values["version"] = v
    for key in ("licence", "repository"):
        if key in raw:
            v = raw[key]
            if not isinstance(v, str) or not re.match(r"^https?://\S+$", v):
                problem(key, f"{v!r} is not an http(s) URL")
            else:
                values[key] = v
    if "issued" in raw:
        v = raw["issued"]
        if isinstance(v, str):
            try:
                v = date.fromisoformat(v)
            except ValueError:
                pass
        if not isinstance(v, date) or hasattr(v, "hour"):  # a TOML local date, not a date-time
            problem("issued", f"{v!r} is not a date such as 2026-12-02")
        else:
            values["issued"] = v
    for key in ("keywords_zh", "keywords_en"):
        if key in raw:
            v = raw[key]
            if not isinstance(v, list) or not v or not all(isinstance(k, str) and k.strip() for k in v):
                problem(key, "must be a non-empty list of non-empty strings")
            else:
                values[key] = tuple(k.strip() for k in v)
    if "temporal_start" in raw:
        v = raw["temporal_start"]
        if not isinstance(v, int) or isinstance(v, bool) or not 1900 <= v <= 2100:
            problem("temporal_start", f"{v!r} is not a year")
        else:
            values["temporal_start"] = v
    if problems:
        raise BuildError(problems)
    return DatasetMetadata(**values)


@dataclass(frozen=True)
class Citation:
    """The dataset's citation in each form ``/cite`` serves."""

    text: str  # plain text, one paragraph
    bibtex: str
    ris: str
    csl_json: dict[str, Any]  # one CSL-JSON item (``/cite`` serves a list of one)


def dataset_iri(base: str) -> str:
    """The dataset's IRI (also the URL a citation gives): ``{base}dataset``."""
    return f"{base}dataset"


def citation(meta: DatasetMetadata, content_version: str, base: str) -> Citation:
    """How to cite the dataset: the project as author, title, release version and the build's content
    version, year of ``issued``, publisher, licence, and the dataset's IRI as URL.

    >>> c = citation(load_metadata(), "0123456789ab", "https://w3id.org/pakg/id/")
    >>> "https://w3id.org/pakg/id/dataset" in c.text and "0123456789ab" in c.bibtex
    True
    """
    url = dataset_iri(base)
    title = f"{meta.title_en} ({meta.title_zh})"
    licence = meta.licence_name
    build = f"content version {content_version}" if content_version else ""
    version_note = f"Version {meta.version}" + (f", {build}" if build else "")
    text = (
        f"{meta.creator} ({meta.year}). {title} ({version_note}) [Data set]. {meta.publisher}. {url}. "
        f"Licence: {licence} ({meta.licence})."
    )
    note = (f"Content version {content_version}. " if content_version else "") + f"Licence: {licence}."
    key = f"pakg_{meta.year}_{meta.version.replace('.', '_').replace('-', '_')}"
    fields = [
        ("author", "{" + _bibtex_escape(meta.creator) + "}"),  # a corporate author: braced as one name
        ("title", "{" + _bibtex_escape(title) + "}"),
        ("year", str(meta.year)),
        ("month", _MONTHS[meta.issued.month - 1]),
        ("version", _bibtex_escape(meta.version)),
        ("publisher", _bibtex_escape(meta.publisher)),
        ("howpublished", "Dataset"),
        ("url", url),
        ("note", _bibtex_escape(note)),
    ]
    # month is a BibTeX macro (jan … dec), written bare; every other value braced
    bibtex = f"@misc{{{key},\n"
    bibtex += "".join(f"  {k} = {v if k == 'month' else '{' + v + '}'},\n" for k, v in fields) + "}\n"
    ris_lines = [
        ("TY", "DATA"),
        ("AU", meta.creator),
        ("TI", title),
        ("PY", str(meta.year)),
        ("DA", meta.issued.strftime("%Y/%m/%d")),
        ("ET", meta.version),
        ("PB", meta.publisher),
        ("UR", url),
        *(("KW", k) for k in meta.keywords_en + meta.keywords_zh),
        ("N1", note),
        ("ER", ""),
    ]
    ris = "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in ris_lines)
    csl: dict[str, Any] = {
        "id": key,
        "type": "dataset",
        "author": [{"literal": meta.creator}],
        "title": title,
        "issued": {"date-parts": [[meta.issued.year, meta.issued.month, meta.issued.day]]},
        "version": meta.version,
        "publisher": meta.publisher,
        "URL": url,
        "keyword": ", ".join(meta.keywords_en),
        "note": note,
    }
    return Citation(text=text, bibtex=bibtex, ris=ris, csl_json=csl)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bibtex_escape(value: str) -> str:
    """Escape the characters BibTeX and LaTeX treat specially."""
    out = []
    for ch in value:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        else:
            out.append(ch)
    return "".join(out)


def seed_source(meta: DatasetMetadata, data_dir: Path | None = None) -> dict[str, str]:
    """The row of the sources table for ``meta.source`` (the seed paper), as the data gives it."""
    data_dir = Path(data_dir or DATA_DIR)
    for path in sorted(data_dir.rglob("sources.csv")):
        if "build" in path.relative_to(data_dir).parts[:-1]:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row.get("id") == meta.source:
                    return {k: (v or "").strip() for k, v in row.items() if k}
    raise BuildError([DataProblem(f"{data_dir.name}/{METADATA_FILE}", 0, 0, "source", f"no source {meta.source}")])


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar (a JSON string is one)."""
    return json.dumps(value, ensure_ascii=False)


def _people(text: str) -> list[dict[str, str]]:
    """CFF persons from a publisher field such as 'Huang Yaxin and Ding Qiang (affiliation)': each name in
    Chinese order (family name first); a name that is not two words is kept whole as an entity."""
    m = re.match(r"^(.*?)\s*(?:\((.*)\))?$", text)
    names, affiliation = (m.group(1), m.group(2) or "") if m else (text, "")
    people = []
    for name in re.split(r",\s*|\s+and\s+", names):
        parts = name.split()
        person = {"family-names": parts[0], "given-names": parts[1]} if len(parts) == 2 else {"name": name}
        if affiliation:
            person["affiliation"] = affiliation
        people.append(person)
    return people


def citation_cff(
    meta: DatasetMetadata, content_version: str | None = None, base: str | None = None, data_dir: Path | None = None
) -> str:
    """CITATION.cff (CFF 1.2.0) for the dataset: title, release version, date released, the project as
    author, licences (data and code, SPDX), the dataset's URL, the preferred citation of the dataset and the
    seed paper as a reference (from the sources table).  With ``content_version`` (a release), the build's
    content hash is given as an identifier.  The repository's CITATION.cff is this text without it.

    >>> "cff-version: 1.2.0" in citation_cff(load_metadata())
    True
    """
    from graph.config import base_iri

    url = dataset_iri(base_iri(base))
    title = f"{meta.title_en} ({meta.title_zh})"
    data_spdx = licence_spdx(meta.licence)
    licences = [x for x in (data_spdx, meta.code_licence) if x]
    seed = seed_source(meta, data_dir)
    out = [
        "# How to cite pakg (Citation File Format 1.2.0, https://citation-file-format.github.io/).",
        "# Generated from data/dataset.toml by graph.metadata.citation_cff; a test checks that they agree.",
        "cff-version: 1.2.0",
        'message: "If you use this dataset, please cite it as below."',
        "type: dataset",
        f"title: {_yaml(title)}",
        f"version: {_yaml(meta.version)}",
        f"date-released: {meta.issued.isoformat()}",
        "authors:",
        f"  - name: {_yaml(meta.creator)}",
        f"abstract: {_yaml(meta.description_en)}",
        "keywords:",
        *(f"  - {_yaml(k)}" for k in meta.keywords_en + meta.keywords_zh),
        "license:",
        *(f"  - {_yaml(x)}" for x in licences),
        f"url: {_yaml(url)}",
    ]
    if meta.repository:
        out.append(f"repository-code: {_yaml(meta.repository)}")
    if content_version:
        out += [
            "identifiers:",
            "  - type: other",
            f"    value: {_yaml('content-version:' + content_version)}",
            '    description: "The content hash of this build (X-Dataset-Version)."',
        ]
    out += [
        "preferred-citation:",
        "  type: data",
        f"  title: {_yaml(title)}",
        "  authors:",
        f"    - name: {_yaml(meta.creator)}",
        f"  version: {_yaml(meta.version)}",
        f"  year: {meta.year}",
        f"  month: {meta.issued.month}",
        f"  date-released: {meta.issued.isoformat()}",
        "  publisher:",
        f"    name: {_yaml(meta.publisher)}",
        f"  url: {_yaml(url)}",
    ]
    if data_spdx:
        out.append(f"  license: {_yaml(data_spdx)}")
    if content_version:
        out.append(f"  notes: {_yaml('Content version ' + content_version + '.')}")
    out += ["references:", "  - type: article", f"    title: {_yaml(seed.get('title') or meta.source)}", "    authors:"]
    for person in _people(seed.get("publisher", "")) if seed.get("publisher") else [{"name": "anonymous"}]:
        first = True
        for k, v in person.items():
            out.append(f"      {'- ' if first else '  '}{k}: {_yaml(v)}")
            first = False
    if seed.get("url"):
        out.append(f"    url: {_yaml(seed['url'])}")
    if seed.get("citation"):
        out.append(f"    notes: {_yaml(seed['citation'])}")
    return "\n".join(out) + "\n"
