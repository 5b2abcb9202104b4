"""The decisions store (docs/bad-input.md: The state file; cases 59-62, 66)."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time

import pytest

from inventory import paths
from inventory.errors import StateError
from inventory.state import SCHEMA, DecisionStore, decode_state, encode_state
from conftest import full_disk


@pytest.fixture
def state_path(tmp_path):
    return tmp_path / "st" / "state.json"


def test_round_trip_private_files(state_path):
    old = os.umask(0)
    try:
        with DecisionStore.open(state_path) as store:
            assert store.all() == {} and not store.read_only and store.notice is None
            assert store.decide(["post:1", "post:2"], "delete") == 2
            assert store.decide(["comment:9"], "edit") == 1
            store.record_review(["post:1", "post:2", "comment:9", "post:3"], None)
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(state_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(state_path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(paths.lock_file(state_path)).st_mode) == 0o600
    document = json.loads(state_path.read_text())
    assert document["schema"] == SCHEMA and document["checksum"].startswith("sha256:")
    with DecisionStore.open(state_path) as again:
        assert again.all() == {"post:1": "delete", "post:2": "delete", "comment:9": "edit"}
        assert again.get("post:2") == "delete" and again.get("post:404") is None
        assert again.seen().to_list() == ["comment:9", "post:1", "post:2", "post:3"]


def _as_the_json_module_writes_it(document: dict) -> bytes:
    """The file as `json` itself would write `document` (schema 2's layout), checksum included."""
    payload = {key: document[key] for key in ("items", "seen", "followed", "context")}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    whole = dict(document, checksum="sha256:" + hashlib.sha256(canonical.encode()).hexdigest())
    return (json.dumps(whole, sort_keys=True, ensure_ascii=False, indent=1) + "\n").encode()


@pytest.mark.parametrize("count", [0, 1, 7, 70_000])  # 70,000 spans more than one encoded slice
def test_state_file_is_byte_for_byte_what_the_json_module_writes(count):
    # The seen ids are encoded by polars (state._json_ids); any id, escapes included, must come
    # out as json.dumps writes it, or the checksum of an older or newer inventory would not match.
    rng = random.Random(count)
    letters = ["a", "Z", "0", ":", '"', "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "\u2028", "😀", " "]
    seen = {"".join(rng.choice(letters) for _ in range(rng.randrange(0, 7))) for _ in range(count)}
    items = {item: "delete" for item in sorted(seen)[:3]} | {'quote"d': "keep"}
    followed = [{"id": 'quote"d', "action": "edit", "text": "line\nbreak"}]
    data = encode_state(items, seen, followed, {"region": "eu", "minor": False})
    document = json.loads(data)
    assert document["seen"] == sorted(seen)
    assert data == _as_the_json_module_writes_it(document)
    assert decode_state(data).seen == seen


def test_closing_review_is_one_change_saved_at_once(state_path):
    # What the UI records on closing (the baseline of every id and the followed items) is
    # written in one save: nothing left pending, both in the file.
    followed = [{"id": "post:2", "action": "delete"}]
    with DecisionStore.open(state_path) as store:
        store.record_review(["post:2", "post:1", "post:2"], followed)
        assert not store.unsaved
        document = json.loads(state_path.read_text())
        assert document["seen"] == ["post:1", "post:2"] and document["followed"] == followed
        store.record_review(["post:1"], followed)  # nothing new: no change
        assert not store.unsaved and store.seen().to_list() == ["post:1", "post:2"]


def test_default_location_is_the_state_dir(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.STATE_ENV, str(tmp_path / "override"))
    with DecisionStore.open() as store:
        store.decide(["post:1"], "keep")
    assert store.path == tmp_path / "override" / "state.json"
    assert store.path.exists()


def test_undo_redo_one_step_per_call(state_path):
    with DecisionStore.open(state_path) as store:
        store.decide(["a", "b"], "delete")
        store.decide(["b", "c"], "keep")
        assert store.decide(["b", "c"], "keep") == 0  # no change, no undo step
        assert store.all() == {"a": "delete", "b": "keep", "c": "keep"}
        assert store.undo()
        assert store.all() == {"a": "delete", "b": "delete"}
        assert store.undo()
        assert store.all() == {}
        assert not store.undo()
        assert store.redo() and store.all() == {"a": "delete", "b": "delete"}
        store.decide(["a"], None)  # clearing is a step too, and drops the redo history
        assert store.all() == {"b": "delete"}
        assert not store.redo()
        assert store.undo() and store.all() == {"a": "delete", "b": "delete"}
    with DecisionStore.open(state_path) as again:
        assert again.all() == {"a": "delete", "b": "delete"}  # undo is saved too


def test_unknown_decision_is_a_bug(state_path):
    with DecisionStore.open(state_path) as store:
        with pytest.raises(ValueError):
            store.decide(["a"], "destroy")


def test_debounced_saves_land_on_close_and_after_the_interval(state_path):
    store = DecisionStore.open(state_path)
    store.decide(["a"], "delete")  # first save is immediate
    store.save_interval = 3600
    store.decide(["b"], "edit")
    assert decode_state(state_path.read_bytes())[1] == {"a": "delete"}
    store.close()
    assert decode_state(state_path.read_bytes())[1] == {"a": "delete", "b": "edit"}

    store = DecisionStore.open(state_path)
    store.save_interval = 0.05
    store._last_save = time.monotonic()
    store.decide(["c"], "later")
    deadline = time.monotonic() + 5
    while decode_state(state_path.read_bytes())[1].get("c") != "later":
        assert time.monotonic() < deadline, "timer save never happened"
        time.sleep(0.02)
    store.close()


def test_backup_of_last_good_file_once_per_session(state_path):
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
    assert not paths.backup_file(state_path).exists()  # nothing good to keep yet
    first = state_path.read_bytes()
    with DecisionStore.open(state_path) as store:
        store.decide(["b"], "delete")
        store.save()
        store.decide(["c"], "delete")
        store.save()
    assert paths.backup_file(state_path).read_bytes() == first


def write_corrupt(state_path, data: bytes):
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state_path.write_bytes(data)


def corrupt_copies(state_path):
    return sorted(state_path.parent.glob("state.json.corrupt-*"))


@pytest.mark.parametrize("damage", ["truncated", "checksum", "bad-value", "not-json"])
def test_corrupt_file_moved_aside_never_overwritten(state_path, damage):
    with DecisionStore.open(state_path) as store:
        store.decide(["a", "b"], "delete")
    good = state_path.read_bytes()
    if damage == "truncated":
        bad = good[: len(good) // 2]
    elif damage == "checksum":
        bad = good.replace(b'"b": "delete"', b'"b": "keep"')
    elif damage == "bad-value":
        document = json.loads(good)
        document["items"]["b"] = "explode"
        bad = json.dumps(document).encode()
    else:
        bad = b"\x00\xff garbage"
    assert bad != good
    state_path.write_bytes(bad)
    with pytest.raises(StateError) as caught:
        DecisionStore.open(state_path)
    moved = corrupt_copies(state_path)
    assert len(moved) == 1
    assert moved[0].read_bytes() == bad  # intact, for the member or a bug report
    assert not state_path.exists()  # nothing written over it
    message = str(caught.value)
    assert str(state_path) in message and str(moved[0]) in message and "--recover" in message
    assert caught.value.exit_status == 3
    assert "explode" not in message  # never quotes content


@pytest.mark.parametrize("kind", ["fifo", "nested"])
def test_fifo_or_deeply_nested_state_is_corrupt_and_moved_aside(state_path, fifo_with_writer, kind):
    """A FIFO would block a plain read forever; 200,000 brackets exhaust the json module's
    recursion. Both: exit 3, the file moved aside as it is."""
    state_path.parent.mkdir(parents=True)
    if kind == "fifo":
        fifo_with_writer(state_path, b"{}")
    else:
        state_path.write_bytes(b"[" * 200_000)
    with pytest.raises(StateError) as caught:
        DecisionStore.open(state_path)
    assert caught.value.exit_status == 3
    assert ("not a regular file" if kind == "fifo" else "nested too deeply") in str(caught.value)
    moved = corrupt_copies(state_path)
    assert len(moved) == 1 and not os.path.lexists(state_path) and str(moved[0]) in str(caught.value)
    if kind == "fifo":
        assert stat.S_ISFIFO(os.lstat(moved[0]).st_mode)
    else:
        assert moved[0].read_bytes() == b"[" * 200_000
    with DecisionStore.open(state_path) as store:  # the place is free again
        assert store.all() == {}


def test_state_folder_in_place_of_the_file_is_refused_not_moved(state_path):
    state_path.mkdir(parents=True)
    with pytest.raises(StateError, match="is a folder"):
        DecisionStore.open(state_path)
    assert state_path.is_dir() and corrupt_copies(state_path) == []


def test_oversized_state_is_corrupt(state_path):
    write_corrupt(state_path, encode_state({f"post:{i}": "delete" for i in range(200)}, []))
    with pytest.raises(StateError, match="max_state_bytes"):
        DecisionStore.open(state_path, max_bytes=1000)
    assert len(corrupt_copies(state_path)) == 1


def test_recover_starts_from_backup_or_empty(state_path):
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
    with DecisionStore.open(state_path) as store:
        store.decide(["b"], "edit")  # backup now holds {"a": "delete"}
    state_path.write_bytes(b'{"schema": 1, "items": {"a": "del')
    with DecisionStore.open(state_path, recover=True) as store:
        assert store.all() == {"a": "delete"}
        assert "restored from" in store.notice and "corrupt" in store.notice
    # no usable backup: empty, with a notice, and the corrupt copy kept
    state_path.write_bytes(b"{")
    paths.backup_file(state_path).write_bytes(b"also bad")
    with DecisionStore.open(state_path, recover=True) as store:
        assert store.all() == {} and "starting empty" in store.notice
    assert len(corrupt_copies(state_path)) == 2


def test_missing_file_with_good_backup_is_restored(state_path):
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
    with DecisionStore.open(state_path) as store:
        store.decide(["b"], "delete")
    state_path.unlink()
    with DecisionStore.open(state_path) as store:
        assert store.all() == {"a": "delete"} and "restored" in store.notice


def test_newer_schema_is_read_only_and_untouched(state_path):
    newer = json.dumps({"schema": SCHEMA + 1, "items": {"a": "delete"}, "seen": ["a"],
                        "future": {"whatever": 1}}).encode()
    write_corrupt(state_path, newer)
    with DecisionStore.open(state_path) as store:
        assert store.read_only
        assert "newer" in store.notice
        assert store.all() == {"a": "delete"}
        assert store.decide(["b"], "keep") == 1  # in memory only
        store.save()
    assert state_path.read_bytes() == newer
    assert not paths.backup_file(state_path).exists()
    assert corrupt_copies(state_path) == []


def test_second_instance_is_locked(state_path):
    first = DecisionStore.open(state_path)
    try:
        with pytest.raises(StateError, match=f"locked by PID {os.getpid()}") as caught:
            DecisionStore.open(state_path)  # same process, its own descriptor
        assert caught.value.exit_status == 3
    finally:
        first.close()
    with DecisionStore.open(state_path) as second:  # released on close
        assert second.all() == {}


def test_stray_temp_files_removed_at_start(state_path):
    state_path.parent.mkdir(parents=True)
    stray = state_path.parent / ".tmp-abc.part"
    stray.write_bytes(b"half a save")
    with DecisionStore.open(state_path):
        assert not stray.exists()


def test_disk_full_during_save_keeps_previous_state(state_path, monkeypatch):
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
    before = state_path.read_bytes()
    store = DecisionStore.open(state_path)
    full_disk(monkeypatch, state_path)
    told = []
    store.on_failure_changed = told.append
    assert store.decide(["b"], "delete") == 1  # kept in memory, the failure recorded
    assert store.get("b") == "delete" and store.unsaved
    assert isinstance(store.failure, StateError) and "disk full" in str(store.failure)
    assert told == [store.failure]
    store.decide(["c"], "delete")  # a second failure is not announced again
    assert len(told) == 1 and store.failure is not None
    with pytest.raises(StateError, match="disk full"):
        store.save()
    assert state_path.read_bytes() == before
    assert [p.name for p in state_path.parent.iterdir() if p.name.startswith(".tmp-")] == []
    monkeypatch.undo()
    store.close()  # retried on close once the disk has room
    assert decode_state(state_path.read_bytes())[1] == {"a": "delete", "b": "delete", "c": "delete"}
    assert told[-1] is None and store.failure is None and not store.unsaved


def test_failed_save_is_retried_until_the_disk_has_room(state_path, monkeypatch):
    store = DecisionStore.open(state_path)
    store.retry_interval = 0.01
    disk = full_disk(monkeypatch, state_path)
    saved = threading.Event()
    store.on_failure_changed = lambda error: saved.set() if error is None else None
    store.decide(["a"], "delete")
    assert store.failure is not None and not state_path.exists()
    disk["full"] = False  # room again: the retry timer saves with no further change
    assert saved.wait(120), "never retried"  # a guard against hanging, not a speed limit
    assert decode_state(state_path.read_bytes())[1] == {"a": "delete"} and not store.unsaved
    store.close()


CHILD = r"""
import sys, pathlib
from inventory.state import DecisionStore
store = DecisionStore.open(pathlib.Path(sys.argv[1]))
store.save_interval = 0
n = len(store.all())
print("ready", flush=True)
while True:
    n += 1
    store.decide(["post:%06d" % n], "delete")
"""


def test_kill_9_during_saves_leaves_old_or_new_state(state_path, allow_subprocess):
    rng = random.Random(20251103)
    state_path.parent.mkdir(parents=True)
    last = 0
    for _ in range(30):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(state_path)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert child.stdout.readline() == b"ready\n", child.stderr.read()[-500:]
        # Kill only once this child has saved something new (on a loaded machine a fixed sleep
        # could end before its first save), then at a random moment of its next saves.
        for _ in range(100_000):
            if state_path.exists() and len(decode_state(state_path.read_bytes())[1]) > last:
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        child.stderr.close()
        with DecisionStore.open(state_path) as store:  # must not be corrupt
            items = store.all()
            assert store.notice is None
        count = len(items)
        # every version written is "post:1..post:n all delete": a valid one has no gap
        assert items == {"post:%06d" % i: "delete" for i in range(1, count + 1)}
        assert count >= last  # never older than what a previous round saw
        last = count
        assert not any(p.name.startswith(".tmp-") for p in state_path.parent.iterdir())
    assert last >= 30  # every child really saved


def test_read_decisions_without_lock_or_writes(state_path):
    assert DecisionStore.read_decisions(state_path) == {}
    assert not state_path.parent.exists()  # reading creates nothing
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
        assert DecisionStore.read_decisions(state_path) == {"a": "delete"}  # while the UI holds the lock
    state_path.write_bytes(b"{broken")
    with DecisionStore.open(state_path.with_name("other.json")):  # another file's lock: no effect
        with pytest.raises(StateError, match="corrupt"):
            DecisionStore.read_decisions(state_path)
    # Moved aside as open() does (docs/bad-input.md, case 59), kept intact.
    assert not state_path.exists() and [p.read_bytes() for p in corrupt_copies(state_path)] == [b"{broken"]


def test_read_decisions_leaves_a_corrupt_file_in_place_while_the_ui_holds_it(state_path):
    with DecisionStore.open(state_path) as store:
        store.decide(["a"], "delete")
        state_path.write_bytes(b"{broken")  # damaged behind the running UI's back
        with pytest.raises(StateError, match="left in place"):
            DecisionStore.read_decisions(state_path)
        assert state_path.read_bytes() == b"{broken" and corrupt_copies(state_path) == []
