"""The one error tree of the project.

Every failure a user can cause is a ``MusicAIError`` whose message says what happened and what to do
next; the CLI prints it without a traceback (exit code 2) and the MCP tools return it as a tool error.

    MusicAIError
    ├── InputError              the user's input cannot be used as it is
    │   ├── FileMissing         no such file
    │   ├── NotAFile            a directory or a special file
    │   ├── UnsupportedFormat   not a format we read
    │   ├── FileTooLarge        over the size limit
    │   ├── ProbeError          a file we should read but cannot: empty, truncated, undecodable, no duration
    │   ├── TooManySamples      a file's sample tables claim more than a file of the allowed length holds
    │   ├── EditConflict        the session changed under an edit (another window): send it again
    │   └── StoredProjectUnreadable  a stored version of a session cannot be read: undo past it
    ├── ConfigError             a setting has a value we cannot use
    ├── SoundFontError          a SoundFont file is malformed
    ├── RenderError             ffmpeg failed while rendering
    └── CloudError              the NemoVideo cloud refused or failed a request
        ├── NoCredits           the account has no credits left (2001)
        └── PlanLimit           the plan does not allow this (HTTP 402)
"""

from __future__ import annotations

import errno

SUPPORTED_FORMATS_TEXT = (
    "video: mp4, mov, avi, webm, mkv, animated gif; images: jpg, png, gif, webp; audio: mp3, wav, m4a, aac"
)


class MusicAIError(Exception):
    """Base of every error this project raises on purpose. The message is for the user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(MusicAIError):
    """The input cannot be used as it is."""


class FileMissing(InputError):
    """The path names no file."""


class NotAFile(InputError):
    """The path is a directory or something else that is not a regular file."""


class UnsupportedFormat(InputError):
    """The file is not in a format we read."""


class FileTooLarge(InputError):
    """The file is over the configured size limit."""


class ProbeError(InputError):
    """The file looks like a supported format but cannot be read: empty, truncated or undecodable."""


class TooManySamples(InputError):
    """A file's sample tables (MP4/MOV) claim more samples than a file of the allowed length could hold: its
    index alone would take gigabytes, so it is refused before a demuxer builds it."""


class EditConflict(InputError):
    """The session moved on while an edit was being made (another program edits it): nothing was saved."""


class StoredProjectUnreadable(InputError):
    """A stored version of a session's project cannot be read; the other versions can (undo goes past it)."""


class ConfigError(MusicAIError):
    """A setting has a value we cannot use."""


class SoundFontError(MusicAIError):
    """A SoundFont file is malformed or cannot be read."""


class RenderError(MusicAIError):
    """ffmpeg failed while rendering; the message carries the end of its log."""


class CloudError(MusicAIError):
    """The NemoVideo cloud refused or failed a request; the message says what to do."""


class NoCredits(CloudError):
    """The cloud account has no credits left."""


class PlanLimit(CloudError):
    """The cloud plan does not allow this (export on a free plan): not a matter of credits."""


def user_error(exc: BaseException) -> MusicAIError | None:
    """The error of ours inside ``exc``: itself, or the first one in a task group's ExceptionGroup (anyio wraps
    what a task raises), so the user reads its advice rather than "unhandled errors in a TaskGroup"."""
    if isinstance(exc, MusicAIError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            found = user_error(inner)
            if found is not None:
                return found
    return None


def what_failed(exc: BaseException) -> BaseException:
    """The error to report for ``exc``: ours inside it if there is one (``user_error``), else, for a task
    group's ExceptionGroup, the first error it holds, so even an unexpected failure is named by what went
    wrong and never as "ExceptionGroup: unhandled errors in a TaskGroup"."""
    ours = user_error(exc)
    if ours is not None:
        return ours
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def unexpected_text(exc: BaseException) -> str:
    """An unexpected failure in one line, for the door that reports it: its type and the first line of its
    message (a library's report, such as pydantic's with its rules and links, stays in the log)."""
    failed = what_failed(exc)
    lines = str(failed).strip().splitlines()
    first = lines[0][:300] if lines else ""
    return f"{type(failed).__name__}: {first}" if first else type(failed).__name__


def disk_error(exc: OSError, what: str) -> MusicAIError:
    """A file we could not write, said as what to do: a full disk is not an "unexpected failure"."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return InputError(f"The disk is full: {what} could not be written. Free some space, then try again.")
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(f"The name is too long for this disk: {what} could not be written. Use a shorter name.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return InputError(f"No permission to write {what} there. Choose a folder you can write to.")
    return InputError(f"{what[:1].upper()}{what[1:]} could not be written ({exc.strerror or 'disk error'}). "
                      "Check the disk, then try again.")  # fmt: skip
