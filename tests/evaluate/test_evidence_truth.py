"""The verdicts issue 12 found wrong, each on an estate built from the vendors' documented shapes.

Each test names the wrong verdict it guards against; the estate is ``truth_estate.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.evaluate.truth_estate import AS_OF, INSTANCE, PLAN, VMS, estate, failed, load, uid
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, CopyStanding, Finding, Status
from trondocs.plan.models import Medium
from trondocs.state.models import RestorePoint, RestorePointKind, SourceRun
from trondocs.systems import SourceType


def finding(
    assessment: Assessment, rule: str, node: str | None = None, subject: str | None = None
) -> Finding:
    found = [
        f
        for f in assessment.findings
        if f.rule == rule and (node is None or f.node == node) and (subject is None or f.subject == subject)
    ]
    assert len(found) == 1, (rule, node, subject, [(f.node, f.subject, f.status) for f in found])
    return found[0]


def with_points(state, *points: RestorePoint):
    return state.model_copy(update={"restore_points": [*state.restore_points, *points]})


def vm_snapshot(vm: str, n: int, created: dt.datetime, *, replica: bool = False) -> RestorePoint:
    """A snapshot as the vSphere collector writes it: of the VM itself, or of its replica VM."""
    number, _ = VMS[vm]
    where = (
        dict(datastore="ds-ams-01", host="esx-ams-01.danube.example", cluster="ams-dr", datacenter="AMS")
        if replica
        else dict(
            datastore="ds-fra-01", host="esx-fra-01.danube.example", cluster="fra-prod", datacenter="FRA"
        )
    )
    return RestorePoint(
        source="vcenter",
        id=f"snapshot-{n}",
        kind=RestorePointKind.REPLICA if replica else RestorePointKind.SNAPSHOT,
        asset_id=uid(number),
        asset_name=vm,
        created=created,
        location=where["datastore"],
        medium=Medium.DISK,
        name=f"snapshot {n}",
        **where,
    )


@pytest.fixture
def plan(tmp_path):
    return load(tmp_path)


def test_the_estate_is_healthy_where_it_should_be(plan):
    a = evaluate(plan, estate(), as_of=AS_OF)
    assert finding(a, "TRD301", "witness-1").status is Status.PASS
    assert finding(a, "TRD104", "witness-1").status is Status.PASS
    assert finding(a, "TRD407", "witness-1", "replicas").status is Status.PASS


def test_a_snapshot_of_the_production_vm_is_no_restore_point_and_no_copy(plan):
    """Wrong before: a fresh VMware snapshot on the VM's own datastore passed RPO and 3-2-1."""
    stale = estate(replica_newest=dt.timedelta(hours=3))  # the replicas stopped three hours ago
    base = evaluate(plan, stale, as_of=AS_OF)
    a = evaluate(
        plan, with_points(stale, vm_snapshot("sr-witness-1", 1, AS_OF - dt.timedelta(minutes=2))), as_of=AS_OF
    )
    rpo = finding(a, "TRD301", "witness-1")
    assert rpo.status is Status.FAIL and "3h" in rpo.message
    node = a.node("witness-1")
    assert node.copies.independent_copies == base.node("witness-1").copies.independent_copies
    assert [s.id for s in node.attribution.vm_snapshots] == ["snapshot-1"]
    assert node.attribution.points_total == base.node("witness-1").attribution.points_total
    assert finding(a, "TRD901", "witness-1").status is Status.PASS  # two minutes old: no hygiene problem


def test_an_old_vm_snapshot_is_a_hygiene_warning(plan):
    old = vm_snapshot("sr-full-1", 2, AS_OF - dt.timedelta(days=9))
    a = evaluate(plan, with_points(estate(), old), as_of=AS_OF)
    hygiene = finding(a, "TRD901", "full-1")
    assert hygiene.status is Status.FAIL and "9d" in hygiene.message


