"""Every row of both reference sets is in the graph, with its source URLs and confidence.

The first set is ``shared/reference`` beside the project, the second its ``additions/`` folder.  A row
is in the graph under its own id (programmes, pairings, instruments or, for hard law, provisions;
figures by their ``F-`` id), or it is listed with the reason in ``tools/reference_exclusions.csv``.
The detailed checks compare each row, with the reviewed corrections of
``tools/reference_corrections.csv`` applied, against what the graph states about it.
"""

from __future__ import annotations

import csv

import pytest
from conftest import REFERENCE, ROOT, iri

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/reference is not beside the project")

EXCLUSIONS = ROOT / "tools" / "reference_exclusions.csv"
CORRECTIONS = ROOT / "tools" / "reference_corrections.csv"
# reference file (relative to shared/reference) -> the kind its ids name in the graph
SETS = {
    "programs.csv": "programme",
    "pairings.csv": "pairing",
    "instruments.csv": "instrument",
    "additions/programs.csv": "programme",
    "additions/pairings.csv": "pairing",
    "additions/instruments.csv": "instrument",
    "additions/figures.csv": "figure",
}

FACTS = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?s ?p ?o WHERE {
  { ?s prov:wasDerivedFrom ?src . ?src pa:url ?o . BIND("url" AS ?p) }
  UNION { ?s prov:wasDerivedFrom/pa:sourceKind/skos:notation ?o . BIND("source-kind" AS ?p) }
  UNION { ?s pa:confidence/skos:notation ?o . BIND("confidence" AS ?p) }
  UNION { ?s rdfs:label|skos:altLabel ?o . BIND("label" AS ?p) }
  UNION { ?s time:hasBeginning/time:inXSDGYear ?y . BIND(STR(?y) AS ?o) BIND("start" AS ?p) }
  UNION { ?s time:hasEnd/time:inXSDGYear ?y . BIND(STR(?y) AS ?o) BIND("end" AS ?p) }
  UNION { ?s pa:startBasis/skos:notation ?o . BIND("start-basis" AS ?p) }
  UNION { ?s pa:field/skos:notation ?o . BIND("field" AS ?p) }
  UNION { ?s pa:mode/skos:notation ?o . BIND("mode" AS ?p) }
  UNION { ?s pa:programme ?o . BIND("programme" AS ?p) }
  UNION { ?s pa:supporter ?o . BIND("supporter" AS ?p) }
  UNION { ?s pa:recipient ?o . BIND("recipient" AS ?p) }
  UNION { ?s pa:parentRegion ?o . BIND("parent" AS ?p) }
  UNION { ?s pa:governs ?o . BIND("governs" AS ?p) }
  UNION { ?s pa:authorizes ?o . BIND("authorizes" AS ?p) }
  UNION { ?s pa:documentNumber ?o . BIND("doc" AS ?p) }
}"""

SUBJECTS = "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def facts(engine):
    out: dict[str, dict[str, set[str]]] = {}
    for row in engine.select(FACTS):
        out.setdefault(row["s"].value, {}).setdefault(row["p"].value, set()).add(row["o"].value)
    return out


@pytest.fixture(scope="module")
def subjects(engine) -> set[str]:
    return {row["s"].value for row in engine.select(SUBJECTS)}


def read(name):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_project(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def exclusions() -> dict[tuple[str, str], str]:
    """(reference file, row id) -> why the row is not in the graph."""
    return {(r["file"], r["id"]): r["reason"] for r in read_project(EXCLUSIONS)}


def corrected(name: str) -> list[dict]:
    """The rows of a reference file with the reviewed corrections applied: a changed value replaces
    the reference's, an added source joins its URLs (as the import applies them)."""
    rows = read(name)
    by_id = {r["id"]: r for r in rows}
    for c in read_project(CORRECTIONS) if CORRECTIONS.exists() else []:
        row = by_id.get(c["id"])
        if row is None:
            continue
        if c["add_sources"]:
            row["source_url"] = " ; ".join([row["source_url"], c["add_sources"]])
        if c["column"] in row and c["column"] not in ("source", "note"):
            row[c["column"]] = c["value"]
    return rows


def urls(field):
    return {u.strip() for u in field.split(" ; ") if u.strip()}


def kind_of(name: str, row: dict) -> str:
    kind = SETS[name]
    return "provision" if kind == "instrument" and row["kind"] == "hard-law" else kind


def labels_match(reference_label: str, labels: set[str]) -> bool:
    """The reference label names the actor: equal, or one contains the other (glosses, 省 suffix), or the
    name before its bracketed gloss is part of the actor's name (甘南（原文作“甘南市”） → 甘南藏族自治州)."""
    base = reference_label.split("（")[0]
    return any(label in reference_label or reference_label in label or base in label for label in labels)


def expected_confidence(row: dict, f: dict[str, set[str]]) -> set[str]:
    """The row's confidence, or low where every source of the row is web fiction, a forum or a Q&A page."""
    kinds = f.get("source-kind", set())
    return {"low"} if kinds == {"fiction-forum"} else {row["confidence"]}


