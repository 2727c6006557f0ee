"""Rule tables in the browser: upload a CSV of cases, see every row pass or fail.

The table is read with the same code as ``python -m rules check``, so an unusable
table gets the same row and column messages. Nothing is kept: the results page
carries the table back in its download form, and the server judges it again.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
)
from flask_wtf.file import FileField
from werkzeug.exceptions import BadRequest
from wtforms import HiddenField
from wtforms.validators import ValidationError

from rules.i18n import N_, Text
from rules.tables import (
    COLUMNS,
    Table,
    TableError,
    decode,
    judge_all,
    read_table,
    write_evaluated,
)

from .forms import PlainForm

bp = Blueprint("tables", __name__, url_prefix="/tables")

MAX_TABLE_BYTES = 500_000
MAX_TABLE_ROWS = 2_000
#: Requests to these pages may carry a whole table; past this the 413 page explains.
MAX_REQUEST_BYTES = 4 * MAX_TABLE_BYTES
SAMPLE = "sample-rule-table.csv"
UNUSABLE = N_("This table cannot be used. Its problems are listed under “Problems in the "
               "table”.")


@bp.before_request
def allow_tables():
    """A table is larger than an answers file, so these pages accept larger requests."""
    request.max_content_length = MAX_REQUEST_BYTES
    request.max_form_memory_size = MAX_REQUEST_BYTES


def load(data: bytes) -> Table:
    """Check the size, then read the table as the command line does."""
    if not data:
        raise TableError(["the file is empty: a rule table needs a header row naming its "
                          "columns, then one row per case"])
    if len(data) > MAX_TABLE_BYTES:
        raise TableError([f"the file is larger than {MAX_TABLE_BYTES // 1000} KB; split it "
                          f"into smaller tables"])
    return read_table(decode(data), max_rows=MAX_TABLE_ROWS)


class TableForm(PlainForm):
    """Upload a rule table."""

    timed_out = N_("This page timed out. Choose the table again and press “Check the table”.")

    table_file = FileField(N_("Upload a rule table"),
                           description=Text("A CSV file (UTF-8), at most {kb} KB and {rows:,} "
                                            "cases.", kb=MAX_TABLE_BYTES // 1000,
                                            rows=MAX_TABLE_ROWS))

    def validate_table_file(self, field) -> None:
        """A file must be chosen and must be a usable table."""
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            raise ValidationError(N_("Choose a rule table to upload (a .csv file)"))
        self.text = ""
        data = upload.read(MAX_TABLE_BYTES + 1)
        try:
            self.table = load(data)
        except TableError as error:
            self.problems = error
            raise ValidationError(UNUSABLE) from None
        self.text = data.decode("utf-8-sig")


class DownloadForm(PlainForm):
    """The checked table, sent back to be judged again and downloaded as CSV."""

    table = HiddenField()


@bp.context_processor
def limits():
    """Every tables page states the limits."""
    return {"max_kb": MAX_TABLE_BYTES // 1000, "max_rows": MAX_TABLE_ROWS, "columns": COLUMNS}


@bp.get("")
def upload():
    """The upload page, with the format, the limits and a sample table."""
    return render_template("tables.html", form=TableForm())


@bp.post("")
def results():
    """Judge every row of the uploaded table and show them, failing rows first."""
    form = TableForm()
    if not form.validate_on_submit():
        return render_template("tables.html", form=form,
                               problems=getattr(form, "problems", None)), 400
    judged = judge_all(form.table)
    return render_template(
        "table_results.html", form=TableForm(formdata=None),
        filename=form.table_file.data.filename,
        failed=[result for result in judged if not result.passed],
        passed=[result for result in judged if result.passed],
        download=DownloadForm(table=form.text))


@bp.post("/results.csv")
def results_csv():
    """The table judged again and written back with every result filled in."""
    form = DownloadForm()
    if not form.validate_on_submit():
        # A post that failed its CSRF check changes nothing, not even the messages.
        raise BadRequest("The results page had timed out, so nothing was downloaded. "
                         "Upload the table again.")
    try:
        table = load((form.table.data or "").encode("utf-8"))
    except TableError as error:
        return render_template("tables.html", form=TableForm(formdata=None),
                               problems=error), 400
    output = io.StringIO()
    write_evaluated(output, table, judge_all(table))
    return Response(output.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="evaluated-rule-table.csv"'})


@bp.get("/sample.csv")
def sample():
    """A small rule table that passes, to copy from."""
    data = (Path(current_app.static_folder) / SAMPLE).read_bytes()
    return Response(data, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{SAMPLE}"'})
