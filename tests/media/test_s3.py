"""The S3-compatible backend, against moto's in-memory S3: the same uploads, serving and deletions."""

import boto3
import pytest
from moto import mock_aws

from manifest.media.storage import S3Storage, StorageError, get_storage
from tests.conftest import HX
from tests.media.conftest import image_bytes, media_rows, send, stored_files

BUCKET = "manifest-media-test"


@pytest.fixture
def s3(app, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="eu-central-1")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
        monkeypatch.setitem(app.config, "MEDIA_STORAGE", "s3")
        monkeypatch.setitem(app.config, "MEDIA_S3_BUCKET", BUCKET)
        monkeypatch.setitem(app.config, "MEDIA_S3_REGION", "eu-central-1")
        yield client


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_uploads_go_to_the_bucket_and_are_served_from_it(app, auth_client, goal, s3, media_root):
    response = send(auth_client, goal, ("a.jpg", image_bytes("JPEG")), ("n.txt", b"notes\n"), headers=HX)
    assert response.status_code == 200
    rows = media_rows(app)
    image = next(m for m in rows if m.file_type == "image/jpeg")
    text = next(m for m in rows if m.file_type == "text/plain")
    assert keys(s3) == {image.file_path, image.thumbnail_path, text.file_path}
    assert s3.head_object(Bucket=BUCKET, Key=image.file_path)["ContentType"] == "image/jpeg"
    assert stored_files(media_root) == []  # nothing on local disk

    served = auth_client.get(f"/media/{image.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.data == s3.get_object(Bucket=BUCKET, Key=image.file_path)["Body"].read()
    assert auth_client.get(f"/media/{image.id}/thumbnail").status_code == 200
    download = auth_client.get(f"/media/{text.id}")
    assert download.data == b"notes\n" and download.headers["Content-Disposition"].startswith("attachment")


def test_refused_uploads_put_nothing_in_the_bucket(app, auth_client, goal, s3):
    assert send(auth_client, goal, ("x.jpg", b"<html><script>alert(1)</script></html>")).status_code == 422
    assert keys(s3) == set() and media_rows(app) == []


def test_deletions_remove_the_objects(app, auth_client, goal, s3):
    send(auth_client, goal, ("a.png", image_bytes()), ("b.png", image_bytes()))
    first, _second = media_rows(app)
    auth_client.post(f"/media/{first.id}/delete")
    assert len(keys(s3)) == 2 and first.file_path not in keys(s3)
    auth_client.post(f"/goals/{goal}/delete")
    assert keys(s3) == set() and media_rows(app) == []


def test_a_missing_object_answers_404(app, auth_client, goal, s3):
    send(auth_client, goal, ("a.png", image_bytes()))
    [media] = media_rows(app)
    s3.delete_object(Bucket=BUCKET, Key=media.file_path)
    assert auth_client.get(f"/media/{media.id}").status_code == 404


def test_keys_are_checked_and_the_bucket_is_required(app, s3):
    storage = S3Storage(BUCKET, region="eu-central-1")
    with pytest.raises(StorageError):
        storage.save("../outside.png", b"x", "image/png")
    with pytest.raises(StorageError):
        S3Storage("")
    with app.app_context():
        assert isinstance(get_storage(), S3Storage)
