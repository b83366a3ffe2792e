"""The local folder backend: generated keys only, atomic writes, deletes that tolerate missing files."""

import uuid

import pytest

from manifest.media.storage import KEY_PATTERN, LocalStorage, StorageError, new_key


@pytest.mark.parametrize("key", [
    "../escape.png", "/etc/passwd", "a/b.png", f"{uuid.uuid4().hex}/../../x.png",
    f"{uuid.uuid4().hex}/{uuid.uuid4().hex}.html", f"{uuid.uuid4().hex}/{uuid.uuid4().hex}.png/../x", "",
])
def test_only_generated_keys_are_accepted(tmp_path, key):
    storage = LocalStorage(tmp_path)
    for action in (lambda: storage.save(key, b"x", "image/png"), lambda: storage.open(key),
                   lambda: storage.delete(key)):
        with pytest.raises(StorageError):
            action()
    assert list(tmp_path.iterdir()) == []


def test_save_open_delete(tmp_path):
    storage = LocalStorage(tmp_path)
    owner = uuid.uuid4()
    key = new_key(owner, "png")
    thumb = new_key(owner, "jpg", thumb_of=key)
    assert KEY_PATTERN.match(key) and KEY_PATTERN.match(thumb)
    assert key.startswith(owner.hex + "/") and thumb == key.replace(".png", "-thumb.jpg")
    storage.save(key, b"bytes", "image/png")
    assert storage.exists(key)
    with storage.open(key) as stream:
        assert stream.read() == b"bytes"
    assert [p.name for p in (tmp_path / owner.hex).iterdir()] == [key.split("/")[1]]  # no temporary left
    storage.delete(key)
    storage.delete(key)  # already gone: fine
    assert not storage.exists(key)
    with pytest.raises(FileNotFoundError):
        storage.open(key)
