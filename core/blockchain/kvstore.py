"""A SQLite key-value store that py-evm can use as its chain database.

py-evm keeps every header, block, receipt and state-trie node in a flat bytes -> bytes store;
give it one that writes to disk and the chain survives a restart with identical hashes
(replaying a transaction log would not: timestamps and `prevrandao` differ on every run).

The class is duck-typed against py-evm's `AtomicDatabaseAPI` instead of inheriting from it, so
this module imports only the standard library: importing `eth` costs over half a second.

Writes are grouped: `transaction()` opens one SQLite transaction that py-evm's own atomic
batches join, so one quest action (apply transactions, mine, persist the block) is committed
with one fsync, and a failure part-way rolls the whole action back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path

_DELETED = None  # marks a key deleted inside a write batch


class SQLiteKV(MutableMapping[bytes, bytes]):
    """Persistent bytes -> bytes map shaped like py-evm's `AtomicDB`.

    Not thread-safe on its own: the owning chain serialises every call under its lock.
    """

    def __init__(self, path: Path | None) -> None:
        """`None` keeps the database in memory: same code path, nothing written to disk."""
        self.path = path
        # The chain's lock serialises access, but callers come from Streamlit's many threads.
        self._conn = sqlite3.connect(
            ":memory:" if path is None else path, isolation_level=None, check_same_thread=False
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS kv"
            " (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID"
        )
        self._depth = 0

    # -- mapping protocol py-evm relies on

    def __getitem__(self, key: bytes) -> bytes:
        row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self._conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: bytes) -> None:
        cur = self._conn.execute("DELETE FROM kv WHERE key = ?", (key,))
        if cur.rowcount == 0:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        row = self._conn.execute("SELECT 1 FROM kv WHERE key = ?", (key,)).fetchone()
        return row is not None

    def __iter__(self) -> Iterator[bytes]:
        return (bytes(r[0]) for r in self._conn.execute("SELECT key FROM kv").fetchall())

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM kv").fetchone()[0])

    # py-evm's DatabaseAPI names for the same operations
    def set(self, key: bytes, value: bytes) -> None:
        self[key] = value

    def exists(self, key: bytes) -> bool:
        return key in self

    def delete(self, key: bytes) -> None:
        self._conn.execute("DELETE FROM kv WHERE key = ?", (key,))

    # -- transactions

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One SQLite write transaction; nested calls join the outermost one.

        BEGIN IMMEDIATE takes the write lock up front, so another process writing the same
        chain waits instead of failing half-way.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self._conn.execute("COMMIT")

    @contextmanager
    def atomic_batch(self) -> Iterator[WriteBatch]:
        """py-evm's all-or-nothing batch: buffered in memory, written in one transaction."""
        batch = WriteBatch(self)
        try:
            yield batch
        except BaseException:
            batch.close()
            raise
        pending = batch.close()
        if not pending:
            return
        sets = [(k, v) for k, v in pending.items() if v is not _DELETED]
        deletes = [(k,) for k, v in pending.items() if v is _DELETED]
        with self.transaction():
            if sets:
                self._conn.executemany("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", sets)
            if deletes:
                self._conn.executemany("DELETE FROM kv WHERE key = ?", deletes)

    def close(self) -> None:
        self._conn.close()

    def __repr__(self) -> str:
        return f"SQLiteKV({self.path!r})"


class WriteBatch(MutableMapping[bytes, bytes]):
    """Writes seen by the batch's reader at once, by the database only when the batch ends."""

    def __init__(self, db: SQLiteKV) -> None:
        self._db = db
        self._pending: dict[bytes, bytes | None] | None = {}

    def _live(self) -> dict[bytes, bytes | None]:
        if self._pending is None:
            raise RuntimeError("write batch used outside its context")
        return self._pending

    def __getitem__(self, key: bytes) -> bytes:
        pending = self._live()
        if key in pending:
            value = pending[key]
            if value is None:
                raise KeyError(key)
            return value
        return self._db[key]

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self._live()[key] = value

    def __delitem__(self, key: bytes) -> None:
        if key not in self:
            raise KeyError(key)
        self._live()[key] = _DELETED

    def __contains__(self, key: object) -> bool:
        pending = self._live()
        if key in pending:
            return pending[key] is not None
        return key in self._db

    def __iter__(self) -> Iterator[bytes]:
        raise NotImplementedError("a write batch cannot be iterated")

    def __len__(self) -> int:
        raise NotImplementedError("a write batch has no length")

    def set(self, key: bytes, value: bytes) -> None:
        self[key] = value

    def exists(self, key: bytes) -> bool:
        return key in self

    def delete(self, key: bytes) -> None:
        if key in self:
            del self[key]

    def close(self) -> dict[bytes, bytes | None]:
        pending = self._live()
        self._pending = None
        return pending
