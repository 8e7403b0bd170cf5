"""Links to download: only public addresses (unless local ones are allowed), redirects checked, size and time
bounded, a neutral error for every refusal, nothing kept after a failure. Every server here is on loopback."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from free_music_ai.errors import InputError
from free_music_ai.service.url_fetch import CONCURRENT, Downloader, is_public

NEUTRAL = "only files on public http(s) servers"


class _Handler(http.server.BaseHTTPRequestHandler):
    body = b"x" * 5000
    hits: list[str] = []  # noqa: RUF012 - shared by the server's threads on purpose

    def do_GET(self) -> None:
        self.hits.append(self.path)
        port = self.server.server_address[1]
        if self.path.startswith("/hop/"):
            left = int(self.path.split("/")[2])
            self._redirect(f"http://127.0.0.1:{port}/hop/{left - 1}" if left > 0 else "/file.mp4")
        elif self.path == "/to-ftp":
            self._redirect(f"ftp://127.0.0.1:{self.server.ftp_port}/x.mp4")  # type: ignore[attr-defined]
        elif self.path == "/to-metadata":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif self.path == "/file.mp4":
            self._send(self.body)
        elif self.path == "/big":
            self._send(b"y" * 3_000_000, length=False)
        elif self.path == "/slow":
            self.send_response(200)
            self.end_headers()
            for _ in range(200):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        else:
            self.send_error(404)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()

    def _send(self, body: bytes, length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """A web server on loopback and, beside it, a listener standing for an FTP server (it must hear nothing)."""
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen(1)
    ftp.settimeout(0.2)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.ftp_port = ftp.getsockname()[1]  # type: ignore[attr-defined]
    _Handler.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
        with pytest.raises(TimeoutError):
            ftp.accept()  # nobody ever connected to the "FTP server"
    finally:
        httpd.shutdown()
        httpd.server_close()
        ftp.close()


def _refused(downloader: Downloader, url: str, folder: Path) -> str:
    with pytest.raises(InputError) as error:
        downloader.fetch(url, folder)
    assert list(folder.glob("*")) == [], "nothing is kept after a failure"
    return str(error.value)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.0.0.1", "192.168.1.1", "172.16.5.4", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
     "240.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1",
     "::ffff:10.0.0.1", "2002:0a00:0001::1"],
)  # fmt: skip
def test_private_and_special_addresses_are_not_public(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_public(address: str) -> None:
    assert is_public(address)


def test_loopback_is_refused_without_connecting(server: str, tmp_path: Path) -> None:
    downloader = Downloader(10_000_000)
    port = server.rsplit(":", 1)[1]
    for url in (f"{server}/file.mp4", f"http://localhost:{port}/file.mp4", f"http://2130706433:{port}/file.mp4",
                f"http://[::ffff:127.0.0.1]:{port}/file.mp4", f"http://0.0.0.0:{port}/file.mp4"):  # fmt: skip
        assert NEUTRAL in _refused(downloader, url, tmp_path / "in")
    assert _Handler.hits == []  # not one request reached the server


def test_host_names_in_other_scripts_meet_the_same_check(server: str, tmp_path: Path) -> None:
    """'①②⑦.0.0.1' folds to 127.0.0.1 as a resolver folds it: refused like it, with the neutral words and no
    request (it raised a TypeError, 'Unexpected failure', before); a name with no ASCII form is refused too."""
    port = server.rsplit(":", 1)[1]
    for url in (f"http://①②⑦.0.0.1:{port}/file.mp4", f"http://ｌｏｃａｌｈｏｓｔ:{port}/file.mp4",
                f"http://\udfff.example:{port}/file.mp4", f"http://{'ä' * 70}.example/file.mp4"):  # fmt: skip
        assert NEUTRAL in _refused(Downloader(10_000_000), url, tmp_path / "in")
    assert _Handler.hits == []
    # allowed, the same host in its other script reaches the server, and a path in other scripts goes percent-encoded
    path = Downloader(10_000_000, allow_local=True).fetch(f"http://①②⑦.0.0.1:{port}/file.mp4", tmp_path / "ok")
    assert path.read_bytes() == _Handler.body
    assert NEUTRAL in _refused(Downloader(10_000_000, allow_local=True), f"{server}/vidéo 1.mp4", tmp_path / "x")
    assert _Handler.hits[-1] == "/vid%C3%A9o%201.mp4"


def test_errors_do_not_tell_a_closed_port_from_a_missing_file(server: str, tmp_path: Path) -> None:
    downloader = Downloader(10_000_000, allow_local=True)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    urls = [f"http://127.0.0.1:{port}/x.mp4", f"{server}/missing.mp4", "ftp://127.0.0.1/x.mp4"]
    texts = {_refused(downloader, url, tmp_path / "in").replace(url, "URL") for url in urls}
    assert len(texts) == 1, texts


def test_redirects_are_followed_and_checked(server: str, tmp_path: Path) -> None:
    downloader = Downloader(10_000_000, allow_local=True)
    path = downloader.fetch(f"{server}/hop/3", tmp_path / "in")  # four redirects, then the file
    assert path.read_bytes() == _Handler.body and path.name == "file.mp4"
    assert NEUTRAL in _refused(downloader, f"{server}/hop/6", tmp_path / "other")  # seven: too many
    assert NEUTRAL in _refused(downloader, f"{server}/to-ftp", tmp_path / "other")
    assert NEUTRAL in _refused(downloader, f"{server}/to-metadata", tmp_path / "other")  # link-local: never


def test_size_is_capped_while_streaming(server: str, tmp_path: Path) -> None:
    downloader = Downloader(1_000_000, allow_local=True)  # the body has no declared length: counted as it comes
    assert "over 1 MB" in _refused(downloader, f"{server}/big", tmp_path / "in")


def test_a_trickling_server_is_cut_off(server: str, tmp_path: Path) -> None:
    downloader = Downloader(1_000_000, allow_local=True, deadline_s=1.0)
    start = time.monotonic()
    assert NEUTRAL in _refused(downloader, f"{server}/slow", tmp_path / "in")
    assert time.monotonic() - start < 5  # the server would take 10 s


def test_downloads_at_once_are_bounded(server: str, tmp_path: Path) -> None:
    downloader = Downloader(1_000_000, allow_local=True, deadline_s=3.0)
    threads = [threading.Thread(target=lambda k=k: _swallow(downloader, f"{server}/slow", tmp_path / f"s{k}"))
               for k in range(CONCURRENT)]  # fmt: skip
    for thread in threads:
        thread.start()
    while len(_Handler.hits) < CONCURRENT:
        time.sleep(0.01)
    with pytest.raises(InputError, match="already running"):
        downloader.fetch(f"{server}/file.mp4", tmp_path / "more")
    for thread in threads:
        thread.join()
    assert downloader.fetch(f"{server}/file.mp4", tmp_path / "more").is_file()  # the slots are free again


def _swallow(downloader: Downloader, url: str, folder: Path) -> None:
    with contextlib.suppress(InputError):
        downloader.fetch(url, folder)
