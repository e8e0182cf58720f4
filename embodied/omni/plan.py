"""What an omnimodel returns: a `Plan` of `SkillCall`s, or a refusal with a reason, and the
validation of calls against the skills' JSON schemas (the same check for every backend).

Skill schemas are accepted in any of the shapes the project uses: `Skill.describe()`
({"name", "description", "parameters"}), an OpenAI tool ({"type": "function", "function":
{...}}), or a `Skill` object.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from embodied.errors import EmbodiedError


class PlanValidationError(EmbodiedError, ValueError):
    """A skill call that does not fit the skill's schema."""


@dataclass
class SkillCall:
    """One call: skill name, validated args, the prop it is about (scene name or None), confidence.

    `point` is the 3-D world point grounded from pixels + depth (None for calls without one);
    `pixel` the (u, v) the model pointed at in the frame it was given.
    """

    skill: str
    args: dict[str, Any]
    target: str | None = None
    confidence: float = 1.0
    point: list[float] | None = None
    pixel: list[float] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"skill": self.skill, "args": _jsonable(self.args), "target": self.target,
               "confidence": round(float(self.confidence), 4)}
        if self.point is not None:
            out["point"] = [round(float(v), 4) for v in self.point]
        if self.pixel is not None:
            out["pixel"] = [round(float(v), 1) for v in self.pixel]
        return out


@dataclass
class Plan:
    """Skill calls to run in order, or `refused` with the reason (then `calls` is empty)."""

    calls: list[SkillCall] = field(default_factory=list)
    refused: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def refuse(cls, reason: str, **info: Any) -> Plan:
        return cls([], reason, dict(info))

    def to_json(self) -> dict[str, Any]:
        return {"plan": [c.to_json() for c in self.calls], "refused": self.refused}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())
    return value


def normalize_schema(skill: Any) -> dict[str, Any]:
    """{"name", "description", "parameters"} from a Skill, its describe() or an OpenAI tool."""
    if hasattr(skill, "describe"):
        skill = skill.describe()
    if not isinstance(skill, dict):
        raise EmbodiedError(f"a skill schema must be a dict, got {type(skill).__name__}")
    if skill.get("type") == "function" and "function" in skill:
        skill = skill["function"]
    if "name" not in skill:
        raise EmbodiedError(f"a skill schema needs a name: {skill}")
    parameters = skill.get("parameters") or {"type": "object", "properties": {}}
    return {"name": skill["name"], "description": skill.get("description", ""), "parameters": parameters}


def schemas_by_name(skills: list[Any]) -> dict[str, dict[str, Any]]:
    out = {}
    for skill in skills:
        schema = normalize_schema(skill)
        out[schema["name"]] = schema
    return out


def _check(value: Any, schema: dict[str, Any], where: str) -> Any:
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                return _check(value, option, where)
            except PlanValidationError as error:
                errors.append(str(error))
        raise PlanValidationError(f"{where} = {value!r} matches none of the accepted forms ({'; '.join(errors)})")
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        raise PlanValidationError(f"{where} = {value!r} is not one of {', '.join(map(str, schema['enum']))}")
    if kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
            raise PlanValidationError(f"{where} = {value!r} is not a finite number")
        if kind == "integer" and float(value) != int(value):
            raise PlanValidationError(f"{where} = {value!r} is not an integer")
        if "minimum" in schema and value < schema["minimum"]:
            raise PlanValidationError(f"{where} = {value!r} is below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise PlanValidationError(f"{where} = {value!r} is above the maximum {schema['maximum']}")
        return int(value) if kind == "integer" else float(value)
    if kind == "string":
        if not isinstance(value, str) or not value:
            raise PlanValidationError(f"{where} = {value!r} is not a non-empty string")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise PlanValidationError(f"{where} = {value!r} is not true or false")
        return value
    if kind == "array":
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__len__"):
            raise PlanValidationError(f"{where} = {value!r} is not an array")
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", math.inf):
            raise PlanValidationError(f"{where} = {value!r} has {len(value)} items; expected "
                                      f"{schema.get('minItems', 0)}..{schema.get('maxItems', 'any')}")
        items = schema.get("items", {})
        return [_check(v, items, f"{where}[{i}]") for i, v in enumerate(value)]
    if kind == "object":
        if not isinstance(value, dict):
            raise PlanValidationError(f"{where} is not an object")
        return value
    return value


def validate_call(skill: str, args: Any, skills: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Args checked against the skill's schema (unknown skill, missing/unknown/bad parameters raise)."""
    if skill not in skills:
        raise PlanValidationError(f"unknown skill {skill!r}; offered skills: {', '.join(sorted(skills)) or '(none)'}")
    if not isinstance(args, dict):
        raise PlanValidationError(f"skill {skill!r}: arguments must be an object, got {args!r}")
    parameters = skills[skill]["parameters"]
    properties = parameters.get("properties", {})
    if parameters.get("additionalProperties", True) is False or properties:
        unknown = sorted(set(args) - set(properties))
        if unknown:
            raise PlanValidationError(f"skill {skill!r} has no parameter {unknown[0]!r}; valid parameters: "
                                      f"{', '.join(properties) or '(none)'}")
    for name in parameters.get("required", []):
        if args.get(name) is None:
            raise PlanValidationError(f"skill {skill!r}: parameter {name!r} is required")
    clean = {}
    for name, value in args.items():
        if value is None:
            continue
        clean[name] = _check(value, properties.get(name, {}), f"skill {skill!r}: parameter {name!r}")
    return clean


def validate_plan(plan: Plan, skills: list[Any] | dict[str, dict[str, Any]]) -> Plan:
    """The plan with every call's args validated (a refusal passes through unchanged)."""
    table = skills if isinstance(skills, dict) else schemas_by_name(skills)
    for call in plan.calls:
        call.args = validate_call(call.skill, call.args, table)
    return plan


def accepts_point(schema: dict[str, Any]) -> bool:
    """Whether a parameter schema accepts a 3-D point (an array of 3 numbers)."""
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "array" and o.get("minItems", 3) <= 3 <= o.get("maxItems", 3) for o in options)


def accepts_string(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(o.get("type") == "string" and "enum" not in o for o in options)
