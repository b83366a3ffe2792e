"""Images are re-encoded: metadata gone, turned upright, thumbnails in proportion, dimensions stored."""

import io

from PIL import ExifTags, Image

from tests.media.conftest import image_bytes, media_rows, send, stored_files


def camera_photo() -> bytes:
    """A 200x100 JPEG, red on the left and blue on the right, that the camera says to turn a
    quarter clockwise, with GPS coordinates and a camera make in its EXIF."""
    image = Image.new("RGB", (200, 100), (255, 0, 0))
    image.paste((0, 0, 255), (100, 0, 200, 100))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SpyCam 3000"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def test_the_photo_under_test_really_carries_gps_and_orientation():
    exif = Image.open(io.BytesIO(camera_photo())).getexif()
    assert exif[ExifTags.Base.Orientation] == 6
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (52.0, 31.0, 12.0)


def test_exif_is_stripped_and_orientation_applied(app, auth_client, goal, media_root):
    send(auth_client, goal, ("IMG_0001.JPG", camera_photo()))
    [media] = media_rows(app)
    assert (media.width, media.height) == (100, 200)
    for key in (media.file_path, media.thumbnail_path):
        data = (media_root / key).read_bytes()
        assert b"SpyCam" not in data and b"Exif" not in data
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
        assert ExifTags.IFD.GPSInfo not in exif and not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Orientation not in exif
    upright = Image.open(media_root / media.file_path).convert("RGB")
    assert upright.size == (100, 200)
    red, blue = upright.getpixel((50, 20)), upright.getpixel((50, 180))
    assert red[0] > 200 and red[2] < 60, red  # the left half is now on top
    assert blue[2] > 200 and blue[0] < 60, blue


def test_thumbnails_fit_in_320_pixels_keeping_proportions(app, auth_client, goal, media_root):
    send(auth_client, goal, ("tall.png", image_bytes("PNG", size=(400, 1000))),
         ("small.png", image_bytes("PNG", size=(50, 40))),
         ("wide.webp", image_bytes("WEBP", size=(1280, 640))))
    sizes = {m.file_name: (Image.open(media_root / m.thumbnail_path).size, (m.width, m.height))
             for m in media_rows(app)}
    assert sizes == {
        "tall.png": ((128, 320), (400, 1000)),
        "small.png": ((50, 40), (50, 40)),
        "wide.webp": ((320, 160), (1280, 640)),
    }


def test_transparent_images_keep_their_transparency(app, auth_client, goal, media_root):
    send(auth_client, goal, ("logo.png", image_bytes("PNG", size=(64, 64), color=(0, 0, 0, 0), mode="RGBA")))
    [media] = media_rows(app)
    assert media.thumbnail_path.endswith("-thumb.png")
    assert Image.open(media_root / media.thumbnail_path).mode == "RGBA"
    assert auth_client.get(f"/media/{media.id}/thumbnail").mimetype == "image/png"


def test_a_gif_becomes_a_png_and_formats_are_kept_otherwise(app, auth_client, goal, media_root):
    send(auth_client, goal, ("a.gif", image_bytes("GIF")), ("b.webp", image_bytes("WEBP")),
         ("c.jpg", image_bytes("JPEG")))
    kinds = {m.file_name: (m.file_type, Image.open(media_root / m.file_path).format) for m in media_rows(app)}
    assert kinds == {"a.gif": ("image/png", "PNG"), "b.webp": ("image/webp", "WEBP"), "c.jpg": ("image/jpeg", "JPEG")}
    assert len(stored_files(media_root)) == 6


def test_bytes_appended_after_the_image_do_not_survive(app, auth_client, goal, media_root):
    polyglot = image_bytes("PNG") + b"<script>alert(document.cookie)</script>"
    send(auth_client, goal, ("p.png", polyglot))
    [media] = media_rows(app)
    assert b"<script>" not in (media_root / media.file_path).read_bytes()
