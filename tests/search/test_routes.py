"""The search page and the header box's results, on SQLite (LIKE) and PostgreSQL (full text)."""

import pytest

from manifest.search import services
from tests.conftest import HX, counted_statements
from tests.db.helpers import ON_POSTGRES, postgres_only
from tests.tags.support import make_goal, make_habit


def search(client, q, headers=None):
    return client.get("/search/", query_string={"q": q}, headers=headers or {})


@pytest.fixture
def rows(app, user, other_user):
    return {
        "run": make_habit(app, user["id"], "Morning run", description="Easy pace around the park"),
        "read": make_habit(app, user["id"], "Read", description="Twenty pages before bed", category="Mind"),
        "marathon": make_goal(app, user["id"], "Run a marathon", description="Autumn race, running every week"),
        "late": make_goal(app, user["id"], "Evening walk", description="A late night run by the river"),
        "theirs": make_habit(app, other_user["id"], "Secret run", description="Other user's run"),
    }


def test_results_are_grouped_by_area_with_links(auth_client, rows):
    page = search(auth_client, "run").get_data(as_text=True)
    assert "Habits" in page and "Goals" in page
    assert f'href="/habits/{rows["run"]}"' in page
    assert f'href="/goals/{rows["marathon"]}"' in page
    assert "<mark>run</mark>" in page or "<mark>Run</mark>" in page


def test_search_never_shows_another_users_rows(auth_client, other_client, rows):
    assert "Secret" not in search(auth_client, "secret").get_data(as_text=True)
    page = search(other_client, "run").get_data(as_text=True)
    assert "Secret" in page
    assert "Morning" not in page and "marathon" not in page


def test_searches_description_and_category(auth_client, rows):
    assert "Read" in search(auth_client, "pages").get_data(as_text=True)
    assert "Read" in search(auth_client, "mind").get_data(as_text=True)


def test_phrases_and_exclusions(auth_client, rows):
    page = search(auth_client, '"morning run"').get_data(as_text=True)
    assert "Morning" in page and "marathon" not in page
    page = search(auth_client, "run -evening -marathon").get_data(as_text=True)
    assert "Morning" in page and "Evening walk" not in page and "Run a marathon" not in page


def test_highlight_escapes_user_text(app, auth_client, user):
    make_goal(app, user["id"], "<script>alert(1)</script> plan", description="<b>plan</b> & more")
    page = search(auth_client, "plan").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>plan</mark>" in page
    assert "&lt;b&gt;<mark>plan</mark>&lt;/b&gt; &amp; more" in page


def test_a_query_echo_is_escaped(auth_client, rows):
    page = search(auth_client, '<img src=x onerror=alert(1)>').get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x" in page


@pytest.mark.parametrize("q", ["", "a", " ", "x" * 5000, "'; drop table habits; --", "%", "_", "\\",
                               '"', "-", "--", "!!!", "a & b | c", "run:*", "(run", "ñandú 日本", "🔥🔥",
                               "the", '"" -""', "or or", "&amp;"])
def test_odd_queries_never_fail(auth_client, rows, q):
    response = search(auth_client, q)
    assert response.status_code == 200
    assert search(auth_client, q, HX).status_code == 200


def test_short_query_asks_for_more(auth_client, rows):
    assert "Type at least two characters" in search(auth_client, "r").get_data(as_text=True)
    assert "Type at least two characters" in auth_client.get("/search/").get_data(as_text=True)


def test_like_wildcards_are_literal(app, auth_client, user, rows):
    make_habit(app, user["id"], "100% effort")
    page = search(auth_client, "0%").get_data(as_text=True)
    assert "effort</a>" in page or "Nothing matches" in page  # full text ignores the %
    assert "Morning run" not in page


