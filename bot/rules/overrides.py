"""A partnership's local changes to a national rule set (stub: the rules work fills this in)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class LocalMilestone(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    anchor: str
    amount: int = Field(ge=0)
    unit: str = "working_days"
    responsible_role: str = "business_manager"


class RuleOverrides(BaseModel):
    model_config = ConfigDict(extra="forbid")

    local_milestones: list[LocalMilestone] = Field(default_factory=list)
    anchors: dict[str, str] = Field(default_factory=dict)
    amounts: dict[str, int] = Field(default_factory=dict)
    extra_closure_days: list[date] = Field(default_factory=list)
