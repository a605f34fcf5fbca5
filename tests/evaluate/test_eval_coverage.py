"""Missing evidence: which failed sources and scopes make which findings UNKNOWN, never PASS."""

from __future__ import annotations

import datetime as dt

from tests.evaluate.cases import fail_scope, state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate
from trondocs.evaluate.coverage import Coverage
from trondocs.evaluate.models import Status, Verdict
from trondocs.state.models import Collection, ScopeRun, SourceRun
from trondocs.systems import SourceType


def run(name: str, kind: str, ok: bool = True, error: str | None = None, scopes=()) -> SourceRun:
    failed = [ScopeRun(scope=s, ok=False, error="AccessDenied") for s in scopes]
    return SourceRun(name=name, type=SourceType(kind), ok=ok, error=error,
                     started=AS_OF - dt.timedelta(seconds=5), finished=AS_OF, scopes=failed)


def coverage(*runs: SourceRun, names=("full-aws-01", "witness-a", "10.10.0.11")) -> Coverage:
    collection = Collection(started=AS_OF, finished=AS_OF, trondocs_version="t", sources=list(runs))
    return Coverage(collection, names)


AWS_NODE = frozenset({"full-aws-01", "i-0a1b2c3d4e5f60718", "eu-central-1", "eu-west-1", "111122223333"})


def test_unconfigured_and_failed_sources():
    cov = coverage(run("aws", "aws"), run("veeam", "veeam", ok=False, error="401 Unauthorized"))
    assert cov.gaps(["aws"], AWS_NODE) == []
    # not "configured": after `collect -s other` the source is configured, just not read
    assert cov.gaps(["java-tron"]) == [
        "no java-tron source was read (none in sources.yaml, or collect -s left it out)"]
    assert cov.gaps(["veeam"]) == ["source 'veeam' (veeam) failed: 401 Unauthorized"]
    assert cov.configured("veeam") and not cov.configured("n2ws")


def test_failed_scopes_matter_only_to_what_they_hold():
    cov = coverage(run("aws", "aws", ok=False, scopes=["111122223333/eu-west-1", "444455556666/eu-central-1",
                                                        "111122223333/ap-south-1"]))
    (gap,) = cov.gaps(["aws"], AWS_NODE)
    assert gap == "source 'aws' could not read 111122223333/eu-west-1: AccessDenied"
    assert cov.gaps(["aws"], frozenset({"other-node", "us-east-1"})) == []


def test_scopes_by_account_and_by_name():
    cov = coverage(run("aws", "aws", ok=False, scopes=["999988887777"]))
    assert cov.gaps(["aws"], AWS_NODE) == []
    assert cov.gaps(["aws"], frozenset({"eu-central-1"}))  # our account unknown: it may be ours
    cov = coverage(run("tron", "java-tron", ok=False, scopes=["witness-a"]))
    assert cov.gaps(["java-tron"], frozenset({"witness-a"}))
    assert cov.gaps(["java-tron"], frozenset({"full-aws-01"})) == []  # names another node only
    cov = coverage(run("aws", "aws", ok=False, scopes=["backup vaults"]))
    assert cov.gaps(["aws"], AWS_NODE)  # cannot tell what it held: it may be ours


def test_an_unreadable_snapshot_file_hides_every_kind_of_evidence():
    cov = coverage(run("capture", "snapshot", ok=False, error="capture.state.json: no such file"))
    for kind in ("vsphere", "veeam", "aws", "java-tron"):
        assert cov.gaps([kind]) == ["source 'capture' (snapshot) failed: capture.state.json: no such file"]


def test_a_failed_source_never_passes_what_it_would_have_shown(loaded):
    assessment = evaluate(loaded, state_for([{"fail_source": "veeam"}]), as_of=AS_OF)
    veeam_rules = {"TRD201", "TRD202", "TRD203", "TRD204", "TRD205", "TRD206", "TRD301", "TRD302", "TRD303"}
    for f in assessment.findings:
        if f.rule in veeam_rules and f.node in ("witness-a", "full-01"):
            assert f.status is Status.UNKNOWN, (f.rule, f.node, f.status)
            assert "source 'veeam' (veeam) failed: connection refused" in f.message
    # The AWS node's evidence is untouched.
    aws = [f for f in assessment.findings if f.node == "full-aws-01" and f.rule in veeam_rules]
    assert aws and all(f.status is not Status.UNKNOWN for f in aws)
    assert assessment.node("witness-a").rpo.known is False
    assert assessment.node("full-aws-01").rpo.known is True
    assert [s.ok for s in assessment.sources] == [True, False, True, True]


