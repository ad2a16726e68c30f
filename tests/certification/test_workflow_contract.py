"""certification/workflow/table.py says what shared/domain/workflow.json (version 2) says; a copy lives next to this
test."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import override_settings

from certification.models import ApplicationState
from certification.workflow import table as wf

CONTRACT = json.loads((Path(__file__).parent / "workflow_contract.json").read_text(encoding="utf-8"))


def _per_pathway(value: object, pathway: str) -> object:
    return value.get(pathway) if isinstance(value, dict) else value


def test_the_contract_is_version_2() -> None:
    assert CONTRACT["version"] == 2


def test_the_only_states_and_actions_beyond_the_contract_are_the_appeal() -> None:
    contract_states = [s["name"] for s in CONTRACT["states"]]
    assert (
        [name for name in wf.STATES if name not in contract_states]
        == list(wf.EXTENSION_STATES)
        == ["appeal", "banding"]
    )
    contract_actions = {t["action"] for t in CONTRACT["transitions"]}
    assert [a for a in wf.ACTIONS if a not in contract_actions and a != "escalate_fatwa"] == list(wf.EXTENSION_ACTIONS)


def test_states_labels_actors_and_clock_match_the_contract() -> None:
    assert [s["name"] for s in CONTRACT["states"]] == [n for n in wf.STATES if n not in wf.EXTENSION_STATES]
    for spec in CONTRACT["states"]:
        state = wf.STATES[spec["name"]]
        for pathway in wf.PATHWAYS:
            assert state.label("id", pathway) == _per_pathway(spec["public_id"], pathway), spec["name"]
            assert state.label("en", pathway) == _per_pathway(spec["public_en"], pathway), spec["name"]
        assert state.actor == spec.get("actor")
        assert state.pathway == spec.get("pathway")
        assert state.paused == (spec.get("clock") == "paused")
        assert bool(state.owner_window) == ("owner_window" in spec)
        assert state.terminal == spec.get("terminal", False)
        sla = spec.get("sla_working_days")
        for pathway in wf.PATHWAYS:
            expected = _per_pathway(sla, pathway)
            if state.pathway not in (None, pathway):
                expected = None
            if isinstance(expected, str):  # "office setting, default 1": an office standard, not a legal limit
                assert state.office_sla and not state.legal(pathway), spec["name"]
                assert state.sla_days(pathway) == int(expected.rsplit(" ", 1)[-1])
                continue
            assert state.sla_days(pathway) == expected, (spec["name"], pathway)
            assert state.legal(pathway) == (expected is not None), (spec["name"], pathway)


def test_the_model_choices_are_the_workflow_states() -> None:
    assert [value for value, _label in ApplicationState.choices] == list(wf.STATES)


def test_transitions_match_the_contract() -> None:
    def by_roles(by: str) -> set[str]:
        names = {wf.OWNER, wf.REVIEWER, wf.PPH}
        return {name for name in names if name in by} | ({wf.REVIEWER} if "staff" in by else set())

    contract = set()
    for t in CONTRACT["transitions"]:
        pathways = [t["pathway"]] if "pathway" in t else list(wf.PATHWAYS)
        target = None if t["to"].startswith("(") else t["to"]
        targets = [target] + (["submitted"] if "else to 'submitted'" in t.get("requires", "") else [])
        for source in t["from"]:
            for pathway in pathways:
                contract.update((t["action"], source, to, pathway) for to in targets)
        ours_roles = {e.role for e in wf.TRANSITIONS if e.action == t["action"] and set(e.sources) & set(t["from"])}
        assert ours_roles <= by_roles(t["by"]), t["action"]
    ours = {
        (e.action, source, e.target, pathway)
        for e in wf.TRANSITIONS
        for source in e.sources
        for pathway in wf.PATHWAYS
        if e.pathway in (None, pathway) and e.role != wf.SYSTEM and e.action not in wf.EXTENSION_ACTIONS
    }
    only = {name: s.pathway for name, s in wf.STATES.items() if s.pathway}

    def possible(edges: set[tuple[str, str, str | None, str]]) -> set[tuple[str, str, str | None, str]]:
        return {c for c in edges if only.get(c[1], c[3]) == c[3] and only.get(c[2] or "", c[3]) == c[3]}

    assert possible(ours) == possible(contract)


def test_the_escalation_to_the_komite_fatwa_is_the_platforms_own_edge() -> None:
    escalate = wf.transition_for("escalate_fatwa", "fatwa", wf.REGULAR)
    assert escalate is not None and escalate.role == wf.SYSTEM and escalate.target == "fatwa"
    assert wf.transition_for("escalate_fatwa", "fatwa", wf.SELF_DECLARE) is None


def test_the_assistant_returns_from_its_own_stage_and_reviewers_from_theirs() -> None:
    assert wf.transition_for("return", "pph_verification", wf.SELF_DECLARE).role == wf.PPH
    for source in ("verification", "lph_appointment", "lph_examination", "fatwa"):
        assert wf.transition_for("return", source, wf.REGULAR).role == wf.REVIEWER


def test_resubmission_goes_back_to_the_stage_returned_from() -> None:
    edge = wf.transition_for("resubmit", "returned", wf.REGULAR)
    assert edge is not None and edge.target is None


@override_settings(OFFICE_INTAKE_WORKING_DAYS=3)
def test_the_legal_totals_are_12_and_21_working_days_and_office_standards_are_not_in_them() -> None:
    def legal_sum(pathway: str) -> int:
        return sum(s.sla.get(pathway, 0) for s in wf.STATES.values())

    assert (legal_sum(wf.SELF_DECLARE), legal_sum(wf.REGULAR)) == (12, 21)
    assert wf.LEGAL_TOTAL == {wf.SELF_DECLARE: 12, wf.REGULAR: 21}
    assert wf.sla_days("submitted", wf.SELF_DECLARE) == 3  # the office's setting
    assert not wf.state("submitted").legal(wf.SELF_DECLARE)
