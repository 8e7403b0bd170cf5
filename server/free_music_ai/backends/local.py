"""The local backend: the embedded engine behind the async Backend interface.

Work runs in threads (the engine is numpy, PyAV and ffmpeg, which release the GIL). An export keeps
running after the caller stops waiting. An export job is what was asked (the draft version, the canvas, the
output and the videos): asking the same again returns that job, running or done, in this process or in another
one on the same data folder (the store claims it in one transaction); a different request is a new job, rendered
after the session's earlier ones, in order. A job's files are the ones its record names, checked to be still the
ones it wrote (render_files.py).
"""

from __future__ import annotations

import contextlib
import functools
import queue
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

from free_music_ai.backends.base import Event, InlineFile
from free_music_ai.backends.local_engine import LocalEngine, asset_info
from free_music_ai.backends.models import Credits, ExportState, ExportStatus, MusicDetails, SessionState, UploadResult
from free_music_ai.config import Settings
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.engine.process_owner import owner_is_gone
from free_music_ai.errors import InputError, what_failed
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.service.render_files import LICENCE, MIDI, STEM, VIDEO, files_of, reusable
from free_music_ai.words.request_fields import MessageOptions

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead
    from free_music_ai.service.url_fetch import Downloader


SHARED_PROGRESS_S = 1.0  # how often a job's progress is written to the store, for other processes to follow
RENDERING_ELSEWHERE = "Rendering in another program that uses this data folder"


