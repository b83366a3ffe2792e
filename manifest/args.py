"""Numbers read from a page's address: anything odd (letters, "²", out of range) reads as absent."""


def int_arg(text, low: int, high: int) -> int | None:
    try:
        value = int(text)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None
