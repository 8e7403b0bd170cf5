"""The C2PA library's calls for a manifest the caller embeds itself, which c2pa-python does not wrap.

c2pa-python signs a file by writing a whole new copy of it (``Builder.sign``). The Rust library it loads
(libc2pa_c) can also hand out a placeholder manifest of a fixed size, hash a file that holds it, and sign a
manifest of exactly that size, so the caller writes it in place: nothing else in the file is rewritten. These
are the four calls of that route, typed on the very library object c2pa-python loaded (one copy of the library,
one error slot). Builders, contexts, signers and streams stay c2pa-python's, which owns and frees them.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from typing import IO, Any

log = logging.getLogger(__name__)

_Bytes = ctypes.POINTER(ctypes.c_ubyte)
# int64 f(builder, format, &bytes): the length of the bytes handed out (freed with c2pa_free), or -1
_BYTES_OUT = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(_Bytes))
_HASH = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)  # 0, or -1
_ERROR = ctypes.CFUNCTYPE(ctypes.c_void_p)  # the last error's text (freed with c2pa_free), or NULL
_FREE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)


class Unwrapped(Exception):
    """A c2pa-python object keeps its native pointer under another name (another version): sign the other way."""


class EmbeddableSigning:
    """Placeholder, hash, sign: the caller puts the placeholder in the file, and then the signed manifest over it.

    Each call takes a c2pa-python ``Builder`` made on a ``Context`` that holds the signer, and raises
    ``c2pa.C2paError`` with the library's words when the library refuses (``Unwrapped`` when c2pa-python's
    objects do not show their native pointers).
    """

    def __init__(self, library: ctypes.CDLL) -> None:
        # prototypes of our own over the same library: c2pa-python's function objects keep their own types
        self._placeholder = _BYTES_OUT(("c2pa_builder_placeholder", library))
        self._update_hash = _HASH(("c2pa_builder_update_hash_from_stream", library))
        self._sign = _BYTES_OUT(("c2pa_builder_sign_embeddable", library))
        self._error = _ERROR(("c2pa_error", library))
        self._free = _FREE(("c2pa_free", library))

    def placeholder(self, builder: Any, mime: str) -> bytes:
        """The manifest box to put in the file (for BMFF, a C2PA ``uuid`` box), of the size the signed one has."""
        out = _Bytes()
        return self._taken(self._placeholder(_native(builder), mime.encode(), ctypes.byref(out)), out)

    def update_hash(self, builder: Any, mime: str, file: IO[bytes]) -> None:
        """Hash ``file`` (which holds the placeholder) into the builder's hard binding, the manifest box left out."""
        import c2pa

        with c2pa.Stream(file) as stream:
            if self._update_hash(_native(builder), mime.encode(), _native(stream, "_stream")) != 0:
                raise c2pa.C2paError(self._last_error())

    def sign(self, builder: Any, mime: str) -> bytes:
        """The signed manifest box, padded by the library to the placeholder's exact size."""
        out = _Bytes()
        return self._taken(self._sign(_native(builder), mime.encode(), ctypes.byref(out)), out)

    def _taken(self, length: int, out: Any) -> bytes:
        """The library's bytes copied out, and its copy freed (it asks for c2pa_free)."""
        import c2pa

        if length < 0 or not out:
            raise c2pa.C2paError(self._last_error())
        try:
            return ctypes.string_at(out, length)
        finally:
            self._free(out)

    def _last_error(self) -> str:
        text = self._error()
        if not text:
            return "the C2PA library gave no reason"
        try:
            return ctypes.string_at(text).decode("utf-8", "replace")
        finally:
            self._free(text)


def _native(resource: Any, attribute: str = "_handle") -> Any:
    """The native pointer inside a c2pa-python object (its ``_handle``; a Stream's ``_stream``)."""
    pointer = getattr(resource, attribute, None)
    if not isinstance(pointer, ctypes._Pointer | ctypes.c_void_p | int) or not pointer:
        raise Unwrapped(f"c2pa-python's {type(resource).__name__} has no native pointer named {attribute}")
    return pointer


@functools.cache
def embeddable_signing() -> EmbeddableSigning | None:
    """The calls on c2pa-python's own library, or None when that library or c2pa-python lacks them (another
    version): then files are signed by writing a signed copy, as c2pa-python does."""
    from c2pa import c2pa as binding

    library = getattr(binding, "_lib", None)
    if not isinstance(library, ctypes.CDLL):
        log.warning("c2pa-python keeps its C2PA library elsewhere; Content Credentials rewrite each file")
        return None
    try:
        return EmbeddableSigning(library)
    except AttributeError as exc:  # a symbol this library version does not export
        log.warning("the C2PA library cannot sign in place (%s); Content Credentials rewrite each file", exc)
        return None
