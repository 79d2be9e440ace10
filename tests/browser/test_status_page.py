"""The Finance (QB) tab opens in a real browser, for administrators, from the CRM's navigation."""

from __future__ import annotations

from typing import Any


def test_status_page_through_the_navigation(admin_page: Any, live_crm: Any, screenshot: Any) -> None:
    page = admin_page
    screenshot(page, 'dashboard')
    page.goto(live_crm.url('/finance-qb/'))
    assert page.locator('h1').first.inner_text() == 'Finance (QB)'
    assert page.locator('.finance-qb-connector').count() == 1
    screenshot(page, 'status')


def test_anonymous_visitor_never_sees_the_tab(browser: Any, live_crm: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(live_crm.url('/finance-qb/'))
    assert response is not None
    assert response.status == 403
    assert 'Web Connector' not in page.content()
    context.close()
