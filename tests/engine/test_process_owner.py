"""A process that owns a render or a claim is named by machine, process id, start time and boot (issue 29): after
the machine restarts, the same process id at the same start tick is another process, and its claims are free."""

from __future__ import annotations

import pytest

from free_music_ai.engine import leftovers
from free_music_ai.engine.process_owner import boot_id, current_owner, owner_is_gone


@pytest.mark.skipif(boot_id() is None, reason="the kernel names no boot here")
def test_an_owner_from_another_boot_is_gone() -> None:
    me = current_owner()
    host, pid, start, boot = me.split(":")
    assert boot == boot_id() and not owner_is_gone(me)
    assert owner_is_gone(f"{host}:{pid}:{start}:00000000-0000-0000-0000-000000000000")  # this pid, another boot
    assert not owner_is_gone(f"{host}:{pid}:{start}")  # recorded before the boot was named: its start time decides
    assert owner_is_gone(f"{host}:{pid}:1")


def test_the_leftovers_ledger_names_its_owner_with_and_without_the_boot() -> None:
    me = current_owner()
    assert leftovers._unsafe(leftovers._safe(me)) == me
    assert leftovers._unsafe("laptop_4242_1234") == "laptop:4242:1234"  # a ledger written before
