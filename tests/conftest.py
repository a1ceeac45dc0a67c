from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import pytest

from graph.build import build
from graph.config import DATA_DIR, DEFAULT_BASE
from graph.store import Engine

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="session")
def built():
    return build(DATA_DIR, DEFAULT_BASE)


@pytest.fixture(scope="session")
def engine(built):
    return Engine.from_build(built)


@pytest.fixture(scope="session")
def base() -> str:
    return DEFAULT_BASE


def iri(kind: str, ident: str) -> str:
    return f"{DEFAULT_BASE}{kind}/{ident}"


def short(value: str) -> str:
    """The id at the end of an instance IRI."""
    return re.split(r"[/#]", value)[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`pakg serve` in a subprocess on a free loopback port, stopped when the tests are done."""

    def __init__(self, *args: str, wait: float = 120, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env={**os.environ, **env})
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"pakg serve {' '.join(args)} exited with {self.proc.returncode}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not answer within {wait:g} s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="session")
def server():
    live = LiveServer()
    yield live.url
    live.stop()


@pytest.fixture(scope="session")
def strict_server():
    """A server with a 2 s query limit and a 5-row cap."""
    live = LiveServer(PAKG_QUERY_TIMEOUT="2", PAKG_ROW_CAP="5", PAKG_QUERY_WORKERS="2")
    yield live.url
    live.stop()
