"""The certification workflow as data, version 2 (shared/domain/workflow.json is the contract).

One table drives the transition service, the "what can I do next" buttons, the API's allowed actions, the timeline
labels and the SLA clock. Nothing else in the code base knows which state follows which.

Roles of a transition: "owner" (the owner of the application's business), "reviewer" (reviewers and admins), "pph"
(the halal process assistant assigned to the application) and "system" (the daily clock task, no person). The
contract's "reviewer, or the assigned PPH from pph_verification" for `return` is split into one row per actor.

Version 2 in short: a return remembers the stage it came from and resubmission resumes that stage with the working
days it had left (`target=None` below); the regular pathway appoints an LPH before payment; a case carries its legal
total (regular 21, self-declare 12 working days) besides each stage's due date; office service standards (the
self-declare intake, the owner's response and payment windows) are settings and never count toward the legal total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core.access import roles
from core.calendar.days import add_working_days

SELF_DECLARE = "self_declare"
REGULAR = "regular"
PATHWAYS = (SELF_DECLARE, REGULAR)

OWNER = "owner"
REVIEWER = "reviewer"
PPH = "pph"
SUPERIOR = "superior"  # the superior office deciding a banding: a national reviewer or an administrator
SYSTEM = "system"

# Which platform roles may act as each workflow actor (the system actor is no person).
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
    OWNER: (roles.OWNER,),
    REVIEWER: (roles.REVIEWER, roles.ADMIN),
    PPH: (roles.PPH,),
    # The roles; the service also asks that the person works nationally (applicants.selectors.is_national) and
    # decided neither the rejection nor the objection (UU 30/2014 Ps 78: the superior of the deciding official).
    SUPERIOR: (roles.REVIEWER, roles.ADMIN),
    SYSTEM: (),
}

# Legal totals in working days (UU 33/2014 as amended by UU 6/2023; self-declare: Perppu 2/2022, BPJPH 2023).
LEGAL_TOTAL = {REGULAR: 21, SELF_DECLARE: 12}

# Deciding bodies of the fatwa step.
MUI_SESSION = "mui_session"
KOMITE_FATWA = "komite_fatwa"
FATWA_BODIES = {
    MUI_SESSION: _("MUI fatwa session"),
    KOMITE_FATWA: _("Halal Product Fatwa Committee (Komite Fatwa Produk Halal)"),
}


def office_setting(name: str) -> int:
    """An office service standard in working days (settings, README "Office service standards")."""
    return int(getattr(settings, name))


@dataclass(frozen=True)
class State:
    name: str
    public_id: str | dict[str, str]
    public_en: str | dict[str, str]
    actor: str | None = None
    pathway: str | None = None
    sla: dict[str, int] = field(default_factory=dict)  # pathway -> legal working days of this stage
    office_sla: str | None = None  # a setting naming an office service standard (never in the legal total)
    paused: bool = False
    owner_window: str | None = None  # a setting: the owner's window while the clock is paused
    terminal: bool = False

    def sla_days(self, pathway: str) -> int | None:
        if self.office_sla and self.pathway in (None, pathway):
            return office_setting(self.office_sla)
        return self.sla.get(pathway)

    def legal(self, pathway: str) -> bool:
        """Does time in this stage count toward the case's legal total?"""
        return pathway in self.sla

    def label(self, language: str | None = None, pathway: str | None = None) -> str:
        """The public label, Indonesian by default; some stages are named differently per pathway."""
        value = self.public_en if language == "en" else self.public_id
        if isinstance(value, dict):
            return value.get(pathway or REGULAR, value[REGULAR])
        return value


