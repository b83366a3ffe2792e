"""Every area of the API, in the order the document lists them."""

from manifest.api.areas import (
              foods,
              goals,
              habits,
              journal,
              notifications,
              reviews,
              search,
              tags,
              workouts,
)

BLUEPRINTS = [habits.blp, goals.blp, foods.blp, workouts.blp, reviews.blp, journal.blp, tags.blp, search.blp,
              notifications.blp]
