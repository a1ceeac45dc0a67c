"""SHACL: the built data conforms, and crafted bad cases are rejected with the expected message.

Each case in tests/shapes/ is a small Turtle file whose first line says what to expect:
``# expect: conforms`` or ``# expect: <the violation message>``.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from graph.validate import validate_graph
from graph.vocab import ontology_quads

import pyoxigraph as ox

CASES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))


def expectation(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: "), path
    return first[len("# expect: "):].strip()


def test_built_data_conforms(validation):
    _, _, report = validation  # validate_quads(built.quads), run once for the session (conftest)
    assert report.conforms, report.text()


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_crafted_case(case):
    graph = rdflib.Graph().parse(case, format="turtle")
    graph.parse(data=ox.serialize(ontology_quads(), format=ox.RdfFormat.N_TRIPLES), format="nt")
    report = validate_graph(graph)
    expected = expectation(case)
    if expected == "conforms":
        assert report.conforms, report.text()
    else:
        assert not report.conforms
        assert expected in [v.message for v in report.violations], report.text()


def test_there_are_cases_for_both_verdicts():
    verdicts = {expectation(c) == "conforms" for c in CASES}
    assert verdicts == {True, False} and len(CASES) >= 10
