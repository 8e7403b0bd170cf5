"""An S3 server on this machine's loopback for the batch's tests and its benchmark (moto's ThreadedMotoServer, in
this process, on a free port, stopped at the end), read with boto3: not with s3fs, the client the batch itself
uses. Needs moto[server] (the dev extra)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ACCESS_KEY = "FMAITESTACCESSKEY"  # made up: a test looks for both in every message, ledger and marker
SECRET_KEY = "fmai-test-secret-that-must-never-be-shown"


@dataclass(frozen=True)
class LoopbackS3:
    endpoint: str  # http://127.0.0.1:PORT
    env: dict[str, str]  # the standard variables a batch and its workers are given
    client: Any  # boto3's S3 client

    def make_bucket(self, name: str) -> None:
        """A versioned bucket: every object ever written under a key stays listed, so a test sees every write."""
        self.client.create_bucket(Bucket=name)
        self.client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})

    def upload(self, folder: Path, bucket: str, prefix: str) -> None:
        for path in sorted(folder.iterdir()):
            self.client.put_object(Bucket=bucket, Key=prefix + path.name, Body=path.read_bytes())

    def objects(self, bucket: str, prefix: str) -> dict[str, str]:
        """Key -> ETag of the current objects under ``prefix``."""
        found: dict[str, str] = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            found |= {item["Key"]: item["ETag"].strip('"') for item in page.get("Contents", [])}
        return found

    def history(self, bucket: str, prefix: str) -> list[tuple[str, str, str]]:
        """Every write ever made under ``prefix``: (key, version id, ETag or "deleted")."""
        found: list[tuple[str, str, str]] = []
        for page in self.client.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=prefix):
            found += [(v["Key"], v["VersionId"], v["ETag"].strip('"')) for v in page.get("Versions", [])]
            found += [(m["Key"], m["VersionId"], "deleted") for m in page.get("DeleteMarkers", [])]
        return sorted(found)

    def read(self, bucket: str, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=bucket, Key=key)["Body"].read())


def md5(data: bytes) -> str:
    """An object's ETag when it was put in one request (or copied whole)."""
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@contextlib.contextmanager
def loopback_s3(folder: Path) -> Iterator[LoopbackS3]:
    """Start the server on a free port of 127.0.0.1; ``folder`` holds an empty AWS config, so no setting of
    this machine's user reaches the tests."""
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request on the benchmark's screen
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        _, port = server.get_host_and_port()
        endpoint = f"http://127.0.0.1:{port}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "aws-config").write_text("")
        config = str(folder / "aws-config")
        env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": config,
               "AWS_EC2_METADATA_DISABLED": "true"}  # fmt: skip
        client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                              aws_secret_access_key=SECRET_KEY, region_name="us-east-1")  # fmt: skip
        yield LoopbackS3(endpoint, env, client)
    finally:
        server.stop()
