"""Settings: one pydantic model, read from ``FMAI_*`` environment variables and overridden by CLI flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from free_music_ai.errors import ConfigError

ENV_PREFIX = "FMAI_"

X264Preset = Literal["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower"]


class Settings(BaseModel):
    """Every setting the product reads. The README's settings table is generated from these descriptions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ffmpeg: str | None = Field(
        default=None,
        description="Path of an ffmpeg binary to use instead of the bundled one (imageio-ffmpeg).",
    )
    max_input_mb: int = Field(default=500, ge=1, description="Largest input file accepted, in megabytes.")
    x264_preset: X264Preset = Field(
        default="veryfast", description="libx264 speed/size trade-off for re-encoded video."
    )
    crf: int = Field(default=20, ge=0, le=51, description="libx264 constant rate factor: lower is better quality.")
    max_fps: int = Field(default=60, ge=1, le=120, description="Highest output frame rate.")
    soundfont: Path | None = Field(
        default=None,
        description="An .sf2 or .sf3 General MIDI SoundFont to play every genre on instead of the bundled ones.",
    )
    target_lufs: float = Field(
        default=-14.0,
        ge=-40,
        le=-5,
        description="Integrated loudness of generated music and exports, in LUFS (of what the music would measure "
        "unasked, when a stretch of it was asked louder or quieter).",
    )
    cache_dir: Path | None = Field(
        default_factory=lambda: Path(platformdirs.user_cache_dir("free-music-ai")),
        description="Where analyses are kept by content hash, so a file is analyzed once (default: the user cache).",
    )
    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("free-music-ai")),
        description="Where sessions, uploads and generated music are kept (default: the user data folder).",
    )
    allowed_dirs: list[Path] = Field(
        default_factory=lambda: [Path.home()],
        description="Folders the MCP tools may read and write when the client sends no roots (comma-separated).",
    )
    export_wait_s: float = Field(
        default=50.0,
        ge=0,
        le=3600,
        description="How long the MCP export tool waits before answering 'still rendering'.",
    )
    backend: Literal["local", "nemo"] | None = Field(
        default=None,
        description="Which backend does the work: local (this machine) or nemo (the NemoVideo cloud). Default: "
        "local, unless NEMO_TOKEN or NEMO_API_URL is set.",
    )
    output_dir: Path | None = Field(
        default=None, description="Folder for outputs when no output path is given (default: the current folder)."
    )

    allow_local_urls: bool = Field(
        default=False,
        description="Let upload links reach this machine and private networks (for files served locally); "
        "off by default, so a link cannot reach a router or a cloud metadata service.",
    )

    content_credentials: bool = Field(
        default=True,
        description="Sign every MP4 and WAV written with a C2PA manifest (Content Credentials) that says the music "
        "is generated, by what, with which seed, and the hash of its samples.",
    )
    sign_key: Path | None = Field(
        default=None, description="Your private key (PEM) to sign Content Credentials with, beside sign_cert."
    )
    sign_cert: Path | None = Field(
        default=None, description="Your certificate chain (PEM, signing certificate first) that goes with sign_key."
    )
    credentials_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_config_dir("free-music-ai")),
        description="Where the local signing certificate is made on first use when no key is given (default: the "
        "user config folder).",
    )

    @property
    def max_input_bytes(self) -> int:
        return self.max_input_mb * 1_000_000


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build settings from the environment, then apply explicit overrides (CLI flags); ``None`` ones are ignored."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name in Settings.model_fields:
        raw = env.get(env_name(name))
        if raw is not None and raw != "":
            values[name] = [part for part in raw.split(",") if part] if name == "allowed_dirs" else raw
    for name, value in (overrides or {}).items():
        if value is not None:
            values[name] = value
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{env_name(str(err['loc'][0])) if err['loc'] else 'setting'}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"A setting has a value that cannot be used ({problems}). Fix or unset it.") from None
