"""With attachments in S3, export archives and import uploads wait in the same bucket, so a web
process and a worker in separate containers (a PaaS) both reach them."""

from pathlib import Path

import pytest

from tests.media.test_s3 import keys
from tests.media.test_s3 import s3 as s3_bucket  # noqa: F401  (a fixture)
from tests.transfer.conftest import LOOP_DIR, read_archive
from tests.transfer.helpers import import_file


@pytest.fixture
def s3(s3_bucket):  # noqa: F811
    return s3_bucket


def _local_files(app) -> list[Path]:
    return [p for key in ("EXPORT_ROOT", "IMPORT_ROOT") for p in Path(app.config[key]).rglob("*") if p.is_file()]


def test_exports_and_imports_go_through_the_bucket(app, user, auth_client, immediate_jobs, s3):
    before = set(_local_files(app))
    job = import_file(app, auth_client, ("habitbull.csv", (LOOP_DIR / "habitbull.csv").read_bytes()))
    assert job.result["added"] == {"habits": 4, "habit_entries": 14}
    # The upload was in the bucket until the import finished, then removed.
    assert not [k for k in keys(s3) if k.startswith("transfers/imports/")]

    auth_client.post("/settings/data/export")
    [archive] = [k for k in keys(s3) if k.startswith("transfers/exports/")]
    assert archive.endswith(".zip") and set(_local_files(app)) == before
    page = auth_client.get("/settings/data").get_data(as_text=True)
    link = page.split('id="export-download" href="')[1].split('"')[0]
    contents = read_archive(auth_client.get(link).data)
    assert contents["manifest.json"]["counts"]["habits"] == 4
