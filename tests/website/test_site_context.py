"""Page contexts are data: checked against the assessment without rendering any template."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.factories import AS_OF
from tests.website.conftest import AS_OF_TEXT, example_data, finding, with_findings
from trondocs.evaluate.models import Change, Severity, Status, Verdict
from trondocs.render.rule_docs import paragraphs, prose
from trondocs.render.website import context as ctx
from trondocs.render.website.runbooks import runbooks_index_page, scenarios_for


def test_dashboard_states_the_verdict_counts_and_every_node_against_its_objectives(data):
    page = ctx.dashboard_page(data)
    assert data.assessment.verdict is Verdict.NOT_READY
    assert (page.verdict.text, page.verdict.tone) == ("NOT READY", "fail")
    assert page.as_of == AS_OF_TEXT
    by_severity = {row.severity.text: (row.failing, row.unknown, row.waived) for row in page.severities}
    expected = {s.value: tuple(sum(1 for f in data.assessment.findings if f.severity is s and f.status is st)
                               for st in (Status.FAIL, Status.UNKNOWN, Status.WAIVED)) for s in Severity}
    assert by_severity == expected
    assert by_severity["critical"][0] == 1 and by_severity["high"][2] == 1  # the stale replica; the waiver
    assert [row.severity.text for row in page.severities] == ["critical", "high", "medium", "low"]
    rows = {row.name: row for row in page.nodes}
    assert list(rows) == ["witness-a", "witness-b", "full-01", "solidity-01", "full-aws-01"]
    # witness-a: newest point 38m old against an RPO of 15m; no measured recovery.
    assert (rows["witness-a"].rpo_achieved, rows["witness-a"].rpo_target, rows["witness-a"].rpo.text) == (
        "38m", "15m", "FAIL")
    assert (rows["witness-a"].rto_achieved, rows["witness-a"].rto.text) == ("—", "UNKNOWN")
    # full-01: 38m against a day; the July drill took 24m 10s against 30m (Veeam's 20m 25s session
    # inside it is part of the drill).
    assert (rows["full-01"].rpo_achieved, rows["full-01"].rpo_target, rows["full-01"].rpo.text) == (
        "38m", "1d", "PASS")
    assert (rows["full-01"].rto_achieved, rows["full-01"].rto_target, rows["full-01"].rto.text) == (
        "24m 10s", "30m", "PASS")
    assert rows["full-aws-01"].rpo_achieved == "13m"
    assert rows["full-aws-01"].page == "nodes/full-aws-01.md"
    assert rows["witness-b"].failing == sum(
        1 for f in data.assessment.findings if f.node == "witness-b" and f.status is Status.FAIL)
    assert page.failed_sources == []
    assert [s.name for s in page.sources] == ["vcenter", "veeam", "aws", "tron-nodes"]
    assert page.baseline_at is None
    # What needs attention: failing and unknown only, worst first (the critical stale replica leads).
    assert page.top_findings[0].rule == "TRD503" and page.top_findings[0].node == "witness-b"
    assert all(f.status.text in ("FAIL", "UNKNOWN") for f in page.top_findings)


def test_dashboard_names_failed_sources_and_their_checks_stay_unknown():
    data = example_data(failed_sources=("aws",))
    page = ctx.dashboard_page(data)
    assert page.failed_sources == ["aws"]
    assert {s.name: s.ok.text for s in page.sources}["aws"] == "FAILED"
    aws = next(row for row in page.nodes if row.name == "full-aws-01")
    assert (aws.rpo.text, aws.rpo_achieved) == ("UNKNOWN", "unknown")


def test_dashboard_lists_new_and_resolved_findings_since_the_baseline(data):
    new = finding("TRD301", "full-01", change=Change.NEW)
    gone = finding("TRD205", "witness-a", status=Status.PASS, change=Change.RESOLVED)
    changed = with_findings(data, [new], resolved=[gone], baseline_at=AS_OF - dt.timedelta(days=1))
    page = ctx.dashboard_page(changed)
    assert page.baseline_at == "2026-11-19 06:00 UTC"
    assert [(f.rule, f.node, f.change) for f in page.new_findings] == [("TRD301", "full-01", "new")]
    assert [(f.rule, f.node) for f in page.resolved_findings] == [("TRD205", "witness-a")]


def test_findings_page_groups_by_status_and_shows_the_waiver(data):
    page = ctx.findings_page(data)
    groups = {heading: rows for heading, _, rows in page.groups}
    assert [len(groups[h]) for h in ("Failing", "Unknown", "Waived")] == [
        data.assessment.summary.by_status.get(s, 0) for s in ("fail", "unknown", "waived")]
    assert sum(r.count for r in page.passing) == data.assessment.summary.by_status["pass"]
    trd301 = next(r for r in page.passing if r.rule == "TRD301")  # witnesses fail it, the others pass
    assert (trd301.count, trd301.rule_link) == (3, "rules.md#trd301")
    failing = [f.rule for f in data.assessment.findings if f.status == "fail"]
    assert [f.rule for f in groups["Failing"]] == failing
    waived = groups["Waived"][0]
    assert (waived.rule, waived.node, waived.status.text) == ("TRD403", "full-aws-01", "WAIVED")
    assert waived.waiver == ("chain data is public; re-syncing from peers is the recovery path for this node "
                             "(until 2027-03-31, approved by Ioana Marin (CTO))")
    assert waived.rule_link == "rules.md#trd403"
    plan_level = next(f for f in groups["Failing"] if f.rule == "TRD102")
    assert (plan_level.node, plan_level.node_link, plan_level.subject) == ("plan", None, "tron-full-02")
    assert page.waivers[0][:4] == ("TRD403", "full-aws-01", data.plan.waivers[0].reason, "2027-03-31")
    assert page.waivers[0][4].text == "active"


def test_node_page_carries_its_evidence(data):
    page = ctx.node_page(data, "witness-b")
    assert page.page == "nodes/witness-b.md" and page.runbook_link == "../runbooks/witness-b.md"
    assert page.role == "witness (priority 2)"
    where = dict(page.where)
    assert where["VM"] == "tron-witness-02" and where["Host"] == "esx-02.buc.carpathian-nodes.ro"
    assert where["Datastores"] == "ds-buc-ssd-02"
    assert dict(page.health)["Behind by"] == "1 blocks"
    jobs = {j.protection: j for j in page.jobs}
    assert jobs["TRON replication"].job == "Replicate TRON nodes"
    assert (jobs["TRON replication"].planned, jobs["TRON replication"].schedule) == ("every 15m", "every 1h")
    assert jobs["TRON replication"].last_result.text == "warning"
    assert dict(page.rpo_facts)["Its age"] == "3h 6m" and page.rpo_badge.text == "FAIL"
    assert page.chart is not None and page.chart.path == "assets/charts/rpo-witness-b.svg"
    assert page.chart.src == "../assets/charts/rpo-witness-b.svg" and "RPO 15m" in page.chart.svg
    assert page.points_total == 35 and len(page.points) == 10
    assert page.points[0].created == "2026-11-20 02:54 UTC" and page.points[0].kind == "copy"
    assert {r.protection for r in page.chains} == {"TRON nightly backup", "TRON replication"}
    # The replica's newest point is 2d 3h old: stale, shown but not counted (production + backup share
    # buc-dc1/disk; the tier copy at s3-frankfurt is the other domain).
    assert dict((c[0], c[2]) for c in page.copies_check)["Independent copies"] == "2"
    replica = [c.standing for c in page.copies if c.label == "TRON replication"]
    assert replica == ["no: newest point older than 30m"]
    assert dict(page.rto_facts)["Latest measured"] == "21s"
    assert dict(page.impact)["Blocks at risk"] == "1"  # 21 s can span the SR's slot: worst case
    assert page.findings[0].rule == "TRD503" and all(f.status.text != "PASS" for f in page.findings)
    assert len(page.findings) + len(page.passing) == len(data.assessment.findings_for("witness-b"))


def test_node_page_of_an_aws_node(data):
    page = ctx.node_page(data, "full-aws-01")
    where = dict(page.where)
    assert (where["Instance"], where["Region"], where["Availability zone"]) == (
        "i-0a1b2c3d4e5f60718", "eu-central-1", "eu-central-1a")
    assert page.jobs[0].job == "tron-hourly" and page.jobs[0].found.text == "enabled"
    assert any(f.status.text == "WAIVED" and f.rule == "TRD403" for f in page.findings)


def test_runbook_scenarios_follow_the_protection(data):
    keys = {n.name: [s.key for s in scenarios_for(data, n)] for n in data.plan.nodes}
    vsphere = ["quick_rollback", "instant_recovery", "file_restore",
               "failover", "planned_failover", "failback"]
    assert keys["witness-a"] == [*vsphere, "witness_takeover"]
    assert keys["witness-b"] == [*vsphere, "witness_takeover"]
    assert keys["full-01"] == vsphere and keys["solidity-01"] == vsphere
    assert keys["full-aws-01"] == ["ebs_restore", "cross_region_restore"]


def test_runbooks_carry_the_real_names(data):
    full = {s.key: s for s in ctx.runbook_page(data, "full-01").scenarios}
    failover = full["failover"]
    assert (failover.replica, failover.dr_host, failover.dr_site, failover.job) == (
        "tron-full-01_replica", "esx-dr-01.cluj.carpathian-nodes.ro", "cluj-dr", "Replicate TRON nodes")
    assert failover.plan == "TRON site failover" and failover.boot_total == "2m"
    assert [(b.node, b.vm, b.delay) for b in failover.boot] == [
        ("full-01", "tron-full-01_replica", "2m"), ("solidity-01", "tron-solidity-01_replica", "0s")]
    rollback = full["quick_rollback"]
    assert (rollback.job, rollback.host, rollback.datastore) == (
        "Backup TRON nodes", "esx-01.buc.carpathian-nodes.ro", "ds-buc-ssd-01")
    assert rollback.restore_point.endswith("of 2026-11-20 02:04 UTC in repository 'SOBR TRON' (buc-dc1)")
    assert rollback.warnings == []
    # The replica's newest point is 38m old, beyond twice the planned 15m: the runbook says so first.
    assert failover.warnings == ["the newest replica point is 38m old, beyond 30m"]
    aws = {s.key: s for s in ctx.runbook_page(data, "full-aws-01").scenarios}
    assert (aws["ebs_restore"].region, aws["ebs_restore"].zone, aws["ebs_restore"].volumes) == (
        "eu-central-1", "eu-central-1a", "vol-0aa11bb22cc33dd44")
    assert aws["ebs_restore"].snapshot_id == "snap-00000000000000000"
    assert (aws["cross_region_restore"].copy_region, aws["cross_region_restore"].copy_snapshot_id) == (
        "eu-west-1", "snap-10000000000000000")
    takeover = {s.key: s for s in ctx.runbook_page(data, "witness-a").scenarios}["witness_takeover"]
    assert [(w.name, w.priority) for w in takeover.standbys] == [("witness-a", "1"), ("witness-b", "2")]
    assert takeover.takeover == "42s"  # 14 × the declared 3 s keepAliveInterval


def test_runbooks_end_with_a_head_block_check_against_the_network(data):
    solidity = ctx.runbook_page(data, "solidity-01").verify
    assert (solidity.endpoint, solidity.path, solidity.max_lag) == (
        "http://10.10.0.22:8091", "/walletsolidity/getnowblock", 20)
    witness = ctx.runbook_page(data, "witness-a").verify
    assert witness.path == "/wallet/getnowblock" and witness.last_head == "77412960"
    assert witness.sr_hex.startswith("41") and len(witness.sr_hex) == 42
    assert ctx.runbook_page(data, "full-01").verify.sr_hex == ""


def test_runbooks_check_against_the_plans_reference_endpoint(data):
    assert ctx.runbook_page(data, "full-01").verify.reference == "https://api.trongrid.io"
    settings = data.plan.settings.model_copy(update={"reference_endpoint": "https://tron.example.org:8090"})
    other = dataclasses.replace(data, plan=data.plan.model_copy(update={"settings": settings}))
    assert ctx.runbook_page(other, "full-01").verify.reference == "https://tron.example.org:8090"


def test_runbook_index_links_each_scenario_anchor(data):
    rows = {r.name: r for r in runbooks_index_page(data).rows}
    assert rows["full-aws-01"].scenarios == [
        ("Restore from an EBS snapshot", "full-aws-01.md#ebs-restore"),
        ("Restore from the cross-region copy", "full-aws-01.md#cross-region-restore")]


def test_drills_page_history_and_due_dates(data):
    page = ctx.drills_page(data)
    assert [(d.subject, d.scenario, d.took, d.result.text) for d in page.drills] == [
        ("witness-b", "standby witness takeover", "21s", "success"),
        ("TRON site failover", "failover to replica", "24m 10s", "success")]
    assert page.drills[1].link == "plan.md#failover-plans"
    due = {d.node: d for d in page.due}
    assert due["full-01"].next_due == "2026-09-12 07:00 UTC" and due["full-01"].state.tone == "fail"
    assert due["full-01"].state.text.startswith("OVERDUE by 68d")
    assert due["witness-a"].state.text == "never tested"
    assert due["witness-a"].state.tone == "fail" and due["full-aws-01"].state.text == "never tested"
    assert page.overdue == 5
    assert page.runs[0].name == "Planned failover TRON site" and page.runs[0].took == "20m 25s"
    plan = page.plans[0]
    assert (plan.name, plan.target, plan.latest_text, plan.latest.text, plan.worst) == (
        "TRON site failover", "30m", "24m 10s", "PASS", "24m 10s")
    assert plan.state.tone == "fail" and plan.next_due == "2026-09-12 07:00 UTC"


def test_rules_page_comes_from_the_catalogue(data):
    page = ctx.rules_page(data)
    rules = page.rules
    assert {r.id for r in rules} == {r.id for r in data.rules}
    trd601 = next(r for r in rules if r.id == "TRD601")
    assert trd601.failing == 5 and trd601.nodes == 5 and trd601.anchor == "trd601"


def test_rules_page_documents_each_rule_from_its_metadata_and_docstring(data, markdown):
    """The page shows what each rule decides, from the docstring of its check (no output
    showed RuleInfo.doc before), with its rationale, fix and controls: escaped once."""
    page = markdown["rules.md"]
    for rule in data.rules:
        section = page.split(f"## {rule.id} — ", 1)[1].split("\n## ", 1)[0]
        how, *more = paragraphs(rule.doc)
        assert f"**How it decides:** {prose(how, gfm=False)}" in section, rule.id
        assert all(prose(p, gfm=False) in section for p in more), rule.id
        assert f"**Why:** {prose(rule.rationale, gfm=False)}" in section, rule.id
        assert f"**Fix:** {prose(rule.remediation, gfm=False)}" in section, rule.id
        assert all(f"- `{key}` " in section for key in rule.controls), rule.id
    assert "&amp;#39;" not in page and "&amp;amp;" not in page  # escaped once, not twice


def test_plan_page_diagrams_and_tables(data):
    page = ctx.plan_page(data)
    assert [s.name for s in page.sites] == [
        "buc-dc1", "cluj-dr", "s3-frankfurt", "aws-frankfurt", "aws-ireland"]
    assert next(n for n in page.nodes if n.name == "solidity-01").depends_on == "full-01"
    assert dict(page.defaults) == {
        "RPO": "1d", "RTO": "30m", "DR test every": "60d", "Max sync lag": "20 blocks"}
    assert [p.path for p in page.pictures] == ["assets/diagrams/dependencies.svg",
                                               "assets/diagrams/boot-tron-site-failover.svg"]
    plan = page.failover_plans[0]
    assert (plan.name, plan.to, plan.total_delay) == ("TRON site failover", "cluj-dr", "2m")
    assert [(s.node, s.starts_at, s.delay) for s in plan.steps] == [("full-01", "+0s", "2m"),
                                                                    ("solidity-01", "+2m", "0s")]
    replication = next(p for p in page.protection if p.name == "TRON replication")
    assert replication.timing == "every 15m" and replication.keep == "7 points"


def test_downloads_and_about(data):
    assert ctx.downloads_page(data).report_pdf is False
    about = ctx.about_page(data)
    assert about.sources == "vcenter (vsphere), veeam (veeam), aws (aws), tron-nodes (java-tron)"
    assert (about.nodes, about.version) == (5, "0.0-test")


def test_dashboard_lists_what_changed_in_the_sources_since_the_baseline(data):
    from dataclasses import replace

    from tests.factories import example_state
    from trondocs.state.models import DiscoveredSchedule, ScheduleKind

    baseline = example_state(failed_sources=("aws",))
    every_15m = DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(minutes=15))
    jobs = [j.model_copy(update={"schedule": every_15m, "last_result": "success"})
            if j.name == "Replicate TRON nodes" else j for j in baseline.jobs]
    assets = [a for a in baseline.assets if a.name != "tron-full-02"]
    baseline = baseline.model_copy(update={"jobs": jobs, "assets": assets})
    page = ctx.dashboard_page(replace(data, baseline=baseline))
    assert [(c.area, c.name, c.change) for c in page.state_changes] == [
        ("asset", "tron-full-aws-01", "new instance"),
        ("asset", "tron-full-02", "new vm"),
        ("job", "tron-hourly", "new job"),
        ("job", "Replicate TRON nodes", "schedule every 15m → every 1h"),
        ("job", "Replicate TRON nodes", "last result success → warning"),
        ("source", "aws", "read again"),
    ]
    assert ctx.dashboard_page(data).state_changes == []  # no baseline, nothing to compare


def test_rules_page_is_ordered_by_rule_id(data):
    ids = [r.id for r in ctx.rules_page(data).rules]
    assert ids == sorted(ids) and len(ids) > 10


def test_runbooks_keep_a_declared_max_sync_lag_of_zero(data):
    full = data.plan.node("full-01")
    strict = data.plan.model_copy(update={"nodes": [
        n.model_copy(update={"max_sync_lag": 0}) if n is full else n for n in data.plan.nodes]})
    assert ctx.runbook_page(dataclasses.replace(data, plan=strict), "full-01").verify.max_lag == 0
