"""The storage quota, and the gallery: paging, filtering by area, links back to each row."""

import re
import uuid

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Media
from tests.conftest import HX, counted_statements
from tests.media.conftest import image_bytes, make_goal, media_rows, send, stored_files


def test_an_upload_past_the_quota_is_refused_with_what_is_left(app, auth_client, goal, media_root, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_QUOTA_BYTES", 1000)
    assert send(auth_client, goal, ("a.txt", b"a" * 600)).status_code == 303
    files = stored_files(media_root)
    response = send(auth_client, goal, ("b.txt", b"b" * 300), ("c.txt", b"c" * 300), headers=HX)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "that needs 600 bytes, and only 400 bytes of your 1000 bytes of storage is left" in body
    assert len(media_rows(app)) == 1 and stored_files(media_root) == files
    # Exactly filling it is fine.
    assert send(auth_client, goal, ("d.txt", b"d" * 400)).status_code == 303


def test_the_quota_is_per_user(app, auth_client, other_client, goal, other_goal, monkeypatch):
    monkeypatch.setitem(app.config, "MEDIA_QUOTA_BYTES", 1000)
    assert send(other_client, other_goal, ("a.txt", b"a" * 900)).status_code == 303
    assert send(auth_client, goal, ("b.txt", b"b" * 900)).status_code == 303


def _many(app, user_id, goal_ids, count: int) -> None:
    with app.app_context():
        for n in range(count):
            db.session.add(Media(
                user_id=user_id, file_name=f"file-{n:03}.txt", file_path=f"{user_id.hex}/{uuid.uuid4().hex}.txt",
                file_type="text/plain", file_size=10, related_to_type="goal", related_to_id=goal_ids[n % len(goal_ids)],
            ))
        db.session.commit()


def test_the_gallery_pages_newest_first_and_links_to_each_row(app, auth_client, user, goal):
    second = make_goal(app, user["id"], "Learn Spanish")
    send(auth_client, goal, ("first.png", image_bytes()))
    send(auth_client, second, ("second.txt", b"hola\n"))
    page = auth_client.get("/media/").get_data(as_text=True)
    assert page.index("second.txt") < page.index("first.png")
    assert f'href="/goals/{goal}">Run a marathon</a>' in page
    assert f'href="/goals/{second}">Learn Spanish</a>' in page
    assert "Using " in page

    _many(app, user["id"], [goal], 30)
    first = auth_client.get("/media/").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second_page = auth_client.get("/media/?page=2")
    assert second_page.status_code == 200
    assert second_page.get_data(as_text=True).count('class="media-item"') == 32 - 24
    # Out-of-range pages land on the nearest real one.
    assert "Page 2 of 2" in auth_client.get("/media/?page=99").get_data(as_text=True)
    fragment = auth_client.get("/media/?page=2", headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="media-gallery"') and "<html" not in fragment


def test_the_gallery_filters_by_area(app, auth_client, goal):
    send(auth_client, goal, ("a.png", image_bytes()))
    page = auth_client.get("/media/?area=goal").get_data(as_text=True)
    assert "a.png" in page and 'aria-current="page">Goals' in page
    # Habits take no attachments: nothing to show, and no error.
    response = auth_client.get("/media/?area=habit")
    assert response.status_code == 200 and "a.png" not in response.get_data(as_text=True)
    assert "a.png" in auth_client.get("/media/?area=nonsense").get_data(as_text=True)


def test_deleting_from_the_gallery(app, auth_client, goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()), ("b.png", image_bytes()))
    first, second = media_rows(app)
    before = auth_client.get("/media/").get_data(as_text=True)
    response = auth_client.post(f"/media/{first.id}/delete", data={"view": "gallery"}, headers=HX)
    # The gallery comes back whole: the item is gone and the usage and counts follow.
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.startswith('<div id="media-gallery"')
    assert f'id="media-{first.id}"' not in page and f'id="media-{second.id}"' in page
    assert re.search(r"Using (.+?) of", page).group(1) != re.search(r"Using (.+?) of", before).group(1)
    response = auth_client.post(f"/media/{second.id}/delete", data={"view": "gallery", "area": "goal", "page": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/media/?area=goal&page=1"
    assert media_rows(app) == [] and stored_files(media_root) == []


def test_the_gallery_makes_the_same_queries_for_a_year_of_uploads(app, auth_client, user, goal):
    goals = [goal] + [make_goal(app, user["id"], f"Goal {n}") for n in range(5)]
    _many(app, user["id"], goals[:2], 3)
    with counted_statements(app) as few:
        assert auth_client.get("/media/").status_code == 200
    _many(app, user["id"], goals, 365)
    with counted_statements(app) as many:
        assert auth_client.get("/media/").status_code == 200
    assert len(many) == len(few)


def test_the_goal_page_loads_attachments_in_one_query(app, auth_client, user, goal):
    with counted_statements(app) as none:
        auth_client.get(f"/goals/{goal}")
    _many(app, user["id"], [goal], 40)
    with counted_statements(app) as many:
        body = auth_client.get(f"/goals/{goal}").get_data(as_text=True)
    assert body.count('class="media-item"') == 40
    assert len(many) == len(none)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Media)) == 40
