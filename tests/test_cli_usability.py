"""The command as a newcomer meets it (issue 16, point 4): names and short ids wherever an IRI goes, one
line and status 2 for every mistake, Ctrl+C, the analyses listed, tables that fit the terminal, formats
for scripts, progress bars only on a terminal, and `pakg serve` on PAKG_HOST / PAKG_PORT."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, free_port, iri, table_rows

import pakg.cli
from graph.analyses import ANALYSES
from graph.config import DATA_DIR
from pakg import progress
from pakg.table import width_of


def pakg_run(*args: str, timeout: float = 300, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pakg", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PAKG_PROGRESS": "", **env},
    )


@pytest.fixture
def cli(monkeypatch, capsys, engine):
    """``pakg …`` in this process, on the session's engine (no build per call): (status, stdout, stderr)."""
    monkeypatch.setattr(pakg.cli, "_engine", lambda args: engine)

    def run(*args: str, columns: int | None = None):
        if columns is not None:
            monkeypatch.setenv("COLUMNS", str(columns))
        status = pakg.cli.main(list(args))
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# ---- names and short ids wherever an IRI is -------------------------------------------------------


def _an_actor_with_a_short_name() -> dict[str, str]:
    """An actor of the data with an alternative Chinese name (like 克州) that no other actor bears as a
    label or alternative name: it must resolve to that actor alone."""
    rows = table_rows("actors")
    names: dict[str, int] = {}
    for row in rows:
        for name in [row["label_zh"], row["label_en"], *row.get("alt_labels_zh", "").split(";")]:
            if name.strip():
                names[name.strip().casefold()] = names.get(name.strip().casefold(), 0) + 1
    for row in rows:
        alts = [a.strip() for a in row.get("alt_labels_zh", "").split(";") if a.strip()]
        if (
            alts
            and all(names[a.casefold()] == 1 for a in alts)
            and names[row["label_zh"].casefold()] == 1
            and names[row["label_en"].casefold()] == 1
        ):
            return {**row, "alt": alts[0]}
    pytest.skip("no actor with an alternative name of its own in the data")


def test_a_named_query_takes_a_short_id_as_well_as_the_iri(cli):
    pairing = table_rows("pairings")[0]["id"]
    by_iri = cli(
        "query", "--named", "instruments_for_pairing", "--bind", f"pairing={iri('pairing', pairing)}", "--format", "csv"
    )
    by_id = cli("query", "--named", "instruments_for_pairing", "--bind", f"pairing={pairing}", "--format", "csv")
    assert by_iri[0] == by_id[0] == 0, by_id[2]
    assert csv_rows(by_id[1]) == csv_rows(by_iri[1]) and csv_rows(by_id[1])
    assert {r["pairing"] for r in csv_rows(by_id[1])} == {iri("pairing", pairing)}


def test_a_named_query_takes_an_actors_labels_and_short_name(cli):
    actor = _an_actor_with_a_short_name()
    answers = {}
    for value in (iri("actor", actor["id"]), actor["id"], actor["label_zh"], actor["label_en"], actor["alt"]):
        status, out, err = cli("query", "--named", "supporters_of", "--bind", f"region={value}", "--format", "json")
        assert status == 0, (value, err)
        answers[value] = json.loads(out)
    first = answers[iri("actor", actor["id"])]
    assert all(answer == first for answer in answers.values()), actor
    assert all(row["region"] == iri("actor", actor["id"]) for row in first)


