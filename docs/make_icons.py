"""Draw the app's icons (the favicon's check mark on the accent colour) as the PNGs the web app
manifest names: 192 and 512 px with rounded corners, and a 512 px maskable one whose mark stays
inside the central safe zone (80 %) that launchers may crop to a circle or a squircle.

Run from the project root after changing the design: python docs/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

ACCENT = (79, 70, 229, 255)  # --accent (#4f46e5)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
SUPERSAMPLE = 4  # drawn large and scaled down for smooth edges


def _check(draw: ImageDraw.ImageDraw, size: int, scale: float) -> None:
    # The favicon's path (M9 17 l5 5 9-11 on a 32 grid), scaled about the centre.
    def at(x: float, y: float) -> tuple[float, float]:
        return (size / 2 + (x - 16) / 32 * size * scale, size / 2 + (y - 16) / 32 * size * scale)

    width = round(3.5 / 32 * size * scale)
    points = [at(9, 17), at(14, 22), at(23, 11)]
    draw.line(points, fill=WHITE, width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round caps
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=WHITE)


def icon(size: int, *, maskable: bool) -> Image.Image:
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=ACCENT)  # full bleed: the launcher cuts the shape
        _check(draw, big, 0.62)
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 4, fill=ACCENT)
        _check(draw, big, 1.0)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("maskable-512.png", 512, True)):
        icon(size, maskable=maskable).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
