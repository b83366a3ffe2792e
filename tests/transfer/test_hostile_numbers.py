"""Numbers in other apps' files that no app writes (huge exponents, infinities, overflowing
floats) are problems of their row, reported like any other bad row: never a 500, never a worker
busy for ever on one cell."""

import subprocess
import sys

import pytest

from manifest.transfer.readers import strong
from tests.transfer.conftest import ROOT
from tests.transfer.helpers import job, upload, uploaded_job

STRONG = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
STRONG_NEW = "Date;Workout #;Workout Name;Duration (sec);Exercise Name;Set Order;Weight (kg);Reps\n"


def _strong(rows: str, header: str = STRONG):
    return strong.read((header + rows).encode(), "s.csv", weight_unit="kg", distance_unit="km")


def test_a_huge_exponent_is_refused_at_once():
    # int(Decimal("1e99999999")) computes a hundred-million-digit number: the child would never end.
    code = ("from manifest.transfer.readers import strong\n"
            "b = strong.read(b'Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
            "Notes,Workout Notes,RPE\\n2024-01-01 10:00:00,W,1h,Bench,1,100,1e99999999,,1e99999999,,,\\n', "
            "'s.csv', weight_unit='kg', distance_unit='km')\n"
            "print(len(b.problems))\n")
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=30,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "1"


@pytest.mark.parametrize(("row", "header"), [
    ("2024-01-01 10:00:00,W,1h,Bench,1,100,inf,,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,100,NaN,,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,100,1e300000,,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,100," + "9" * 5000 + ",,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,100,5,,Infinity,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,NaN,5,,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,sNaN,5,,,,,\n", STRONG),
    ("2024-01-01 10:00:00,W,1h,Bench,1,100,5,-inf,,,,\n", STRONG),
])
def test_a_set_with_a_number_out_of_bounds_is_a_problem_of_its_row(row, header):
    bundle = _strong(row, header)
    assert len(bundle.problems) == 1 and bundle.problems[0].startswith("s.csv line 2: ")
    assert "workout_sets" not in bundle.rows


@pytest.mark.parametrize("duration", ["1e999", "inf", "NaN", "1e99999999", "99999999999"])
def test_a_duration_out_of_bounds_is_a_problem_and_the_workout_stays(duration):
    bundle = _strong(f"2024-01-01 10:00:00;1;W;{duration};Bench;1;100;5\n", STRONG_NEW)
    assert bundle.problems == [f"s.csv line 2: {duration[:20]!r} is not a duration"]
    assert bundle.rows["workouts"][0].values["duration_minutes"] is None
    assert len(bundle.rows["workout_sets"]) == 1


def test_plain_numbers_still_read():
    bundle = _strong("2024-01-01 10:00:00;1;W;3600;Bench;1;102,5;8.0\n", STRONG_NEW)
    assert bundle.problems == []
    assert bundle.rows["workouts"][0].values["duration_minutes"] == 60
    (row,) = bundle.rows["workout_sets"]
    assert (str(row.values["weight"]), row.values["reps"]) == ("102.5", 8)


@pytest.mark.parametrize("data", [
    (STRONG + "2024-01-01 10:00:00,W,1h,Bench,1,100,inf,,,,,\n").encode(),
    (STRONG + "2024-01-01 10:00:00,W,1h,Bench,1,100,5,,Infinity,,,\n").encode(),
    (STRONG_NEW + "2024-01-01 10:00:00;1;W;1e999;Bench;1;100;5\n").encode(),
])
def test_an_upload_with_such_numbers_is_previewed_with_its_problems(app, user, auth_client, immediate_jobs, data):
    job_id = uploaded_job(upload(auth_client, ("s.csv", data)))
    preview = job(app, job_id)
    assert preview.status == "ready", (preview.status, preview.error)
    assert preview.preview["problem_count"] == 1
