"""The drift pipeline's decisions: --as-of, --format/--output, the exit code, where paths start."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.drift.builders import finding, make_assessment
from trondocs.evaluate.models import Severity, SourceSummary, Status
from trondocs.times import parse_as_of
from trondocs.workflow.drift import (
    OutputSpec,
    exit_code,
    parse_fail_on,
    parse_outputs,
    repository_root,
)
from trondocs.workflow.outcome import ExitCode, UsageError

UTC = dt.UTC


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-20T06:00:00Z", dt.datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
    ("2026-11-20T06:00:00z", dt.datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
    ("2026-11-20T08:00:00+02:00", dt.datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),
    ("2026-11-20T06:00", dt.datetime(2026, 11, 20, 6, 0, tzinfo=UTC)),  # no zone: UTC
    ("2026-11-20", dt.datetime(2026, 11, 20, 0, 0, tzinfo=UTC)),
    (" 2026-11-20 06:30:15Z ", dt.datetime(2026, 11, 20, 6, 30, 15, tzinfo=UTC)),
])
def test_as_of_accepts_iso_times_and_dates(text, expected):
    parsed = parse_as_of(text)
    assert parsed == expected and parsed.tzinfo is UTC


def test_as_of_now_and_none():
    before = dt.datetime.now(UTC)
    assert before <= parse_as_of("now") <= dt.datetime.now(UTC)
    assert parse_as_of(None) is None


@pytest.mark.parametrize("text", ["garbage", "2026-13-01", "yesterday", "", "1700000000"])
def test_as_of_garbage_is_a_usage_error_with_a_hint(text, run_cli, tmp_path):
    with pytest.raises(ValueError) as caught:
        parse_as_of(text)
    message = str(caught.value)
    assert message.startswith(f"--as-of {text!r} is not a time")
    assert "2026-11-20T06:00:00Z" in message and "\n" not in message
    result = run_cli("drift", "--state", tmp_path / "state.json", "--as-of", text)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith(f"error: {message}\n")


def test_outputs_default_to_text_on_stdout():
    assert parse_outputs((), None) == [OutputSpec("text", None)]


def test_each_format_may_have_its_own_file():
    specs = parse_outputs(("markdown=drift.md", "sarif = out/drift.sarif", "github"), None)
    assert specs == [OutputSpec("markdown", Path("drift.md")), OutputSpec("sarif", Path("out/drift.sarif")),
                     OutputSpec("github", None)]


def test_output_serves_the_one_format_without_a_file(tmp_path):
    target = tmp_path / "drift.json"
    assert parse_outputs(("JSON",), target) == [OutputSpec("json", target)]
    assert parse_outputs(("sarif=a.sarif", "json"), target)[1] == OutputSpec("json", target)
    assert parse_outputs((), target) == [OutputSpec("text", target)]
    assert parse_outputs(("json=-",), None) == [OutputSpec("json", None)]


@pytest.mark.parametrize(("specs", "output", "fragment"), [
    (("sarrif",), None, "unknown format; did you mean 'sarif'?"),
    (("yaml",), None, "choose from text, json, markdown, sarif, junit, github, prometheus"),
    (("json=",), None, "give a file after '='"),
    (("json", "text"), None, "only one format can go to standard output"),
    (("json", "text"), "out.txt", "--output serves exactly one --format without its own file"),
    (("json=a.json",), "out.txt", "--output serves exactly one --format"),
    (("json=a.json", "sarif=a.json"), None, "two formats would write the same file"),
])
def test_bad_format_requests(specs, output, fragment):
    with pytest.raises(UsageError) as caught:
        parse_outputs(specs, None if output is None else Path(output))
    assert fragment in str(caught.value)


def test_fail_on():
    assert parse_fail_on("never") is None
    assert parse_fail_on("critical") is Severity.CRITICAL


OK_SOURCE = [SourceSummary(name="vcenter", type="vsphere", ok=True)]


@pytest.mark.parametrize(("fail_on", "expected"), [
    (Severity.LOW, ExitCode.FINDINGS), (Severity.MEDIUM, ExitCode.FINDINGS), (Severity.HIGH, ExitCode.OK),
    (Severity.CRITICAL, ExitCode.OK), (None, ExitCode.OK)])
def test_exit_code_follows_the_threshold(fail_on, expected):
    assessment = make_assessment([finding("TRD205", Status.FAIL), finding("TRD301", Status.PASS)],
                                 sources=OK_SOURCE)
    assert exit_code(assessment, fail_on) == expected


def test_waived_and_passing_findings_never_fail_the_run():
    assessment = make_assessment([finding("TRD503", Status.WAIVED), finding("TRD301", Status.PASS)],
                                 sources=OK_SOURCE)
    assert exit_code(assessment, Severity.LOW) == ExitCode.OK


def test_unknown_evidence_is_exit_3_unless_something_fails_at_the_threshold():
    assessment = make_assessment([finding("TRD701", Status.UNKNOWN), finding("TRD601", Status.FAIL)],
                                 sources=OK_SOURCE)
    assert exit_code(assessment, Severity.HIGH) == ExitCode.INCOMPLETE
    assert exit_code(assessment, Severity.LOW) == ExitCode.FINDINGS
    assert exit_code(assessment, None) == ExitCode.OK


def test_a_failed_source_alone_makes_the_evidence_incomplete():
    assessment = make_assessment([finding("TRD301", Status.PASS)],
                                 sources=[SourceSummary(name="aws", type="aws", ok=False, error="timeout")])
    assert exit_code(assessment, Severity.HIGH) == ExitCode.INCOMPLETE


def test_repository_root_is_the_git_work_tree(tmp_path, monkeypatch):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "plan" / "inventory").mkdir(parents=True)
    assert repository_root(tmp_path / "repo" / "plan" / "inventory") == tmp_path / "repo"
    (tmp_path / "loose").mkdir()
    monkeypatch.chdir(tmp_path / "loose")
    assert repository_root(tmp_path / "loose") == tmp_path / "loose"
