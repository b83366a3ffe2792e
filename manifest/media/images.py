"""Images are never kept as sent: each is decoded, turned upright, stripped of metadata and encoded
again, with a thumbnail beside it. Whatever a crafted file carried (EXIF with GPS, comments, a
polyglot payload after the image data) does not survive the round trip."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from manifest.media.logic import Refused

THUMBNAIL_SIZE = 320
# Pillow's name for each type we accept, so a file whose bytes start like a PNG must decode as one.
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


@dataclass(frozen=True)
class Encoded:
    data: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes
    thumbnail_type: str


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == "image/jpeg":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    elif content_type == "image/webp":
        image.save(out, "WEBP", quality=85)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def reencode(data: bytes, content_type: str, max_pixels: int) -> Encoded:
    """The image in ``data`` (already sniffed as ``content_type``), encoded again without metadata.

    JPEG and WebP keep their format; PNG and GIF become PNG (only a GIF's first frame is kept).
    Refuses files Pillow cannot read, whose bytes are not really the sniffed format, or whose
    pixel count is over ``max_pixels`` (checked from the header, before anything is decoded).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]])
            width, height = image.size
            if width <= 0 or height <= 0:
                raise Refused("is not a readable image")
            if width * height > max_pixels:
                raise Refused(f"is too large an image ({width} × {height} pixels; "
                              f"at most {max_pixels // 1_000_000} million pixels)")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused("is too large an image to open safely") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise Refused("is not a readable image (it may be damaged, or not the kind of image it claims)") from None

    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
    icc = image.info.get("icc_profile")
    # A fresh info dict: nothing of the original metadata is handed to the encoder but the colour profile.
    upright.info = {"icc_profile": icc} if icc else {}
    out_type = content_type if content_type in ("image/jpeg", "image/webp") else "image/png"
    if out_type == "image/jpeg" and upright.mode in ("RGBA", "LA"):
        upright = upright.convert("RGB")
    encoded = _encode(upright, out_type)

    thumb = upright.copy()
    thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    thumb.info = {}
    thumb_type = "image/png" if _has_alpha(thumb) else "image/jpeg"
    return Encoded(encoded, out_type, upright.width, upright.height, _encode(thumb, thumb_type), thumb_type)
