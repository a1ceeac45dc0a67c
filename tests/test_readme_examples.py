"""The README's examples, run as a reader would run them.

Every line of a ```sh block of README.md that starts with ``curl`` or ``.venv/bin/pakg`` is an example
to be run as written: the curl lines against the session's real server (the README's
``http://127.0.0.1:8000`` replaced by its address), the pakg lines as the installed command.  Blocks of
another kind (```text) hold synopses and commands that need something outside the repository (an
external SPARQL endpoint, credentials); they are not run.  Each example must answer without an error
and with something in its answer."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
HOST = "http://127.0.0.1:8000"


def examples(prefix: str) -> list[tuple[int, str]]:
    """(line number, command) of each README example starting with ``prefix`` in a ```sh block;
    a trailing ``# comment`` is dropped as the shell would drop it."""
    out, in_sh = [], False
    for number, line in enumerate(README.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_sh = not in_sh and line.strip() == "```sh"
            continue
        if in_sh and line.startswith(prefix):
            words = shlex.split(line, comments=True)
            out.append((number, shlex.join(words)))
    return out


CURL = examples("curl ")
CLI = examples(".venv/bin/pakg ")


def test_the_readme_has_examples_of_both_kinds():
    assert len(CURL) >= 20 and len(CLI) >= 5, (len(CURL), len(CLI))


def curl_request(command: str, server: str) -> httpx.Request:
    """The HTTP request a curl command line of the README makes (the options the README uses:
    -G, -d, --data-urlencode, -H, -O/-J/-OJ)."""
    words = shlex.split(command)[1:]
    url, data, headers, get = None, [], {}, False
    i = 0
    while i < len(words):
        word = words[i]
        if word == "-G":
            get = True
        elif word in ("-d", "--data", "--data-urlencode"):
            i += 1
            data.append(words[i])
        elif word == "-H":
            i += 1
            name, _, value = words[i].partition(":")
            headers[name.strip()] = value.strip()
        elif word.startswith("-") and set(word[1:]) <= set("OJsSL"):
            pass  # output and transfer options: no bearing on the request
        elif word.startswith("-"):
            raise AssertionError(f"the README's curl uses an option this test does not know: {word}")
        else:
            url = word
        i += 1
    assert url is not None and url.startswith(HOST), command
    url = server + url[len(HOST) :]
    pairs = [tuple(d.split("=", 1)) for d in data]
    if get or not pairs:  # curl -G puts the data in the query string
        return httpx.Request("GET", url, params=dict(pairs) or None, headers=headers)  # (None: the URL's own query)
    return httpx.Request("POST", url, data=dict(pairs), headers=headers)  # type: ignore[arg-type]


@pytest.mark.parametrize(("line", "command"), CURL, ids=[f"README:{n}" for n, _ in CURL])
def test_curl_example(server, line, command):
    request = curl_request(command, server)
    with httpx.Client(timeout=60) as http:
        response = http.send(request)
    assert response.status_code < 400, f"README line {line}: {command}\n{response.status_code} {response.text[:500]}"
    assert response.content, f"README line {line}: an empty answer"


@pytest.mark.parametrize(("line", "command"), CLI, ids=[f"README:{n}" for n, _ in CLI])
def test_cli_example(tmp_path, built, line, command):
    words = shlex.split(command)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAKG_")}
    run = subprocess.run(
        [sys.executable, "-m", "pakg", *words[1:]],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=README.parent,
        env={**env, "COLUMNS": "120"},
    )
    assert run.returncode == 0, f"README line {line}: {command}\n{run.stderr[-2000:]}"
    assert run.stdout.strip() or re.search(r"\S", run.stderr), f"README line {line}: printed nothing"
    assert "Traceback" not in run.stderr
