"""Every row of shared/reference is in the graph, with its source URLs and confidence."""
from __future__ import annotations

import csv

import pytest

from conftest import REFERENCE, iri

pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/reference is not beside the project")

FACTS = """
PREFIX pa: <https://w3id.org/pakg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
SELECT ?s ?p ?o WHERE {
  { ?s prov:wasDerivedFrom ?src . ?src pa:url ?o . BIND("url" AS ?p) }
  UNION { ?s pa:confidence/skos:notation ?o . BIND("confidence" AS ?p) }
  UNION { ?s rdfs:label|skos:altLabel ?o . BIND("label" AS ?p) }
  UNION { ?s time:hasBeginning/time:inXSDGYear ?y . BIND(STR(?y) AS ?o) BIND("start" AS ?p) }
  UNION { ?s time:hasEnd/time:inXSDGYear ?y . BIND(STR(?y) AS ?o) BIND("end" AS ?p) }
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


@pytest.fixture(scope="module")
def facts(engine):
    out: dict[str, dict[str, set[str]]] = {}
    for row in engine.select(FACTS):
        out.setdefault(row["s"].value, {}).setdefault(row["p"].value, set()).add(row["o"].value)
    return out


def read(name):
    with (REFERENCE / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def urls(field):
    return {u.strip() for u in field.split(" ; ") if u.strip()}


def labels_match(reference_label: str, labels: set[str]) -> bool:
    """The reference label names the actor: equal, or one contains the other (glosses, 省 suffix)."""
    return any(label in reference_label or reference_label in label for label in labels)


def each(name: str, check) -> None:
    """``check(row)`` for every row of a reference table, read when the test runs (never while pytest
    collects: a clone without shared/ beside it collects and skips); every failing row is reported."""
    failures = []
    for row in read(name):
        try:
            check(row)
        except (AssertionError, KeyError, StopIteration) as exc:
            failures.append(f"{name} {row['id']}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


def test_every_pairing(facts):
    each("pairings.csv", lambda row: check_pairing(facts, row))


def test_every_programme(facts):
    each("programs.csv", lambda row: check_programme(facts, row))


def test_every_instrument(facts):
    each("instruments.csv", lambda row: check_instrument(facts, row))


def check_pairing(facts, row):
    f = facts[iri("pairing", row["id"])]
    assert f["url"] == urls(row["source_url"])
    assert f["confidence"] == {row["confidence"]}
    assert f.get("start", set()) == ({row["start_year"]} if row["start_year"] else set())
    assert f["field"] == {row["field"]}
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
    assert f["confidence"] == {row["confidence"]}
    assert {row["name_zh"], row["name_en"]} <= f["label"]
    assert f.get("start", set()) == {row["start_year"]}
    assert f.get("end", set()) == ({row["end_year"]} if row["end_year"] else set())
    assert f["mode"] == {row["mode"]}
    assert f["field"] == {x.strip() for x in row["field"].split(";")}


def check_instrument(facts, row):
    kind = "provision" if row["kind"] == "hard-law" else "instrument"
    f = facts[iri(kind, row["id"])]
    assert f["url"] == urls(row["source_url"])
    assert f["confidence"] == {row["confidence"]}
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
            assert f["doc"] == {row["doc_number"]}


def test_counts(facts):
    assert sum(1 for s in facts if "/pairing/PR-0" in s) == len(read("pairings.csv")) == 219
    assert sum(1 for s in facts if "/programme/" in s) == len(read("programs.csv")) == 13
