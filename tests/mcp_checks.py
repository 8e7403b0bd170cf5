"""What a test reads of an MCP tool's answer: its structured content, once it is not an error."""

from __future__ import annotations

from typing import Any


def answer_of(result: Any) -> dict[str, Any]:
    """The tool's structured answer (a JSON object); the test fails, showing the error, if the call failed."""
    assert not result.is_error, result.content
    return dict(result.structured_content)
