"""Every area of the API, in the order the document lists them."""

from manifest.api.areas import (
              foods,
              goals,
              habits,
              journal,
              measurements,
              notifications,
              progress,
              reviews,
              search,
              tags,
              workouts,
)

BLUEPRINTS = [habits.blp, goals.blp, foods.blp, workouts.blp, measurements.blp, progress.blp, reviews.blp, journal.blp,
              tags.blp, search.blp, notifications.blp]
