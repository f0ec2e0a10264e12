"""Scan history pages: browse, inspect, chart, export and delete."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Response, abort, current_app, flash, request, stream_with_context, url_for

from blueprints.admin import bp, plugin_names
from blueprints.admin.chart import bar_chart
from blueprints.shared import display
from blueprints.shared.args import arg_id, arg_number
from blueprints.shared.rendering import redirect_to, render
from blueprints.shared.text_input import scanned_fields
from database.ids import MAX_ID
from services import scanlog, settings, users


def _filter() -> scanlog.ScanFilter:
    return scanlog.parse_filter(request.values, plugin_names())


def _choices() -> dict:
    """What the filter form offers."""
    return {"results": scanlog.RESULTS, "sources": scanlog.SOURCES, "users": users.usernames(),
            "plugins": plugin_names()}


@bp.route("/scans")
@scanned_fields("q")  # the history is searched for what scanners send
def scans():
    """The scan history, newest first, filtered and paged by id."""
    scan_filter = _filter()
    page = scanlog.history_page(scan_filter, before=arg_id("before"), after=arg_id("after"), size=current_app.config["PAGE_SIZE"])
    return render("admin/scans.html", block="results", page=page, filter=scan_filter,
                  args=scan_filter.as_args(), logging_on=settings.get("BARCODE_STORE_RESULTS"), **_choices())


@bp.route("/scans/chart.svg")
def scans_chart():
    """Scans per day for the last 30 days, matches against misses, as an SVG image."""
    chart = bar_chart(scanlog.daily_counts(30))
    return Response(render("admin/chart.svg", chart=chart).get_data(), mimetype="image/svg+xml")


@bp.route("/scans/<id:scan_id>")
def scan_detail(scan_id: int):
    """One scan: raw data (also in hex), parsed fields, the response and the object."""
    row = scanlog.get(scan_id) or abort(404, description=f"There is no scan #{scan_id}; it may have been pruned.")
    return render("admin/scan_detail.html", row=row, hex_lines=display.hexdump(row.raw),
                  raw_text=display.decoded_raw(row.raw), fields=scanlog.parsed_fields(row),
                  object_path=scanlog.object_path(row))


@bp.route("/scans/export.csv")
@scanned_fields("q")
def scans_export():
    """What the filter shows, as CSV, streamed in keyset batches."""
    scan_filter = _filter()
    if scan_filter.problems:
        abort(400, description=" ".join(scan_filter.problems))

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(scanlog.CSV_COLUMNS)
        for number, row in enumerate(scanlog.export_rows(scan_filter), 1):
            writer.writerow([csv_cell(value) for value in row])
            if number % 500 == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M")
    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="scans-{stamp}.csv"'})


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def csv_cell(value):
    """A CSV value that a spreadsheet will not run as a formula (raw_hex keeps the exact data)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _confirm_or_do(title: str, message: str, action: str, fields: dict, count: int, do):
    """GET shows the confirmation step; POST with confirm=yes runs `do` and goes back to the list."""
    if request.method == "GET":
        back = {k: v for k, v in fields.items() if k != "upto"}
        return render("admin/confirm.html", title=title, message=message, action=action,
                      fields=fields, count=count, cancel=url_for("admin.scans", **back))
    if request.form.get("confirm") != "yes":
        abort(400, description="Confirm the deletion on the confirmation page first.")
    deleted = do()
    flash(f"Deleted {deleted} scan{'s' if deleted != 1 else ''}.")
    return redirect_to(url_for("admin.scans"))


@bp.route("/scans/<id:scan_id>/delete", methods=["GET", "POST"])
def scan_delete(scan_id: int):
    """Delete one scan after confirmation."""
    scanlog.get(scan_id) or abort(404, description=f"There is no scan #{scan_id}.")

    return _confirm_or_do(f"Delete scan #{scan_id}?", "This scan will be removed from the history.",
                          url_for("admin.scan_delete", scan_id=scan_id), {}, 1, lambda: int(scanlog.delete_one(scan_id)))


@bp.route("/scans/delete", methods=["GET", "POST"])
@scanned_fields("q")
def scans_delete():
    """Delete every scan the filter shows, up to the newest one seen on the confirmation page."""
    scan_filter = _filter()
    if scan_filter.problems:
        abort(400, description="Nothing was deleted: " + " ".join(scan_filter.problems))
    upto = _upto(scanlog.newest_id(scan_filter))
    fields = dict(scan_filter.as_args(), upto=str(upto))
    return _confirm_or_do("Delete the scans this filter shows?", _describe(scan_filter),
                          url_for("admin.scans_delete"), fields, scanlog.count(scan_filter, upto),
                          lambda: scanlog.delete_matching(scan_filter, upto))


@bp.route("/scans/clear", methods=["GET", "POST"])
def scans_clear():
    """Clear the whole history, up to the newest scan seen on the confirmation page."""
    upto = _upto(scanlog.newest_id())
    return _confirm_or_do("Clear the whole scan history?", "Every scan recorded so far will be deleted; "
                          "scans arriving meanwhile are kept.", url_for("admin.scans_clear"),
                          {"upto": str(upto)}, scanlog.count(None, upto), lambda: scanlog.delete_matching(None, upto))


def _upto(newest: int) -> int:
    """The id bound of a delete: fixed on the confirmation page, so later scans survive the POST."""
    if request.method == "GET":
        return newest
    if request.form.get("upto", "") == "":
        abort(400, description="The confirmation form is incomplete (no id bound); open it again.")
    return arg_number("upto", 0, maximum=MAX_ID, where="form")


def _describe(scan_filter: scanlog.ScanFilter) -> str:
    if not scan_filter.active:
        return "No filter is set: this deletes every scan recorded so far."
    parts = [f"{name} = {value}" for name, value in scan_filter.as_args().items()]
    return "Scans where " + ", ".join(parts) + "."
