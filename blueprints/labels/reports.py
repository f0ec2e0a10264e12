"""Printable reports: a location's stock (with its sub-locations) and pick lists for stock items."""
from __future__ import annotations

from flask import abort, request, url_for

from blueprints.labels import bp
from blueprints.labels.printing import TICK_FIRST, back_to_list, file_response, selection_source
from blueprints.shared.access import requires
from blueprints.shared.args import arg_id, arg_ids
from blueprints.shared.rendering import redirect_to, render
from services.labels import reports
from services.labels.printing import PrintError

LINK_IDS = 100  # longer selections stay in a POST body: proxies refuse (414) URLs of some 800 ids


@bp.route("/reports/stock")
def stock_report_redirect():
    """The report form's target: on to the location's report."""
    location_id = arg_id("location")
    if location_id is None:
        abort(400, description="Choose a location.")
    return redirect_to(url_for("labels.stock_report", location_id=location_id))


@bp.route("/reports/stock/<id:location_id>")
def stock_report(location_id: int):
    """Printable stock report of a location and its sub-locations."""
    report = reports.stock_report(location_id)
    if report is None:
        abort(404, description=f"No location {location_id}.")
    return render("labels/stock_report.html", report=report)


@bp.route("/reports/stock/<id:location_id>.pdf")
def stock_report_pdf(location_id: int):
    """The stock report as PDF."""
    report = reports.stock_report(location_id)
    if report is None:
        abort(404, description=f"No location {location_id}.")
    return _pdf(reports.report_pdf(report), f"stock-{location_id}.pdf")


@bp.route("/reports/picklist", methods=["GET", "POST"])
@requires("viewer")
def pick_list():
    """Printable pick list for selected stock items (id=..., in the query or, from a list, posted)."""
    report = _pick_list()
    if request.method == "POST" and len(report.item_ids) <= LINK_IDS:
        return redirect_to(url_for("labels.pick_list", id=report.item_ids))  # a link to keep
    return render("labels/pick_list.html", report=report, link=len(report.item_ids) <= LINK_IDS)


@bp.route("/reports/picklist.pdf", methods=["GET", "POST"])
@requires("viewer")
def pick_list_pdf():
    """The pick list as PDF."""
    return _pdf(reports.report_pdf(_pick_list()), "pick-list.pdf")


def _pick_list():
    ids = arg_ids("id", where=selection_source())
    if not ids:
        abort(back_to_list("stockitem", TICK_FIRST))
    try:
        return reports.pick_list(ids)
    except PrintError as error:
        abort(400, description=str(error))


def _pdf(pdf: bytes, filename: str):
    return file_response(pdf, "application/pdf", filename)
