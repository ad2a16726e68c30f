"""certification/workflow.py says what shared/domain/workflow.json says (a copy lives next to this test)."""

from __future__ import annotations

import json
from pathlib import Path

from certification import workflow as wf
from certification.models import ApplicationState

CONTRACT = json.loads((Path(__file__).parent / "workflow_contract.json").read_text(encoding="utf-8"))


def test_states_labels_actors_and_clock_match_the_contract() -> None:
    assert [s["name"] for s in CONTRACT["states"]] == list(wf.STATES)
    for spec in CONTRACT["states"]:
        state = wf.STATES[spec["name"]]
        assert (state.public_id, state.public_en) == (spec["public_id"], spec["public_en"])
        assert state.actor == spec.get("actor")
        assert state.pathway == spec.get("pathway")
        assert state.paused == (spec.get("clock") == "paused")
        assert state.terminal == spec.get("terminal", False)
        sla = spec.get("sla_working_days")
        for pathway in wf.PATHWAYS:
            expected = sla.get(pathway) if isinstance(sla, dict) else sla
            if state.pathway not in (None, pathway):
                expected = None
            assert state.sla_days(pathway) == expected, (spec["name"], pathway)


def test_the_model_choices_are_the_workflow_states() -> None:
    assert [value for value, _label in ApplicationState.choices] == list(wf.STATES)


def test_transitions_match_the_contract() -> None:
    def by_role(by: str) -> set[str]:
        return {"reviewer", "pph"} if by.startswith("reviewer or pph") else {by}

    contract = set()
    for t in CONTRACT["transitions"]:
        pathways = [t["pathway"]] if "pathway" in t else list(wf.PATHWAYS)
        for source in t["from"]:
            for pathway in pathways:
                contract.add((t["action"], source, t["to"], pathway))
        ours_roles = {e.role for e in wf.TRANSITIONS if e.action == t["action"] and set(e.sources) & set(t["from"])}
        assert ours_roles <= by_role(t["by"]), t["action"]
    ours = {
        (e.action, source, e.target, pathway)
        for e in wf.TRANSITIONS
        for source in e.sources
        for pathway in wf.PATHWAYS
        if e.pathway in (None, pathway)
    }
    # The contract lists pathway-specific states without repeating the pathway on their transitions.
    only = {name: s.pathway for name, s in wf.STATES.items() if s.pathway}

    def possible(edges: set[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
        return {c for c in edges if only.get(c[1], c[3]) == c[3] and only.get(c[2], c[3]) == c[3]}

    assert possible(ours) == possible(contract)
    assert len(possible(ours)) == 35


def test_the_assistant_returns_from_its_own_stage_and_reviewers_from_theirs() -> None:
    assert wf.transition_for("return", "pph_verification", wf.SELF_DECLARE).role == wf.PPH
    for source in ("submitted", "verification", "lph_examination", "fatwa"):
        assert wf.transition_for("return", source, wf.REGULAR).role == wf.REVIEWER


def test_the_legal_totals_are_12_and_21_working_days() -> None:
    # Self-declare: PPH 10 + Komite Fatwa 1 + issuance 1. Regular: verification 1 + LPH 15 + fatwa 3 + issuance 1,
    # plus the LPH appointment (1 wd, Ps 30(2)) which the contract folds into the submitted stage without a limit.
    self_declare = sum(wf.sla_days(s, wf.SELF_DECLARE) or 0 for s in ("pph_verification", "fatwa", "issuance"))
    regular = sum(wf.sla_days(s, wf.REGULAR) or 0 for s in ("verification", "lph_examination", "fatwa", "issuance"))
    assert (self_declare, regular + 1) == (12, 21)
