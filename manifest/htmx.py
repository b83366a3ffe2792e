"""The few answers every view gives, in one place.

- ``page(template, *blocks)``: a whole page, or only ``blocks`` when htmx swaps part of it
  (templates see ``fragment`` true then).
- ``blocks(template, *names)``: fragments for an htmx swap (an action's own regions).
- ``done(url, ...)``: an action succeeded. Without JavaScript a 303 to ``url``; with htmx the
  named blocks (or nothing to swap, or a full-page ``HX-Redirect`` when the page itself went away).
- ``invalid(template, *blocks)``: a refused form, 422. With htmx the form's block with its errors;
  without, the whole page with them.
- ``go(url)``: leave for another page (``HX-Redirect`` for htmx, 303 otherwise).
- ``part(url, template, *blocks)``: a piece that only exists inside a page (a row, its inline edit
  form, a region refreshing itself from its own URL): the blocks for an htmx swap, a 303 to the
  page that shows it otherwise.

A block name can be a ``Block(name, **context)``: that block gets extra context of its own, so one
block repeated in a loop (a section per meal) can be answered several times, or a region marked
out of band while the whole page, rendered from the same context, is not.

Every answer can name what changed (``events=``): they go out in ``HX-Trigger`` and the regions of
other areas that depend on them refresh themselves from their own URL (docs/architecture.md).
"""

from collections.abc import Iterable

from flask import Response, flash, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block, render_blocks


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def wants_fragment() -> bool:
    """True when htmx will swap the response into part of the page.

    Boosted navigations and history restores need the whole page.
    """
    return (
        is_htmx()
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def add_vary_header(response: Response) -> Response:
    # Fragments and pages share URLs; caches must keep them apart.
    response.vary.add("HX-Request")
    return response


def announce(response: Response, events: Iterable[str] | str = ()) -> Response:
    """Name what changed in ``HX-Trigger``; dependent regions listen for it on ``body``."""
    names = [events] if isinstance(events, str) else list(events)
    if names:
        present = response.headers.get("HX-Trigger")
        merged = [*(present.split(", ") if present else []), *names]
        response.headers["HX-Trigger"] = ", ".join(dict.fromkeys(merged))
    return response


class Block:
    """A block with context of its own, on top of the answer's (see the module's docstring)."""

    def __init__(self, name: str, **context):
        self.name, self.context = name, context

    def __repr__(self) -> str:
        return f"Block({self.name!r}, {self.context!r})"


def _render(template: str, names, context: dict) -> str:
    if all(isinstance(name, str) for name in names):
        return render_blocks(template, list(names), **context)
    return "".join(
        render_block(template, name, **context) if isinstance(name, str)
        else render_block(template, name.name, **{**context, **name.context})
        for name in names
    )


def _answer(body: str, status: int, events) -> Response:
    return announce(make_response(body, status), events)


def page(template: str, *names: str, status: int = 200, events=(), context_for=None, **context) -> Response:
    """The whole page, or only the named blocks when htmx swaps part of it.

    The first block is the swap target; later ones are out-of-band updates and must carry
    ``hx-swap-oob`` themselves. ``context_for(fragment)``, when given, adds the context that depends
    on which of the two is sent (a whole page may show more than its swapped-in part, or a
    quicker list), so a view never has to ask.
    """
    fragment = bool(names) and wants_fragment()
    if context_for is not None:
        context = {**context, **context_for(fragment)}
    if fragment:
        return _answer(_render(template, names, {**context, "fragment": True}), status, events)
    return _answer(render_template(template, fragment=False, **context), status, events)


def blocks(template: str, *names: str, status: int = 200, events=(), **context) -> Response:
    """Only the named blocks: the regions an htmx action changed."""
    return _answer(_render(template, names, context), status, events)


def done(url: str, template: str | None = None, *names: str, events=(), message: str | None = None,
         **context) -> Response:
    """An action succeeded.

    Without JavaScript: flash ``message`` and redirect (303) to ``url``. With htmx: the named
    blocks of ``template``; with no template, nothing to swap (204) when the page stays, so the
    events alone refresh what depends on the change.
    """
    if not is_htmx():
        if message:
            flash(message, "success")
        return redirect(url, 303)
    if template is None:
        return _answer("", 204, events)
    return blocks(template, *names, events=events, **context)


def invalid(template: str, *names: str, **context) -> Response:
    """A refused form (422): its block with the errors for htmx, the whole page otherwise."""
    if names and is_htmx():
        return blocks(template, *names, status=422, **context)
    return _answer(render_template(template, **context), 422, ())


def refused(url: str, message: str, template: str | None = None, *names: str, **context) -> Response:
    """A refused inline action whose page cannot be rendered here: the message on the page at
    ``url`` without JavaScript (303), the blocks with it (422) for htmx."""
    if template is None:  # nothing to answer in place: the page at ``url`` shows the message
        flash(message, "error")
        return go(url)
    if not is_htmx():
        flash(message, "error")
        return redirect(url, 303)
    return blocks(template, *names, status=422, **context)


def go(url: str, message: str | None = None, events=()) -> Response:
    """Leave for another page: a full-page ``HX-Redirect`` when htmx would swap a fragment, a 303
    otherwise (a boosted form follows it like a link)."""
    if message:
        flash(message, "success")
    if wants_fragment():
        return announce(hx_redirect(url), events)
    return redirect(url, 303)


def part(url: str, template: str, *names: str, **context) -> Response:
    """A piece that only exists inside a page (a row, its inline edit form, a region that refreshes
    itself from its own URL): the named blocks when htmx swaps it in, a 303 to ``url`` (the page
    showing it) for a plain or boosted visit."""
    if wants_fragment():
        return blocks(template, *names, fragment=True, **context)
    return redirect(url, 303)


def retarget(response: Response, target: str, swap: str = "outerHTML") -> Response:
    """Have htmx swap this answer into ``target`` instead of the element's own target: a refused
    form whose success would have gone elsewhere (a new row appended to a list)."""
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = swap
    return response


def hx_redirect(url: str, status: int = 200) -> Response:
    """Make htmx load ``url`` as a full page (the login page after a session expired)."""
    return Response("", status=status, headers={"HX-Redirect": url})


def form_status(form) -> int:
    """200 for a form shown fresh, 422 for one sent back with errors."""
    return 422 if form.is_submitted() else 200
