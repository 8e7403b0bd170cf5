"""What the MCP server and its tools say of themselves, for the backend that does the work.

A host's LLM reads these as prompts and repeats them to the user, so where the work happens and what it
costs follow the backend in use: on this machine nothing is uploaded and nothing is paid for; with the
NemoVideo cloud the files are sent to it and making music spends its credits.
"""

from __future__ import annotations

from dataclasses import dataclass

from free_music_ai.backends.choose import BackendChoice

_WORKFLOW = (
    "Make original, royalty-free music for the user's video and give back a ready-to-post MP4. Workflow: upload "
    "the video or images (paths, links or base64) -> generate with the user's words (\"generate a background music "
    'track that matches the mood of my video", "make it calmer", "add title ...") -> export. Show the user the '
    "reply's summary line and the explanation; give them the output path."
)
_UPLOAD = (
    "Add videos (mp4, mov, avi, webm, mkv), images (jpg, png, gif, webp) or audio (mp3, wav, m4a, aac) to a "
    "session, up to 500 MB each. Returns the session id and what each file is (kind, duration, size). Creates a "
    "session when none is given."
)
_GENERATE = (
    "Make original, royalty-free music for the session's video, or edit the timeline, from a message. Returns the "
    "reply, the one-line timeline summary and the music's explanation."
)
_STATE = (
    "The session as it is now: the one-line timeline summary (show this to the user), the draft (tracks and "
    "segments), the uploaded assets and the renders with their status. Reads only"
)
_EXPORT = (
    'after about 50 s it answers status "rendering" with a job id and keeps working. The same request again '
    "(same session state, aspect and path) returns that job, running or done, never a second render; after an "
    "edit, export again for a new file."
)


@dataclass(frozen=True)
class ToolTexts:
    instructions: str
    upload: str
    generate: str
    state: str
    credits: str
    export: str
    reaches_out: bool  # every tool talks to a service outside this machine (the annotations' open world)


def tool_texts(choice: BackendChoice) -> ToolTexts:
    return _cloud(choice) if choice.name == "nemo" else LOCAL


LOCAL = ToolTexts(
    instructions=f"{_WORKFLOW} Everything runs on this machine: free, no account, no credits, nothing uploaded.",
    upload=f"{_UPLOAD} Free and local: nothing leaves this machine.",
    generate=f"{_GENERATE} Takes a few seconds (the music is composed and played on this machine; progress is "
    "reported). Free and local: no credits.",
    state=f"{_STATE}; instant.",
    credits="The balance for making music. This server's engine runs on this machine: free and unlimited (no "
    "account, no credits).",
    export="Render the session's timeline, as it is now, to a 1080p H.264 MP4 with the music mixed in (-14 LUFS). "
    "Usually seconds (about one after an edit of the sound alone, such as the music's level: the last export's "
    f"picture is kept); {_EXPORT} Free; writes one new file per request, signed with C2PA Content Credentials "
    "that declare its music generated.",
    reaches_out=False,
)


def _cloud(choice: BackendChoice) -> ToolTexts:
    why = f" (because {choice.because})" if choice.because else ""
    return ToolTexts(
        instructions=f"{_WORKFLOW} This server uses the NemoVideo cloud: the uploads are sent to it and making "
        f"music spends NemoVideo credits (the credits tool shows them). {choice.to_local}",
        upload=f"{_UPLOAD} The files are sent to the NemoVideo cloud, which does the work on this server{why}.",
        generate=f"{_GENERATE} The NemoVideo cloud's agent does the work (usually under a few minutes; progress "
        "is reported) and it spends NemoVideo credits: check them with the credits tool. The reply has a link to "
        "the session in the browser.",
        state=f"{_STATE}; asks the NemoVideo cloud.",
        credits="The NemoVideo account's credits for making music: available, held for running work, and in all. "
        "Making music spends them; exports cost none.",
        export="Render the session's timeline, as it is now, to an MP4 in the NemoVideo cloud and download it to "
        f"this machine. May take minutes; {_EXPORT} Exports cost no credits; the music's stems and MIDI are made "
        "by the local engine only. Writes one new file per request.",
        reaches_out=True,
    )