def test_htmx_answers_only_the_results(auth_client, rows):
    response = search(auth_client, "run", HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and 'id="search-results"' in body and "Morning" in body
    assert "HX-Request" in response.headers.get("Vary", "")


def test_the_box_is_in_the_header_and_keeps_the_query(auth_client, rows):
    page = auth_client.get("/").get_data(as_text=True)
    assert 'role="search"' in page and 'hx-push-url="true"' in page and '<label for="site-search"' in page
    page = search(auth_client, "run").get_data(as_text=True)
    assert 'name="q" maxlength="200" autocomplete="off"\n         value="run"' in page


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/search/?q=run")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_many_results_are_capped(app, auth_client, user):
    for n in range(40):
        make_habit(app, user["id"], f"Run {n}")
    page = search(auth_client, "run").get_data(as_text=True)
    assert page.count('class="search-hit"') == 30
    assert search(auth_client, "run", HX).get_data(as_text=True).count('class="search-hit"') == 5


def _statements(app, client, q):
    with counted_statements(app) as statements:
        assert search(client, q).status_code == 200
    return len(statements)


def test_query_count_is_one_per_area(app, auth_client, user):
    make_habit(app, user["id"], "Run 0")
    make_goal(app, user["id"], "Run goal 0")
    few = _statements(app, auth_client, "run")
    for n in range(1, 60):
        make_habit(app, user["id"], f"Run {n}")
        make_goal(app, user["id"], f"Run goal {n}")
    assert _statements(app, auth_client, "run") == few
    assert few == 1 + len(services.searchable_areas())  # the user, then one per searchable area


@postgres_only
def test_postgres_stems_and_ranks(app, auth_client, user, rows):
    page = search(auth_client, "running").get_data(as_text=True)
    # "running" finds "run" and "Run": full-text search stems words.
    assert "Morning" in page and "marathon" in page
    best = make_goal(app, user["id"], "Run run run", description="run run")
    page = search(auth_client, "run").get_data(as_text=True)
    assert page.index(f"/goals/{best}") < page.index(f"/goals/{rows['marathon']}")


def test_exclusions_alone_find_nothing(auth_client, rows):
    # On PostgreSQL "the" is a stop word, so only the exclusion would be left.
    for q in ("xx -walk", *(["the -walk"] if ON_POSTGRES else [])):
        page = search(auth_client, q).get_data(as_text=True)
        assert "Nothing matches" in page and f"/habits/{rows['run']}" not in page


@postgres_only
def test_postgres_websearch_or(auth_client, rows):
    page = search(auth_client, "pages or marathon").get_data(as_text=True)
    assert "Read" in page and "marathon" in page


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's LIKE fallback")
def test_sqlite_matches_substrings(auth_client, rows):
    page = search(auth_client, "mornin").get_data(as_text=True)
    assert f"/habits/{rows['run']}" in page and "<mark>Mornin</mark>g run" in page


def test_a_workout_found_by_search_shows_its_day_as_the_rest_of_the_app_writes_it(app, auth_client, user):
    from datetime import date

    from manifest.extensions import db
    from manifest.models import Workout

    with app.app_context():
        db.session.add(Workout(user_id=user["id"], workout_name="Leg day", workout_type="strength",
                               workout_date=date(2026, 12, 5)))
        db.session.commit()
    page = auth_client.get("/search/?q=leg+day").get_data(as_text=True)
    assert "<mark>day</mark> · Sat 5 Dec</a>" in page
    assert "2026-12-05" not in page.split('id="search-results"')[1]


def _workout_with_exercises(app, user_id, name, day, *exercises):
    from manifest.extensions import db
    from manifest.models import Workout, WorkoutExercise

    with app.app_context():
        workout = Workout(user_id=user_id, workout_name=name, workout_type="strength", workout_date=day)
        db.session.add(workout)
        db.session.flush()
        ids = []
        for position, (exercise, notes) in enumerate(exercises):
            row = WorkoutExercise(workout_id=workout.id, exercise_name=exercise, notes=notes, order_index=position)
            db.session.add(row)
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
        return workout.id, ids


def test_exercises_are_found_and_link_to_their_workout_on_its_day(app, auth_client, user, other_user):
    from datetime import date

    workout, (bench, squat) = _workout_with_exercises(
        app, user["id"], "Push day", date(2026, 12, 5), ("Bench press", None), ("Squat", "paused at the bottom"))
    _workout_with_exercises(app, other_user["id"], "Their push", date(2026, 12, 4), ("Bench press", "theirs"))
    page = search(auth_client, "bench press").get_data(as_text=True)
    results = page.split('id="search-results"')[1]
    assert "Exercises" in results
    assert f'href="/workouts/{workout}#exercise-{bench}"' in results
    assert "<mark>Bench</mark> <mark>press</mark> · Sat 5 Dec</a>" in results
    assert "Push day" in results  # which workout it was part of
    assert "Their push" not in results and "theirs" not in results
    assert f"exercise-{squat}" not in results
    # An exercise's notes are searched too, and shown where they match.
    results = search(auth_client, "paused").get_data(as_text=True).split('id="search-results"')[1]
    assert f'href="/workouts/{workout}#exercise-{squat}"' in results and "<mark>paused</mark> at the bottom" in results


def test_exercises_cost_one_query_whatever_their_number(app, auth_client, user):
    from datetime import date, timedelta

    _workout_with_exercises(app, user["id"], "Day 0", date(2026, 11, 1), ("Bench press", None))
    few = _statements(app, auth_client, "bench")
    for n in range(1, 25):
        _workout_with_exercises(app, user["id"], f"Day {n}", date(2026, 11, 1) + timedelta(days=n),
                                ("Bench press", None), ("Incline bench", None))
    assert _statements(app, auth_client, "bench") == few
    page = search(auth_client, "bench").get_data(as_text=True)
    assert page.count("#exercise-") == services.PAGE_LIMIT
