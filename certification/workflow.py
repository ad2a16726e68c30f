"""The certification workflow as data (shared/domain/workflow.json is the contract).

One table drives the transition service, the "what can I do next" buttons, the API's allowed actions, the timeline
labels and the SLA clock. Nothing else in the code base knows which state follows which.

Roles of a transition: "owner" (the owner of the application's business), "reviewer" (reviewers and admins) and
"pph" (the halal process assistant assigned to the application). The JSON's "reviewer or pph (from the state they act
on)" for `return` is split into one row per actor: the PPH returns from `pph_verification`, reviewers from the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from core import roles

SELF_DECLARE = "self_declare"
REGULAR = "regular"
PATHWAYS = (SELF_DECLARE, REGULAR)

OWNER = "owner"
REVIEWER = "reviewer"
PPH = "pph"

# Which platform roles may act as each workflow actor.
ACTOR_ROLES: dict[str, tuple[str, ...]] = {
    OWNER: (roles.OWNER,),
    REVIEWER: (roles.REVIEWER, roles.ADMIN),
    PPH: (roles.PPH,),
}


@dataclass(frozen=True)
class State:
    name: str
    public_id: str
    public_en: str
    actor: str | None = None
    pathway: str | None = None
    sla: dict[str, int] = field(default_factory=dict)  # pathway -> working days
    paused: bool = False
    terminal: bool = False

    def sla_days(self, pathway: str) -> int | None:
        return self.sla.get(pathway)

    def label(self, language: str | None = None) -> str:
        """The public label, Indonesian by default."""
        return self.public_en if language == "en" else self.public_id


def _both(days: int) -> dict[str, int]:
    return {SELF_DECLARE: days, REGULAR: days}


STATES: dict[str, State] = {
    s.name: s
    for s in [
        State("draft", "Draf", "Draft", OWNER),
        State("submitted", "Diajukan", "Submitted", REVIEWER),
        State(
            "pph_verification",
            "Verifikasi Pendamping PPH",
            "Assistant verification",
            PPH,
            SELF_DECLARE,
            {SELF_DECLARE: 10},
        ),
        State("verification", "Verifikasi Dokumen", "Document verification", REVIEWER, sla=_both(1)),
        State("awaiting_payment", "Menunggu Pembayaran", "Awaiting payment", OWNER, REGULAR, paused=True),
        State("lph_examination", "Pemeriksaan LPH", "Halal audit (LPH)", REVIEWER, REGULAR, {REGULAR: 15}),
        State("fatwa", "Sidang Fatwa", "Fatwa session", REVIEWER, sla={REGULAR: 3, SELF_DECLARE: 1}),
        State("issuance", "Penerbitan Sertifikat", "Certificate issuance", REVIEWER, sla=_both(1)),
        State("returned", "Dikembalikan ke Pelaku Usaha", "Returned for revision", OWNER, paused=True),
        State("issued", "Sertifikat Halal Terbit", "Certificate issued", terminal=True),
        State("rejected", "Ditolak", "Rejected", terminal=True),
        State("cancelled", "Dibatalkan", "Cancelled", terminal=True),
    ]
}

STATE_CHOICES: list[tuple[str, str]] = [(s.name, s.public_en) for s in STATES.values()]
PAUSED_STATES = frozenset(name for name, s in STATES.items() if s.paused)
TERMINAL_STATES = frozenset(name for name, s in STATES.items() if s.terminal)
OPEN_STATES = frozenset(STATES) - TERMINAL_STATES


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    role: str
    pathway: str | None = None  # None: both pathways
    requires: tuple[str, ...] = ()  # payload keys that must be present and not empty

    def applies_to(self, state: str, pathway: str) -> bool:
        return state in self.sources and (self.pathway is None or self.pathway == pathway)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", ("draft",), "submitted", OWNER),
    Transition("assign_pph", ("submitted",), "pph_verification", REVIEWER, SELF_DECLARE, ("pph",)),
    Transition("pph_validate", ("pph_verification",), "verification", PPH, None, ("visit_date", "report")),
    Transition("accept", ("submitted",), "verification", REVIEWER, REGULAR),
    Transition("verify", ("verification",), "awaiting_payment", REVIEWER, REGULAR),
    Transition("verify", ("verification",), "fatwa", REVIEWER, SELF_DECLARE),
    Transition("record_payment", ("awaiting_payment",), "lph_examination", REVIEWER, None, ("payment_proof",)),
    Transition("record_audit", ("lph_examination",), "fatwa", REVIEWER, None, ("audit_report",)),
    Transition("declare_halal", ("fatwa",), "issuance", REVIEWER, None, ("fatwa_number", "fatwa_date")),
    Transition("issue", ("issuance",), "issued", REVIEWER),
    Transition("return", ("pph_verification",), "returned", PPH, None, ("reason",)),
    Transition(
        "return", ("submitted", "verification", "lph_examination", "fatwa"), "returned", REVIEWER, None, ("reason",)
    ),
    Transition("resubmit", ("returned",), "submitted", OWNER),
    Transition("reject", ("verification", "lph_examination", "fatwa"), "rejected", REVIEWER, None, ("reason",)),
    Transition("cancel", ("draft", "submitted", "returned", "awaiting_payment"), "cancelled", OWNER),
)

# One legal way from a draft to each state, per pathway (the actions in order): the demo data and the tests drive
# applications along it through application_transition, so a route that breaks a rule fails loudly.
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
        "cancelled": ["cancel"],
    },
    REGULAR: {
        "draft": [],
        "submitted": ["submit"],
        "verification": ["submit", "accept"],
        "awaiting_payment": ["submit", "accept", "verify"],
        "lph_examination": ["submit", "accept", "verify", "record_payment"],
        "fatwa": ["submit", "accept", "verify", "record_payment", "record_audit"],
        "issuance": ["submit", "accept", "verify", "record_payment", "record_audit", "declare_halal"],
        "issued": ["submit", "accept", "verify", "record_payment", "record_audit", "declare_halal", "issue"],
        "returned": ["submit", "return"],
        "rejected": ["submit", "accept", "reject"],
        "cancelled": ["cancel"],
    },
}

ACTIONS: tuple[str, ...] = tuple(dict.fromkeys(t.action for t in TRANSITIONS))

ACTION_LABELS: dict[str, Any] = {
    "submit": _("Submit"),
    "assign_pph": _("Assign a halal process assistant"),
    "pph_validate": _("Validate (site visit done)"),
    "accept": _("Accept for verification"),
    "verify": _("Documents verified"),
    "record_payment": _("Record payment"),
    "record_audit": _("Record the LPH audit"),
    "declare_halal": _("Record the fatwa: halal"),
    "issue": _("Issue the certificate"),
    "return": _("Return to the owner"),
    "resubmit": _("Resubmit"),
    "reject": _("Reject"),
    "cancel": _("Cancel the application"),
}

FIELD_LABELS: dict[str, Any] = {
    "pph": _("halal process assistant"),
    "visit_date": _("visit date"),
    "report": _("validation report"),
    "payment_proof": _("payment proof"),
    "audit_report": _("LPH audit report"),
    "fatwa_number": _("fatwa decision number"),
    "fatwa_date": _("fatwa decision date"),
    "reason": _("reason"),
}


def state(name: str) -> State:
    return STATES[name]


def transition_for(action: str, state_name: str, pathway: str) -> Transition | None:
    """The edge an action takes from a state on a pathway, or None when there is none."""
    for t in TRANSITIONS:
        if t.action == action and t.applies_to(state_name, pathway):
            return t
    return None


def transitions_from(state_name: str, pathway: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.applies_to(state_name, pathway)]


def actor_may(transition: Transition, held_roles: frozenset[str]) -> bool:
    return bool(held_roles.intersection(ACTOR_ROLES[transition.role]))


def sla_days(state_name: str, pathway: str) -> int | None:
    return STATES[state_name].sla_days(pathway)


def public_label(state_name: str, language: str | None = None) -> str:
    return STATES[state_name].label(language)


def action_label(action: str, language: str | None = None) -> str:
    if language is None:
        return str(ACTION_LABELS[action])
    with override(language):
        return str(ACTION_LABELS[action])