STATES: dict[str, State] = {
    s.name: s
    for s in [
        State("draft", "Draf", "Draft", OWNER),
        State(
            "submitted",
            "Menunggu Pendamping PPH",
            "Waiting for an assistant",
            REVIEWER,
            SELF_DECLARE,
            office_sla="OFFICE_INTAKE_WORKING_DAYS",
        ),
        State(
            "pph_verification",
            "Verifikasi Pendamping PPH",
            "Assistant verification",
            PPH,
            SELF_DECLARE,
            {SELF_DECLARE: 10},
        ),
        State(
            "verification",
            "Verifikasi Dokumen",
            "Document verification",
            REVIEWER,
            sla={REGULAR: 1, SELF_DECLARE: 1},
        ),
        State("lph_appointment", "Penetapan LPH", "Halal examiner appointment", REVIEWER, REGULAR, {REGULAR: 1}),
        State(
            "awaiting_payment",
            "Menunggu Pembayaran",
            "Awaiting payment",
            OWNER,
            REGULAR,
            paused=True,
            owner_window="PAYMENT_WINDOW_WORKING_DAYS",
        ),
        State("lph_examination", "Pemeriksaan LPH", "Halal audit (LPH)", REVIEWER, REGULAR, {REGULAR: 15}),
        State(
            "fatwa",
            {REGULAR: "Sidang Fatwa MUI", SELF_DECLARE: "Komite Fatwa Produk Halal"},
            {REGULAR: "MUI fatwa session", SELF_DECLARE: "Halal Product Fatwa Committee"},
            REVIEWER,
            sla={REGULAR: 3, SELF_DECLARE: 1},
        ),
        State(
            "issuance",
            "Penerbitan Sertifikat",
            "Certificate issuance",
            REVIEWER,
            sla={REGULAR: 1, SELF_DECLARE: 0},
        ),
        State(
            "returned",
            "Dikembalikan ke Pelaku Usaha",
            "Returned for revision",
            OWNER,
            paused=True,
            owner_window="OWNER_RESPONSE_WORKING_DAYS",
        ),
        State(
            "appeal",
            "Keberatan Diajukan",
            "Appeal filed",
            REVIEWER,
            office_sla="APPEAL_DECISION_WORKING_DAYS",
        ),
        State(
            "banding",
            "Banding Diajukan",
            "Administrative appeal (banding) filed",
            SUPERIOR,
            office_sla="BANDING_DECISION_WORKING_DAYS",
        ),
        State("issued", "Sertifikat Halal Terbit", "Certificate issued", terminal=True),
        State("rejected", "Ditolak", "Rejected", terminal=True),
        State("cancelled", "Dibatalkan", "Cancelled", terminal=True),
    ]
}

STATE_CHOICES: list[tuple[str, str]] = [(s.name, s.label("en")) for s in STATES.values()]
PAUSED_STATES = frozenset(name for name, s in STATES.items() if s.paused)
TERMINAL_STATES = frozenset(name for name, s in STATES.items() if s.terminal)
OPEN_STATES = frozenset(STATES) - TERMINAL_STATES
# Stages a return remembers and a resubmission resumes.
RESUMABLE = ("submitted", "pph_verification", "verification", "lph_appointment", "lph_examination", "fatwa")

# Beyond workflow.json version 2 (issue 17): an owner may object to a rejection (keberatan) within an office-set
# window; a reviewer other than the one who rejected decides. Upheld, the case resumes at the stage it was rejected
# from; dismissed, it stays rejected. The contract test compares everything else with workflow.json.
# Issue 31 (third pass): a dismissed objection may go on to a banding (UU 30/2014 Ps 78) with the superior office,
# within BANDING_WINDOW_WORKING_DAYS of the objection's decision; upheld, the case resumes as after an upheld
# objection; dismissed, the rejection is final (what remains is the administrative court).
EXTENSION_STATES = ("appeal", "banding")
EXTENSION_ACTIONS = (
    "file_appeal",
    "uphold_appeal",
    "dismiss_appeal",
    "file_banding",
    "uphold_banding",
    "dismiss_banding",
)


def appeal_window_ends(app: Any) -> date | None:
    """The last day an owner may object to the case's rejection: APPEAL_WINDOW_WORKING_DAYS working days after it
    (UU 30/2014 Ps 77(1): 21 working days), counted on the office calendar."""
    rejected_on: date | None = app.rejected_on
    if rejected_on is None:
        return None
    return add_working_days(rejected_on, int(settings.APPEAL_WINDOW_WORKING_DAYS))


def banding_window_ends(app: Any) -> date | None:
    """The last day an owner may take a dismissed objection to the superior office (banding): BANDING_WINDOW_
    WORKING_DAYS working days after the objection's decision (UU 30/2014 Ps 78(1): 10 working days)."""
    decided_on: date | None = app.appeal_decided_on
    if decided_on is None or app.state != "rejected":
        return None
    return add_working_days(decided_on, int(settings.BANDING_WINDOW_WORKING_DAYS))


# --- Guards: conditions on the application itself (no query), named so the table stays data ---
def _pph_chosen(app: Any, today: date) -> bool:
    return app.assigned_pph_id is not None


def _no_pph_chosen(app: Any, today: date) -> bool:
    return app.assigned_pph_id is None


def _owner_window_passed(app: Any, today: date) -> bool:
    return app.owner_due_on is not None and today > app.owner_due_on


def _regular_past_its_mui_limit(app: Any, today: date) -> bool:
    return app.pathway == REGULAR and app.fatwa_escalated_at is None and app.due_on is not None and today > app.due_on


