"""``microcred worker``: who this process is, which workers are alive, and taking over the
tasks of a worker that died.

django-tasks-db claims a task in one transaction (PostgreSQL: ``SELECT ... FOR UPDATE SKIP
LOCKED``; SQLite: an EXCLUSIVE transaction) and marks it RUNNING under the worker's id, so
no two workers ever run the same task. What it does not do is notice that the worker died
(SIGKILL, out of memory, a lost machine): the task would stay RUNNING for ever. So every
worker holds a lock named after its id for as long as it lives, a lock the operating system
or the database releases when the process dies:

- PostgreSQL: a session advisory lock on a connection of its own (released when the
  connection closes, which a killed process's does at once; a lost machine's when TCP
  keepalive gives up);
- SQLite (one machine): ``flock`` on ``<database>.workers/<id>.lock``.

At start, and every ``recover_every`` seconds, a worker looks at the RUNNING tasks: a task
whose worker's lock can be taken has no live worker and is queued again, and the bulk rows
that worker held are freed. Every task is safe to run again (bulk jobs resume, pathway
re-evaluation and refreshes are idempotent; an email job skips what was sent, and the one
email being sent at the kill is left to ``send_claim_emails`` once its lease ends). A worker refuses to start under the id of a live one.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
import threading
import time
from pathlib import Path
from typing import IO, Any

_identity: str | None = None


def identity() -> str:
    """This process's worker id (``microcred worker`` sets it; otherwise host:pid)."""
    return _identity or f"{socket.gethostname()[:40]}:{os.getpid()}"


class WorkerIdInUse(Exception):
    """Another live worker holds this id."""


def _key(worker_id: str) -> int:
    digest = hashlib.sha256(f"microcred.worker:{worker_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Liveness:
    """The lock that says "worker <id> is alive", for one database."""

    def __init__(self) -> None:
        from django.db import connections

        self.wrapper = connections["default"]
        self.postgres = self.wrapper.vendor == "postgresql"
        self.held: Any = None  # our lock: a connection (PostgreSQL) or an open file (SQLite)
        self.guard = threading.Lock()  # the lock connection is shared with the recovery thread

    def acquire(self, worker_id: str) -> None:
        """Hold ``worker_id``'s lock, retrying briefly (a peer may be probing it)."""
        for attempt in range(5):
            try:
                return self._acquire(worker_id)
            except WorkerIdInUse:
                if attempt == 4:
                    raise
                time.sleep(0.2)

    def _acquire(self, worker_id: str) -> None:
        if self.postgres:
            connection = self.wrapper.get_new_connection(self.wrapper.get_connection_params())
            connection.autocommit = True
            if not self._pg_try(connection, worker_id):
                connection.close()
                raise WorkerIdInUse(worker_id)
            self.held = connection
        else:
            handle = self._file(worker_id)
            if not self._flock(handle):
                handle.close()
                raise WorkerIdInUse(worker_id)
            self.held = handle

    def is_alive(self, worker_id: str) -> bool:
        """Whether a live process holds ``worker_id`` (probing takes and drops its lock)."""
        if worker_id == identity():
            return True
        if self.postgres:
            with self.guard:
                if not self._pg_try(self.held, worker_id):
                    return True
                with self.held.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(worker_id)])
                return False
        with self._file(worker_id) as handle:
            return not self._flock(handle)  # closing the file drops a lock we took

    @staticmethod
    def _pg_try(connection: Any, worker_id: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(worker_id)])
            return bool(cursor.fetchone()[0])

    def _file(self, worker_id: str) -> IO[bytes]:
        folder = Path(f"{self.wrapper.settings_dict['NAME']}.workers")
        folder.mkdir(exist_ok=True)
        name = hashlib.sha256(worker_id.encode()).hexdigest()[:32]
        return open(folder / f"{name}.lock", "ab")  # held while the process lives

    @staticmethod
    def _flock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def recover(liveness: Liveness, *, at_start: bool = False) -> list[str]:
    """Queue again the RUNNING tasks of dead workers and free their bulk rows; returns the
    dead workers' ids. At start, the tasks held under this worker's own id are a previous
    life's (a live process with the id would hold its lock) and are queued again too."""
    from django_tasks_db.models import DBTaskResult

    from microcred.bulk.running import release_claims

    running = DBTaskResult.objects.filter(status="RUNNING")
    dead: set[str] = set()
    for pk, worker_ids in running.values_list("pk", "worker_ids"):
        owner = worker_ids[-1] if worker_ids else ""
        mine = owner == identity()
        orphan = at_start if mine else owner in dead or not liveness.is_alive(owner)
        if orphan:
            dead.add(owner)
            # Conditional: of two workers recovering at once, one queues it again.
            running.filter(pk=pk).update(status="READY", started_at=None)
    if at_start:
        dead.add(identity())
    release_claims(dead)
    return sorted(dead)


def _watch(liveness: Liveness, every: float, stop: threading.Event) -> None:
    from django.db import close_old_connections, connection

    while not stop.wait(every):
        try:
            recover(liveness)
        except Exception:  # a failed pass is retried at the next one
            logging.getLogger(__name__).exception("recovering dead workers' tasks failed")
        finally:
            close_old_connections()
            connection.close()


def run(worker_id: str | None, *, interval: float, recover_every: float) -> None:
    """Take the id's lock, recover dead workers' tasks, then run tasks until stopped."""
    global _identity
    from django.core.management import call_command

    _identity = (worker_id or identity())[:64]
    liveness = Liveness()
    liveness.acquire(_identity)
    recover(liveness, at_start=True)
    stop = threading.Event()
    if recover_every > 0:
        watcher = threading.Thread(target=_watch, args=(liveness, recover_every, stop), daemon=True)
        watcher.start()
    try:
        call_command(
            "db_worker", worker_id=_identity, interval=interval, reload=False, startup_delay=False
        )
    finally:
        stop.set()
