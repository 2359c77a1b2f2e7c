"""Snapshots of a whole plan, and the difference between two of them.

A snapshot is plain JSON: it keeps what the plan said at adoption, including
names as they were then, so later changes to people or goals never rewrite it.
Goals, actions and analysis entries are keyed by their UUID so the difference
view can tell added, changed and removed apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from .models import Action, AnalysisEntry, Goal

TEXT_FIELDS = {
    "problem_analysis": _("Problemen en samenhang"),
    "coordination_agreements": _("Afspraken over coördinatie"),
    "client_support_agreements": _("Afspraken over cliëntondersteuning"),
}
GOAL_FIELDS = {
    "term": _("Termijn"),
    "horizon_years": _("Horizon (jaren)"),
    "life_domain": _("Leefgebied"),
    "description": _("Doel"),
    "client_words": _("In de woorden van de cliënt"),
    "owner": _("Eigenaar"),
    "owner_organisation": _("Partij"),
    "status": _("Status"),
    "target_date": _("Streefdatum"),
}
ACTION_FIELDS = {
    "description": _("Actie"),
    "party": _("Partij"),
    "professional": _("Professional"),
    "start_on": _("Start"),
    "end_on": _("Einde"),
    "status": _("Status"),
}
ANALYSIS_FIELDS = {
    "client": _("Gezinslid"),
    "provision": _("Voorziening"),
    "party": _("Partij"),
    "period_from": _("Vanaf"),
    "period_to": _("Tot en met"),
    "outcome": _("Resultaat"),
}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str | None:
    return str(user) if user else None


def take_snapshot(workplan) -> dict:
    """The whole plan as JSON. Cost: three queries."""
    goals = (
        Goal.objects.filter(workplan=workplan)
        .select_related("owner", "owner_organisation")
        .prefetch_related(Prefetch("actions", queryset=Action.objects.select_related("party", "professional")))
    )
    analysis = AnalysisEntry.objects.filter(workplan=workplan).select_related("client")
    return {
        "problem_analysis": workplan.problem_analysis,
        "coordination_agreements": workplan.coordination_agreements,
        "client_support_agreements": workplan.client_support_agreements,
        "review_interval_weeks": workplan.review_interval_weeks,
        "coordinator": _name(workplan.case.coordinator),
        "analysis": [
            {
                "uuid": str(entry.uuid),
                "client": entry.client.full_name,
                "provision": entry.provision,
                "party": entry.party,
                "period_from": _date(entry.period_from),
                "period_to": _date(entry.period_to),
                "outcome": entry.outcome,
            }
            for entry in analysis
        ],
        "goals": [
            {
                "uuid": str(goal.uuid),
                "term": goal.get_term_display(),
                "horizon_years": goal.horizon_years,
                "life_domain": goal.get_life_domain_display(),
                "description": goal.description,
                "client_words": goal.client_words,
                "owner": _name(goal.owner),
                "owner_organisation": goal.owner_organisation.name if goal.owner_organisation else None,
                "status": goal.get_status_display(),
                "target_date": _date(goal.target_date),
                "actions": [
                    {
                        "uuid": str(action.uuid),
                        "description": action.description,
                        "party": action.party.name,
                        "professional": _name(action.professional),
                        "start_on": _date(action.start_on),
                        "end_on": _date(action.end_on),
                        "status": action.get_status_display(),
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ],
    }


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class ItemDiff:
    kind: str  # "added", "removed", "changed", "same"
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    children: list[ItemDiff] = field(default_factory=list)


@dataclass
class PlanDiff:
    texts: list[FieldChange]
    analysis: list[ItemDiff]
    goals: list[ItemDiff]

    @property
    def counts(self) -> dict[str, int]:
        counts = {"added": 0, "removed": 0, "changed": 0}
        for item in [*self.analysis, *self.goals, *(c for g in self.goals for c in g.children)]:
            if item.kind in counts:
                counts[item.kind] += 1
        counts["changed"] += len(self.texts)
        return counts

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())


def _diff_items(old_items: list[dict], new_items: list[dict], fields: dict, title_key: str) -> list[ItemDiff]:
    old_by_id = {item["uuid"]: item for item in old_items}
    new_by_id = {item["uuid"]: item for item in new_items}
    result = []
    for uid, new in new_by_id.items():
        old = old_by_id.get(uid)
        if old is None:
            result.append(ItemDiff("added", new[title_key]))
            continue
        changes = [
            FieldChange(label, old.get(key), new.get(key))
            for key, label in fields.items()
            if old.get(key) != new.get(key)
        ]
        result.append(ItemDiff("changed" if changes else "same", new[title_key], changes))
    for uid, old in old_by_id.items():
        if uid not in new_by_id:
            result.append(ItemDiff("removed", old[title_key]))
    return result


def diff_snapshots(old: dict, new: dict) -> PlanDiff:
    """What was added, changed and removed between two snapshots (old -> new)."""
    texts = [
        FieldChange(label, old.get(key, ""), new.get(key, ""))
        for key, label in TEXT_FIELDS.items()
        if old.get(key, "") != new.get(key, "")
    ]
    analysis = _diff_items(old.get("analysis", []), new.get("analysis", []), ANALYSIS_FIELDS, "provision")
    goals = _diff_items(old.get("goals", []), new.get("goals", []), GOAL_FIELDS, "description")
    old_goals = {g["uuid"]: g for g in old.get("goals", [])}
    for goal_diff, new_goal in zip([g for g in goals if g.kind != "removed"], new.get("goals", []), strict=False):
        old_actions = old_goals.get(new_goal["uuid"], {}).get("actions", [])
        goal_diff.children = _diff_items(old_actions, new_goal.get("actions", []), ACTION_FIELDS, "description")
        if goal_diff.kind == "same" and any(c.kind != "same" for c in goal_diff.children):
            goal_diff.kind = "changed"
    return PlanDiff(texts=texts, analysis=analysis, goals=goals)
