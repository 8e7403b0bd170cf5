"""Tool arguments a host got wrong, said in words: which argument, what it may be, and what to send instead.

The SDK checks each call's arguments against the tool's input schema with pydantic, and its answer is the
library's own report ("1 validation error for generateArguments ... [type=less_than_equal ...] For further
information visit https://errors.pydantic.dev/..."). A host's LLM reads this one instead; the allowed values
come from the same schema the host was given, so the two never disagree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_KINDS = {"number": "a number", "integer": "a whole number", "string": "text", "boolean": "true or false",
          "array": "a list", "object": "an object"}  # fmt: skip
MAX_SHOWN_CHARS = 60  # of a value the host sent, quoted back to it


def arguments_in_words(tool: str, schema: Mapping[str, Any], error: ValidationError) -> str:
    """What is wrong with the arguments of a call to ``tool`` (its input ``schema``), one sentence per
    argument, and that nothing was done."""
    said = dict.fromkeys(_one(schema, details) for details in error.errors())  # in order, each once
    return f"The {tool} tool was not run: {' '.join(said)}"


def _one(schema: Mapping[str, Any], details: ErrorDetails) -> str:
    path = [str(part) for part in details["loc"]]
    name = ".".join(path) or "the arguments"
    field = _field(schema, path[0]) if len(path) == 1 else {}
    optional = len(path) == 1 and path[0] not in schema.get("required", [])
    instead = f", or leave {name} out" if optional else ""
    allowed = _allowed(field)
    if details["type"] == "missing":
        described = str(field.get("description", "")).rstrip(".")
        about = f" ({described[:1].lower()}{described[1:]})" if described else ""
        return f"{name} is missing: send it{about}."
    sent = _shown(details.get("input"))
    if "enum" in field:
        return f"{name} cannot be {sent}: it must be {allowed}. Send one of those{instead}."
    if "minimum" in field or "maximum" in field:
        if details["type"] in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
            return f"{name} cannot be {sent}: it must be {allowed}. Send a value in that range{instead}."
        return f"{name} cannot be {sent}: it must be {allowed}{instead}."
    if allowed:
        return f"{name} cannot be {sent}: it must be {allowed}{instead}."
    return f"{name} cannot be {sent}: {details['msg'][:1].lower()}{details['msg'][1:]}{instead}."


def _field(schema: Mapping[str, Any], name: str) -> dict[str, Any]:
    """The argument's own schema; of an optional one, the kind it is when it is sent (an enum's values are in
    the schema's $defs, named by reference)."""
    field: dict[str, Any] = dict(schema.get("properties", {}).get(name, {}))
    for option in field.pop("anyOf", []):
        if option.get("type") != "null":
            field.update(option)
            break
    reference = str(field.pop("$ref", ""))
    if reference.startswith("#/$defs/"):
        field = {**schema.get("$defs", {}).get(reference.removeprefix("#/$defs/"), {}), **field}
    return field


def _allowed(field: Mapping[str, Any]) -> str:
    """What the argument may be, in words: "one of: auto, 16:9", "a number from 40 to 200", "text"."""
    if "enum" in field:
        return "one of: " + ", ".join(str(value) for value in field["enum"])
    kind = _KINDS.get(str(field.get("type", "")), "")
    low, high = field.get("minimum"), field.get("maximum")
    if low is not None and high is not None:
        return f"{kind or 'a value'} from {low:g} to {high:g}"
    if low is not None:
        return f"{kind or 'a value'} of at least {low:g}"
    if high is not None:
        return f"{kind or 'a value'} of at most {high:g}"
    return kind


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else f"{text[: MAX_SHOWN_CHARS - 3]}..."
