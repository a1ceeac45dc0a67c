"""The pakg command as a user runs it."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import iri, table_count


def pakg(*args, timeout=180):
    return subprocess.run([sys.executable, "-m", "pakg", *args], capture_output=True, text=True,
                          timeout=timeout)


def test_build_writes_the_nquads_and_a_store(tmp_path, built):
    out, store = tmp_path / "pakg.nq", tmp_path / "store"
    # (the SHACL validation `build --store` runs first is tested once, by test_validate_conforms)
    result = pakg("build", "--out", str(out), "--store", str(store), "--no-validate")
    assert result.returncode == 0, result.stderr
    assert f"built dataset {built.version}" in result.stdout
    assert out.read_bytes() == built.nquads()
    stats = json.loads(pakg("stats", "--store", str(store), "--format", "json").stdout)
    assert stats["version"] == built.version and stats["triples"] == len(built.quads)


def test_validate_conforms(validation):
    returncode, stdout, _ = validation  # `pakg validate`, run once for the session (conftest)
    assert returncode == 0 and "conforms: yes" in stdout


def test_validate_reports_violations_of_an_rdf_file(tmp_path):
    case = tmp_path / "bad.ttl"
    case.write_text((__import__("pathlib").Path(__file__).parent / "shapes" / "pairing_without_source.ttl")
                    .read_text(encoding="utf-8"), encoding="utf-8")
    result = pakg("validate", "--rdf", str(case))
    assert result.returncode == 1
    assert "needs at least one source" in result.stdout


def test_named_query_as_csv():
    result = pakg("query", "--named", "instruments_for_pairing", "--bind", f"pairing={iri('pairing', 'PR-0153')}",
                  "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["instrument"].rsplit("/", 1)[-1] for r in rows} == {"I-XJ-MED-2016", "I-REAL-70"}


def test_query_text_as_json_and_table():
    text = "PREFIX pa: <https://w3id.org/pakg/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?p a pa:Programme }"
    n = table_count("programmes")
    assert json.loads(pakg("query", text, "--format", "json").stdout) == [{"n": n}]
    table = pakg("query", text).stdout
    assert table.splitlines()[0].strip() == "n" and str(n) in table and "(1 row)" in table


def test_query_from_file_and_construct(tmp_path):
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c . FILTER(?c = <https://w3id.org/pakg/ontology#Team>) }",
                 encoding="utf-8")
    result = pakg("query", "--file", str(q))
    assert result.returncode == 0 and "case-team-10" in result.stdout


def test_bad_query_says_where():
    result = pakg("query", "SELECT ?x WHERE { ?x ?y }")
    assert result.returncode == 2
    assert "at line 1, column" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("args,message", [
    (["query", "--named", "nope"], "no named query 'nope'"),
    (["query", "--named", "sources_of"], "needs ?resource"),
    (["query", "--named", "sources_of", "--bind", "x"], "--bind takes name=value"),
    (["stats", "--store", "/nonexistent/store"], "no store here"),
])
def test_usage_errors_are_one_clear_line(args, message):
    result = pakg(*args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_export_to_a_file(tmp_path):
    out = tmp_path / "g.ttl"
    assert pakg("export", "--format", "turtle", "--graph", "data", "--out", str(out)).returncode == 0
    assert "@prefix pa:" in out.read_text(encoding="utf-8")


def test_stats_and_queries_list():
    stats = pakg("stats").stdout
    assert "pa:Pairing" in stats and "S-huang-ding" in stats
    listing = pakg("queries").stdout
    for name in ("instruments_for_pairing", "supporters_of", "pairings_without_agreement", "sources_of"):
        assert name in listing


def test_validate_refuses_a_doctype(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>', encoding="utf-8")
    result = pakg("validate", "--rdf", str(bomb))
    assert result.returncode == 2 and "DOCTYPE is refused" in result.stderr


def test_a_package_that_shadows_a_layer_is_named_not_imported(tmp_path):
    """Another top-level package called ``graph`` earlier on the path (a research environment may hold
    one) is not imported in place of pakg's: the command says which file shadows which."""
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "elsewhere" / "graph").mkdir(parents=True)
    (tmp_path / "elsewhere" / "graph" / "__init__.py").write_text("raise RuntimeError('the wrong graph')\n")
    run = subprocess.run([sys.executable, "-m", "pakg", "stats"], capture_output=True, text=True, cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": f"{tmp_path / 'elsewhere'}{os.pathsep}{root}"})
    assert run.returncode == 1 and "the wrong graph" not in run.stderr
    assert run.stderr.startswith("pakg: another package shadows pakg's own: 'graph' is imported from "
                                 f"{tmp_path / 'elsewhere' / 'graph' / '__init__.py'}, not from {root / 'graph'}")


def test_stats_shares_facts_per_confidence_and_source_kind(monkeypatch, capsys):
    import pakg.cli

    from test_questions import tiny_model

    engine = tiny_model().engine
    monkeypatch.setattr(pakg.cli, "_engine", lambda args: engine)
    assert pakg.cli.main(["stats", "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    # the two actors, three pairings and the coverage statement state a confidence
    assert stats["facts"] == 6
    assert {r["confidence"]: r["facts"] for r in stats["facts_by_confidence"]} == {"high": 4, "medium": 1, "low": 1}
    kinds = {r["source_kind"]: (r["facts"], r["with_any"]) for r in stats["facts_by_source_kind"]}
    assert kinds == {"official": (4, 5), "fiction-forum": (1, 2), "mixed": (1, 0)}
    assert stats["facts_only_on_fiction_forum"] == 1
    assert pakg.cli.main(["stats"]) == 0
    text = capsys.readouterr().out
    assert "facts resting only on fiction or forum sources: 1" in text and "66.7%" in text


def test_analyze_and_network_export_take_the_fact_filters(tmp_path):
    """Leaving out what rests only on web fiction or forum pages gives a smaller network; the answer
    says how many pairings were left out; a bad level is named by its option."""
    everything = json.loads(pakg("analyze", "degree", "--level", "province", "--format", "json").stdout)
    result = pakg("analyze", "degree", "--level", "province", "--exclude-source-kind", "fiction-forum",
                  "--stated-years-only", "--format", "json")
    assert result.returncode == 0, result.stderr
    filtered = json.loads(result.stdout)
    assert filtered["facts"] == {"min_confidence": None, "exclude_source_kinds": ["fiction-forum"],
                                 "stated_years_only": True}
    assert filtered["left_out"]["only_excluded_sources"] > 0
    assert filtered["summary"]["edges"] < everything["summary"]["edges"]
    out = tmp_path / "net.graphml"
    result = pakg("export", "--network", "support", "--format", "graphml", "--level", "province",
                  "--min-confidence", "high", "--out", str(out))
    assert result.returncode == 0, result.stderr
    import networkx as nx

    graph = nx.read_graphml(out)
    assert graph.number_of_edges() and all(d["confidence"] == "high" for _, _, d in graph.edges(data=True))
    bad = pakg("analyze", "degree", "--min-confidence", "certain")
    assert bad.returncode != 0 and "--min-confidence: unknown confidence 'certain'" in bad.stderr
