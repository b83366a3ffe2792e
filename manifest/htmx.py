"""Small helpers for answering htmx requests."""


from flask import Response, request


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


def hx_redirect(url: str, status: int = 200) -> Response:
    """Make htmx load ``url`` as a full page."""
    return Response("", status=status, headers={"HX-Redirect": url})


def add_vary_header(response: Response) -> Response:
    # Fragments and pages share URLs; caches must keep them apart.
    response.vary.add("HX-Request")
    return response


def render_page_or_blocks(template: str, *blocks: str, status: int = 200, **context):
    """The whole page, or only ``blocks`` when htmx swaps part of it.

    The first block is the swap target; later ones are out-of-band updates and must
    carry ``hx-swap-oob`` themselves.
    """
    from flask import render_template
    from jinja2_fragments.flask import render_blocks

    if blocks and wants_fragment():
        return render_blocks(template, list(blocks), **context), status
    return render_template(template, **context), status
