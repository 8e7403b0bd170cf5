"""What the NemoVideo cloud client reads from its environment: where, who, and how long to wait.

Names and defaults follow ../shared/nemo-protocol.md. The client id is reused across runs (the service
grants one anonymous token per client id per week), so it is kept in ~/.config/nemovideo/client_id,
readable by the user alone. The waits are settings so the protocol double can run them in milliseconds.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from free_music_ai import __version__
from free_music_ai.errors import ConfigError

DEFAULT_API_URL = "https://mega-api-prod.nemovideo.ai"
DEFAULT_WEB_URL = "https://nemovideo.com"
SKILL_NAME = "free-music-ai-generator"
_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


@dataclass(frozen=True)
class NemoConfig:
    api_url: str
    web_url: str
    token: str | None
    client_id: str
    skill_name: str
    skill_version: str
    platform: str
    poll_interval_s: float = 30.0  # export status
    max_polls: int = 10
    retry_wait_s: float = 30.0  # after HTTP 429
    reconnect_wait_s: float = 2.0  # before resuming a dropped stream
    state_poll_s: float = 5.0  # after three failed resumes
    notice_every_s: float = 120.0  # "still working" while only heartbeats come
    run_limit_s: float = 900.0  # a message run never takes longer
    heartbeat_limit_s: float = 600.0  # heartbeats and nothing else for this long: timed out

    def __repr__(self) -> str:  # the token never reaches a log
        return f"NemoConfig(api_url={self.api_url!r}, token={'set' if self.token else 'none'})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, home: Path | None = None) -> NemoConfig:
        env = os.environ if environ is None else environ
        home = home or Path.home()
        name, version = skill_identity()
        return cls(
            api_url=env.get("NEMO_API_URL", DEFAULT_API_URL).rstrip("/"),
            web_url=env.get("NEMO_WEB_URL", DEFAULT_WEB_URL).rstrip("/"),
            token=env.get("NEMO_TOKEN") or None,
            client_id=env.get("NEMO_CLIENT_ID") or client_id(home),
            skill_name=name,
            skill_version=version,
            platform=env.get("SKILL_SOURCE") or detect_platform(Path(__file__), home),
            poll_interval_s=_number(env, "NEMO_POLL_INTERVAL_S", 30.0),
            max_polls=int(_number(env, "NEMO_MAX_POLLS", 10)),
            retry_wait_s=_number(env, "NEMO_RETRY_WAIT_S", 30.0),
            reconnect_wait_s=_number(env, "NEMO_RECONNECT_WAIT_S", 2.0),
            state_poll_s=_number(env, "NEMO_STATE_POLL_S", 5.0),
            notice_every_s=_number(env, "NEMO_NOTICE_EVERY_S", 120.0),
            run_limit_s=_number(env, "NEMO_RUN_LIMIT_S", 900.0),
            heartbeat_limit_s=_number(env, "NEMO_HEARTBEAT_LIMIT_S", 600.0),
        )


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds (or a count). Fix or unset it.") from None
    if value < 0:
        raise ConfigError(f"{name} cannot be negative. Fix or unset it.")
    return value


def client_id(home: Path) -> str:
    """The saved client id, or a new one saved with mode 0600 (the file holds a UUID and nothing else)."""
    path = home / ".config" / "nemovideo" / "client_id"
    try:
        saved = path.read_text(encoding="utf-8").strip()
        return str(uuid.UUID(saved))
    except (OSError, ValueError):
        pass
    new = str(uuid.uuid4())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".client_id.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(new + "\n")
        temp.replace(path)
    except OSError as exc:
        raise ConfigError(f"Cannot save the NemoVideo client id in {path.parent} ({exc.strerror}). "
                          "Set NEMO_CLIENT_ID to a UUID instead.") from None  # fmt: skip
    return new


def detect_platform(installed_at: Path, home: Path) -> str:
    """Which host installed the skill, from where it lives."""
    where = installed_at.resolve()
    for folder, platform in ((home / ".clawhub", "clawhub"), (home / ".cursor" / "skills", "cursor")):
        if where.is_relative_to(folder.resolve()):
            return platform
    return "unknown"


def skill_identity() -> tuple[str, str]:
    """Name and version from SKILL.md's front matter (shipped beside the package), else the package's own."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[1] / "SKILL.md", here.parents[3] / "SKILL.md"):
        try:
            text = candidate.read_text(encoding="utf-8")
        except OSError:
            continue
        front = _FRONT_MATTER.match(text)
        if front is None:
            continue
        fields = dict(re.findall(r"^(name|version):\s*\"?([^\"\n]+)\"?\s*$", front.group(1), re.M))
        return fields.get("name", SKILL_NAME), fields.get("version", __version__)
    return SKILL_NAME, __version__
