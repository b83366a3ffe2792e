"""The demo account's meals, workouts, daily reviews and journal: believable, repeatable history.

Called by `flask seed-demo`; every function replaces what the demo user had in its area.
"""

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.journal.logic import make_excerpt
from manifest.models import (
    BlogEntry,
    DailyReview,
    Food,
    Habit,
    HabitEntry,
    Measurement,
    Taggable,
    User,
    Workout,
    WorkoutExercise,
    WorkoutSet,
)

SEED = 20240102
FOOD_DAYS = 90  # a food log is kept for weeks at a time, not years

# name, portion, kcal, protein, carbs, fat, fiber, sugar, sodium
MEALS = {
    "breakfast": [
        ("Oatmeal with berries", "250 g", 320, 11, 54, 7, 8, 12, 90),
        ("Greek yogurt and honey", "200 g", 230, 18, 24, 6, 0, 22, 70),
        ("Scrambled eggs on toast", "2 eggs", 390, 22, 28, 20, 3, 3, 520),
        ("Banana", "1 medium", 105, 1, 27, 0, 3, 14, 1),
    ],
    "lunch": [
        ("Chicken salad", "350 g", 450, 38, 18, 24, 6, 7, 640),
        ("Lentil soup", "400 ml", 360, 21, 52, 6, 16, 6, 780),
        ("Turkey sandwich", "1 sandwich", 480, 30, 46, 17, 5, 6, 1050),
        ("Rice bowl with tofu", "450 g", 560, 24, 78, 16, 7, 8, 690),
    ],
    "dinner": [
        ("Salmon, potatoes and greens", "450 g", 620, 42, 48, 26, 7, 4, 480),
        ("Pasta with tomato sauce", "350 g", 580, 19, 96, 12, 8, 12, 720),
        ("Beef stir-fry", "400 g", 610, 40, 52, 24, 6, 14, 980),
        ("Vegetable curry with rice", "450 g", 640, 17, 92, 20, 11, 13, 860),
    ],
    "snack": [
        ("Apple", "1 medium", 95, 0, 25, 0, 4, 19, 2),
        ("Almonds", "30 g", 174, 6, 6, 15, 4, 1, 0),
        ("Protein bar", "1 bar", 210, 20, 22, 7, 5, 6, 200),
        ("Dark chocolate", "25 g", 150, 2, 11, 11, 3, 6, 5),
    ],
}
MEAL_HOURS = {"breakfast": 8, "lunch": 13, "dinner": 19, "snack": 16}
FAVORITES = {"Oatmeal with berries", "Chicken salad", "Almonds"}

# name, starting kg, weekly gain in kg
LIFTS = (("Squat", 60, Decimal("0.75")), ("Bench press", 45, Decimal("0.4")), ("Deadlift", 80, Decimal("0.9")))
PLATE_STEP = Decimal("2.5")  # the smallest jump a barbell load can make

REFLECTIONS = {
    "accomplishments": ("Finished the report draft.", "Ran further than last week.", "Cooked every meal at home.",
                        "Cleared the inbox before lunch."),
    "challenges": ("Meetings broke up the afternoon.", "Slept badly and felt it.", "Skipped the evening walk.",
                   "Too much screen time after dinner."),
    "lessons_learned": ("Planning the evening before makes mornings calm.", "A short walk resets my focus.",
                        "Saying no early saves the whole day."),
    "gratitude": ("A long call with my sister.", "Sunny lunch break in the park.", "A friend's encouragement.",
                  "Good coffee and a quiet morning."),
    "tomorrow_intentions": ("Start with the hardest task.", "Be in bed by 23:00.", "Walk to work.",
                            "Two hours of deep work before noon."),
    "highlights": ("New best on squats.", "Dinner with friends.", "The chapter about habits clicked.",
                   "Finished a side-project feature."),
}


