"""An export is claimed in the store before it starts, by process owner (issue 29): two processes on one data
folder (two MCP servers, or the web page and an MCP server) asked for the same export at once render it once, and
the second reports the first's job; a claim whose process has ended is taken over."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import anyio
import pytest

import free_music_ai
from free_music_ai.backends.base import InlineFile
from free_music_ai.backends.local import LocalBackend
from free_music_ai.config import load_settings
from free_music_ai.engine.process_owner import owner_of
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.service.store import INTERRUPTED
from tests.backends.exports import finished

# One process of the program, as an MCP server or the web page runs it: its own backend on the shared data folder,
# asked for the export as soon as the test says go; it prints the job it got and how it ended.
ONE_PROCESS = textwrap.dedent("""
    import asyncio, json, sys, time
    from pathlib import Path
    from free_music_ai.backends.local import LocalBackend
    from free_music_ai.config import load_settings

    session, out, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

    async def main() -> None:
        backend = LocalBackend(load_settings())
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.005)
        job = await backend.export_start(session, out, None)
        while (status := await backend.export_status(job)).running:
            await asyncio.sleep(0.05)
        print(json.dumps({"job": job, "status": status.status, "output": status.output,
                          "license": status.license, "error": status.error}), flush=True)
        await backend.aclose()

    asyncio.run(main())
