"""The site's "Controls evidenced" page: each control with its status, linking its rules."""

from __future__ import annotations

from trondocs.compliance import FRAMEWORKS


def test_site_page_lists_the_controls_with_status_and_links_to_the_rules(markdown):
    page = markdown["controls.md"]
    assert page.startswith("\n# Controls evidenced") or "# Controls evidenced" in page
    for framework in FRAMEWORKS.values():
        assert f"## {framework.name}" in page.replace("\\", "")
    line = next(line for line in page.splitlines() if line.startswith("| 8.13 |"))
    assert "td-fail" in line and "FAILING" in line
    assert "[**TRD301**](rules.md#trd301)" in line