def test_replica_vm_snapshots_and_veeam_replica_points_are_one_chain(plan):
    """Wrong before: vSphere's snapshots of the replica VM counted as a second replica copy."""
    state = estate()
    base = evaluate(plan, state, as_of=AS_OF).node("witness-1")
    veeam_times = sorted(
        p.created
        for p in state.restore_points
        if p.asset_name == "sr-witness-1" and p.kind is RestorePointKind.REPLICA
    )
    doubled = with_points(
        state, *(vm_snapshot("sr-witness-1", 10 + i, t, replica=True) for i, t in enumerate(veeam_times))
    )
    node = evaluate(plan, doubled, as_of=AS_OF).node("witness-1")
    assert [r.kind for r in node.rpo.per_protection].count("replica") == 1
    assert node.attribution.folded_replica_snapshots == 7
    assert node.copies.independent_copies == base.copies.independent_copies
    assert len(node.copies.copies) == len(base.copies.copies)
    # With Veeam down, vSphere's view of the replica VM is the chain: still one, at the DR site.
    only_vsphere = evaluate(plan, failed(doubled, "veeam"), as_of=AS_OF).node("witness-1")
    replicas = [r for r in only_vsphere.rpo.per_protection if r.kind == "replica" and r.count]
    assert [(r.protection, r.site, r.count) for r in replicas] == [("replicas", "ams", 7)]


def test_a_copy_is_where_its_source_says_not_where_the_plan_says(tmp_path):
    """Wrong before: a backup landed at the plan's 'to' site whatever repository it was in."""
    unclaimed = load(
        tmp_path, PLAN.replace("repositories: [fra-hardened, SOBR FRA]", "repositories: [fra-hardened]")
    )
    a = evaluate(unclaimed, estate(), as_of=AS_OF)
    placed = finding(a, "TRD104", "witness-1")
    assert placed.status is Status.FAIL and "repository 'SOBR FRA'" in placed.message
    assert finding(a, "TRD407", "witness-1", "nightly").status is not Status.PASS
    nightly = next(c for c in a.node("witness-1").copies.copies if c.label == "nightly")
    assert (nightly.site, nightly.standing, nightly.offsite) == (None, CopyStanding.UNPLACED, None)

    elsewhere = load(
        tmp_path,
        PLAN.replace("repositories: [fra-hardened, SOBR FRA]", "repositories: [fra-hardened]").replace(
            "hosts: [esx-ams-01.danube.example]}",
            "hosts: [esx-ams-01.danube.example], repositories: [SOBR FRA]}",
        ),
    )
    moved = evaluate(elsewhere, estate(), as_of=AS_OF)
    landed = finding(moved, "TRD407", "witness-1", "nightly")
    assert landed.status is Status.FAIL and "at ams; the plan says fra" in landed.message


def test_immutability_is_what_the_source_reports_not_the_sites_flag(tmp_path):
    """Wrong before: an unreported immutability fell back to the site's 'immutable: true'."""
    plan = load(
        tmp_path,
        PLAN.replace('    account: "777788889999"\n', '    account: "777788889999"\n    immutable: true\n'),
    )
    state = estate()
    unreported = state.model_copy(
        update={
            "restore_points": [
                dataclasses.replace(p, immutable=None) if p.kind is RestorePointKind.COPY else p
                for p in state.restore_points
            ]
        }
    )
    a = evaluate(plan, unreported, as_of=AS_OF)
    assert finding(a, "TRD404", "full-aws").status is Status.UNKNOWN
    assert finding(a, "TRD408", subject="aws-dub").status is Status.UNKNOWN
    contradicted = evaluate(plan, state, as_of=AS_OF)  # the source says: not locked
    assert finding(contradicted, "TRD408", subject="aws-dub").status is Status.FAIL
    assert finding(contradicted, "TRD404", "full-aws").status is Status.FAIL


