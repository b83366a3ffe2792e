"""Goal sources of this area: weight lost or gained since a goal's period began.

A target-weight goal counts the distance already travelled: "lose 5 kg" is a goal measured by
"Weight lost" with a target of 5, which fills itself as weigh-ins come in. The start is the last
weight recorded on or before the goal's first day (else the first one after it), the end the
last one up to its last day; both in the user's unit. An option's id is derived from the owner
(as for workouts), so a goal can only read its owner's measurements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa

from manifest.extensions import db
from manifest.goals.sources import SourceOption, SourceRequest, register_source
from manifest.models import Measurement, User
from manifest.units import convert_weight

NAMESPACE = uuid.UUID("3f0c9a52-7f2e-4d0b-8d55-2c4b6e1a9f10")
LOST, GAINED = "weight.lost", "weight.gained"


def source_id(user_id: uuid.UUID, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{user_id}:{key}")


def compute(user: User, requests: Sequence[SourceRequest]) -> dict[SourceRequest, Decimal]:
    """One query: the user's weigh-ins; each request is a walk over them."""
    wanted = [r for r in requests if r.source_id == source_id(user.id, r.key)]
    if not wanted:
        return {}
    rows = db.session.execute(
        sa.select(Measurement.measured_on, Measurement.weight, Measurement.weight_unit)
        .where(Measurement.user_id == user.id, Measurement.weight.is_not(None),
               Measurement.measured_on <= max(r.end for r in wanted))
        .order_by(Measurement.measured_on, Measurement.created_at)).all()
    unit = user.weight_unit or "kg"
    readings = [(day, convert_weight(weight, weight_unit or unit, unit)) for day, weight, weight_unit in rows]
    answers = {}
    for request in wanted:
        before = [w for d, w in readings if d <= request.start]
        inside = [w for d, w in readings if request.start <= d <= request.end]
        start = before[-1] if before else (inside[0] if inside else None)
        end = inside[-1] if inside else start
        if start is None:
            answers[request] = Decimal(0)
            continue
        change = start - end if request.key == LOST else end - start
        answers[request] = max(change, Decimal(0)).quantize(Decimal("0.01"))
    return answers


def options(user: User, key: str, name: str) -> list[SourceOption]:
    return [SourceOption(source_id(user.id, key), name, user.weight_unit or "kg")]


register_source(LOST, "Weight lost", "kg", compute, lambda user: options(user, LOST, "Weight lost (weigh-ins)"))
register_source(GAINED, "Weight gained", "kg", compute, lambda user: options(user, GAINED, "Weight gained (weigh-ins)"))