""")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def session_with_music(data: Path, cache: Path, picture: Path) -> str:
    backend = LocalBackend(load_settings({"data_dir": data, "cache_dir": cache}))
    try:
        encoded = base64.b64encode(picture.read_bytes()).decode()
        uploaded = await backend.upload(None, [], urls=[], files=[InlineFile("beach.png", encoded)])
        async for _ in backend.send_message(uploaded.session_id, "calm piano music"):
            pass
        return str(uploaded.session_id)
    finally:
        await backend.aclose()


@pytest.mark.anyio
async def test_two_processes_asked_for_the_same_export_render_it_once(tmp_path: Path, image_png: Path) -> None:
    data, cache, out, go = tmp_path / "data", tmp_path / "cache", tmp_path / "out", tmp_path / "go"
    out.mkdir()
    session = await session_with_music(data, cache, image_png)
    env = {**os.environ, "FMAI_DATA_DIR": str(data), "FMAI_CACHE_DIR": str(cache),
           "PYTHONPATH": str(Path(free_music_ai.__file__).parents[1])}  # this checkout's code  # fmt: skip
    command = [sys.executable, "-c", ONE_PROCESS, session, str(out / "beach.mp4"), str(go)]
    processes = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]  # fmt: skip
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        go.touch()  # both ask at the same moment
        ended = [process.communicate(timeout=300) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    answers = [json.loads(stdout.strip().splitlines()[-1]) for stdout, _ in ended]
    assert all(answer["status"] == "done" for answer in answers), (answers, [err for _, err in ended])
    assert answers[0]["job"] == answers[1]["job"]  # the second reports the first's job
    assert answers[0]["output"] == answers[1]["output"] == str(out / "beach.mp4")
    assert sorted(p.name for p in out.iterdir()) == ["beach.license.json", "beach.mp4"]  # rendered once
    backend = LocalBackend(load_settings({"data_dir": data, "cache_dir": cache}))
    try:
        assert [r.status for r in backend.engine.store.renders(session)] == ["done"]
    finally:
        await backend.aclose()


@pytest.mark.anyio
async def test_a_claim_whose_process_has_ended_is_taken_over(tmp_path: Path, image_png: Path) -> None:
    data, cache, out = tmp_path / "data", tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    session = await session_with_music(data, cache, image_png)
    backend = LocalBackend(load_settings({"data_dir": data, "cache_dir": cache}))
    try:
        store = backend.engine.store
        request, version = backend.engine.export_request(session, out / "beach.mp4", None, extras=ExportExtras())
        # the same export claimed by a process that was killed while it rendered
        ended = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        dead = owner_of(ended.pid)
        ended.kill()
        ended.wait()
        abandoned = store.start_render(session, request, version)
        store._run("UPDATE renders SET owner=? WHERE id=?", dead, abandoned)
        # one that waited for it hears that it ended
        waited = await backend.export_status(abandoned)
        assert waited.status == "failed" and waited.error == INTERRUPTED
        # asked again, the export is claimed anew and made
        store._run("UPDATE renders SET status='running', error=NULL WHERE id=?", abandoned)
        job = await backend.export_start(session, out / "beach.mp4", None)
        assert job != abandoned
        with anyio.fail_after(180):
            done = await finished(backend, job, 180)
        assert done.status == "done" and Path(done.output) == out / "beach.mp4"
        assert store.render(abandoned).status == "failed"  # type: ignore[union-attr]
        # and a claim another live process holds is that process's: never taken, only reported
        alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        try:
            live = owner_of(alive.pid)

            def claim() -> tuple[str, bool]:
                return store.claim_render(session, "another request", version=version, reusable=lambda row: False)

            claimed = claim()
            store._run("UPDATE renders SET owner=? WHERE id=?", live, claimed[0])
            assert claim() == (claimed[0], False)
            assert (await backend.export_status(claimed[0])).status == "running"
        finally:
            alive.kill()
            alive.wait()
        assert claim()[1]  # now it is free
    finally:
        await backend.aclose()


@pytest.mark.anyio
async def test_the_same_export_is_made_again_once_its_file_is_not_its_own(tmp_path: Path, image_png: Path) -> None:
    data, cache, out = tmp_path / "data", tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    session = await session_with_music(data, cache, image_png)
    backend = LocalBackend(load_settings({"data_dir": data, "cache_dir": cache}))
    try:
        with anyio.fail_after(300):
            first = await backend.export_start(session, out / "beach.mp4", None)
            assert (await finished(backend, first, 150)).status == "done"
            assert await backend.export_start(session, out / "beach.mp4", None) == first  # done, its files there
            (out / "beach.mp4").unlink()
            (out / "beach.mp4").write_bytes(b"another program's file under the same name")
            status = await backend.export_status(first)
            assert status.output is None and "gone" in status.gone["video"]  # never the other file
            listed = {render.id: render for render in (await backend.state(session)).renders}
            assert listed[first].output is None and "gone" in listed[first].gone[0]  # the state says so too
            again = await backend.export_start(session, out / "beach.mp4", None)
            assert again != first
            done = await finished(backend, again, 150)
        assert done.output == str(out / "beach-1.mp4") and done.license == str(out / "beach-1.license.json")
        assert (out / "beach.mp4").read_bytes() == b"another program's file under the same name"
    finally:
        await backend.aclose()


@pytest.mark.anyio
async def test_a_folder_and_the_file_it_means_are_the_same_export(tmp_path: Path, image_png: Path) -> None:
    """The page asks for its output folder, a host for the file in it, a script through a link to the folder:
    the same export, made once."""
    data, cache, out = tmp_path / "data", tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    (tmp_path / "link").symlink_to(out)
    session = await session_with_music(data, cache, image_png)
    backend = LocalBackend(load_settings({"data_dir": data, "cache_dir": cache}))
    try:
        with anyio.fail_after(150):
            job = await backend.export_start(session, out, None)
            assert await backend.export_start(session, out / "beach-music.mp4", None) == job
            assert await backend.export_start(session, tmp_path / "link" / "beach-music", None) == job
            done = await finished(backend, job, 150)
        assert done.output == str(out / "beach-music.mp4")
        assert await backend.export_start(session, tmp_path / "link", None) == job  # done, its files there
        assert sorted(p.name for p in out.iterdir()) == ["beach-music.license.json", "beach-music.mp4"]
    finally:
        await backend.aclose()


def test_a_program_starting_while_another_sets_up_the_store_waits_for_it(tmp_path: Path) -> None:
    """Two programs started at once on a new data folder: setting the journal mode does not wait on the busy
    timeout, so the second one failed at once with "database is locked"."""
    import sqlite3
    import threading

    from free_music_ai.service.store import SessionStore

    path = tmp_path / "sessions.sqlite3"
    first = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    first.execute("CREATE TABLE setting_up (a)")
    first.execute("BEGIN IMMEDIATE")  # the other program, writing while this one starts
    first.execute("INSERT INTO setting_up VALUES (1)")
    done = threading.Timer(0.3, lambda: first.execute("COMMIT"))
    done.start()
    try:
        store = SessionStore(path)
        assert store.sessions() == [] and store.create_session()
        store.close()
    finally:
        done.join()
        first.close()
