"""No runtime dependency may carry a copyleft or non-commercial licence: the package is MIT and its music is
promised royalty-free, for use anywhere. Read from every installed dependency's own metadata (its licence
expression, its licence field and its classifiers), following requirements from this package down."""

from __future__ import annotations

import importlib.metadata as metadata
import re

import pytest
from packaging.requirements import Requirement

# GPL in any version and the Affero GPL, but not the Lesser GPL; the SSPL; non-commercial terms (CC BY-NC...)
FORBIDDEN = re.compile(
    r"(?<![A-Za-z])A?GPL|(?<!Lesser )(?<!Library )GNU (Affero )?General Public|SSPL|Server Side Public"
    r"|non-?commercial|(?<![A-Za-z])NC(?![A-Za-z])|-NC-",
    re.IGNORECASE,
)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_closure(root: str) -> dict[str, metadata.Distribution]:
    """Every distribution ``root`` needs at run time (no extras), installed or not (None)."""
    found: dict[str, metadata.Distribution] = {}
    waiting = [root]
    while waiting:
        name = _normal(waiting.pop())
        if name in found:
            continue
        found[name] = dist = metadata.distribution(name)
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                waiting.append(requirement.name)
    return found


def licence_words(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return " | ".join([meta.get("License-Expression") or "", (meta.get("License") or "")[:400], *classifiers])


@pytest.mark.parametrize(
    ("words", "forbidden"),
    [
        ("GNU GENERAL PUBLIC LICENSE Version 3", True),  # pedalboard's License field
        ("License :: OSI Approved :: GNU General Public License v3 (GPLv3)", True),
        ("AGPL-3.0-only", True),
        ("GPL-2.0-or-later", True),
        ("SSPL-1.0", True),
        ("CC-BY-NC-4.0", True),
        ("Free for non-commercial use", True),
        ("License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)", False),
        ("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", False),
        ("Apache-2.0 OR BSD-2-Clause", False),
        ("License :: OSI Approved :: ISC License (ISCL)", False),
    ],
)
def test_the_rule_tells_copyleft_from_permissive(words: str, forbidden: bool) -> None:
    assert bool(FORBIDDEN.search(words)) is forbidden


def test_no_runtime_dependency_is_copyleft_or_non_commercial() -> None:
    closure = runtime_closure("free-music-ai-generator")
    assert {"numpy", "av", "mcp", "pydantic"} <= closure.keys()  # the walk reached the real dependencies
    assert "pedalboard" not in closure  # GPLv3: the mix's effects are our own now
    offenders = {name: licence_words(dist) for name, dist in closure.items() if FORBIDDEN.search(licence_words(dist))}
    assert offenders == {}
