from __future__ import annotations

import pytest

from free_music_ai.config import load_settings
from free_music_ai.errors import ConfigError


def test_defaults() -> None:
    settings = load_settings(environ={})
    assert settings.max_input_mb == 500 and settings.max_input_bytes == 500_000_000
    assert settings.ffmpeg is None
    assert settings.x264_preset == "veryfast" and settings.crf == 20  # what an export is encoded with


def test_environment_then_flags() -> None:
    env = {"FMAI_MAX_INPUT_MB": "20", "FMAI_CRF": "23"}
    assert load_settings(environ=env).max_input_mb == 20
    settings = load_settings({"crf": 18, "max_input_mb": None}, environ=env)
    assert settings.crf == 18 and settings.max_input_mb == 20


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(ConfigError, match="FMAI_CRF"):
        load_settings(environ={"FMAI_CRF": "best"})
    with pytest.raises(ConfigError, match="FMAI_X264_PRESET"):
        load_settings(environ={"FMAI_X264_PRESET": "warp"})
