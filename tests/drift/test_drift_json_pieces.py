"""The json format is made a list item at a time (bounded memory for a large estate) and gives
the very text one ``json.dumps(document, indent=2)`` of the whole document gives."""

from __future__ import annotations

import json

from tests.drift.builders import clean_assessment, finding, make_assessment, mixed_assessment
from trondocs.evaluate.models import Assessment, Status
from trondocs.render.drift import json as drift_json


def _whole(assessment: Assessment) -> str:
    return json.dumps(drift_json.document(assessment), indent=2, ensure_ascii=False) + "\n"


def test_item_by_item_is_the_whole_document_text() -> None:
    for assessment in (mixed_assessment(), clean_assessment()):
        assert drift_json.render(assessment) == _whole(assessment)


def test_names_with_newlines_quotes_and_brackets_stay_one_string() -> None:
    tricky = 'line one\nline two\n    },\n    {"injected": true} — ünïcode \\ "quoted"'
    assessment = make_assessment([finding("TRD101", Status.FAIL, node=tricky, message=tricky)])
    text = drift_json.render(assessment)
    assert text == _whole(assessment)
    assert json.loads(text)["findings"][0]["node"] == tricky


def test_no_findings_is_an_empty_list() -> None:
    assessment = make_assessment([])
    text = drift_json.render(assessment)
    assert text == _whole(assessment)
    assert '"findings": []' in text
