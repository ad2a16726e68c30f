"""The workflow of a case (shared/domain/workflow.json is the contract).

- `table`: the workflow as data: states, transitions, roles, SLA days, labels (`from certification.workflow import
  table as wf`); it drives the transition service (`certification.services.application_transition`), the buttons,
  the API's allowed actions, the timeline and the clocks
- `handlers`: what each action does besides moving the state (called only by the transition service)
- `clock`: the stage clock and the legal clock of a case, in working days
- `deadlines`: the daily clock (escalation to the Komite Fatwa, the owner's window reminders)
- `quota`: the Sehati quota's one place per case
- `next_steps`: what happens next, in one plain sentence for the owner
"""
