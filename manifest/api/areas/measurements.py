"""Body measurements: weigh-ins, body fat and waist, in the units chosen in Settings."""

import sqlalchemy as sa
from marshmallow import fields

from manifest.api import core
from manifest.api.schemas import (
    TYPE_MESSAGES,
    PageArgs,
    form_schema,
    model_schema,
    page_schema,
)
from manifest.models import Measurement
from manifest.ownership import owned
from manifest.progress import services
from manifest.progress.forms import MeasurementForm

blp = core.api_blueprint(
    "measurements", "Weigh-ins, body fat and waist: the measurements log of the progress pages.")

# The service names the day `day`; the form, and so the API, `measured_on`.
RENAMED = {"day": "measured_on"}
# The form's `body_fat` is the row's `body_fat_percentage`: a body sends what an answer shows.
BODY_FAT, OLD_BODY_FAT = "body_fat_percentage", "body_fat"

MeasurementIn = form_schema(MeasurementForm, "MeasurementIn", exclude=("origin",), rename={"body_fat": BODY_FAT},
                            overrides={
    "measured_on": fields.Date(allow_none=True, error_messages={"invalid": TYPE_MESSAGES[fields.Date]},
                               metadata={"description": "The day measured; today when left out."}),
    OLD_BODY_FAT: fields.Decimal(allow_none=True, allow_nan=False, error_messages={"invalid": TYPE_MESSAGES[fields.Decimal]},
                                 metadata={"deprecated": True, "description": f"The old name of `{BODY_FAT}`."}),
})
MeasurementOut = model_schema(Measurement, "Measurement")
MeasurementPage = page_schema(MeasurementOut, "MeasurementPage")


class MeasurementListArgs(PageArgs):
    since = fields.Date(data_key="from", error_messages={"invalid": TYPE_MESSAGES[fields.Date]}, metadata={"description": "Only measurements on or after this day."})
    until = fields.Date(data_key="to", error_messages={"invalid": TYPE_MESSAGES[fields.Date]}, metadata={"description": "Only measurements on or before this day."})


def _measurement(measurement_id):
    return owned(core.user(), Measurement, measurement_id)


def _form(data) -> MeasurementForm:
    """The page's form over the body; a left-out day is today, as the page's form starts. Body fat
    comes as `body_fat_percentage` (or by its old name), and its refusals go back under the name sent."""
    data = dict(data)
    if data.get("measured_on") is None:
        data["measured_on"] = core.today()
    if BODY_FAT in data and OLD_BODY_FAT in data:
        core.invalid({OLD_BODY_FAT: [f"Send {BODY_FAT} only; {OLD_BODY_FAT} is its old name."]})
    sent = OLD_BODY_FAT if OLD_BODY_FAT in data else BODY_FAT
    data[OLD_BODY_FAT] = data.pop(sent, None)
    form = core.bind(MeasurementForm, data)
    if not form.validate():
        errors = core.form_errors(form)
        if OLD_BODY_FAT in errors:
            errors[sent] = errors.pop(OLD_BODY_FAT)
        core.invalid(errors)
    return form


@blp.get("")
@blp.arguments(MeasurementListArgs, location="query")
@blp.response(200, MeasurementPage)
def list_measurements(args):
    """Newest day first."""
    statement = sa.select(Measurement).where(Measurement.user_id == core.user().id)
    if args.get("since"):
        statement = statement.where(Measurement.measured_on >= args["since"])
    if args.get("until"):
        statement = statement.where(Measurement.measured_on <= args["until"])
    return core.page(statement, [Measurement.measured_on, Measurement.id], args,
                     "api_measurements.list_measurements")


@blp.post("")
@core.idempotent
@blp.arguments(MeasurementIn)
@blp.response(201, MeasurementOut)
def create_measurement(data):
    form = _form(data)
    row = core.run(lambda: services.add_measurement(core.user(), form.command(), core.today()), RENAMED)
    return row, {"Location": core.url("api_measurements.get_measurement", measurement_id=row.id)}


@blp.get("/<uuid:measurement_id>")
@blp.response(200, MeasurementOut)
def get_measurement(measurement_id):
    return _measurement(measurement_id)


@blp.put("/<uuid:measurement_id>")
@blp.arguments(MeasurementIn)
@blp.response(200, MeasurementOut)
def update_measurement(data, measurement_id):
    """Replace the measurement's values: a value left out is cleared."""
    row = _measurement(measurement_id)
    form = _form(data)
    return core.run(lambda: services.update_measurement(core.user(), row, form.command(), core.today()), RENAMED)


@blp.delete("/<uuid:measurement_id>")
@blp.response(204)
def delete_measurement(measurement_id):
    services.delete_measurement(core.user(), _measurement(measurement_id))
