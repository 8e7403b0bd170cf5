"""The batch over object storage, on an S3 server on loopback: four clips from s3://media/clips/ to s3://media/...
on the pool and on a Dask cluster make the very bytes the local-folder batch makes; no final key ever holds a
partial object (the bucket is versioned: every write stays listed); a worker killed mid-batch costs nothing; a
rerun writes nothing, even from a machine without the ledger; failures are said in words, without credentials."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from free_music_ai.batch.loopback_s3 import ACCESS_KEY, SECRET_KEY, LoopbackS3, loopback_s3
from tests.batch.test_batch import clips

pytest.importorskip("s3fs", reason="the cluster extra (s3fs) is not installed")
pytest.importorskip("moto.server", reason="the dev extra (moto[server]) is not installed")

BUCKET = "media"
PROMPT = "calm piano"
COUNT = 4  # clips: two workers are still busy when the first is out (six took a third longer, to the same end)
MADE = [f"clip{k}-music.mp4" for k in range(COUNT)] + [f"clip{k}-music.license.json" for k in range(COUNT)]


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoopbackS3]:
    with loopback_s3(tmp_path_factory.mktemp("aws")) as server:
        server.make_bucket(BUCKET)
        yield server


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, s3: LoopbackS3) -> Path:
    """Four clips scored from a local folder into a local folder (what object storage must match), and the same
    clips put under s3://media/clips/ beside a file that is not media."""
    root = tmp_path_factory.mktemp("reference")
    inputs = clips(root / "in", COUNT)
    code, report, said = run(root, {}, str(inputs), "-p", PROMPT, "-o", str(root / "out"), "--workers", "2")
    assert code == 0 and len(report["outputs"]) == COUNT, said
    s3.upload(inputs, BUCKET, "clips/")
    s3.client.put_object(Bucket=BUCKET, Key="clips/notes.txt", Body=b"ignored: not media")
    return root / "out"


def run(home: Path, extra: dict[str, str], *args: str) -> tuple[int, dict[str, list[object]], str]:
    """The CLI's batch, unsigned (signing is not byte-deterministic; the bytes are compared), as its own process."""
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "batch", *args, "--no-credentials", "--json"],
                          env=environment(home, extra), capture_output=True, text=True, timeout=600)  # fmt: skip
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


def environment(home: Path, extra: dict[str, str]) -> dict[str, str]:
    return {**os.environ, "FMAI_DATA_DIR": str(home / "data"), "FMAI_CACHE_DIR": str(home / "cache"), **extra}


def videos(s3: LoopbackS3, prefix: str) -> list[str]:
    """The videos published under ``prefix`` (not the temporary uploads under .fmai-batch/)."""
    return [key for key in s3.objects(BUCKET, prefix) if key.endswith(".mp4") and "/.fmai-batch/" not in key]


def assert_same_as(reference: Path, s3: LoopbackS3, prefix: str) -> None:
    """The bucket's outputs are the local batch's, byte for byte (but the licence's "output": where each is);
    every write ever made under a final key was the whole object, and nothing temporary is left."""
    made = {key[len(prefix) :]: etag for key, etag in s3.objects(BUCKET, prefix).items() if "/.fmai-batch/" not in key}
    assert sorted(made) == sorted(MADE)
    for name in MADE:
        local = (reference / name).read_bytes()
        if name.endswith(".mp4"):
            assert s3.read(BUCKET, prefix + name) == local, name
        else:
            ours, theirs = json.loads(s3.read(BUCKET, prefix + name)), json.loads(local)
            assert {**ours, "output": ""} == {**theirs, "output": ""}, name
            video = name.replace(".license.json", ".mp4")  # each names its video where it is published
            assert ours["output"] == f"s3://{BUCKET}/{prefix}{video}"
            assert Path(theirs["output"]) == (reference / video).resolve()
    writes = [(key, etag) for key, _, etag in s3.history(BUCKET, prefix) if "/.fmai-batch/" not in key]
    assert {etag == made[key[len(prefix) :]] for key, etag in writes} == {True}, writes  # never a partial
    assert s3.objects(BUCKET, prefix + ".fmai-batch/uploading/") == {}  # temporaries moved, or swept


