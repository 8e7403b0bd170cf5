"""A Dask scheduler and workers on this machine's loopback, as separate processes: what the batch's tests and
its benchmark run a cluster on (and a way to try ``batch --cluster`` without a second machine). Needs the
cluster extra."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START_S = 60.0  # the longest the scheduler and its workers get to come up
# the longest each process gets to stop after SIGTERM before it is killed: one of two workers told at once
# often waits out its full timeout (measured 30 s) for the other, while the one that stops takes 0.2-0.3 s; a
# loopback cluster keeps nothing worth waiting for (5 s here cost each cluster test 5 s of its teardown)
STOP_S = 1.0


@dataclass(frozen=True)
class LoopbackCluster:
    address: str  # tcp://127.0.0.1:PORT, for ``batch --cluster``
    scheduler: subprocess.Popen[bytes]
    workers: list[subprocess.Popen[bytes]]  # one process per worker, no nanny: killing one loses that worker


@contextlib.contextmanager
def loopback_cluster(folder: Path, workers: int = 2, env: dict[str, str] | None = None) -> Iterator[LoopbackCluster]:
    """Start a scheduler and ``workers`` one-thread workers (their files in ``folder``; ``env`` added to their
    environment, such as an object store's endpoint), wait until every worker has joined, and stop them all by
    their pids on the way out."""
    import distributed

    folder.mkdir(parents=True, exist_ok=True)
    scheduler_file = folder / "scheduler.json"
    scheduler = _start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file))  # fmt: skip
    started: list[subprocess.Popen[bytes]] = []
    try:
        deadline = time.monotonic() + START_S
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            if time.monotonic() > deadline or scheduler.poll() is not None:
                raise RuntimeError("the Dask scheduler did not start")
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        for k in range(workers):
            started.append(_start("distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny", "--host",
                                  "127.0.0.1", "--no-dashboard", "--name", f"w{k}", "--local-directory",
                                  str(folder / f"w{k}"), env=env))  # fmt: skip
        connect: Any = distributed.Client  # untyped: used through Any
        client = connect(address, timeout="30s")
        try:
            client.wait_for_workers(workers, timeout=START_S)
        finally:
            client.close()
        yield LoopbackCluster(address, scheduler, started)
    finally:
        _stop([*reversed(started), scheduler])


def _start(module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    # a job may start processes of its own (not a daemon)
    full = {**os.environ, **(env or {}), "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    return subprocess.Popen([sys.executable, "-m", module, *args], env=full, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(STOP_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
