"""Text is readable in light and dark mode: every visible piece of text on the main pages has a
contrast of at least 4.5:1 with what is behind it (3:1 for large text), as WCAG 2.2 AA asks.

The colours are the browser's computed ones, with prefers-color-scheme emulated; the background
is the nearest ancestor's colour and opacities are multiplied in, so faded text counts as faded.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from manifest.extensions import db
from manifest.models import DailyReview

PAGES = ["/", "/habits", "/habits/new", "/goals", "/food/", "/workouts/", "/workouts/progress", "/reviews/",
         "/journal/", "/settings"]

# Every element with text of its own: its colour against what is behind it (one line per kind).
LOW_CONTRAST = """() => {
  // A canvas turns any CSS colour (oklch from color-mix, say) into sRGB bytes.
  const canvas = document.createElement("canvas").getContext("2d", {willReadFrequently: true});
  const parse = c => {
    canvas.clearRect(0, 0, 1, 1);
    canvas.fillStyle = c;
    canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return {r, g, b, a: a / 255};
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
  });
  const luminance = ({r, g, b}) => {
    const lin = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const backdrop = element => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let colour = {r: 255, g: 255, b: 255, a: 1};
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const failures = [];
  for (const e of document.querySelectorAll("body *")) {
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const rect = e.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || e.closest(".visually-hidden, .skip-link, [aria-hidden=true]")) continue;
    const style = getComputedStyle(e);
    let opacity = 1;
    for (let a = e; a; a = a.parentElement) opacity *= Number(getComputedStyle(a).opacity);
    const bg = backdrop(e);
    const fg = over(parse(style.color), bg);
    const text = over({...fg, a: opacity}, bg);
    const [l1, l2] = [luminance(text), luminance(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(`${e.tagName.toLowerCase()}.${[...e.classList].join(".")} "${e.textContent.trim().slice(0, 30)}": ` +
        `${ratio.toFixed(2)}:1 (${style.color} on rgb(${bg.r | 0}, ${bg.g | 0}, ${bg.b | 0}))`);
    }
  }
  return [...new Set(failures.map(f => f.replace(/ "[^"]*"/, "")))];
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_text_has_enough_contrast(app, signed_in, user, today, scheme, path):
    # Every mood from 1 to 10 on the review calendar, each a cell filled with its own colour.
    with app.app_context():
        db.session.add_all(
            DailyReview(user_id=user["id"], review_date=today - timedelta(days=n), mood_rating=10 - n)
            for n in range(min(10, today.day))
        )
        db.session.commit()
    page = signed_in
    page.emulate_media(color_scheme=scheme)
    assert page.goto(path).ok, path
    expect(page.locator("h1")).to_be_visible()
    failures = page.evaluate(LOW_CONTRAST)
    assert not failures, f"{path} in {scheme} mode:\n" + "\n".join(failures)