def test_evidence_complete_and_clean_gives_ready(loaded):
    """A healthy estate with every source read is READY: nothing fails, nothing is unknown."""
    from tests.evaluate.cases import patch_plan

    vms = ["tron-witness-01", "tron-witness-02", "tron-full-01", "tron-solidity-01"]
    fixed = [
        {"set_job": {"name": "Replicate TRON nodes", "schedule": {"kind": "periodic", "interval": "15m"},
                     "last_result": "success", "targets": vms}},
        {"set_points": {"kind": "replica", "update": {"encrypted": True}}},
        {"set_points": {"asset": "i-0a1b2c3d4e5f60718", "location": "eu-west-1",
                        "update": {"account": "999988887777", "immutable": True, "medium": "object"}}},
        {"add_failover_plan": {"name": "TRON site failover", "steps": [
            {"asset": "tron-full-01", "delay": "120s"}, {"asset": "tron-solidity-01"}]}},
        {"add_run": {"id": "witness-a-drill", "kind": "drill", "assets": ["tron-witness-01"],
                     "started": "4320m", "finished": "4300m", "result": "success"}},
        {"add_run": {"id": "aws-restore", "kind": "drill", "assets": ["i-0a1b2c3d4e5f60718"],
                     "started": "2880m", "finished": "2860m", "result": "success"}},
    ]
    for vm in vms:
        fixed.append({"retime_points": {"asset": vm, "kind": "replica", "newest": "5m", "every": "10m"}})
    drills = [{"plan": "TRON site failover", "scenario": "autumn", "started": "2026-11-01T07:00:00Z",
               "finished": "2026-11-01T07:20:00Z", "result": "success"},
              {"node": "witness-b", "scenario": "takeover", "started": "2026-11-01T08:00:00Z",
               "finished": "2026-11-01T08:00:20Z", "result": "success"}]
    waiver = {"rule": "TRD401", "node": "full-aws-01", "reason": "two copies are enough for a full node",
              "expires": "2027-01-31"}
    plan = patch_plan(loaded, {"drills+": drills, "waivers+": [waiver],
                               "sites": {"aws-ireland": {"account": "999988887777"}},
                               "nodes": {"witness-a": {"rpo": "1d"}, "witness-b": {"rpo": "1d"}}})
    state = state_for(fixed)
    hour_ago = AS_OF - dt.timedelta(hours=1)
    state = state.model_copy(update={"restore_points": [  # the slow replicas of before the fix are gone
        p for p in state.restore_points if not (p.kind.value == "replica" and p.created < hour_ago)]})
    assessment = evaluate(plan, state, as_of=AS_OF)
    bad = [(f.rule, f.node or f.subject, f.status.value, f.message) for f in assessment.findings
           if f.status not in (Status.PASS, Status.WAIVED)]
    assert bad == [], "\n".join(map(str, bad))
    assert assessment.verdict is Verdict.READY


def test_a_failed_region_makes_its_copies_unknown(loaded):
    state = fail_scope(state_for(), "aws", "111122223333/eu-west-1", drop_region="eu-west-1")
    assessment = evaluate(loaded, state, as_of=AS_OF)
    offsite = next(f for f in assessment.findings if f.rule == "TRD401" and f.node == "full-aws-01")
    assert offsite.status is Status.UNKNOWN
    assert "111122223333/eu-west-1" in offsite.message
    assert assessment.verdict is Verdict.NOT_READY  # other high findings still fail


def test_a_failed_aws_service_matters_only_to_the_evidence_read_from_it():
    cov = coverage(run("aws", "aws", ok=False, scopes=["111122223333/eu-central-1/dlm"]))
    assert cov.gaps(["aws"], AWS_NODE) == []  # restore points: EBS snapshots and vaults were read
    assert cov.gaps(["aws/ec2"], AWS_NODE) == []  # the instance itself too
    assert cov.gaps(["aws/dlm"], AWS_NODE) == [
        "source 'aws' could not read 111122223333/eu-central-1/dlm: AccessDenied"]
    assert cov.gaps(["aws/backup"], AWS_NODE) == []
    cov = coverage(run("aws", "aws", ok=False, scopes=["111122223333/eu-central-1/ec2"]))
    assert all(cov.gaps([t], AWS_NODE) for t in ("aws", "aws/ec2", "aws/dlm", "aws/backup"))
    # one gap however many kinds of its evidence are asked for
    assert len(cov.gaps(["aws", "aws/dlm"], AWS_NODE)) == 1


