"""Stored files follow their rows: deleting a goal, an account or an attachment removes the files,
once the deletion is committed; a rolled-back deletion keeps them."""

import sqlalchemy as sa

from manifest.extensions import db
from manifest.models import Goal, Media, User
from tests.conftest import HX, PASSWORD
from tests.media.conftest import image_bytes, make_goal, media_rows, send, stored_files


def test_deleting_a_goal_deletes_its_attachments_and_their_files(
        app, auth_client, other_client, user, goal, other_goal, media_root):
    keep = make_goal(app, user["id"], "Keep me")
    send(auth_client, goal, ("a.png", image_bytes()), ("b.txt", b"notes\n"))
    send(auth_client, keep, ("c.png", image_bytes()))
    send(other_client, other_goal, ("d.png", image_bytes()))
    doomed = media_rows(app, related_to_id=goal)
    assert len(doomed) == 2

    response = auth_client.post(f"/goals/{goal}/delete", headers=HX)
    assert response.status_code == 200
    assert media_rows(app, related_to_id=goal) == []
    assert len(media_rows(app)) == 2
    for media in doomed:
        for key in (media.file_path, media.thumbnail_path):
            assert key is None or not (media_root / key).exists()
    assert len(stored_files(media_root)) == 4  # c.png and d.png with their thumbnails


def test_bulk_deletes_of_area_rows_take_their_attachments(app, auth_client, user, goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()))
    with app.app_context():
        db.session.execute(sa.delete(Goal).where(Goal.user_id == user["id"]))
        db.session.commit()
    assert media_rows(app) == [] and stored_files(media_root) == []


def test_a_rolled_back_deletion_keeps_rows_and_files(app, auth_client, goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()))
    files = stored_files(media_root)
    with app.app_context():
        db.session.delete(db.session.get(Goal, goal))
        db.session.flush()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Media)) == 0
        db.session.rollback()
    assert len(media_rows(app)) == 1 and stored_files(media_root) == files


def test_deleting_an_account_removes_its_files_only(app, auth_client, other_client, user, goal, other_goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()), ("b.pdf", b"%PDF-1.4\n%%EOF\n"))
    send(other_client, other_goal, ("d.png", image_bytes()))
    bens = media_rows(app, related_to_id=other_goal)

    response = auth_client.post("/settings/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, user["id"]) is None
    assert [m.id for m in media_rows(app)] == [bens[0].id]
    assert {p.relative_to(media_root).as_posix() for p in stored_files(media_root)} == {
        bens[0].file_path, bens[0].thumbnail_path}


def test_a_wrong_password_deletes_no_files(app, auth_client, goal, media_root):
    send(auth_client, goal, ("a.png", image_bytes()))
    files = stored_files(media_root)
    assert auth_client.post("/settings/delete", data={"password": "wrong password here"}).status_code == 422
    assert stored_files(media_root) == files and len(media_rows(app)) == 1
