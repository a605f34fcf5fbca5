"""github: workflow commands on the plan's lines, escaped the way @actions/core escapes them."""

from __future__ import annotations

from tests.drift.builders import finding, make_assessment
from trondocs.diagnostics import Location
from trondocs.evaluate.models import Severity, Status
from trondocs.render.drift import RenderOptions, github


def test_escaping_follows_the_actions_toolkit():
    assert github.escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert github.escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert github.command("error", "x", file="a,b.yaml", line=3, title="T: 1") == \
        "::error file=a%2Cb.yaml,line=3,title=T%3A 1::x"
    assert github.command("notice", "plain") == "::notice::plain"


def test_annotations_worst_first_with_file_line_and_column(mixed):
    lines = github.render(mixed).splitlines()
    assert lines[0] == ("::error file=inventory/nodes.yaml,line=12,col=5,"
                        "title=TRD503 Standby witness not ready"
                        "::standby replica is stale | <b>not</b> ready%0AFix: How to fix TRD503.")
    assert lines[1] == ("::error file=inventory/nodes.yaml,line=12,col=5,"
                        "title=TRD301 Newest restore point older than the RPO::"
                        "newest restore point is 2d 3h old, "
                        "RPO 15m: 100%25 over, a,b:c%0Asecond line%0AFix: How to fix TRD301.")
    assert lines[2].startswith("::warning title=TRD205 Last run failed or warned::")
    assert lines[3].startswith("::notice title=TRD601 DR test overdue::")
    assert lines[4].startswith("::notice file=inventory/nodes.yaml,line=33,col=5,"
                               "title=TRD701 Node unreachable (evidence missing)::")
    assert lines[5] == ("::notice file=inventory/nodes.yaml,line=33,col=5,"
                        "title=TRD403 No offsite copy (waived)"
                        "::No offsite copy (full-aws-01) — waived until 2027-03-31: chain data is public, "
                        "re-sync: from peers (approved by Ioana Marin (CTO))")
    assert lines[-1].startswith("::notice title=trondocs drift::not-ready: 4 failing")
    assert len(lines) == 7  # six non-passing findings and the summary; passing ones stay quiet


def test_every_line_is_one_command(mixed):
    for line in github.render(mixed).splitlines():
        assert line.startswith("::") and line.count("::") >= 2
        assert "\n" not in line and "\r" not in line


def test_severity_picks_the_command():
    for severity, name in ((Severity.CRITICAL, "error"), (Severity.HIGH, "error"),
                           (Severity.MEDIUM, "warning"), (Severity.LOW, "notice")):
        output = github.render(make_assessment([finding("TRD301", Status.FAIL, severity=severity)]))
        assert output.startswith(f"::{name} file=inventory/nodes.yaml,line=4,col=5,")


def test_fallback_location_and_properties_escaped():
    plan_wide = finding("TRD205", Status.FAIL, None, line=None, subject="Job: nightly, copy")
    options = RenderOptions(fallback_location=Location(file="inv/org, main.yaml", line=2, column=1))
    first = github.render(make_assessment([plan_wide]), options).splitlines()[0]
    assert first.startswith("::warning file=inv/org%2C main.yaml,line=2,col=1,"
                            "title=TRD205 Last run failed or "
                            "warned::")


def test_wrapped_remediation_is_unwrapped():
    wrapped = finding("TRD301", Status.FAIL).model_copy(update={
        "remediation": "Run the job now,\n    then fix its schedule.\n\n    See TRD2xx."})
    first = github.render(make_assessment([wrapped])).splitlines()[0]
    assert first.endswith("%0AFix: Run the job now, then fix its schedule.%0A%0ASee TRD2xx.")