def test_dlm_failing_keeps_the_snapshot_hole_and_the_missing_copy_visible(loaded):
    """DLM answering 500: the checks judged from EC2's snapshots still FAIL; no PASS stands on
    the missing policies (they become UNKNOWN), and no FAIL is hidden."""
    # the AWS node's snapshots stop 30 hours ago and none was copied to eu-west-1
    ops = [{"drop_points": {"asset": "i-0a1b2c3d4e5f60718", "kind": "copy"}},
           {"shift_points": {"asset": "i-0a1b2c3d4e5f60718", "by": "30h"}}]
    healthy = evaluate(loaded, state_for(ops), as_of=AS_OF)
    broken = evaluate(loaded, fail_scope(state_for(ops), "aws", "111122223333/eu-central-1/dlm"), as_of=AS_OF)

    def of(assessment):
        return {(f.rule, f.subject): f for f in assessment.findings if f.node == "full-aws-01"}

    before, after = of(healthy), of(broken)
    assert before.keys() == after.keys()
    fails = {k for k, f in before.items() if f.status is Status.FAIL}
    assert {"TRD301", "TRD402"} <= {rule for rule, _ in fails}  # the hole, and no offsite copy
    assert all(after[k].status is Status.FAIL for k in fails)
    for key, finding in after.items():
        if finding.status is not before[key].status:  # only a PASS can turn UNKNOWN, naming DLM
            assert (before[key].status, finding.status) == (Status.PASS, Status.UNKNOWN), key
            assert "111122223333/eu-central-1/dlm" in finding.message
    # the points themselves were read: every RPO finding is as it was
    assert {k: f.status for k, f in after.items() if k[0].startswith("TRD3")} == {
        k: f.status for k, f in before.items() if k[0].startswith("TRD3")}


def test_a_copy_only_in_a_dr_accounts_vault_counts_off_site_and_outside_the_account(loaded):
    """What the AWS collector now reads from a DR account's vault (tests/collectors/aws/test_aws_dr.py):
    a COPY point in eu-west-1 of account 444455556666, tied to the instance."""
    from tests.evaluate.cases import patch_plan

    plan = patch_plan(loaded, {"sites+": [{"name": "aws-dr-account", "role": "dr", "media": "cloud-snapshot",
                                           "region": "eu-west-1", "account": "444455556666"}]})
    copy = {"source": "aws", "id": "arn:aws:ec2:eu-west-1::image/ami-0drcopy", "kind": "copy",
            "asset_id": "i-0a1b2c3d4e5f60718", "asset_name": "i-0a1b2c3d4e5f60718", "region": "eu-west-1",
            "account": "444455556666", "repository": "dr-vault", "medium": "cloud-snapshot",
            "encrypted": True, "immutable": True, "job": "AWS hourly snapshots"}
    ops = [{"drop_points": {"asset": "i-0a1b2c3d4e5f60718", "kind": "copy"}}]
    without = evaluate(plan, state_for(ops), as_of=AS_OF)
    with_copy = evaluate(plan, state_for([*ops, {"add_point": {"created": "2h", **copy}}]), as_of=AS_OF)

    def status(assessment, rule):
        return next(f.status for f in assessment.findings if f.rule == rule and f.node == "full-aws-01")

    assert status(without, "TRD403") in (Status.FAIL, Status.WAIVED)
    assert status(without, "TRD406") is Status.FAIL
    assert (status(with_copy, "TRD403"), status(with_copy, "TRD406")) == (Status.PASS, Status.PASS)


def test_an_aws_node_may_name_its_instance_by_its_name_tag(loaded):
    """Only when one instance carries it; two instances with the Name tag leave the node unresolved."""
    from tests.evaluate.cases import patch_plan

    def asset_of(plan, state):
        return evaluate(plan, state, as_of=AS_OF).node("full-aws-01").attribution.asset

    named = patch_plan(loaded, {"nodes": {"full-aws-01": {"runs_on": {
        "source": "aws", "instance": "tron-full-aws-01", "region": "eu-central-1",
        "site": "aws-frankfurt"}}}})
    state = state_for()
    instance = next(a for a in state.assets if a.id == "i-0a1b2c3d4e5f60718")
    tagged = instance.model_copy(update={"name": "tron-full-aws-01"})
    one = state.model_copy(update={"assets": [tagged if a is instance else a for a in state.assets]})
    found = asset_of(named, one)
    assert found is not None and found.id == "i-0a1b2c3d4e5f60718" and found.basis == "name"
    twin = tagged.model_copy(update={"id": "i-0ffff0000ffff0000"})
    two = one.model_copy(update={"assets": [*one.assets, twin]})
    assert asset_of(named, two) is None