class LocalBackend:
    name = "local"

    def __init__(self, settings: Settings, read_ahead: ReadAhead | None = None) -> None:
        self.settings = settings
        self.engine = LocalEngine(settings, settings.data_dir, read_ahead)
        self._exports: set[str] = set()  # the jobs this process runs or has queued
        # each running job's progress, in memory: (fraction, stage); the store keeps only outcomes
        self._progress: dict[str, tuple[float, str]] = {}
        self._render_queues: dict[str, _RenderQueue] = {}
        self._lock = threading.Lock()
        self._downloads: Downloader | None = None
        self._download_folder = settings.data_dir / "downloads"

    @property
    def downloads(self) -> Downloader:
        """The link downloader, made when a link first comes: its HTTP and TLS stack takes ~50 ms to import,
        which a render of local files (most of them) never needs."""
        with self._lock:
            if self._downloads is None:
                from free_music_ai.service.url_fetch import Downloader

                self._downloads = Downloader(self.settings.max_input_bytes, allow_local=self.settings.allow_local_urls)
            return self._downloads

    async def aclose(self) -> None:
        self.engine.close()

    async def create_session(self) -> str:
        return await anyio.to_thread.run_sync(self.engine.store.create_session)

    async def upload(
        self,
        session_id: str | None,
        paths: list[Path],
        *,
        urls: list[str],
        files: list[InlineFile],
        analyze: bool = True,
    ) -> UploadResult:
        """``analyze``: watch the videos at once for the music they will get (not for a render without music).
        Links are downloaded first (url_fetch.py); a failed upload keeps none of them."""
        inline = [(f.name, f.data_base64) for f in files]
        downloaded: list[Path] = []
        try:
            for url in urls:
                downloaded.append(await anyio.to_thread.run_sync(self.downloads.fetch, url, self._download_folder))
            upload = functools.partial(self.engine.upload, inline=inline, analyze=analyze)
            sid, assets = await anyio.to_thread.run_sync(upload, session_id, [*paths, *downloaded])
        except BaseException:
            for path in downloaded:
                path.unlink(missing_ok=True)
            raise
        return UploadResult(session_id=sid, backend=self.name, assets=[asset_info(a) for a in assets])

    async def send_message(
        self, session_id: str, text: str, options: MessageOptions | None = None
    ) -> AsyncIterator[Event]:
        send, receive = anyio.create_memory_object_stream[Event](100)
        token = anyio.lowlevel.current_token()

        def progress(fraction: float, message: str) -> None:
            anyio.from_thread.run_sync(send.send_nowait, Event("progress", message, fraction), token=token)

        async def work() -> None:
            async with send:
                reply = await anyio.to_thread.run_sync(
                    functools.partial(self.engine.message, session_id, text, on_progress=progress, options=options)
                )
                await send.send(
                    Event(
                        "text",
                        reply.text,
                        None,
                        {
                            "summary": reply.summary,
                            "explanation": reply.explanation,
                            "music": reply.music,
                            "changed": reply.changed,
                        },
                    )
                )
                await send.send(Event("done"))

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(work)
                async with receive:
                    async for event in receive:
                        yield event
        except BaseExceptionGroup as group_error:
            # the work's own error as itself, so whoever sent the message can catch it as the error it is
            raise what_failed(group_error) from None

    async def state(self, session_id: str) -> SessionState:
        return await anyio.to_thread.run_sync(self.engine.state, session_id)

    async def credits(self) -> Credits:
        return self.engine.credits()

    async def export_start(self, session_id: str, output: Path | None, aspect: Aspect | None, *,
                           extras: ExportExtras | None = None) -> str:  # fmt: skip
        """The job for this request: the one already running or done for the same request (same draft
        version, canvas, output, videos and extras), else a new one, which waits for the session's running
        render."""
        extras = extras or ExportExtras()
        asked = functools.partial(self.engine.export_request, session_id, output, aspect, extras=extras)
        request, version = await anyio.to_thread.run_sync(asked)
        return await anyio.to_thread.run_sync(self._claim, session_id, request, version, output, aspect, extras)

    def _claim(self, session_id: str, request: str, version: int, output: Path | None, aspect: Aspect | None,
               extras: ExportExtras) -> str:  # fmt: skip
        """The same request running (here or in another process) or done with its files intact is that job;
        else a new one, claimed in the store before any work starts, and queued here."""
        store = self.engine.store
        with self._lock:
            job, ours = store.claim_render(session_id, request, version=version, reusable=reusable)
            if not ours:
                return job
            self._progress[job] = (0.0, "Waiting for the render before it")
            shared = [0.0]  # when the progress was last written to the store, for another process to show

            def progress(fraction: float, message: str) -> None:
                self._progress[job] = (fraction, message)
                if time.monotonic() - shared[0] >= SHARED_PROGRESS_S:
                    shared[0] = time.monotonic()
                    with contextlib.suppress(sqlite3.Error):  # a help for others, never a reason to fail
                        store.update_render(job, progress=fraction)

            def run() -> None:
                # a failure is kept in the store (status and message) for whoever asks about the job
                try:
                    with contextlib.suppress(BaseException):
                        self.engine.export(session_id, output, aspect, on_progress=progress, render_id=job,
                                           version=version, extras=extras)  # fmt: skip
                finally:
                    self._progress.pop(job, None)

            self._exports.add(job)
            self._render_queues.setdefault(session_id, _RenderQueue()).submit(run)
        return job

    async def export_status(self, job_id: str) -> ExportStatus:
        """The job as its record says, its files only while they are the ones it wrote (a file deleted or
        replaced since is named in ``gone``, with what to do); a job another process runs is followed through
        the store, and failed when that process has ended."""
        store = self.engine.store
        row = store.render(job_id)
        if row is None:
            raise InputError(f"There is no export {job_id!r}. Start one with export.")
        if row.status == "running" and row.id not in self._exports and owner_is_gone(row.owner):
            store.fail_abandoned(row)
            row = store.render(job_id) or row
        elsewhere = row.status == "running" and row.id not in self._progress
        files, gone = files_of(row)
        stems = {kind.removeprefix(STEM): path for kind, path in files.items() if kind.startswith(STEM)}
        done = row.status == "done"
        details = row.details
        return ExportStatus(
            job_id=row.id,
            session_id=row.session_id,
            status=ExportState(row.status),
            output=files.get(VIDEO) if done else row.output,
            error=row.error,
            progress=self._progress.get(row.id, (row.progress, ""))[0],
            stage=RENDERING_ELSEWHERE if elsewhere else self._progress.get(row.id, (0.0, "Done" if done else ""))[1],
            files=files,
            gone=gone,
            license=files.get(LICENCE),
            midi=files.get(MIDI),
            stems=stems or None,
            duration_s=details.get("duration_s"),
            width=details.get("width"),
            height=details.get("height"),
            video_copied=details.get("video_copied"),
            video_reused=details.get("video_reused"),
            lufs=details.get("lufs"),
            true_peak_db=details.get("true_peak_db"),
            music=MusicDetails.of(details),
            fps=details.get("fps"),
            note=details.get("note"),
        )


class _RenderQueue:
    """One session's renders, one at a time in the order they were asked for. Its thread is a daemon that
    ends when the queue is empty: leaving the program never waits for it."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[Callable[[], None]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._jobs.put(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name="renders", daemon=True)
                self._thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    self._thread = None
                    return
            job()