def _utc(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _clear(user: User, model, taggable_type: str) -> None:
    ids = sa.select(model.id).where(model.user_id == user.id)
    db.session.execute(sa.delete(Taggable).where(Taggable.taggable_type == taggable_type, Taggable.taggable_id.in_(ids)))
    db.session.execute(sa.delete(model).where(model.user_id == user.id))


def seed_food(user: User, days: int, today: date) -> int:
    _clear(user, Food, "food")
    rng = random.Random(SEED)
    rows = []
    for back in range(min(days, FOOD_DAYS)):
        day = today - timedelta(days=back)
        for meal, options in MEALS.items():
            if meal == "snack" and rng.random() < 0.4:
                continue
            if back == 0 and MEAL_HOURS[meal] > 13:
                continue  # today's log is still being written
            name, portion, kcal, protein, carbs, fat, fiber, sugar, sodium = rng.choice(options)
            rows.append({
                "user_id": user.id, "meal_date": day, "meal_time": time(MEAL_HOURS[meal], rng.choice((0, 15, 30))),
                "meal_type": meal, "food_name": name, "portion_size": portion, "calories": Decimal(kcal),
                "protein_grams": Decimal(protein), "carbs_grams": Decimal(carbs), "fats_grams": Decimal(fat),
                "fiber_grams": Decimal(fiber), "sugar_grams": Decimal(sugar), "sodium_mg": sodium,
                "is_favorite": name in FAVORITES and back < 7,
            })
    if rows:
        db.session.execute(sa.insert(Food), rows)
    user.target_calories, user.target_protein_g, user.target_carbs_g, user.target_fat_g = 2200, 120, 250, 75
    user.target_fiber_g = 30
    return len(rows)


def _loadable(kg: Decimal) -> Decimal:
    return (kg / PLATE_STEP).quantize(Decimal(1)) * PLATE_STEP


def seed_workouts(user: User, days: int, today: date) -> int:
    """Strength on Mondays and Thursdays with slowly rising weights; a run on Tuesdays and Saturdays."""
    _clear(user, Workout, "workout")
    rng = random.Random(SEED + 1)
    count = 0
    first = today - timedelta(days=days - 1)
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        weeks = (day - first).days / 7
        weekday = day.weekday()
        if weekday in (0, 3) and rng.random() < 0.85:
            workout = Workout(user_id=user.id, workout_date=day, workout_time=time(18), workout_type="strength",
                              workout_name="Full body", duration_minutes=rng.choice((50, 55, 60, 65)),
                              calories_burned=rng.randint(300, 420), intensity="high", location="Gym",
                              mood_before=rng.randint(4, 7), mood_after=rng.randint(6, 9))
            db.session.add(workout)
            db.session.flush()
            for order, (name, start, gain) in enumerate(LIFTS):
                top = _loadable(Decimal(start) + gain * Decimal(int(weeks)))
                exercise = WorkoutExercise(workout_id=workout.id, exercise_name=name, exercise_type="strength",
                                           sets=3, reps=5, weight=top, weight_unit="kg", rest_seconds=150,
                                           order_index=order)
                db.session.add(exercise)
                db.session.flush()
                db.session.execute(sa.insert(WorkoutSet), [
                    {"workout_exercise_id": exercise.id, "position": 0, "reps": 8, "weight": _loadable(top * Decimal("0.6")),
                     "weight_unit": "kg", "set_type": "warmup"},
                    *({"workout_exercise_id": exercise.id, "position": i, "reps": 5, "weight": top,
                       "weight_unit": "kg", "set_type": "normal"} for i in (1, 2, 3)),
                ])
            count += 1
        elif weekday in (1, 5) and rng.random() < 0.8:
            km = Decimal(rng.choice((5, 5, 6, 8, 10)))
            pace = 360 - min(int(weeks), 40) + rng.randint(-10, 15)  # seconds per km, improving
            workout = Workout(user_id=user.id, workout_date=day, workout_time=time(7), workout_type="cardio",
                              workout_name="Morning run", duration_minutes=round(km * pace / 60),
                              calories_burned=int(km * 65), intensity="medium", location="River path",
                              mood_before=rng.randint(4, 7), mood_after=rng.randint(7, 10))
            db.session.add(workout)
            db.session.flush()
            db.session.add(WorkoutExercise(workout_id=workout.id, exercise_name="Run", exercise_type="cardio",
                                           distance=km, distance_unit="km", duration_seconds=int(km * pace)))
            count += 1
    return count


def _done_days(user: User, habit_name: str) -> set[date]:
    return set(db.session.scalars(
        sa.select(HabitEntry.entry_date).join(Habit, Habit.id == HabitEntry.habit_id)
        .where(Habit.user_id == user.id, Habit.name == habit_name, HabitEntry.completed)))


def seed_reviews(user: User, days: int, today: date) -> int:
    """A review most evenings. Moods lean on what people report: a little better on days with a
    workout or a meditation, and a more productive day after a full night's sleep, so insights
    have something true to find in the demo (seeded after workouts and habits)."""
    _clear(user, DailyReview, "daily_review")
    rng = random.Random(SEED + 2)
    workout_days = set(db.session.scalars(sa.select(Workout.workout_date).where(Workout.user_id == user.id)))
    meditated = _done_days(user, "Meditate")
    rows = []
    slept_enough = False
    for back in range(days - 1, 0, -1):  # oldest first; today's review is written tonight
        day = today - timedelta(days=back)
        sleep = Decimal(rng.choice(("6", "6.5", "7", "7.5", "8", "8.5")))
        if rng.random() < 0.15:
            slept_enough = sleep >= 7
            continue
        lift = 0.8 * (day in workout_days) + 0.6 * (day in meditated)
        mood = max(1, min(10, round(rng.gauss((7 if day.weekday() >= 5 else 6) + lift, 1.3))))
        row = {
            "user_id": user.id, "review_date": day, "mood_rating": mood,
            "energy_level": max(1, min(10, mood + rng.randint(-2, 1))),
            "productivity_rating": max(1, min(10, rng.randint(4, 8) + (1 if slept_enough else 0))),
            "sleep_quality": max(1, min(10, mood + rng.randint(-1, 2))),
            "sleep_hours": sleep,
            "water_intake_ml": rng.choice((1500, 2000, 2250, 2500)), "steps": rng.randint(4000, 14000),
            "screen_time_minutes": rng.randint(60, 240),
        }
        slept_enough = sleep >= 7
        for field, options in REFLECTIONS.items():
            row[field] = rng.choice(options) if rng.random() < 0.8 else None
        rows.append(row)
    if rows:
        db.session.execute(sa.insert(DailyReview), rows)
    return len(rows)


def seed_measurements(user: User, days: int, today: date) -> int:
    """Weigh-ins on most mornings: a slow loss of about 4 kg a year, with the day-to-day noise of water."""
    db.session.execute(sa.delete(Measurement).where(Measurement.user_id == user.id))
    rng = random.Random(SEED + 4)
    rows = []
    for back in range(days - 1, -1, -1):
        if rng.random() < 0.35:
            continue
        day = today - timedelta(days=back)
        weight = 84 - 4 * (days - back) / 365 + rng.gauss(0, 0.5)
        row = {"id": uuid.uuid4(), "user_id": user.id, "measured_on": day, "weight": Decimal(f"{weight:.1f}"),
               "weight_unit": "kg", "body_fat_percentage": None, "waist": None, "waist_unit": None, "note": None}
        if day.day == 1:
            row.update(body_fat_percentage=Decimal(f"{24 - 3 * (days - back) / 365:.1f}"), waist=Decimal(f"{92 - 4 * (days - back) / 365:.1f}"),
                       waist_unit="cm")
        rows.append(row)
    if rows:
        db.session.execute(sa.insert(Measurement), rows)
    return len(rows)


ENTRIES = (
    ("Why I started tracking everything", "why-i-started",
     ("A year ago I had four apps and no picture of my week. **One place** changed that.\n\n"
     "- habits I actually keep\n- meals I can see\n- a review every night\n\nThe review is the part I would keep "
     "if I could keep only one."), True),
    ("Three months of squats", "three-months-of-squats",
     "From 60 kg to a little over 75 kg for five. The trick was boring: *two sessions a week, every week*.", True),
    ("What the slump taught me", "what-the-slump-taught-me",
     "Two weeks where nothing stuck. Looking back at the reviews, sleep went first and everything followed.", False),
    ("Notes on running slower", "running-slower",
     "Easy runs at a pace where I can talk. The fast days got faster.", False),
)


def seed_journal(user: User, today: date) -> int:
    _clear(user, BlogEntry, "blog_entry")
    rng = random.Random(SEED + 3)
    for index, (title, slug, content, public) in enumerate(ENTRIES):
        published = _utc(today - timedelta(days=20 + index * 37 + rng.randint(0, 5)), 21)
        db.session.add(BlogEntry(
            user_id=user.id, title=title, slug=slug, content=content, excerpt=make_excerpt(content),
            status="published", is_public=public, is_featured=index == 0, published_at=published,
        ))
    db.session.add(BlogEntry(user_id=user.id, title="Ideas for next month", slug="ideas-for-next-month",
                             content="- cycle to work\n- try a new recipe each week", status="draft"))
    return len(ENTRIES) + 1