def test_a_capacity_tier_copy_is_not_assumed(plan):
    """Wrong before: a tier copy was made up for every backup point whenever copy mode was on."""
    a = evaluate(plan, estate(), as_of=AS_OF)
    tier = next(c for c in a.node("witness-1").copies.copies if c.label == "copy: nightly")
    assert tier.standing is CopyStanding.UNLISTED and tier.site == "wasabi"
    assert not [p for p in estate().restore_points if p.kind is RestorePointKind.COPY and p.source == "veeam"]
    copies = finding(a, "TRD401", "witness-1")
    assert copies.status is Status.UNKNOWN and "wasabi-eu" in copies.message
    assert finding(a, "TRD304", "witness-1", "nightly").status is Status.UNKNOWN


def test_a_300_day_old_copy_does_not_count(plan):
    """Wrong before: a copy whose newest point was 300 days old still counted for 3-2-1."""
    state = estate()
    old = state.model_copy(
        update={
            "restore_points": [
                dataclasses.replace(p, created=p.created - dt.timedelta(days=300))
                if p.asset_id == INSTANCE and p.kind is RestorePointKind.COPY
                else p
                for p in state.restore_points
            ]
        }
    )
    a = evaluate(plan, old, as_of=AS_OF)
    copy = next(c for c in a.node("full-aws").copies.copies if c.label == "copy: hourly")
    assert copy.standing is CopyStanding.STALE
    assert finding(a, "TRD403", "full-aws").status is Status.FAIL
    assert finding(evaluate(plan, state, as_of=AS_OF), "TRD403", "full-aws").status is Status.PASS


def test_every_finding_has_its_own_key(plan):
    """Baselines match findings by (rule, node, subject): two findings must never share one."""
    a = evaluate(plan, estate(), as_of=AS_OF)
    keys = [f.key for f in a.findings]
    assert len(keys) == len(set(keys))
    assert finding(a, "TRD407", "witness-1", "nightly (copies)").status is Status.PASS


def test_the_retention_horizon_is_no_gap(plan):
    """Wrong before: flawless 15-minute replication keeping 7 points beside a nightly backup failed
    TRD302 with '23h'."""
    a = evaluate(plan, estate(), as_of=AS_OF)
    gap = finding(a, "TRD302", "witness-1")
    assert gap.status is Status.PASS
    rpo = a.node("witness-1").rpo
    replicas = next(r for r in rpo.per_protection if r.kind == "replica")
    assert rpo.judged_from == replicas.oldest and rpo.largest_gap <= dt.timedelta(minutes=15)
    nightly = next(r for r in rpo.per_protection if r.protection == "nightly")
    assert nightly.largest_gap == dt.timedelta(days=1)  # within its own 14 kept points


def test_rules_judging_from_several_sources_are_unknown_when_one_failed(tmp_path):
    """Wrong before: TRD405, TRD504, TRD602 and TRD603 passed on what the other sources gave."""
    drills = (
        "drills:\n  - {node: witness-1, scenario: restore, started: 2026-09-01T08:00:00Z, "
        "finished: 2026-09-01T08:20:00Z, result: success}\n"
    )
    n2ws = (
        "  - name: n2ws copies\n    kind: backup\n    system: n2ws\n    policy: sr-dr\n"
        "    covers: [full-aws]\n    every: 1d\n"
    )
    plan = load(tmp_path, PLAN.replace("protection:\n", "protection:\n" + n2ws) + drills)
    state = estate()
    runs = [
        *state.collection.sources,
        SourceRun(name="n2ws", type=SourceType.N2WS, ok=False, error="HTTP 503", started=AS_OF,
                  finished=AS_OF),
    ]
    state = state.model_copy(update={"collection": state.collection.model_copy(update={"sources": runs})})
    a = evaluate(plan, state, as_of=AS_OF)
    encrypted = finding(a, "TRD405", "full-aws")
    assert encrypted.status is Status.UNKNOWN and "n2ws" in encrypted.message
    no_vcenter = evaluate(plan, failed(state, "vcenter"), as_of=AS_OF)
    assert finding(no_vcenter, "TRD504", "witness-1").status is Status.UNKNOWN
    no_veeam = evaluate(plan, failed(state, "veeam"), as_of=AS_OF)
    assert finding(no_veeam, "TRD602", "witness-1").status is Status.UNKNOWN
    assert finding(no_veeam, "TRD603", "witness-1").status is Status.UNKNOWN
    everything = evaluate(load(tmp_path, PLAN + drills), estate(), as_of=AS_OF)
    assert finding(everything, "TRD602", "witness-1").status is Status.PASS
    assert finding(everything, "TRD603", "witness-1").status is Status.PASS


