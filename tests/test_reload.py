"""Safe reload: a new store is switched in atomically under concurrent readers; a failed or killed
build leaves the served dataset untouched."""
from __future__ import annotations

import concurrent.futures
import csv
import os
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest

from graph.build import build
from graph.config import DATA_DIR
from graph.store import Engine
from graph.tables import TABLES
from graph.versions import store_version

from conftest import LiveServer, table_rows


def pakg(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "pakg", *args], capture_output=True, text=True,
                          timeout=300, **kwargs)


# the store a test starts from holds the curated data (whose validation is tested once, by test_shapes
# and test_cli): built without validating it again; the builds a test switches to are validated
SETUP = ("build", "--no-validate")


@pytest.fixture()
def two_datasets(tmp_path):
    """The curated data, and a copy with one more (sourced) pairing."""
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(DATA_DIR, old, ignore=shutil.ignore_patterns("build"))
    shutil.copytree(DATA_DIR, new, ignore=shutil.ignore_patterns("build"))
    row = {"id": "PR-1001", "kind": "pairing", "programme": "P-XJ-2010", "supporter": "jiangsu",
           "recipient": "hotan-county", "fields": "medical", "mode": "group-style", "start_year": "2024",
           "sources": "S-ksrykj-com", "confidence": "low", "note": "test pairing for the reload test"}
    with (new / "curated" / "pairings.csv").open("w", encoding="utf-8", newline="") as fh:
        # by the table's own columns, so that a new column does not shift the values
        writer = csv.DictWriter(fh, [column.name for column in TABLES["pairings"].all_columns], restval="")
        writer.writeheader()
        writer.writerow(row)
    return old, new


def test_reload_under_concurrent_readers(two_datasets, tmp_path):
    old, new = two_datasets
    pairings = len(table_rows("pairings", old))  # the curated data's; the new dataset has one more
    versions = {build(old).version: pairings, build(new).version: pairings + 1}
    store = tmp_path / "store"
    assert pakg(*SETUP, "--data", str(old), "--store", str(store), "--out", str(tmp_path / "o.nq")).returncode == 0
    live = LiveServer("--store", str(store), PAKG_RELOAD_INTERVAL="0.3")
    failures, seen = [], set()
    built_at: list[float] = []  # when the build returned: the readers go on until the switch, however long
    # the (validated) build takes, and a little after it

    def reader(n):
        after = 0  # this reader's requests since both versions were seen
        with httpx.Client(base_url=live.url, timeout=30) as client:
            while True:
                if len(seen) == 2:
                    after += 1
                if after > 20 or (built_at and time.monotonic() > built_at[0] + 30):
                    return
                path = ("/pairings", {"limit": 1}) if n % 2 else ("/health", {})
                try:
                    r = client.get(path[0], params=path[1])
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                version = r.headers.get("x-dataset-version")
                if r.status_code != 200 or version not in versions:
                    failures.append(f"{r.status_code} {version}")
                    continue
                seen.add(version)
                body = r.json()
                if path[0] == "/health" and body["version"] != version:
                    failures.append(f"health body {body['version']} under header {version}")
                if path[0] == "/pairings" and body["total"] != versions[version]:
                    failures.append(f"{body['total']} pairings under header {version}")

    try:
        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            futures = [pool.submit(reader, n) for n in range(50)]
            time.sleep(1.0)
            try:
                built = pakg("build", "--data", str(new), "--store", str(store), "--out", str(tmp_path / "n.nq"))
            finally:
                built_at.append(time.monotonic())
            assert built.returncode == 0, built.stderr
            for f in futures:
                f.result()
    finally:
        live.stop()
    assert failures == []
    assert seen == set(versions)


def test_a_failed_build_does_not_switch_the_store(two_datasets, tmp_path):
    old, new = two_datasets
    store = tmp_path / "store"
    assert pakg(*SETUP, "--data", str(old), "--store", str(store), "--out", str(tmp_path / "o.nq")).returncode == 0
    before = store_version(store)
    bad = new / "curated" / "pairings.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("hotan-county", "nowhere"), encoding="utf-8")
    result = pakg("build", "--data", str(new), "--store", str(store), "--out", str(tmp_path / "n.nq"))
    assert result.returncode == 1 and "unknown actor 'nowhere'" in result.stderr
    assert store_version(store) == before == Engine.open(store).version