def each(name: str, check) -> None:
    """``check(row)`` for every row of a reference table not excluded, read when the test runs (never while
    pytest collects: a clone without shared/ beside it collects and skips); every failing row is reported."""
    failures, excluded = [], exclusions()
    for row in corrected(name):
        if (name, row["id"]) in excluded:
            continue
        try:
            check(row)
        except (AssertionError, KeyError, StopIteration) as exc:
            failures.append(f"{name} {row['id']}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_row_is_in_the_graph_or_excluded(name, subjects):
    """Programmes, pairings, instruments and figures of both sets: each id is a resource of the graph,
    or the exclusion list says why it is left out."""
    excluded = exclusions()
    missing = [
        row["id"]
        for row in read(name)
        if (name, row["id"]) not in excluded and iri(kind_of(name, row), row["id"]) not in subjects
    ]
    assert not missing, f"{name}: not in the graph and not excluded: {missing}"


def test_exclusions_name_real_rows_with_a_reason(subjects):
    """An exclusion names a row of a reference file, says why, and the row is indeed not in the graph."""
    problems = []
    for (name, ident), reason in exclusions().items():
        rows = {r["id"]: r for r in read(name)} if name in SETS else {}
        if ident not in rows:
            problems.append(f"{name} {ident}: no such reference row")
            continue
        if len(reason.split()) < 4:
            problems.append(f"{name} {ident}: the reason is missing or too short")
        if iri(kind_of(name, rows[ident]), ident) in subjects:
            problems.append(f"{name} {ident}: excluded, yet in the graph")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["pairings.csv", "additions/pairings.csv"])
def test_every_pairing(facts, name):
    each(name, lambda row: check_pairing(facts, row))


@pytest.mark.parametrize("name", ["programs.csv", "additions/programs.csv"])
def test_every_programme(facts, name):
    each(name, lambda row: check_programme(facts, row))


@pytest.mark.parametrize("name", ["instruments.csv", "additions/instruments.csv"])
def test_every_instrument(facts, name):
    each(name, lambda row: check_instrument(facts, row))


def check_pairing(facts, row):
    f = facts[iri("pairing", row["id"])]
    assert f["url"] == urls(row["source_url"])
    assert f["confidence"] == expected_confidence(row, f)
    if row["start_year"]:
        assert f["start"] == {row["start_year"]}
    else:  # no year of its own: none, or the programme's, marked as such
        assert not f.get("start") or f.get("start-basis") == {"programme"}, (f.get("start"), f.get("start-basis"))
    assert f["field"] == {x.strip() for x in row["field"].split(";")}
    assert f["programme"] == {iri("programme", row["program_id"])}
    supporter = facts[next(iter(f["supporter"]))]
    recipient = facts[next(iter(f["recipient"]))]
    assert labels_match(row["supporter_zh"], supporter["label"]), (row["supporter_zh"], supporter["label"])
    assert labels_match(row["recipient_zh"], recipient["label"]), (row["recipient_zh"], recipient["label"])
    if row["recipient_parent_zh"]:
        # the reference's parent is the recipient's parent or a unit above it
        ancestors, node = [], recipient
        while node.get("parent"):
            node = facts[next(iter(node["parent"]))]
            ancestors.append(node)
        assert any(labels_match(row["recipient_parent_zh"], a["label"]) for a in ancestors), row["recipient_parent_zh"]


def check_programme(facts, row):
    f = facts[iri("programme", row["id"])]
    assert f["url"] == urls(row["source_url"])
    assert f["confidence"] == expected_confidence(row, f)
    assert {row["name_zh"], row["name_en"]} <= f["label"]
    assert f.get("start", set()) == ({row["start_year"]} if row["start_year"] else set())
    assert f.get("end", set()) == ({row["end_year"]} if row["end_year"] else set())
    assert f["mode"] == {row["mode"]}
    assert f["field"] == {x.strip() for x in row["field"].split(";")}


def check_instrument(facts, row):
    kind = "provision" if row["kind"] == "hard-law" else "instrument"
    f = facts[iri(kind, row["id"])]
    assert f["url"] == urls(row["source_url"])
    assert f["confidence"] == expected_confidence(row, f)
    assert {row["title_zh"], row["title_en"]} <= f["label"]
    programmes = {iri("programme", p) for p in row["applies_to_program_ids"].split(";")}
    if kind == "provision":
        assert f["authorizes"] == programmes
    else:
        # what the instrument governs is the programme, or pairings of that programme between its parties
        governed = f["governs"]
        reached = {t if "/programme/" in t else next(iter(facts[t]["programme"])) for t in governed}
        assert reached == programmes
        if row["doc_number"]:
            # the number itself; a gloss in the reference cell (who cites it) goes to the note
            assert f["doc"] and all(doc in row["doc_number"] for doc in f["doc"]), (f.get("doc"), row["doc_number"])


def test_counts(subjects):
    """As many programmes, pairings and figures in the graph under reference ids as the two sets hold,
    less the rows excluded."""
    excluded = exclusions()
    for kind, names in (
        ("pairing", ["pairings.csv", "additions/pairings.csv"]),
        ("programme", ["programs.csv", "additions/programs.csv"]),
        ("figure", ["additions/figures.csv"]),
    ):
        ids = {r["id"] for name in names for r in read(name) if (name, r["id"]) not in excluded}
        prefix = iri(kind, "")
        in_graph = {s[len(prefix) :] for s in subjects if s.startswith(prefix)}
        assert ids <= in_graph, (kind, sorted(ids - in_graph))
        # and no resource under a reference-style id that neither set has
        reference_style = {i for i in in_graph if i.startswith(("PR-0", "F-0", "P-"))}
        assert reference_style <= ids, (kind, sorted(reference_style - ids))
