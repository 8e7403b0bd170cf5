"""The options every command that writes files shares for its Content Credentials (service/credentials.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

SignKey = Annotated[
    Path | None,
    typer.Option("--sign-key", help="Your private key (PEM) to sign the Content Credentials (or FMAI_SIGN_KEY)."),
]
SignCert = Annotated[
    Path | None,
    typer.Option("--sign-cert", help="Your certificate chain (PEM) for --sign-key (or FMAI_SIGN_CERT)."),
]
NoCredentials = Annotated[
    bool,
    typer.Option("--no-credentials", help="Write no C2PA Content Credentials (the licence file is still written)."),
]


def signing_overrides(sign_key: Path | None, sign_cert: Path | None, no_credentials: bool) -> dict[str, Any]:
    """Settings overrides from the options (None leaves the environment's value)."""
    return {"sign_key": sign_key, "sign_cert": sign_cert, "content_credentials": False if no_credentials else None}


def signing_environment(sign_key: Path | None, sign_cert: Path | None, no_credentials: bool) -> dict[str, str]:
    """The options as the FMAI_* variables a batch's worker processes read (they inherit this environment)."""
    found = {"FMAI_SIGN_KEY": sign_key, "FMAI_SIGN_CERT": sign_cert}
    chosen = {name: str(path.resolve()) for name, path in found.items() if path is not None}
    return chosen | ({"FMAI_CONTENT_CREDENTIALS": "false"} if no_credentials else {})
