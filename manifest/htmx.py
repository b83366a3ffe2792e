"""The few answers every view gives, in one place.

- ``page(template, *blocks)``: a whole page, or only ``blocks`` when htmx swaps part of it.
- ``blocks(template, *names)``: fragments for an htmx swap (an action's own regions).
- ``done(url, ...)``: an action succeeded. Without JavaScript a 303 to ``url``; with htmx the
  named blocks (or nothing to swap, or a full-page ``HX-Redirect`` when the page itself went away).
- ``invalid(template, *blocks)``: a refused form, 422. With htmx the form's block with its errors;
  without, the whole page with them.
- ``go(url)``: leave for another page (``HX-Redirect`` for htmx, 303 otherwise).

Every answer can name what changed (``events=``): they go out in ``HX-Trigger`` and the regions of
other areas that depend on them refresh themselves from their own URL (docs/architecture.md).
"""

from collections.abc import Iterable

from flask import Response, flash, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_blocks


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
        return _answer(render_blocks(template, list(names), **context), status, events)
    return _answer(render_template(template, **context), status, events)


def blocks(template: str, *names: str, status: int = 200, events=(), **context) -> Response:
    """Only the named blocks: the regions an htmx action changed."""
    return _answer(render_blocks(template, list(names), **context), status, events)


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
    if not is_htmx() or template is None:
        flash(message, "error")
        return redirect(url, 303)
    return blocks(template, *names, status=422, **context)


def go(url: str, message: str | None = None, events=()) -> Response:
    """Leave for another page: a full-page ``HX-Redirect`` for htmx, a 303 otherwise."""
    if message:
        flash(message, "success")
    if is_htmx():
        return announce(hx_redirect(url), events)
    return redirect(url, 303)


def hx_redirect(url: str, status: int = 200) -> Response:
    """Make htmx load ``url`` as a full page (the login page after a session expired)."""
    return Response("", status=status, headers={"HX-Redirect": url})


def form_status(form) -> int:
    """200 for a form shown fresh, 422 for one sent back with errors."""
    return 422 if form.is_submitted() else 200
