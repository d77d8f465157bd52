"""axe-core (apps/web devDependency) on the login page, the table, filters, export, the drawer,
and the scope and stale warnings.

axe is added as a Playwright init script: it is injected by the browser's debugging protocol, so
the page's strict Content-Security-Policy (script-src 'self') stays on and untouched.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from e2e_oracle import ALL_COLUMNS, COLUMN_TITLES, rows_from, view
from e2e_pages import (
    active_filter,
    api_status,
    choose_values,
    drawer,
    filter_chip,
    open_signed_in,
    poll,
    rows,
    scope_warning,
    sign_in,
    stale_warning,
    summary_card,
    username_box,
)
from e2e_support import AXE_JS, Stack, start_scoped_stack
from playwright.sync_api import expect

BLOCKING = {"serious", "critical"}
_RUN_AXE = """
async (selector) => {
  const result = await axe.run(selector ? document.querySelector(selector) : document, {
    runOnly: {
      type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
    },
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}
"""


@pytest.fixture
def axe_page(new_context: Any) -> Any:
    context = new_context()
    context.add_init_script(path=str(AXE_JS))
    return context.new_page()


def audit(page: Any, where: str, selector: str | None = None) -> None:
    """axe on the document (or only the element `selector` names): no serious/critical issue."""
    violations: list[dict[str, Any]] = page.evaluate(_RUN_AXE, selector)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    report = "\n".join(
        f"  {v['impact']} {v['id']}: {v['help']} at {v['targets'][:5]}" for v in blocking
    )
    assert not blocking, f"axe found serious or critical problems on {where}:\n{report}"


def test_login_page_has_no_serious_violations(shared_stack: Stack, axe_page: Any) -> None:
    axe_page.goto(shared_stack.url + "/login")
    expect(username_box(axe_page)).to_be_visible()
    audit(axe_page, "the login page")
    # And with the error shown.
    sign_in(axe_page, password="wrong-password-here")
    expect(axe_page.get_by_test_id("login-error")).to_be_visible()
    audit(axe_page, "the login page with an error")


def test_table_has_no_serious_violations(shared_stack: Stack, axe_page: Any) -> None:
    open_signed_in(axe_page, shared_stack.url)
    # Every column shown (the menu open), on a page with keys of every status.
    axe_page.get_by_role("button", name="Columns", exact=True).click()
    menu = axe_page.get_by_role("group", name="Visible columns")
    for accessor in ALL_COLUMNS:
        menu.get_by_role("checkbox", name=COLUMN_TITLES[accessor], exact=True).check()
    first_page, _ = view(rows_from(shared_stack.records))
    assert {row.status() for row in first_page} == {"active", "expired", "blocked"}
    audit(axe_page, "the keys table with every column and the columns menu open")
    axe_page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    audit(axe_page, "the keys table with every column")


def test_open_drawer_has_no_serious_violations(shared_stack: Stack, axe_page: Any) -> None:
    open_signed_in(axe_page, shared_stack.url)
    first_page, _ = view(rows_from(shared_stack.records))
    # One drawer per status, each with its own badge colours: the whole page with the first,
    # then the drawer alone.
    scope: str | None = None
    for status in ("active", "expired", "blocked"):
        index = next(i for i, row in enumerate(first_page) if row.status() == status)
        rows(axe_page).nth(index).click()
        expect(drawer(axe_page)).to_be_visible()
        # Wait out the opening transition, so axe sees the drawer as people do.
        axe_page.wait_for_function("() => document.getAnimations().length === 0")
        audit(axe_page, f"the open key drawer of an {status} key", scope)
        axe_page.keyboard.press("Escape")
        expect(drawer(axe_page)).to_be_hidden()
        scope = '[role="dialog"]'


def test_filtered_table_and_export_menu_have_no_serious_violations(
    shared_stack: Stack, axe_page: Any
) -> None:
    open_signed_in(axe_page, shared_stack.url)
    # A status chip and a tag on: pressed chips and cards, pills, the multi-select's value.
    filter_chip(axe_page, "status-active").click()
    expect(active_filter(axe_page, "status-active")).to_be_visible()
    active = [row for row in rows_from(shared_stack.records) if row.status() == "active"]
    tag = Counter(tag for row in active for tag in row.tags).most_common(1)[0][0]
    choose_values(axe_page, "tag", {tag: None})
    expect(active_filter(axe_page, f"tag-{tag}")).to_be_visible()
    expect(summary_card(axe_page, "total")).to_have_attribute("data-value", re.compile(r"^\d+$"))

    # The export menu open over it.
    axe_page.get_by_test_id("export-menu").click()
    expect(axe_page.get_by_test_id("export-csv")).to_be_visible()
    axe_page.wait_for_function("() => document.getAnimations().length === 0")
    audit(axe_page, "the filtered keys table with the export menu open")


def test_scope_and_stale_warnings_have_no_serious_violations(
    stack_factory: Any, axe_page: Any
) -> None:
    # Keydash's LiteLLM key sees one user's keys, and LiteLLM has stopped answering.
    stack, _ = start_scoped_stack(stack_factory, UPSTREAM_MAX_ATTEMPTS="1")
    open_signed_in(axe_page, stack.url)
    expect(scope_warning(axe_page)).to_be_visible()
    stack.control.faults(fail_status=500)
    status = poll(lambda: api_status(axe_page), lambda s: s["freshness"]["stale"] is True, 20)
    assert status["freshness"]["stale"] is True, status["freshness"]
    axe_page.get_by_role("button", name="Refresh keys").click()
    expect(stale_warning(axe_page)).to_be_visible()
    expect(stale_warning(axe_page).get_by_test_id("stale-cause")).to_be_visible()
    expect(scope_warning(axe_page)).to_be_visible()
    axe_page.wait_for_function("() => document.getAnimations().length === 0")
    audit(axe_page, "the keys page with the scope warning and the stale warning")