def test_a_value_in_angle_brackets_is_an_iri_id_or_name_in_a_query_of_ones_own(cli):
    actor = _an_actor_with_a_short_name()
    text = "SELECT ?x ?n WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?n }"
    status, out, err = cli("query", text, "--bind", f"x=<{actor['alt']}>", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert rows and {r["x"] for r in rows} == {iri("actor", actor["id"])}
    assert {actor["label_zh"], actor["label_en"]} <= {r["n"] for r in rows}
    # without brackets the value is a plain literal: nothing is labelled with the IRI itself
    status, out, _ = cli("query", text, "--bind", f"n={actor['label_en']}", "--format", "json")
    assert status == 0 and all(r["n"] == actor["label_en"] for r in json.loads(out))


def test_an_unknown_name_is_one_line_naming_the_option(cli):
    status, out, err = cli("query", "--named", "supporters_of", "--bind", "region=No Such Place Anywhere")
    assert status == 2 and out == ""
    assert err.startswith("pakg: error: --bind region: ") and "No Such Place Anywhere" in err
    assert len(err.strip().splitlines()) == 1


# ---- every user error: one line, status 2, no traceback --------------------------------------------


def _mistakes(tmp: Path) -> list[tuple[list[str], str]]:
    """(arguments, what the line must say) for a wide family of mistakes, over every subcommand."""
    (tmp / "bad.ttl").write_text("this is not turtle <<<", encoding="utf-8")
    (tmp / "latin1.rq").write_bytes("SELECT * WHERE { ?s ?p 'é' }".encode("latin-1"))
    (tmp / "full").mkdir()
    (tmp / "full" / "x").write_text("x")
    missing = str(tmp / "missing")
    return [
        (["query", "--file", str(tmp / "missing.rq")], "missing.rq: No such file or directory"),
        (["query", "--file", str(tmp)], "Is a directory"),
        (["query", "--file", str(tmp / "latin1.rq")], "not UTF-8"),
        (["query"], "give a SPARQL query"),
        (["query", "SELEC ?x WHERE { ?x ?p ?o }"], "line 1, column"),
        (["query", "SELECT ?x WHERE { ?x foo:bar ?z }"], "undefined prefix 'foo:'"),
        (["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
        (["query", "DELETE WHERE { ?s ?p ?o }"], "read-only"),
        (["query", "LOAD <http://example.org/x.ttl>"], "read-only"),
        (["query", "--named", "nope"], "no named query 'nope'"),
        (["query", "--named", "sources_of"], "resource"),
        (["query", "--named", "sources_of", "--bind", "x"], "--bind takes name=value"),
        (["query", "--named", "sources_of", "--bind", "resource=x", "--bind", "other=y"], "other"),
        (["query", "--named", "instruments_for_pairing", "--bind", "pairing=No Such Pairing"], "--bind pairing"),
        (["query", "SELECT * WHERE { ?s ?p ?o }", "--format", "xml"], "--format"),
        (["queries", "--format", "xml"], "--format"),
        (["analyze", "nope"], "unknown analysis 'nope'"),
        (["analyze", "degree", "--level", "galaxy"], "--level"),
        (["analyze", "degree", "--min-confidence", "certain"], "--min-confidence"),
        (["analyze", "degree", "--supporter", "No Such Place Anywhere"], "--supporter"),
        (["analyze", "paths", "--source", "nope-nope", "--target", "nope-nope"], "--source"),
        (["analyze", "degree", "--year", "soon"], "--year"),
        (["export", "--network", "support", "--format", "ntriples"], "--format"),
        (["export", "--format", "docx"], "--format"),
        (["export", "--out", str(tmp / "no" / "such" / "dir" / "x.ttl")], "No such file or directory"),
        (["stats", "--store", missing], "no store here"),
        (["stats", "--data", missing], "--data"),
        (["build", "--data", missing], "--data"),
        (["validate", "--rdf", str(tmp / "missing.ttl")], "No such file or directory"),
        (["validate", "--rdf", str(tmp / "bad.ttl")], "--rdf"),
        (["diff", missing, missing + "2"], "missing"),
        (["release", "--out", str(tmp / "full")], "not an empty folder"),
        (["load", "--endpoint", f"http://127.0.0.1:{free_port()}/query"], "127.0.0.1"),
        (["serve", "--store", missing], "no store here"),
        (["serve", "--data", missing], "--data"),
        (["serve", "--port", "eighty"], "--port"),
        (["frobnicate"], "invalid choice"),
        ([], "command"),
    ]


def test_every_mistake_is_one_line_with_status_2_and_no_traceback(tmp_path):
    cases = _mistakes(tmp_path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda case: pakg_run(*case[0]), cases))
    for (args, said), result in zip(cases, results, strict=True):
        where = f"pakg {' '.join(args)}: {result.stderr!r}"
        assert result.returncode == 2, where
        assert "Traceback" not in result.stderr and "Error:" not in result.stderr.split("pakg: error:", 1)[0], where
        lines = result.stderr.rstrip("\n").splitlines()
        assert lines and lines[0].startswith("pakg: error: "), where
        assert said in lines[0], where
        # a syntax error adds the line of the text with a caret under the place; nothing else adds lines
        assert all(re.match(r"^ *(\d+ )?\|?\s", line) for line in lines[1:]), where
        assert not result.stdout, where


def test_a_syntax_error_shows_the_place_with_a_caret():
    result = pakg_run("query", "SELECT ?x WHERE {\n  ?x ?y }")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    first, *excerpt = result.stderr.rstrip("\n").splitlines()
    assert re.search(r"line 2, column \d+", first), first
    assert any("?x ?y }" in line for line in excerpt) and any("^" in line for line in excerpt)


# ---- Ctrl+C -------------------------------------------------------------------------------------


def _popen(*args: str, **env: str) -> subprocess.Popen:
    """``pakg`` in a process group of its own (as a terminal's foreground job), SIGINT at its default."""
    return subprocess.Popen(
        [sys.executable, "-m", "pakg", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the server ended: {proc.communicate()}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError("the server did not answer")


def _stopped_cleanly(proc: subprocess.Popen) -> str:
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    ours = [line for line in err.splitlines() if line.startswith("pakg:")]
    assert ours == ["pakg: interrupted"], err
    return err


def test_serve_honours_pakg_host_and_port_and_stops_on_ctrl_c_in_one_line():
    """A terminal's Ctrl+C reaches the whole foreground process group: the server and its query workers."""
    port = free_port()
    proc = _popen("serve", PAKG_HOST="127.0.0.1", PAKG_PORT=str(port))
    try:
        _wait_for(f"http://127.0.0.1:{port}", proc)
        os.killpg(proc.pid, signal.SIGINT)
        _stopped_cleanly(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_serve_flags_win_over_the_environment_and_sigint_to_the_server_alone():
    env_port, flag_port = free_port(), free_port()
    proc = _popen("serve", "--port", str(flag_port), PAKG_PORT=str(env_port))
    try:
        _wait_for(f"http://127.0.0.1:{flag_port}", proc)
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{env_port}/health", timeout=2)
        proc.send_signal(signal.SIGINT)
        _stopped_cleanly(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_ctrl_c_stops_a_long_command_in_one_line():
    proc = _popen("validate")  # SHACL over the whole graph: the longest command
    try:
        time.sleep(4)
        assert proc.poll() is None, "validate ended before it could be interrupted"
        proc.send_signal(signal.SIGINT)
        _stopped_cleanly(proc)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


# ---- analyses, tables, formats --------------------------------------------------------------------


def test_analyze_without_a_name_lists_the_analyses(cli):
    status, out, err = cli("analyze", columns=200)
    assert status == 0, err
    for name, analysis in ANALYSES.items():
        assert re.search(rf"^{name}\s.*{re.escape(analysis.description)}", out, re.M), name
    status, out, _ = cli("analyze", "--format", "json")
    listed = json.loads(out)
    assert [a["name"] for a in listed] == list(ANALYSES)
    assert all(a["definition"] == ANALYSES[a["name"]].definition for a in listed)


@pytest.mark.parametrize("columns", [60, 100])
@pytest.mark.parametrize(
    "args",
    [("queries",), ("analyze", "betweenness"), ("stats",), ("query", "--named", "catalog_sources")],
    ids=["queries", "betweenness", "stats", "query"],
)
def test_tables_fit_the_terminal_and_full_width_keeps_cells_whole(cli, args, columns):
    status, out, err = cli(*args, columns=columns)
    assert status == 0, err
    table_lines = [line for line in out.splitlines() if not line.startswith(("betweenness on", "facts", "dataset"))]
    assert max(width_of(line) for line in table_lines) <= columns, out
    status, whole, _ = cli(*args, "--full-width", columns=columns)
    assert status == 0
    if "…" in out:
        assert max(width_of(line) for line in whole.splitlines()) > columns


def test_a_cut_cell_ends_in_an_ellipsis_and_the_full_width_shows_it(cli):
    longest = max(pakg.cli.queries.named_queries().values(), key=lambda q: len(q.description))
    description = " ".join(longest.description.split())  # a cell is one line
    _, cut_table, _ = cli("queries", columns=80)
    _, whole, _ = cli("queries", "--full-width", columns=80)
    assert "…" in cut_table and description not in cut_table
    assert description in whole


def test_no_rows_is_said_once(cli):
    status, out, _ = cli("query", "SELECT ?x WHERE { ?x a <urn:pakg:no-such-class> }")
    assert status == 0 and out.strip() == "(no rows)"
    for name in ANALYSES:
        if name == "paths":  # needs --source and --target
            continue
        status, out, err = cli("analyze", name)
        assert status == 0, err
        assert out.count("(no rows)") <= 1 and "(0 rows)" not in out, (name, out)


@pytest.mark.parametrize(
    "args",
    [
        ("query", "SELECT ?s ?n WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?n } LIMIT 5"),
        ("queries",),
        ("analyze", "degree", "--level", "province"),
        ("analyze",),
        ("stats",),
    ],
    ids=["query", "queries", "analyze", "analyses", "stats"],
)
def test_csv_and_json_for_scripts(cli, args):
    status, out, err = cli(*args, "--format", "csv", columns=40)
    assert status == 0, err
    rows = csv_rows(out)
    assert rows and all(None not in r for r in rows)  # every row as wide as the header
    assert max(width_of(line) for line in out.splitlines()) > 40  # never cut to the terminal
    status, out, err = cli(*args, "--format", "json", columns=40)
    assert status == 0, err
    assert json.loads(out)


def test_stats_as_csv_holds_the_json_figures(cli):
    _, out, _ = cli("stats", "--format", "csv")
    _, js, _ = cli("stats", "--format", "json")
    figures, stats = csv_rows(out), json.loads(js)
    found = {(r["table"], r["key"], r["measure"]): r["value"] for r in figures}
    assert found[("dataset", "triples", "count")] == str(stats["triples"])
    for row in stats["by_class"]:
        assert found[("by_class", row["class"], "count")] == str(row["count"])
    for row in stats["facts_by_confidence"]:
        assert found[("facts_by_confidence", row["confidence"], "facts")] == str(row["facts"])


# ---- progress ----------------------------------------------------------------------------------------


def test_build_tells_its_progress_up_to_every_row():
    from graph.build import build

    told: list[tuple[str, int, int | None]] = []
    build(DATA_DIR, progress=lambda what, done, total: told.append((what, done, total)))
    assert told and told[-1][1] == told[-1][2]
    assert [d for _, d, _ in told] == sorted(d for _, d, _ in told)
    assert told[-1][2] == sum(1 for _ in _rows_of_every_table())


def _rows_of_every_table():
    from graph.tables import ORDER

    for name in ORDER:
        yield from table_rows(name)


def test_a_progress_bar_is_drawn_on_a_terminal_and_nothing_in_a_pipe(tmp_path):
    out = str(tmp_path / "pakg.nq")
    piped = pakg_run("build", "--out", out)
    assert piped.returncode == 0 and piped.stderr == ""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pakg", "build", "--out", out],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, "PAKG_PROGRESS": ""},
    )
    os.close(slave)
    drawn = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        drawn += chunk
    os.close(master)
    stdout = proc.communicate(timeout=120)[0]
    assert proc.returncode == 0
    assert b"build" in drawn and b"\x1b[" in drawn  # the bar, drawn with the terminal's control sequences
    assert b"\x1b" not in stdout and stdout.startswith(b"built dataset")  # the command's answer stays plain
    assert not progress.wanted()  # (under pytest, standard error is not a terminal)


# ---- make serve, README ---------------------------------------------------------------------------


def test_make_serve_passes_host_and_port_on_and_otherwise_leaves_them_to_the_environment():
    def dry(*args: str) -> str:
        run = subprocess.run(["make", "-n", "serve", *args], capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        return next(line for line in run.stdout.splitlines() if "pakg serve" in line)

    assert "--port 8080" in dry("PORT=8080", "HOST=0.0.0.0") and "--host 0.0.0.0" in dry("PORT=8080", "HOST=0.0.0.0")
    plain = dry()
    assert "--port" not in plain and "--host" not in plain


def test_the_readme_says_how_to_serve_on_another_port():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make serve PORT=8080 HOST=0.0.0.0" in readme
    assert "PAKG_PORT" in readme and "PAKG_HOST" in readme


@pytest.mark.parametrize("module", ["pakg.table", "pakg.syntax"])
def test_the_examples_in_the_commands_modules(module):
    """(pytest collects doctests under graph/ and api/ only; the command's own modules are run here)"""
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module))
    assert tried and not failed
