"""The NemoVideo answers this client reads, as pydantic models: a field that is missing or of the wrong type is
caught where the answer arrives, not three calls later. Unknown fields are kept and ignored."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class TokenData(_Answer):
    token: str = Field(min_length=1)


class SessionData(_Answer):
    session_id: str = Field(min_length=1)
    task_id: str = ""


class CreditsData(_Answer):
    available: float
    frozen: float = 0
    total: float


class CloudState(_Answer):
    draft: dict[str, Any] = Field(default_factory=dict)
    video_infos: list[Any] | None = None
    canvas_config: dict[str, Any] | None = None
    generated_media: list[Any] | None = None
    status: str | None = None


class StateData(_Answer):
    state: CloudState = Field(default_factory=CloudState)


class RenderOutput(_Answer):
    url: str | None = None


class RenderStatus(_Answer):
    status: str = ""
    output: RenderOutput | None = None
