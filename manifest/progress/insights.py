"""Cross-area findings from a user's own days: pure functions over plain values.

Each question splits days (or weeks) into two groups and compares an outcome between them with
Welch's t interval (manifest/progress/stats.py). A finding is only reported with at least
MIN_PER_SIDE on each side and when its 95 % interval excludes zero; it is worded as an
association, since a person's own days are an observation, not an experiment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from manifest.progress import stats

MIN_PER_SIDE = 14
SLEEP_ENOUGH_HOURS = 7.0
REVIEW_STREAK_DAYS = 3
ONE_DAY = timedelta(days=1)
_PLURAL = re.compile(r"\b(day|week)s\b")


def sentence_start(text: str) -> str:
    """``text`` opening a sentence: its first letter upper-case and the rest as written, so a habit
    named "gym" or "BJJ" keeps its name ("Days BJJ was done", not "Days bjj was done")."""
    return text[:1].upper() + text[1:]


def counted(n: int, label: str) -> str:
    """"1 workout day", "3 workout days": ``label`` is written in the plural."""
    return f"{n} {label if n != 1 else _PLURAL.sub(_singular, label, count=1)}"


def _singular(match: re.Match) -> str:
    return match.group(1)


@dataclass(frozen=True)
class DayReview:
    mood: int | None = None
    energy: int | None = None
    productivity: int | None = None
    sleep_hours: float | None = None


@dataclass(frozen=True)
class HabitDays:
    key: str  # stable id for links
    name: str
    first: date  # from when it counts
    done: frozenset[date]
    due: frozenset[date]  # days it could be done (scheduled, not paused, not skipped)


@dataclass
class Days:
    """What the insights read, one value per day (absent: not recorded)."""

    reviews: Mapping[date, DayReview] = field(default_factory=dict)
    workout_days: frozenset[date] = frozenset()
    habits: Sequence[HabitDays] = ()
    calories: Mapping[date, float] = field(default_factory=dict)
    weights: Sequence[tuple[date, float]] = ()  # the weight trend by day (user's unit)
    goal_updates: Mapping[date, int] = field(default_factory=dict)
    first: date | None = None
    last: date | None = None
    weight_unit: str = "kg"


@dataclass(frozen=True)
class Sample:
    """One side of a comparison: the days (or weeks' first days) and their outcome values."""

    label: str
    days: tuple[date, ...]
    values: tuple[float, ...]

    @property
    def n(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Question:
    key: str
    title: str
    outcome: str  # what is compared, e.g. "mood"
    unit: str  # what the difference is counted in, e.g. "points"
    a: Sample
    b: Sample
    unit_of_time: str = "days"
    needs: str = ""  # what has to be recorded before this can be answered
    so_far_text: str = ""  # what has been recorded towards ``needs``, when the two groups do not say it

    @property
    def so_far(self) -> str:
        """What has been recorded so far, each number named: "So far 4 workout days and 9 rest days"."""
        return self.so_far_text or f"So far {counted(self.a.n, self.a.label)} and {counted(self.b.n, self.b.label)}"

    @property
    def enough(self) -> bool:
        return self.a.n >= MIN_PER_SIDE and self.b.n >= MIN_PER_SIDE


@dataclass(frozen=True)
class Finding:
    question: Question
    result: stats.Comparison

    @property
    def sentence(self) -> str:
        r, q = self.result, self.question
        more = "higher" if r.difference > 0 else "lower"
        return (f"{sentence_start(q.a.label)} are associated with {q.outcome} {abs(r.difference):.1f} {q.unit} "
                f"{more} than {q.b.label}.")


@dataclass
class Insights:
    findings: list[Finding]
    unclear: list[Question]  # enough data, no clear difference: nothing to report
    pending: list[Question]  # not enough data yet

    def find(self, key: str) -> Question | None:
        every = [f.question for f in self.findings] + self.unclear + self.pending
        return next((q for q in every if q.key == key), None)


def _sample(label: str, pairs: Sequence[tuple[date, float]]) -> Sample:
    return Sample(label, tuple(d for d, _ in pairs), tuple(v for _, v in pairs))


def _split(label_a: str, label_b: str, days: Mapping[date, float], in_a) -> tuple[Sample, Sample]:
    ordered = sorted(days.items())
    return (_sample(label_a, [(d, v) for d, v in ordered if in_a(d)]),
            _sample(label_b, [(d, v) for d, v in ordered if not in_a(d)]))


def _ratings(days: Days, name: str) -> dict[date, float]:
    return {d: float(getattr(r, name)) for d, r in days.reviews.items() if getattr(r, name) is not None}


def workout_questions(days: Days) -> list[Question]:
    questions = []
    for name, outcome in (("mood", "mood"), ("energy", "energy")):
        a, b = _split("workout days", "rest days", _ratings(days, name), lambda d: d in days.workout_days)
        questions.append(Question(
            f"workout-{name}", f"{outcome.capitalize()} on workout days and rest days", outcome, "points", a, b,
            needs=f"{MIN_PER_SIDE} reviewed days with a workout and {MIN_PER_SIDE} without, with {outcome} rated"))
    return questions


def sleep_question(days: Days) -> Question:
    """Sleep recorded in a day's review against the productivity rated the next day."""
    pairs_a, pairs_b = [], []
    for day, review in sorted(days.reviews.items()):
        following = days.reviews.get(day + ONE_DAY)
        if review.sleep_hours is None or following is None or following.productivity is None:
            continue
        (pairs_a if review.sleep_hours >= SLEEP_ENOUGH_HOURS else pairs_b).append(
            (day + ONE_DAY, float(following.productivity)))
    hours = f"{SLEEP_ENOUGH_HOURS:g}"
    return Question(
        "sleep-productivity", "Sleep and the next day's productivity", "productivity", "points",
        _sample(f"days after {hours} h of sleep or more", pairs_a), _sample(f"days after less than {hours} h", pairs_b),
        needs=f"{MIN_PER_SIDE} days after nights of {hours} h or more and {MIN_PER_SIDE} after shorter ones, "
              "with sleep and the next day's productivity rated")


def habit_questions(days: Days) -> list[Question]:
    moods = _ratings(days, "mood")
    questions = []
    for habit in days.habits:
        relevant = {d: v for d, v in moods.items() if d in habit.due or d in habit.done}
        a, b = _split(f"days {habit.name} was done", "days it was not", relevant, lambda d, h=habit: d in h.done)
        questions.append(Question(
            f"habit-{habit.key}", f"Mood and {habit.name}", "mood", "points", a, b,
            needs=f"{MIN_PER_SIDE} reviewed days with {habit.name} done and {MIN_PER_SIDE} without"))
    return questions


def _weekly(values: Mapping[date, float]) -> dict[date, list[float]]:
    weeks: dict[date, list[float]] = {}
    for day, value in values.items():
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(value)
    return weeks


def calories_question(days: Days) -> Question:
    """Weeks eating above the user's typical (median) daily calories against the weight trend's
    change over that week (complete weeks of trend only)."""
    trend = dict(days.weights)
    weeks = {}
    for monday, kcal in _weekly(days.calories).items():
        start, end = trend.get(monday - ONE_DAY), trend.get(monday + timedelta(days=6))
        if start is not None and end is not None and len(kcal) >= 4:
            weeks[monday] = (sum(kcal) / len(kcal), end - start)
    with_food = sum(len(kcal) >= 4 for kcal in _weekly(days.calories).values())
    with_trend = sum(trend.get(m - ONE_DAY) is not None and trend.get(m + timedelta(days=6)) is not None
                     for m in {d - timedelta(days=d.weekday()) for d in trend})
    averages = sorted(v[0] for v in weeks.values())
    median = averages[len(averages) // 2] if averages else 0.0
    above = [(m, change) for m, (avg, change) in sorted(weeks.items()) if avg > median]
    below = [(m, change) for m, (avg, change) in sorted(weeks.items()) if avg <= median]
    return Question(
        "calories-weight", "Calories and the weight trend", "a weekly weight change", days.weight_unit,
        _sample(f"weeks above {median:.0f} kcal a day", above), _sample("other weeks", below), unit_of_time="weeks",
        needs=f"{MIN_PER_SIDE * 2} weeks with food logged on at least 4 days and a weight trend around them",
        so_far_text=f"So far {counted(with_food, 'weeks')} with food logged on at least 4 days, "
                    f"{with_trend} with a weight trend around them and {len(weeks)} with both")


def review_streak_question(days: Days) -> Question:
    """Days inside a run of daily reviews against the goal progress recorded that day."""
    run, in_streak, previous = 0, set(), None
    for day in sorted(days.reviews):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        if run >= REVIEW_STREAK_DAYS:
            in_streak.add(day)
        previous = day
    counted: dict[date, float] = {}
    if days.first and days.last:
        day = days.first
        while day <= days.last:
            counted[day] = float(days.goal_updates.get(day, 0))
            day += ONE_DAY
    a, b = _split(f"days in a run of {REVIEW_STREAK_DAYS}+ daily reviews", "other days", counted,
                  lambda d: d in in_streak)
    return Question(
        "reviews-goals", "Daily reviews and goal progress", "goal updates", "a day", a, b,
        needs=f"{MIN_PER_SIDE} days inside a run of {REVIEW_STREAK_DAYS} or more daily reviews and {MIN_PER_SIDE} outside one")


def questions(days: Days) -> list[Question]:
    return [*workout_questions(days), sleep_question(days), *habit_questions(days),
            calories_question(days), review_streak_question(days)]


def judge(question: Question) -> Finding | None:
    """A finding when there is enough data and the interval excludes zero; else nothing."""
    if not question.enough:
        return None
    result = stats.welch(question.a.values, question.b.values)
    return None if result.includes_zero else Finding(question, result)


def insights(days: Days) -> Insights:
    findings, unclear, pending = [], [], []
    for question in questions(days):
        if not question.enough:
            pending.append(question)
            continue
        finding = judge(question)
        if finding is None:
            unclear.append(question)
        else:
            findings.append(finding)
    findings.sort(key=lambda f: -abs(f.result.effect_size))
    return Insights(findings, unclear, pending)
