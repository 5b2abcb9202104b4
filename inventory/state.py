"""The member's decisions (delete, edit, keep, later), keyed by stable item id, in one JSON file.

Guarantees (see docs/checklist.md and docs/bad-input.md, The state file):
- every save is atomic (files.atomic_write): after a kill at any moment the file holds the old or
  the new decisions, never a mix; files 0600, folder 0700;
- once per session, before the first save, the last good file is copied to state.json.bak;
- a corrupt file (bad JSON, checksum mismatch, over max_state_bytes) is moved aside to
  state.json.corrupt-<UTC time> and never overwritten; opening then fails unless recover=True;
- a file from a newer schema is opened read-only and never written;
- one process at a time: an advisory lock (flock) on state.lock holding the PID.

Schema 2 adds, beside the decisions and the baseline, the member context set in the UI (`m`:
region, opt-out date, under 18; every command uses it unless a flag says otherwise) and the
items the checklist followed when the UI last closed (the checklist JSON's `planned_items`), so
that `inventory verify STATE NEW` judges them exactly as `verify OLD NEW` would.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple

import polars as pl

from inventory import __version__, paths
from inventory.errors import StateError
from inventory.files import TEMP_PREFIX, NotRegularFile, atomic_write, describe_os_error, private_dir, read_regular
from inventory.limits import DEFAULT_LIMITS

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

DECISIONS = ("delete", "edit", "keep", "later")
SCHEMA = 2
# Member context keys the state may hold (values: region str, opted_out_on ISO date, minor bool).
CONTEXT_KEYS = ("region", "opted_out_on", "minor")
SAVE_INTERVAL = 1.0  # seconds; a crash loses at most this much work
RETRY_INTERVAL = 5.0  # seconds between attempts while saving fails (disk full...)


# What json.dumps(ensure_ascii=False) escapes in a string (the json module's ESCAPE_DCT).
_JSON_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                 **{chr(c): f"\\u{c:04x}" for c in range(0x20) if chr(c) not in "\b\f\n\r\t"}}
_SLICE = 1 << 14  # ids encoded at a time


def _json_ids(ids: pl.Series, separator: str) -> Iterator[bytes]:
    """`ids` as the items of a JSON list, each as json.dumps(ensure_ascii=False) writes it,
    `separator` between them. Encoded by polars a slice at a time: the baseline holds every id
    of the last export reviewed (1.7 million at `inventory sample --scale 800`), and the json
    module would first make a Python string of each."""
    for start in range(0, ids.len(), _SLICE):
        quoted = pl.select(pl.concat_str([pl.lit('"'), pl.lit(ids.slice(start, _SLICE)).str.replace_many(
            list(_JSON_ESCAPES), list(_JSON_ESCAPES.values())), pl.lit('"')])).to_series()
        yield (separator if start else "").encode() + quoted.str.join(separator).cast(pl.Binary).item()


def _json_document(members: dict[str, Any], seen: pl.Series, *, indent: bool) -> Iterator[bytes]:
    """The bytes of json.dumps({**members, "seen": list(seen)}, sort_keys=True,
    ensure_ascii=False) with `indent=1` or, without `indent`, the compact separators."""
    def member(key: str, value: Any) -> str:
        if indent:
            return json.dumps({key: value}, sort_keys=True, ensure_ascii=False, indent=1)[2:-2]
        return json.dumps({key: value}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))[1:-1]

    between, start = (",\n", "{\n") if indent else (",", "{")
    keys = sorted({*members, "seen"})
    yield start.encode()
    for position, key in enumerate(keys):
        if position:
            yield between.encode()
        if key != "seen":
            yield member(key, members[key]).encode()
        elif not seen.len():
            yield member("seen", []).encode()
        else:
            yield (' "seen": [\n  ' if indent else '"seen":[').encode()
            yield from _json_ids(seen, ",\n  " if indent else ",")
            yield ("\n ]" if indent else "]").encode()
    yield ("\n}" if indent else "}").encode()


def _checksum(members: dict[str, Any], seen: pl.Series) -> str:
    """Of the canonical JSON of the payload (`members` and `seen`, in its order)."""
    digest = hashlib.sha256()
    for part in _json_document(members, seen, indent=False):
        digest.update(part)
    return "sha256:" + digest.hexdigest()


def id_series(ids: Iterable[str] | pl.Series) -> pl.Series:
    """`ids` sorted, each once, as a polars String series: how the store keeps the baseline
    (a Python set of a million ids costs eight times its text)."""
    series = (ids if isinstance(ids, pl.Series) else pl.Series(list(ids), dtype=pl.String)).rename("id")
    series = series.drop_nulls().sort()
    if series.len() > 1:
        series = series.filter(series.ne_missing(series.shift(1))).set_sorted()
    return series


def _union(known: pl.Series, more: pl.Series) -> pl.Series:
    """Both sorted id series (id_series) in one, merged without sorting again."""
    if not known.len() or not more.len():
        return more if not known.len() else known
    return id_series(known.to_frame().merge_sorted(more.to_frame(), key="id").to_series().set_sorted())


def saved_context(given: Mapping[str, Any], saved: Mapping[str, Any]) -> dict[str, Any]:
    """The analysis options (region, opted_out_on as a date, minor) the saved member context
    supplies where `given` (the command's flags) has none: a flag always wins."""
    found: dict[str, Any] = {}
    if not given.get("region") and saved.get("region"):
        found["region"] = saved["region"]
    if given.get("opted_out_on") is None and saved.get("opted_out_on"):
        with contextlib.suppress(ValueError):
            found["opted_out_on"] = date.fromisoformat(saved["opted_out_on"])
    if not given.get("minor") and saved.get("minor"):
        found["minor"] = True
    return found


class State(NamedTuple):
    schema: int
    items: dict[str, str]
    seen: set[str]
    followed: list[dict[str, Any]] = []
    context: dict[str, Any] = {}


def encode_state(items: dict[str, str], seen: Iterable[str] | pl.Series, followed: list[dict[str, Any]] | None = None,
                 context: dict[str, Any] | None = None) -> bytes:
    """The file: json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1), the seen
    ids sorted, with the checksum of the payload's canonical JSON."""
    ids = id_series(seen)
    payload = {"items": dict(sorted(items.items())), "followed": list(followed or []), "context": dict(context or {})}
    document = {
        "schema": SCHEMA,
        "app": f"inventory {__version__}",
        "written": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **payload,
        "checksum": _checksum(payload, ids),
    }
    return b"".join(_json_document(document, ids, indent=True)) + b"\n"


class _Corrupt(Exception):
    """Internal: the file cannot be trusted (reason is a short phrase, no content)."""


def _valid_context(context: object) -> bool:
    return isinstance(context, dict) and set(context) <= set(CONTEXT_KEYS) and all(
        v is None or isinstance(v, (str, bool)) for v in context.values())


def decode_state(data: bytes) -> State:
    """The state in a file's bytes; _Corrupt if damaged. A newer schema is returned as is, with
    whatever decisions can be read, so it can be shown read-only."""
    try:
        return _decode(data)
    except RecursionError:  # brackets nested deeper than the json module goes
        raise _Corrupt("nested too deeply") from None


def _decode(data: bytes) -> State:
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Corrupt("not valid JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("schema"), int):
        raise _Corrupt("no schema version")
    schema = document["schema"]
    if schema > SCHEMA:
        items = document.get("items")
        readable = isinstance(items, dict) and all(
            isinstance(k, str) and v in DECISIONS for k, v in items.items())
        seen = document.get("seen")
        seen_ok = isinstance(seen, list) and all(isinstance(s, str) for s in seen)
        return State(schema, (dict(items) if readable else {}), (set(seen) if seen_ok else set()))
    if schema < 1:
        raise _Corrupt("unknown schema version")
    items, seen = document.get("items"), document.get("seen", [])
    if not isinstance(items, dict) or not isinstance(seen, list):
        raise _Corrupt("missing decisions")
    followed, context = document.get("followed", []), document.get("context", {})
    if not all(isinstance(s, str) for s in seen):
        raise _Corrupt("bad baseline")
    payload = {"items": items}
    if schema >= 2:
        payload.update(followed=followed, context=context)
    if document.get("checksum") != _checksum(payload, pl.Series(seen, dtype=pl.String)):
        raise _Corrupt("checksum mismatch")
    if not all(isinstance(k, str) and v in DECISIONS for k, v in items.items()):
        raise _Corrupt("unknown decision")
    if not (isinstance(followed, list) and all(isinstance(f, dict) and isinstance(f.get("id"), str)
                                               for f in followed)):
        raise _Corrupt("bad followed items")
    if not _valid_context(context):
        raise _Corrupt("bad member context")
    return State(schema, dict(items), set(seen), list(followed), dict(context))


class _Lock:
    """flock on a side file holding the PID. Advisory: it stops a second inventory, not other
    programs, and is unreliable on NFS."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def acquire(self, state_path: Path) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise StateError(str(self.path), f"cannot open lock: {describe_os_error(exc)}") from None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
                os.close(fd)
                holder = holder if holder.isdigit() else "unknown"
                raise StateError(str(state_path), f"locked by PID {holder} (another inventory is running)") from None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, 0)
        if fcntl is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
        self.fd = None


class DecisionStore:
    read_only: bool
    notice: str | None
    path: Path

    def __init__(self, path: Path, items: dict[str, str], seen: Iterable[str] | pl.Series, *, lock: _Lock,
                 read_only: bool = False, notice: str | None = None,
                 loaded_bytes: bytes | None = None, max_bytes: int = DEFAULT_LIMITS.max_state_bytes,
                 followed: list[dict[str, Any]] | None = None, context: dict[str, Any] | None = None) -> None:
        self.path = path
        self._followed = list(followed or [])
        self._context = dict(context or {})
        self.read_only = read_only
        self.notice = notice
        self.save_interval = SAVE_INTERVAL
        self.retry_interval = RETRY_INTERVAL
        # Why the last save failed (None once one succeeds), and who to tell when that changes
        # (called from the deciding thread or the save timer's).
        self.failure: StateError | None = None
        self.on_failure_changed: Callable[[StateError | None], None] | None = None
        self._items = items
        self._seen = id_series(seen)  # the ids of the export reviewed last (polars: see id_series)
        self._lock = lock
        self._loaded_bytes = loaded_bytes  # last good file, copied to .bak before the first save
        self._max_bytes = max_bytes
        self._undo: list[list[tuple[str, str | None, str | None]]] = []
        self._redo: list[list[tuple[str, str | None, str | None]]] = []
        self._dirty = False
        self._last_save = 0.0
        self._timer: threading.Timer | None = None
        self._mutex = threading.RLock()
        self._closed = False

    # ---- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, recover: bool = False,
             max_bytes: int = DEFAULT_LIMITS.max_state_bytes) -> "DecisionStore":
        path = Path(path) if path is not None else paths.state_file()
        private_dir(path.parent)
        lock = _Lock(paths.lock_file(path))
        lock.acquire(path)
        try:
            _remove_stray_temps(path.parent)
            return cls._load(path, recover=recover, lock=lock, max_bytes=max_bytes)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _load(cls, path: Path, *, recover: bool, lock: _Lock, max_bytes: int) -> "DecisionStore":
        backup = paths.backup_file(path)
        try:
            data = _read_bounded(path, max_bytes)
            if data is None:  # no state file
                restored = _read_valid(backup, max_bytes)
                if restored is None:
                    return cls(path, {}, set(), lock=lock, max_bytes=max_bytes)
                # A missing file next to a good backup means it was lost or moved aside: restore.
                return cls(path, restored.items, restored.seen, lock=lock, max_bytes=max_bytes,
                           followed=restored.followed, context=restored.context,
                           notice=f"{path} was missing; decisions restored from {backup}")
            if len(data) > max_bytes:
                raise _Corrupt(f"larger than max_state_bytes ({max_bytes})")
            state = decode_state(data)
        except _Corrupt as exc:
            moved = _move_aside(path)
            if not recover:
                raise StateError(str(path), f"corrupt ({exc}); moved to {moved}; "
                                 f"run again with --recover to start from {backup} or empty") from None
            restored = _read_valid(backup, max_bytes)
            if restored is None:
                return cls(path, {}, set(), lock=lock, max_bytes=max_bytes,
                           notice=f"{path} was corrupt and moved to {moved}; no usable backup, starting empty")
            return cls(path, restored.items, restored.seen, lock=lock, max_bytes=max_bytes,
                       followed=restored.followed, context=restored.context,
                       notice=f"{path} was corrupt and moved to {moved}; decisions restored from {backup}")
        if state.schema > SCHEMA:
            return cls(path, state.items, state.seen, lock=lock, read_only=True, max_bytes=max_bytes,
                       notice=f"{path} was written by a newer inventory (schema {state.schema}); "
                              "opened read-only, changes will not be saved")
        return cls(path, state.items, state.seen, lock=lock, loaded_bytes=data, max_bytes=max_bytes,
                   followed=state.followed, context=state.context)

    @classmethod
    def read_decisions(cls, path: Path | None = None, *,
                       max_bytes: int = DEFAULT_LIMITS.max_state_bytes) -> dict[str, str]:
        """The saved decisions, read without locking or writing anything (for `checklist` while
        the UI may be running). Missing file: the backup's decisions, or none. A corrupt file
        raises StateError; it is moved aside as open() does, unless another inventory holds the
        lock (then it is left in place)."""
        return cls.read_state(path, max_bytes=max_bytes).items

    @classmethod
    def read_state(cls, path: Path | None = None, *,
                   max_bytes: int = DEFAULT_LIMITS.max_state_bytes) -> State:
        """The whole saved state (decisions, baseline, followed items, member context), read as
        `read_decisions` reads it."""
        path = Path(path) if path is not None else paths.state_file()
        try:
            data = _read_bounded(path, max_bytes)
            if data is None:
                return _read_valid(paths.backup_file(path), max_bytes) or State(SCHEMA, {}, set())
            if len(data) > max_bytes:
                raise _Corrupt(f"larger than max_state_bytes ({max_bytes})")
            return decode_state(data)
        except _Corrupt as exc:
            raise StateError(str(path), f"corrupt ({exc}); {_set_aside_unless_in_use(path)}") from None

    # ---- reading -------------------------------------------------------------------------
    def get(self, item_id: str) -> str | None:
        return self._items.get(item_id)

    def all(self) -> dict[str, str]:
        return dict(self._items)

    def seen(self) -> pl.Series:
        """The ids of the exports reviewed so far (id_series)."""
        return self._seen

    def context(self) -> dict[str, Any]:
        """The member context last set in the UI (keys of CONTEXT_KEYS; absent: not set)."""
        return dict(self._context)

    def followed(self) -> list[dict[str, Any]]:
        return list(self._followed)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # ---- changing ------------------------------------------------------------------------
    def decide(self, item_ids: Iterable[str], action: str | None) -> int:
        """Set (or clear, with None) the decision for every id; one undo step per call. Returns
        how many changed. If saving fails the change stays in memory, `failure` says why and the
        save is retried every retry_interval, and by the next change or close."""
        if action is not None and action not in DECISIONS:
            raise ValueError(f"unknown decision {action!r}")
        with self._mutex:
            step = []
            for item_id in dict.fromkeys(item_ids):
                old = self._items.get(item_id)
                if old != action:
                    step.append((item_id, old, action))
            if not step:
                return 0
            self._apply(step, forward=True)
            self._undo.append(step)
            self._redo.clear()
            self._changed()
            return len(step)

    def undo(self) -> bool:
        return self._replay(self._undo, self._redo, forward=False)

    def redo(self) -> bool:
        return self._replay(self._redo, self._undo, forward=True)

    def _replay(self, source: list, target: list, *, forward: bool) -> bool:
        """Move one step from the undo stack to the redo stack (or back), applying it."""
        with self._mutex:
            if not source:
                return False
            step = source.pop()
            self._apply(step, forward=forward)
            target.append(step)
            self._changed()
            return True

    def record_review(self, item_ids: Iterable[str] | pl.Series, followed: list[dict[str, Any]] | None) -> None:
        """Add `item_ids` to the reviewed ids and, unless None, remember the items the checklist
        follows now (the checklist JSON's planned items): one change, so one save of the file
        (which holds every reviewed id), not one each."""
        more = id_series(item_ids)
        with self._mutex:
            before = self._seen.len()
            self._seen = _union(self._seen, more)
            changed = self._seen.len() != before
            if followed is not None and followed != self._followed:
                self._followed = list(followed)
                changed = True
            if changed:
                self._changed()

    def set_context(self, context: dict[str, Any]) -> None:
        """Remember the member context (region, opted_out_on as an ISO date, minor)."""
        context = {k: v for k, v in context.items() if k in CONTEXT_KEYS}
        if not _valid_context(context):
            raise ValueError("member context values are strings, booleans or None")
        with self._mutex:
            if context != self._context:
                self._context = context
                self._changed()

    def _apply(self, step: list[tuple[str, str | None, str | None]], *, forward: bool) -> None:
        for item_id, old, new in step:
            value = new if forward else old
            if value is None:
                self._items.pop(item_id, None)
            else:
                self._items[item_id] = value

    # ---- saving --------------------------------------------------------------------------
    def _changed(self) -> None:
        """Save now if the last save is older than save_interval, else once the interval ends."""
        self._dirty = True
        if self.read_only or self._closed:
            return
        wait = self._last_save + self.save_interval - time.monotonic()
        if wait <= 0:
            with contextlib.suppress(StateError):  # recorded in `failure`, retried
                self.save()
        else:
            self._save_in(wait)

    def _save_in(self, seconds: float) -> None:
        if self._timer is None:
            self._timer = threading.Timer(seconds, self._save_later)
            self._timer.daemon = True
            self._timer.start()

    def _save_later(self) -> None:
        with self._mutex:
            self._timer = None
            if self._dirty and not self._closed:
                with contextlib.suppress(StateError):  # recorded in `failure`, retried
                    self.save()

    @property
    def unsaved(self) -> bool:
        """Changes that no save has written yet (a save failed, or one is pending)."""
        return self._dirty and not self.read_only

    def save(self) -> None:
        """Write the decisions now (no-op when read-only). Raises StateError (exit 3) if the disk
        refuses; the previous file is then intact, the decisions stay in memory and a retry is
        scheduled."""
        with self._mutex:
            if self.read_only:
                return
            try:
                data = encode_state(self._items, self._seen, self._followed, self._context)
                if len(data) > self._max_bytes:
                    raise StateError(str(self.path), f"decisions exceed max_state_bytes ({self._max_bytes})")
                try:
                    if self._loaded_bytes is not None:  # once per session: keep the last good file
                        atomic_write(paths.backup_file(self.path), self._loaded_bytes)
                        self._loaded_bytes = None
                    atomic_write(self.path, data)
                except StateError:
                    raise
                except Exception as exc:  # EnvironmentProblem from atomic_write
                    reason = getattr(exc, "reason", "cannot write")
                    raise StateError(str(self.path), reason) from None
            except StateError as error:
                if not self._closed:
                    self._save_in(self.retry_interval)
                self._set_failure(error)
                raise
            self._dirty = False
            self._last_save = time.monotonic()
            self._set_failure(None)

    def _set_failure(self, error: StateError | None) -> None:
        was = self.failure
        self.failure = error
        if (was is None) != (error is None) and self.on_failure_changed is not None:
            self.on_failure_changed(error)

    def close(self) -> None:
        with self._mutex:
            if self._closed:
                return
            try:
                if self._dirty and not self.read_only:
                    self.save()
            finally:
                self._closed = True
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
                self._lock.release()

    def __enter__(self) -> "DecisionStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _read_bounded(path: Path, max_bytes: int) -> bytes | None:
    """The file's bytes (at most max_bytes + 1, enough to tell it is too big); None if absent;
    _Corrupt (moved aside) if a FIFO stands in its place (it would block forever). A device or
    socket is refused and left where it is: it is not ours to move (as root, /dev/null moved
    aside breaks the system); so is a symbolic link to nothing (saving would replace the link)."""
    try:
        return read_regular(path, max_bytes)
    except FileNotFoundError:
        return None
    except NotRegularFile as exc:
        if exc.kind != "a named pipe":
            raise StateError(str(path), f"{exc.strerror}; left in place") from None
        raise _Corrupt(f"{exc.kind}, not a regular file") from None
    except OSError as exc:
        raise StateError(str(path), f"cannot read: {describe_os_error(exc)}") from None


def _read_valid(path: Path, max_bytes: int) -> State | None:
    try:
        data = _read_bounded(path, max_bytes)
        if data is None or len(data) > max_bytes:
            return None
        decoded = decode_state(data)
    except (StateError, _Corrupt):
        return None
    return decoded if decoded[0] <= SCHEMA else None


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while os.path.lexists(target):  # never overwrite an earlier corrupt copy
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        os.rename(path, target)
    except OSError as exc:
        raise StateError(str(path), f"corrupt, and cannot be moved aside: {describe_os_error(exc)}") from None
    return target


def _set_aside_unless_in_use(path: Path) -> str:
    """Move a corrupt file aside for a command that does not hold the lock, taking it for the
    move; what happened, as the end of the error message."""
    lock = _Lock(paths.lock_file(path))
    try:
        lock.acquire(path)
    except StateError:
        return "left in place while another inventory uses it"
    try:
        moved = _move_aside(path)
    finally:
        lock.release()
    return f"moved to {moved}; open `inventory --recover` to start from {paths.backup_file(path)} or empty"


def _remove_stray_temps(folder: Path) -> None:
    """Temporary files left by a save that was killed before its rename (we hold the lock, so
    no save of ours is running)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