def test_s3_on_the_pool_killed_and_run_again_makes_the_local_bytes_and_a_rerun_writes_nothing(
    tmp_path: Path, s3: LoopbackS3, reference: Path
) -> None:
    """kill -9 of the batch once its first clip is out (its pool's workers die with it, wherever they are:
    rendering, uploading, between a video and its licence), then the same command: every clip once, under its
    own name, the local batch's bytes; run again, from here or from a machine without the ledger: no write."""
    args = [f"s3://{BUCKET}/clips/", "-p", PROMPT, "-o", f"s3://{BUCKET}/scored/", "--workers", "2"]
    running = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "batch", *args, "--no-credentials",
                                "--json"], env=environment(tmp_path, s3.env), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    while not videos(s3, "scored/"):  # the first clip is out
        assert running.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    running.kill()
    running.wait(timeout=10)
    first = videos(s3, "scored/")
    assert 1 <= len(first) < COUNT
    code, report, said = run(tmp_path, s3.env, *args)
    assert code == 0, said  # a clip cut short between its video and its licence is made again, under its name
    published = sorted(map(str, report["outputs"] + report["skipped"]))
    assert published == [f"s3://{BUCKET}/scored/{n}" for n in MADE[:COUNT]]
    assert_same_as(reference, s3, "scored/")
    markers = [s3.read(BUCKET, key) for key in s3.objects(BUCKET, "scored/.fmai-batch/")]
    ledger = (tmp_path / "data" / "batches.sqlite3").read_bytes()
    for kept in [*markers, ledger, said.encode()]:
        assert SECRET_KEY.encode() not in kept and ACCESS_KEY.encode() not in kept

    before = s3.history(BUCKET, "")
    code, again, said = run(tmp_path, s3.env, *args)
    assert code == 0 and again["outputs"] == [] and len(again["skipped"]) == COUNT, said
    # another machine (no ledger): the markers in the prefix say each clip is made
    code, third, said = run(tmp_path / "elsewhere", s3.env, *args)
    assert code == 0 and third["outputs"] == [] and len(third["skipped"]) == COUNT, said
    assert s3.history(BUCKET, "") == before  # not one object written, moved or deleted


@pytest.mark.cluster
def test_s3_on_a_dask_cluster_with_a_worker_killed_makes_the_local_bytes(
    tmp_path: Path, s3: LoopbackS3, reference: Path
) -> None:
    pytest.importorskip("distributed", reason="the cluster extra is not installed")
    from free_music_ai.batch.loopback_cluster import loopback_cluster

    with loopback_cluster(tmp_path / "cluster", env=s3.env) as cluster:  # the workers get the endpoint only
        running = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "batch", f"s3://{BUCKET}/clips/",
                                    "-p", PROMPT, "-o", f"s3://{BUCKET}/dask/", "--cluster", cluster.address,
                                    "--no-credentials", "--json"], env=environment(tmp_path, s3.env),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 300
        while not videos(s3, "dask/"):  # the first clip is out: the workers are busy
            assert running.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        cluster.workers[0].kill()  # one worker is killed outright, wherever it was (rendering, uploading)
        out, err = running.communicate(timeout=600)
    assert running.returncode == 0 and "Traceback" not in err, err
    assert sorted(Path(str(p)).name for p in json.loads(out)["outputs"]) == MADE[:COUNT]
    assert_same_as(reference, s3, "dask/")


def test_an_object_and_a_local_file_into_a_local_folder_make_the_local_bytes(
    tmp_path: Path, s3: LoopbackS3, reference: Path
) -> None:
    """One object named by its URL (taken as given) beside a file on disk, scored into a folder on disk."""
    local_clip = reference.parent / "in" / "clip1.mp4"
    code, report, said = run(tmp_path, s3.env, f"s3://{BUCKET}/clips/clip0.mp4", str(local_clip), "-p", PROMPT,
                             "-o", str(tmp_path / "out"))  # fmt: skip
    assert code == 0 and len(report["outputs"]) == 2, said
    for name in ("clip0-music.mp4", "clip1-music.mp4"):
        assert (tmp_path / "out" / name).read_bytes() == (reference / name).read_bytes(), name
    assert json.loads((tmp_path / "out" / "clip0-music.license.json").read_text())["output"] == str(
        (tmp_path / "out" / "clip0-music.mp4").resolve()
    )