def _appeal_window_open(app: Any, today: date) -> bool:
    ends = appeal_window_ends(app)
    return ends is not None and today <= ends and app.appeal_filed_on is None


def _banding_window_open(app: Any, today: date) -> bool:
    ends = banding_window_ends(app)
    return ends is not None and today <= ends and app.banding_filed_on is None


GUARDS: dict[str, Callable[[Any, date], bool]] = {
    "appeal_window_open": _appeal_window_open,
    "banding_window_open": _banding_window_open,
    "pph_chosen": _pph_chosen,
    "no_pph_chosen": _no_pph_chosen,
    "owner_window_passed": _owner_window_passed,
    "past_mui_limit": _regular_past_its_mui_limit,
}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: back to the stage the case was returned from
    role: str
    pathway: str | None = None  # None: both pathways
    requires: tuple[str, ...] = ()  # payload keys that must be present and not empty
    guard: str | None = None  # a name in GUARDS; the edge applies only when it holds

    def applies_to(self, state: str, pathway: str) -> bool:
        return state in self.sources and (self.pathway is None or self.pathway == pathway)

    def holds_for(self, app: Any, today: date) -> bool:
        return self.guard is None or GUARDS[self.guard](app, today)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", ("draft",), "verification", OWNER, REGULAR),
    Transition("submit", ("draft",), "pph_verification", OWNER, SELF_DECLARE, guard="pph_chosen"),
    Transition("submit", ("draft",), "submitted", OWNER, SELF_DECLARE, guard="no_pph_chosen"),
    Transition("assign_pph", ("submitted",), "pph_verification", REVIEWER, SELF_DECLARE, ("pph",)),
    # The visit date and the report come from the assistant's verification record (certification.verification.services),
    # which must also have a complete checklist with no line that does not conform.
    Transition("pph_validate", ("pph_verification",), "verification", PPH),
    Transition("verify", ("verification",), "lph_appointment", REVIEWER, REGULAR),
    Transition("verify", ("verification",), "fatwa", REVIEWER, SELF_DECLARE),
    Transition("appoint_lph", ("lph_appointment",), "awaiting_payment", REVIEWER, REGULAR),
    Transition("record_payment", ("awaiting_payment",), "lph_examination", REVIEWER, REGULAR, ("payment_proof",)),
    Transition("extend_audit", ("lph_examination",), "lph_examination", REVIEWER, REGULAR, ("reason", "extra_days")),
    Transition("record_audit", ("lph_examination",), "fatwa", REVIEWER, REGULAR, ("audit_report",)),
    Transition("escalate_fatwa", ("fatwa",), "fatwa", SYSTEM, REGULAR, guard="past_mui_limit"),
    Transition("declare_halal", ("fatwa",), "issuance", REVIEWER, None, ("fatwa_number", "fatwa_date", "fatwa_body")),
    Transition("issue", ("issuance",), "issued", REVIEWER),
    Transition("return", ("pph_verification",), "returned", PPH, None, ("reason",)),
    Transition(
        "return",
        ("submitted", "verification", "lph_appointment", "lph_examination", "fatwa"),
        "returned",
        REVIEWER,
        None,
        ("reason",),
    ),
    Transition("resubmit", ("returned",), None, OWNER),
    Transition("reject", ("verification", "lph_examination", "fatwa"), "rejected", REVIEWER, None, ("reason",)),
    Transition(
        "cancel", ("draft", "submitted", "pph_verification", "returned", "awaiting_payment"), "cancelled", OWNER
    ),
    Transition("file_appeal", ("rejected",), "appeal", OWNER, None, ("reason",), "appeal_window_open"),
    Transition("uphold_appeal", ("appeal",), None, REVIEWER, None, ("reason",)),
    Transition("dismiss_appeal", ("appeal",), "rejected", REVIEWER, None, ("reason",)),
    Transition("file_banding", ("rejected",), "banding", OWNER, None, ("reason",), "banding_window_open"),
    Transition("uphold_banding", ("banding",), None, SUPERIOR, None, ("reason",)),
    Transition("dismiss_banding", ("banding",), "rejected", SUPERIOR, None, ("reason",)),
    Transition(
        "cancel", ("returned", "awaiting_payment"), "cancelled", REVIEWER, None, ("reason",), "owner_window_passed"
    ),
)

