"""The PDF appendix "Controls evidenced": each framework's controls with their status."""

from __future__ import annotations

from tests.report.pdftools import page_texts, squash
from trondocs.compliance import FRAMEWORKS, controls_for_assessment


def test_pdf_appendix_lists_every_framework_and_the_controls_status(signed_report, assessment):
    # Chapters follow on the same page (no near-blank pages): find the section in the whole text.
    whole = squash(" ".join(page_texts(signed_report)))
    appendix = whole[whole.index(squash("The controls of each framework")):]
    for framework in FRAMEWORKS.values():
        assert squash(framework.name) in appendix, framework.name
    for key in FRAMEWORKS:
        for result in controls_for_assessment(assessment, key):
            status = result.status.value.replace("-", " ")
            assert squash(f"{result.control} {result.title} {status}") in appendix, result


def test_appendix_statuses_come_from_the_findings_of_each_controls_rules(assessment):
    from trondocs.evaluate.rules import catalogue
    from trondocs.render.report.appendix import controls_tables

    mapped = assessment.model_copy(update={"rules": [r.info for r in catalogue()]})
    tables = {t.framework: t.table for t in controls_tables(mapped)}
    assert list(tables) == [f.name for f in FRAMEWORKS.values()]
    iso = {row.cells[0]: row for row in tables[FRAMEWORKS["iso27001"].name].rows}
    failing = {f.rule for f in mapped.findings if f.status.value == "fail"}
    assert "TRD201" in failing  # the hand-built assessment: a declared job missing (8.13, Information backup)
    assert iso["8.13"].cells[2] == "failing" and iso["8.13"].status == "fail"
    assert "TRD201" in iso["8.13"].cells[3].split(", ")
