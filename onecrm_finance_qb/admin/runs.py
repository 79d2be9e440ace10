"""Views of the run history: the list of Web Connector runs, one run's detail, the status screen's chart."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, render_template, request
from markupsafe import Markup

from onecrm_finance_qb import request_log
from onecrm_finance_qb.admin import charts, labels, run_history
from onecrm_finance_qb.admin.sync_lists import record_link
from onecrm_finance_qb.models.base import utc_now
from onecrm_finance_qb.state import get_host

#: How far back the status screen's chart looks.
CHART_PERIOD = timedelta(weeks=4)


def run_list() -> str:
    """Every run, newest first, a page at a time."""
    db = get_host().db.session
    runs, next_before = run_history.history_page(db, request.args.get('before', type=int))
    return render_template('finance_qb/runs.html', runs=runs, next_before=next_before)


def run_detail(run_id: int) -> str:
    """One run: its figures, its message, its requests by type and outcome, the records it left in trouble.

    Counts, types and statuses show in the reader's language and each record opens in the CRM, as on the sync lists.
    """
    db = get_host().db.session
    figures = run_history.run_figures(db, run_id)
    if figures is None:
        abort(404)
    return render_template(
        'finance_qb/run_detail.html',
        figures=figures,
        count_rows=run_history.count_rows(figures.counts),
        request_groups=request_log.request_groups(db, figures.run),
        problems=run_history.run_problems(db, figures.run),
        labels=labels,
        record_link=record_link,
    )


def template_context() -> dict[str, object]:
    """The chart as a callable of the tab's templates, so only the page that shows it pays for it."""
    return {'finance_qb_run_chart': run_chart}


def run_chart() -> Markup:
    """The chart of the last weeks' runs, for the status screen (a template callable of the tab)."""
    db = get_host().db.session
    chart = charts.build_chart(run_history.runs_since(db, utc_now() - CHART_PERIOD, charts.MAX_RUNS))
    # Rendered by Jinja with autoescaping on: every label in it is already escaped.
    return Markup(render_template('finance_qb/_run_chart.html', chart=chart))  # noqa: S704
