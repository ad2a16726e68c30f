"""Files in an S3-compatible bucket: tested against moto's S3 server on 127.0.0.1 (a real HTTP server, no mocks)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from applicants.models import Document
from core.env import file_storage_from_env
from core.models import User
from tests.certification import factories as f

BUCKET = "halalmsi-test"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("moto's S3 server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


ENV = {
    "STORAGE_S3_BUCKET": BUCKET,
    "STORAGE_S3_REGION": "us-east-1",
    "STORAGE_S3_ACCESS_KEY": "test-key",
    "STORAGE_S3_SECRET_KEY": "test-secret",
    "STORAGE_S3_PREFIX": "media",
}


@pytest.fixture
def s3(s3_endpoint: str, settings: Any) -> Any:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": file_storage_from_env({**ENV, "STORAGE_S3_ENDPOINT_URL": s3_endpoint}),
    }
    return client


def test_without_a_bucket_files_stay_local() -> None:
    assert file_storage_from_env({}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    config = file_storage_from_env({**ENV, "STORAGE_S3_ENDPOINT_URL": "http://minio:9000"})
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] is None and config["OPTIONS"]["querystring_auth"] is True
    assert config["OPTIONS"]["endpoint_url"] == "http://minio:9000"


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_and_downloads_only_through_the_permission_check(
    s3: Any, alice: User, bob: User, rina: User
) -> None:
    business = f.business(alice)
    document = f.documents(business, ("nib",))[0]
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"media/{document.file.name}"]
    body = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert body == f.PDF

    url = reverse("applicants:document_download", args=[document.pk])
    for user, expected in ((alice, 200), (rina, 200), (bob, 404)):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected
        if expected == 200:
            assert b"".join(response.streaming_content) == f.PDF
    assert Client().get(url).status_code == 302
    # the bucket is private: an unsigned request for the object is refused
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{s3.meta.endpoint_url}/{BUCKET}/{keys[0]}", timeout=5)  # noqa: S310
    assert Document.objects.filter(pk=document.pk).exists()
