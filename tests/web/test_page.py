"""The web page in a real browser (Debian's Chromium driven by Playwright): drop a clip, describe the music,
generate, watch the preview play, download the MP4, change it, undo, and see a bad file's error in the page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from free_music_ai.engine import sample_media
from media_checks import facts

CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium (.ci/run installs it)")


def start_web(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``free-music-ai web`` on a free loopback port; the process and the address it printed."""
    environment = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
                   "PYTHONUNBUFFERED": "1", **(env or {})}  # fmt: skip
    process = subprocess.Popen([sys.executable, "-m", "free_music_ai.cli", "web", "--port", "0", *args],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"(http://\S+)", line)
    assert found, (line, process.stderr.read() if process.poll() is not None else "")
    return process, found.group(1)


def stop_web(process: subprocess.Popen[str]) -> None:
    """Stopped by its pid, its pipes closed."""
    process.terminate()
    process.communicate(timeout=20)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[str]:
    process, address = start_web(tmp_path)
    try:
        yield address
    finally:
        stop_web(process)


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def test_a_creator_makes_a_music_video_in_the_page(web: str, browser: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("FMAI_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    clip = sample_media.make_scenes(
        tmp_path / "holiday.mp4", ["0x1d3557", "0xe63946", "0xf1faee", "0x457b9d"], scene_s=1.5
    )
    page = browser.new_page(viewport={"width": 1100, "height": 1500}, accept_downloads=True)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(web)
    page.screenshot(path=str(shots / "1-empty.png"), full_page=True)
    assert page.locator("#generate").is_disabled()  # nothing to work on yet

    page.set_input_files("#files", str(clip))
    page.wait_for_function("document.querySelector('#uploads li .what')?.textContent.startsWith('video')")
    page.fill("#prompt", "calm piano music")
    page.check("input[name=aspect][value='9:16']")
    page.fill("#title", "Holiday 🌅")
    page.click("#generate")
    page.wait_for_selector("#progress:not([hidden])")
    page.wait_for_function("document.getElementById('bar').getAttribute('aria-valuenow') !== '0'", timeout=60_000)
    page.screenshot(path=str(shots / "2-working.png"), full_page=True)
    page.wait_for_selector("#result:not([hidden])", timeout=180_000)
    assert "piano" in page.inner_text("#explanation").lower() or page.inner_text("#explanation")
    assert "Holiday" in page.inner_text("#summary") or page.inner_text("#summary")

    # the preview plays: its time moves on
    page.wait_for_function("document.getElementById('preview').readyState >= 2", timeout=30_000)
    page.evaluate("document.getElementById('preview').muted = true; document.getElementById('preview').play()")
    page.wait_for_function("document.getElementById('preview').currentTime > 0.3", timeout=15_000)
    duration = page.evaluate("document.getElementById('preview').duration")
    assert abs(duration - 6.0) < 0.2
    page.wait_for_function("document.getElementById('picture').naturalWidth > 0")
    page.screenshot(path=str(shots / "3-done.png"), full_page=True)

    with page.expect_download() as waiting:
        page.click("#download")
    saved = tmp_path / "downloaded.mp4"
    waiting.value.save_as(saved)
    got = facts(saved)
    assert (got.width, got.height, got.video_codec) == (1080, 1920, "h264")
    assert got.audio_codec == "aac" and abs(got.video_duration_s - 6.0) < 0.1
    assert "--seed" in page.input_value("#command") and "holiday.mp4" in page.input_value("#command")

    # a change in words makes a new version and a new video; undo goes back
    first_video = page.get_attribute("#download", "href")
    versions = page.locator("#versions li").count()
    page.fill("#change", "make it calmer")
    page.click("#apply")
    page.wait_for_function(f"document.querySelectorAll('#versions li').length > {versions}", timeout=120_000)
    page.wait_for_function(f"document.getElementById('download').getAttribute('href') !== '{first_video}'",
                           timeout=120_000)  # fmt: skip
    page.wait_for_function("!document.getElementById('undo').disabled", timeout=120_000)
    current = page.inner_text("#versions li.current")
    page.click("#undo")
    page.wait_for_function(f"document.querySelector('#versions li.current')?.textContent !== {current!r}",
                           timeout=120_000)  # fmt: skip
    page.wait_for_function("!document.getElementById('undo').disabled", timeout=120_000)

    # a question is answered in the page, and no version or file is made for it
    href, versions = page.get_attribute("#download", "href"), page.locator("#versions li").count()
    page.fill("#change", "what key is it in?")
    page.click("#apply")
    page.wait_for_function("document.getElementById('explanation').textContent.startsWith('It is in ')",
                           timeout=60_000)  # fmt: skip
    page.wait_for_function("!document.getElementById('apply').disabled", timeout=60_000)
    assert page.get_attribute("#download", "href") == href and page.locator("#versions li").count() == versions

    assert problems == [], problems  # no script errors, no failed request, so far

    # a file that is not media: its error is shown in the page, nothing else breaks
    bad = tmp_path / "notes.mp4"
    bad.write_text("these are my notes, not a video")
    page.set_input_files("#files", str(bad))
    page.wait_for_selector("#error:not([hidden])")
    assert "notes.mp4 could not be read" in page.inner_text("#error")
    page.screenshot(path=str(shots / "4-error.png"), full_page=True)
    assert [p for p in problems if "status of 400" not in p] == []  # the refused upload's own 400 only


def test_the_words_set_the_controls_and_the_controls_follow(web: str, browser: Any, tmp_path: Path) -> None:
    """Typing "music 20% and 9:16" exported 16:9 (the untouched radio button won) and the slider stayed at 35."""
    clip = sample_media.make_scenes(tmp_path / "walk.mp4", ["0x1d3557", "0xe63946"], scene_s=1.5)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(web)
    page.set_input_files("#files", str(clip))
    page.wait_for_function("document.querySelector('#uploads li .what')?.textContent.startsWith('video')")
    page.fill("#prompt", "calm piano, music 20% and 9:16")
    page.click("#generate")
    page.wait_for_selector("#result:not([hidden])", timeout=180_000)
    assert page.is_checked("input[name=aspect][value='9:16']") and page.input_value("#volume") == "20"
    href = page.get_attribute("#download", "href")
    assert href is not None
    saved = tmp_path / "walk-music.mp4"
    saved.write_bytes(page.request.get(page.evaluate("document.getElementById('download').href")).body())
    got = facts(saved)
    assert (got.width, got.height) == (1080, 1920)
    # a control moved after that goes with the next change
    page.check("input[name=aspect][value='1:1']")
    page.fill("#change", "make it calmer")
    page.click("#apply")
    page.wait_for_function(f"document.getElementById('download').getAttribute('href') !== {href!r}",
                           timeout=180_000)  # fmt: skip
    square = tmp_path / "square.mp4"
    square.write_bytes(page.request.get(page.evaluate("document.getElementById('download').href")).body())
    assert (facts(square).width, facts(square).height) == (1080, 1080)


def test_the_file_picker_uploads_every_file_chosen(web: str, browser: Any, tmp_path: Path) -> None:
    """Choosing three files at once in the picker uploaded only the first (the input was cleared before the
    uploads read its list)."""
    names = ["one.png", "two.png", "three.png"]
    pictures = [str(sample_media.grey_png(tmp_path / name, 320, 180)) for name in names]
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(web)
    page.set_input_files("#files", pictures)
    page.wait_for_function("document.querySelectorAll('#uploads li .what').length >= 3", timeout=60_000)
    page.wait_for_timeout(500)  # a fourth (a duplicate) would show by now
    shown = page.locator("#uploads li").all_inner_texts()
    assert len(shown) == 3 and all(any(name in text for text in shown) for name in names), shown


def test_a_phone_sized_window_shows_everything(web: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(web)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390  # nothing runs off the side
    for selector in ("#drop", "#prompt", "#generate"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)


def test_requests_from_elsewhere_are_refused(web: str, tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    port = web.rstrip("/").rsplit(":", 1)[1]

    def status(path: str, method: str = "GET", headers: dict[str, str] | None = None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers or {},
                                         data=b"{}" if method != "GET" else None)  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            error.close()  # it holds the server's open answer
            return error.code

    assert status("/") == 200
    assert status("/", headers={"Host": f"attacker.example:{port}"}) == 421  # DNS rebinding
    json_post = {"content-type": "application/json"}
    assert status("/api/sessions/x/messages", "POST", {**json_post, "Origin": "https://attacker.example"}) == 403
    assert status("/api/sessions/x/messages", "POST", json_post) == 403  # no origin at all
    assert status("/api/renders/../../etc/passwd/video") in (400, 404)


def test_another_address_needs_a_token(tmp_path: Path) -> None:
    """A token is required beyond loopback; it comes from a file or the environment, never the command line; it
    is never printed (the printed address carries a login code that works once); its cookie is named for the
    port, since cookies do not keep ports apart."""
    import urllib.error
    import urllib.request

    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "web", "--host", "0.0.0.0", "--port", "0"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "FMAI_WEB_TOKEN": ""})  # fmt: skip
    assert done.returncode != 0 and "--token-file" in done.stderr and "Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "web", "--port", "0", "--token", "s3cret-word-1"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode != 0 and "not on the command line" in done.stderr and "Traceback" not in done.stderr
    endless = [sys.executable, "-m", "free_music_ai.cli", "web", "--port", "0", "--token-file", "/dev/zero"]
    done = subprocess.run(endless, capture_output=True, text=True, timeout=60)  # read to a bound, not to the end
    assert done.returncode != 0 and "is not a token file" in done.stderr and "Traceback" not in done.stderr
    secret = "s3cret-word-" + "x" * 10
    (tmp_path / "token").write_text(secret + "\n")
    process, address = start_web(tmp_path, "--token-file", str(tmp_path / "token"))
    try:
        assert secret not in address and "login=" in address
        assert secret not in Path(f"/proc/{process.pid}/cmdline").read_bytes().decode(errors="replace")
        port = address.split(":")[2].split("/")[0]

        def status(path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
            class _Stay(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args: Any) -> None:
                    return None

            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
            try:
                with urllib.request.build_opener(_Stay).open(request, timeout=10) as response:
                    return response.status, response.headers.get("set-cookie", "")
            except urllib.error.HTTPError as refused:
                refused.close()
                return refused.code, refused.headers.get("set-cookie", "")

        assert status("/api/info")[0] == 401
        assert status("/api/info", {"X-FMAI-Token": secret})[0] == 200
        code, cookie = status("/?" + address.split("?", 1)[1])  # the printed address, once
        assert code == 303 and cookie.startswith(f"fmai_token_{port}={secret};") and "HttpOnly" in cookie
        assert status("/?" + address.split("?", 1)[1])[0] == 401  # used: it opens nothing again
        assert status("/api/info", {"Cookie": f"fmai_token_{port}={secret}"})[0] == 200
        assert status("/api/info", {"Cookie": f"fmai_token_1234={secret}"})[0] == 401  # another port's cookie
    finally:
        stop_web(process)
