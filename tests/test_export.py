"""Every export format round-trips to the same dataset, read back by pyoxigraph and by rdflib."""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from graph import formats
from graph.export import export
from graph.formats import Use

RDFLIB_NAMES = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
                "jsonld": "json-ld", "rdfxml": "xml"}


def original(engine, datasets: bool):
    quads = list(engine.quads())
    if datasets:
        return set(quads)
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


@pytest.mark.parametrize("fmt", formats.names(Use.EXPORT))
def test_round_trip_with_pyoxigraph(engine, base, fmt):
    spec = formats.get(Use.EXPORT, fmt)
    data = export(engine, fmt, base)
    parsed = list(ox.parse(data, format=spec.engine))
    if spec.datasets:
        assert set(parsed) == original(engine, True)
    else:
        assert {q.triple for q in parsed} == original(engine, False)


@pytest.mark.parametrize("fmt", formats.names(Use.EXPORT))
def test_round_trip_with_rdflib(engine, base, fmt):
    spec = formats.get(Use.EXPORT, fmt)
    data = export(engine, fmt, base)
    expected = rdflib.Dataset()
    expected.parse(data=ox.serialize(sorted(engine.quads(), key=str), format=ox.RdfFormat.N_QUADS).decode(),
                   format="nquads")
    if spec.datasets:
        got = rdflib.Dataset()
        got.parse(data=data.decode(), format=RDFLIB_NAMES[fmt])
        names = {g.identifier for g in expected.graphs() if len(g)}
        assert names == {g.identifier for g in got.graphs() if len(g)}
        for name in names:
            assert isomorphic(expected.graph(name), got.graph(name)), name
    else:
        got = rdflib.Graph().parse(data=data.decode(), format=RDFLIB_NAMES[fmt])
        union = rdflib.Graph()
        for s, p, o, _ in expected.quads((None, None, None, None)):
            union.add((s, p, o))
        assert len(got) == len(union)
        assert isomorphic(got, union)


def test_export_of_one_graph(engine, base):
    data = export(engine, "nquads", base, graph="ontology")
    graphs = {q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)}
    assert graphs == {base + "graph/ontology"}