def test_kill_9_during_a_build_leaves_the_old_or_the_new_dataset(two_datasets, tmp_path):
    old, new = two_datasets
    store = tmp_path / "store"
    assert pakg(*SETUP, "--data", str(old), "--store", str(store), "--out", str(tmp_path / "o.nq")).returncode == 0
    allowed = {build(old).version, build(new).version}
    for delay in (0.3, 0.8, 1.5, 2.5, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "pakg", "build", "--data", str(new), "--store",
                                 str(store), "--out", str(tmp_path / "n.nq")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        version = store_version(store)
        assert version in allowed
        assert Engine.open(store).version == version
        if version == build(new).version:  # switched: start again from the old one
            assert pakg("build", "--data", str(old), "--store", str(store), "--no-validate",
                        "--out", str(tmp_path / "o.nq")).returncode == 0


def switch_to_copy(store, name: str, version: str, spoil=None):
    """A copy of the store's current version as the version directory ``name``, its VERSION file
    saying ``version`` (its files spoiled by ``spoil`` first), and ``store`` switched to it as
    write_store switches it."""
    current = os.path.realpath(store)
    target = os.path.join(os.path.dirname(current), name)
    shutil.copytree(current, target)
    if spoil:
        spoil(target)
    with open(os.path.join(target, "VERSION"), "w") as f:
        f.write(version + "\n")
    link = store.with_name(f".{store.name}.link-test")
    link.symlink_to(os.path.relpath(target, store.parent))
    os.replace(link, store)


def corrupt(directory: str) -> None:
    """Overwrite the engine's data files with junk of the same size."""
    for name in os.listdir(directory):
        if name.endswith(".sst"):
            path = os.path.join(directory, name)
            size = os.path.getsize(path)
            with open(path, "wb") as f:
                f.write((b"\xde\xad" * (size // 2 + 1))[:size])


def children(pid: int) -> int:
    """How many processes ``pid`` has started and not yet reaped (Linux /proc)."""
    count = 0
    for stat in os.listdir("/proc"):
        if stat.isdigit():
            try:
                with open(f"/proc/{stat}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            count += int(fields[1]) == pid
    return count


def health(url: str) -> tuple[int, str | None]:
    r = httpx.get(url + "/health", timeout=10)
    return r.status_code, r.json().get("version")


def test_a_corrupt_version_is_refused_once_and_a_later_good_one_taken(two_datasets, tmp_path):
    old, new = two_datasets
    store = tmp_path / "store"
    assert pakg(*SETUP, "--data", str(old), "--store", str(store), "--out", str(tmp_path / "o.nq")).returncode == 0
    served, fresh = store_version(store), build(new).version
    log = tmp_path / "server.log"
    live = LiveServer("--store", str(store), output=log, PAKG_RELOAD_INTERVAL="0.2")
    try:
        switch_to_copy(store, "broken", "broken-1", spoil=corrupt)
        meanwhile = set()
        for _ in range(15):  # 3 s: fifteen intervals on the corrupt version
            meanwhile.add(health(live.url))
            time.sleep(0.2)
        built = pakg("build", "--data", str(new), "--store", str(store), "--out", str(tmp_path / "n.nq"))
        assert built.returncode == 0, built.stderr
        for _ in range(300):  # at most 60 s
            now = health(live.url)
            if now[1] != served:
                break
            meanwhile.add(now)
            time.sleep(0.2)
        assert now == (200, fresh)
        total = httpx.get(live.url + "/pairings", params={"limit": 1}, timeout=10).json()["total"]
        assert total == len(table_rows("pairings", new))  # with the one added
    finally:
        live.stop()
    assert meanwhile == {(200, served)}
    lines = log.read_text(encoding="utf-8").splitlines()
    refused = [line for line in lines if "broken-1" in line]
    assert len(refused) == 1, refused
    assert "refused dataset broken-1" in refused[0] and "cannot open it" in refused[0]
    assert [line for line in lines if "now serving" in line] == [
        next(line for line in lines if f"now serving dataset {fresh}" in line and f"(was {served})" in line)]


def test_a_version_file_that_disagrees_with_its_dataset_is_refused_once(tmp_path):
    store = tmp_path / "store"
    built = pakg(*SETUP, "--data", str(DATA_DIR), "--store", str(store), "--out", str(tmp_path / "o.nq"))
    assert built.returncode == 0, built.stderr
    served = store_version(store)
    log = tmp_path / "server.log"
    live = LiveServer("--store", str(store), output=log, PAKG_RELOAD_INTERVAL="0.2")
    try:
        started = children(live.proc.pid)
        switch_to_copy(store, "mislabelled", "mislabelled-1")
        counts, seen = [], set()
        for _ in range(40):  # 4 s: twenty intervals
            counts.append(children(live.proc.pid))
            if len(counts) % 4 == 0:
                seen.add(health(live.url))
            time.sleep(0.1)
    finally:
        live.stop()
    assert started >= 4 and max(counts) <= started  # no query workers started for the refused version
    assert seen == {(200, served)}
    lines = log.read_text(encoding="utf-8").splitlines()
    refused = [line for line in lines if "mislabelled-1" in line]
    assert len(refused) == 1, refused
    assert "version mismatch" in refused[0] and f"the dataset inside is {served}" in refused[0]
    assert not [line for line in lines if "now serving" in line]