# One legal way from a draft to each state, per pathway (the actions in order): the demo data and the tests drive
# applications along it through application_transition, so a route that breaks a rule fails loudly. Self-declare
# routes start without a chosen assistant (submit -> submitted -> assign_pph). "banding" has no route here: it
# needs a second reviewer (the objection) and the superior office; tests/certification/test_banding.py drives it.
ROUTES: dict[str, dict[str, list[str]]] = {
    SELF_DECLARE: {
        "draft": [],
        "submitted": ["submit"],
        "pph_verification": ["submit", "assign_pph"],
        "verification": ["submit", "assign_pph", "pph_validate"],
        "fatwa": ["submit", "assign_pph", "pph_validate", "verify"],
        "issuance": ["submit", "assign_pph", "pph_validate", "verify", "declare_halal"],
        "issued": ["submit", "assign_pph", "pph_validate", "verify", "declare_halal", "issue"],
        "returned": ["submit", "return"],
        "rejected": ["submit", "assign_pph", "pph_validate", "reject"],
        "appeal": ["submit", "assign_pph", "pph_validate", "reject", "file_appeal"],
        "cancelled": ["cancel"],
    },
    REGULAR: {
        "draft": [],
        "verification": ["submit"],
        "lph_appointment": ["submit", "verify"],
        "awaiting_payment": ["submit", "verify", "appoint_lph"],
        "lph_examination": ["submit", "verify", "appoint_lph", "record_payment"],
        "fatwa": ["submit", "verify", "appoint_lph", "record_payment", "record_audit"],
        "issuance": ["submit", "verify", "appoint_lph", "record_payment", "record_audit", "declare_halal"],
        "issued": ["submit", "verify", "appoint_lph", "record_payment", "record_audit", "declare_halal", "issue"],
        "returned": ["submit", "return"],
        "rejected": ["submit", "reject"],
        "appeal": ["submit", "reject", "file_appeal"],
        "cancelled": ["cancel"],
    },
}

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS))

ACTION_LABELS: dict[str, Any] = {
    "create": _("Draft created"),
    "submit": _("Submit"),
    "assign_pph": _("Assign a halal process assistant"),
    "pph_validate": _("Validate (site visit done)"),
    "verify": _("Documents verified"),
    "appoint_lph": _("Appoint the halal examination agency (LPH)"),
    "record_payment": _("Record payment"),
    "extend_audit": _("Extend the LPH audit"),
    "record_audit": _("Record the LPH audit"),
    "escalate_fatwa": _("Passed to the Halal Product Fatwa Committee"),
    "declare_halal": _("Record the fatwa: halal"),
    "issue": _("Issue the certificate"),
    "return": _("Return to the owner"),
    "resubmit": _("Resubmit"),
    "reject": _("Reject"),
    "cancel": _("Cancel the application"),
    "file_appeal": _("File an appeal against the rejection"),
    "uphold_appeal": _("Uphold the appeal: resume the case"),
    "dismiss_appeal": _("Dismiss the appeal"),
    "file_banding": _("File a banding with the superior office"),
    "uphold_banding": _("Uphold the banding: resume the case"),
    "dismiss_banding": _("Dismiss the banding: the rejection is final"),
    # Version 1 only (kept so old timelines read right): regular cases were accepted from "submitted".
    "accept": _("Accept for verification"),
}

FIELD_LABELS: dict[str, Any] = {
    "pph": _("halal process assistant"),
    "lph": _("halal examination agency (LPH)"),
    "visit_date": _("visit date"),
    "report": _("validation report"),
    "payment_proof": _("payment proof"),
    "audit_report": _("LPH audit report"),
    "extra_days": _("extra working days"),
    "fatwa_number": _("fatwa decision number"),
    "fatwa_date": _("fatwa decision date"),
    "fatwa_body": _("deciding body"),
    "reason": _("reason"),
}


def state(name: str) -> State:
    return STATES[name]


def edges_for(action: str, state_name: str, pathway: str) -> list[Transition]:
    """Every edge an action may take from a state on a pathway (before guards)."""
    return [t for t in TRANSITIONS if t.action == action and t.applies_to(state_name, pathway)]


def transition_for(action: str, state_name: str, pathway: str) -> Transition | None:
    """The first edge an action takes from a state on a pathway (ignoring guards and actors), or None."""
    edges = edges_for(action, state_name, pathway)
    return edges[0] if edges else None


def transitions_from(state_name: str, pathway: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.applies_to(state_name, pathway)]


def actor_may(transition: Transition, held_roles: frozenset[str]) -> bool:
    return bool(held_roles.intersection(ACTOR_ROLES[transition.role]))


def sla_days(state_name: str, pathway: str) -> int | None:
    return STATES[state_name].sla_days(pathway)


def public_label(state_name: str, language: str | None = None, pathway: str | None = None) -> str:
    return STATES[state_name].label(language, pathway)


def action_label(action: str, language: str | None = None) -> str:
    if language is None:
        return str(ACTION_LABELS[action])
    with override(language):
        return str(ACTION_LABELS[action])
