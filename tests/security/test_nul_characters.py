"""A NUL character in an address is refused with a message, never a server error: PostgreSQL
cannot hold one, and lookups by slug, name or search text would otherwise fail on it."""

import pytest

from manifest.security import NUL_MESSAGE
from tests.conftest import HX

SIGNED_IN = [
    "/tags/a%00b",
    "/search/?q=a%00b",
    "/food/2024-03-01/breakfast/suggest?food_name=a%00b",
    "/workouts/exercise-names?q=a%00b",
    "/workouts/progress/exercise?name=a%00b",
    "/habits?a%00=1",
]
ANONYMOUS = ["/u/de%00mo", "/u/demo/wh%00y", "/login?next=/%00"]


@pytest.mark.parametrize("url", SIGNED_IN)
@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_signed_in_addresses_with_nul_answer_400_with_a_message(auth_client, url, headers):
    response = auth_client.get(url, headers=headers)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ANONYMOUS)
def test_public_addresses_with_nul_answer_400_with_a_message(client, user, url):
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
