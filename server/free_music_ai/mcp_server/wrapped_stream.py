"""What our wrappers of the SDK's transport streams share: closing one closes the stream inside, and each is its
own async context, as the SDK's streams are."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self


class _Closable(Protocol):
    async def aclose(self) -> None: ...


class WrappedStream:
    def __init__(self, inner: _Closable) -> None:
        self._closable = inner

    async def aclose(self) -> None:
        await self._closable.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