def test_points_of_another_vm_with_the_same_name_are_not_the_nodes(plan):
    """A point whose source identity names another VM is not the node's, whatever its name."""
    state = estate()
    stranger = RestorePoint(
        source="vcenter",
        id="snapshot-x",
        kind=RestorePointKind.REPLICA,
        asset_id=uid(424242),
        asset_name="sr-witness-1",
        created=AS_OF - dt.timedelta(minutes=1),
        datastore="ds-ams-01",
        datacenter="AMS",
        medium=Medium.DISK,
    )
    a = evaluate(plan, with_points(state, stranger), as_of=AS_OF)
    assert a.unattributed_total == 1
    assert "belongs to" in a.unattributed[0].reason and a.unattributed[0].id == "snapshot-x"


def test_copies_still_being_made_or_failed_are_not_usable(plan):
    state = estate()
    making = state.model_copy(update={"restore_points": [
        dataclasses.replace(p, status="creating" if p.created.hour % 2 else "failed")
        if p.kind is RestorePointKind.COPY else p for p in state.restore_points]})
    a = evaluate(plan, making, as_of=AS_OF)
    assert not [c for c in a.node("full-aws").copies.copies if c.label == "copy: hourly"]
    assert finding(a, "TRD403", "full-aws").status is Status.FAIL


def test_attribution_records_how_each_thing_was_matched(plan):
    a = evaluate(plan, estate(), as_of=AS_OF)
    node = a.node("witness-1").attribution
    assert (node.asset.id, node.asset.basis.value) == (uid(1), "name")  # the plan names the VM
    assert [(r.name, r.basis.value) for r in node.replicas] == [("sr-witness-1_replica", "replica-of")]
    rows = {r.protection: r.basis.value for r in a.node("witness-1").rpo.per_protection}
    # Backups carry the VM's moref (backupObjects objectId): matched by identity. Replica points
    # carry only the VM's name: matched by name, within Veeam, the system protecting the node.
    assert rows == {"nightly": "id", "replicas": "name"}
    jobs = {(j.protection, j.job_id, j.basis.value, j.includes_node) for j in node.jobs}
    assert ("replicas", uid(900), "name", True) in jobs and ("nightly", uid(901), "name", True) in jobs
    assert a.node("full-aws").attribution.asset.basis.value == "id"


def test_the_runbook_warns_where_the_plans_path_does_not_exist(plan):
    from trondocs.render.website import context as site_context
    from trondocs.render.website.data import SiteData

    state = estate(replica_newest=dt.timedelta(hours=2))
    state = state.model_copy(update={"assets": [a for a in state.assets if a.name != "sr-full-1_replica"]})
    data = SiteData(plan=plan.plan, state=state, assessment=evaluate(plan, state, as_of=AS_OF))
    failover = {s.key: s for s in site_context.runbook_page(data, "full-1").scenarios}["failover"]
    assert "no replica VM of sr-full-1 was found in vSphere" in failover.warnings
    assert any("beyond 30m" in w for w in failover.warnings)
    rollback = {s.key: s for s in site_context.runbook_page(data, "full-1").scenarios}["quick_rollback"]
    assert any("not verified" in w and "wasabi" in w for w in rollback.warnings)
    assert "repository 'SOBR FRA' (fra)" in rollback.restore_point