def test_clips_in_a_prefix_are_known_by_their_bytes_as_in_a_folder(
    tmp_path: Path, s3: LoopbackS3, reference: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from free_music_ai.batch.object_store import list_media
    from free_music_ai.batch.runner import find_inputs

    video = (reference.parent / "in" / "clip0.mp4").read_bytes()
    picture = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + bytes(40)
    files = {
        "video": video,
        "poster.dat": picture,
        "broken.mp4": b"not a video: listed by its name, fails alone",
        "voice.mp4": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00",
        ".hidden.mp4": video,
        "notes.txt": b"text",
    }
    folder = tmp_path / "sniff"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
        s3.client.put_object(Bucket=BUCKET, Key=f"sniff/{name}", Body=data)
    for name, value in s3.env.items():
        monkeypatch.setenv(name, value)
    assert [o.name for o in list_media(f"s3://{BUCKET}/sniff/")] == ["broken.mp4", "poster.dat", "video"]
    assert [p.name for p in find_inputs([folder])] == ["broken.mp4", "poster.dat", "video"]


def test_storage_failures_are_said_in_words_before_any_clip_is_rendered(
    tmp_path: Path, s3: LoopbackS3, monkeypatch: pytest.MonkeyPatch
) -> None:
    import moto.settings

    s3.client.put_object(Bucket=BUCKET, Key="text-only/notes.txt", Body=b"not media")
    clips_url = f"s3://{BUCKET}/clips/"
    said_for = {
        "There is no bucket no-such-bucket": ("s3://no-such-bucket/clips/", f"s3://{BUCKET}/out/"),
        "There is no bucket no-out-bucket": (clips_url, "s3://no-out-bucket/scored/"),
        "No objects under s3://media/nothing-here/": (f"s3://{BUCKET}/nothing-here/", f"s3://{BUCKET}/out/"),
        "No videos or pictures among the 1 objects": (f"s3://{BUCKET}/text-only/", f"s3://{BUCKET}/out/"),
    }
    for words, (inputs, output) in said_for.items():
        code, _, said = run(tmp_path, s3.env, inputs, "-p", PROMPT, "-o", output)
        assert code != 0 and words in said, said
    verbose = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "-v", "batch", f"s3://{BUCKET}/nothing-here/",
                              "-p", PROMPT, "-o", f"s3://{BUCKET}/out/"], env=environment(tmp_path, s3.env),
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert "DEBUG" in verbose.stderr and "No objects under" in verbose.stderr  # -v logs, and the words
    assert ACCESS_KEY not in verbose.stderr and "Authorization" not in verbose.stderr  # not the signed requests
    closed = subprocess.run([sys.executable, "-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); "
                             "print(s.getsockname()[1])"], capture_output=True, text=True).stdout.strip()  # fmt: skip
    # one attempt (botocore's own setting): the words are the same after its retries, which took 4.5 of 5 s here
    unreachable = {**s3.env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed}", "AWS_MAX_ATTEMPTS": "1"}
    code, _, said = run(tmp_path, unreachable, clips_url, "-p", PROMPT, "-o", f"s3://{BUCKET}/out/")
    assert code != 0 and f"Cannot reach the object storage at http://127.0.0.1:{closed}" in said, said
    monkeypatch.setattr(moto.settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # the server now checks every key
    code, _, said = run(tmp_path, s3.env, clips_url, "-p", PROMPT, "-o", f"s3://{BUCKET}/out/")
    assert code != 0 and f"Access denied to s3://{BUCKET}/out" in said and "AWS_ACCESS_KEY_ID" in said, said
    assert SECRET_KEY not in said and ACCESS_KEY not in said
    monkeypatch.undo()
    assert s3.objects(BUCKET, "out/") == {}  # nothing was written
    ledger = tmp_path / "data" / "batches.sqlite3"
    assert not ledger.exists() or sqlite3.connect(ledger).execute("SELECT count(*) FROM batch_jobs").fetchone()[0] == 0


def test_without_s3fs_an_s3_url_names_the_extra_and_a_local_batch_still_works(tmp_path: Path) -> None:
    """Run as the package runs where the cluster extra was never installed (s3fs and fsspec cannot be imported)."""
    bare = ("import runpy, sys; sys.modules['s3fs'] = None; sys.modules['fsspec'] = None; sys.argv = ['fmai', "
            "*sys.argv[1:]]; runpy.run_module('free_music_ai.cli', run_name='__main__')")  # fmt: skip

    def without_s3fs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", bare, "batch", *args, "-p", PROMPT, "--no-credentials"],
                              env=environment(tmp_path, {}), capture_output=True, text=True, timeout=300)  # fmt: skip

    remote = without_s3fs("s3://media/clips/", "-o", str(tmp_path / "o1"))
    assert remote.returncode != 0 and "Traceback" not in remote.stderr
    assert 'pip install "free-music-ai-generator[cluster]"' in " ".join(remote.stderr.split()), remote.stderr
    local = without_s3fs(str(clips(tmp_path / "in", 1)), "-o", str(tmp_path / "o2"))
    assert local.returncode == 0 and "Traceback" not in local.stderr, local.stderr
    assert (tmp_path / "o2" / "clip0-music.mp4").is_file()
