import pytest

from tests.security.support import seed_rows

# Markers written into every text column of each user's seeded rows.
ANA_MARKER, BEN_MARKER = "zq-ana-7c1", "zq-ben-4e9"


@pytest.fixture
def seeds(app, user, other_user):
    """A row in every table for both users (ana's first)."""
    return seed_rows(app, user["id"], ANA_MARKER), seed_rows(app, other_user["id"], BEN_MARKER)
