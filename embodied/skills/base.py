"""The one interface every skill has, and the registry that finds skills by name and robot.

A `Skill` is a closed-loop controller with a typed parameter schema: `skill.schema()` is a
JSON Schema (what an OpenAI-style tools call or the omnimodel's decoder consumes),
`skill.validate(params)` checks a call against it with errors that name the parameter,
the bad value and the valid range or choices, and `skill.run(env, **params)` drives a
Gymnasium env of `embodied` until the skill succeeds or gives up, returning a
`SkillResult`. Skills only call down (envs, tasks, scene); they know no language.

Skill modules register their skills with `register_skill`; `get_skill`, `skills_for` and
`all_skills` import the known skill modules on first use (`arm` here, `legged` when present).
"""

from __future__ import annotations

import importlib
import importlib.util
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.robots import KINDS, all_robots, get_robot

StepCallback = Callable[[Any], None]
"""Called with the env after every env.step a skill makes (record frames, log, stop...)."""

PARAM_TYPES = ("number", "integer", "string", "boolean", "point", "vector2", "point_or_name",
               "vector2_or_choice")


class SkillParamError(EmbodiedError, ValueError):
    """A skill call with a missing, unknown or invalid parameter."""


class SkillNotAvailableError(EmbodiedError):
    """A skill asked of a robot whose kind does not have it."""


@dataclass(frozen=True)
class Param:
    """One parameter of a skill.

    kind: "number" | "integer" | "string" | "boolean" | "point" ([x, y, z] metres, world
    frame) | "vector2" ([x, y]) | "point_or_name" (a point, or a name such as a prop's) |
    "vector2_or_choice" (a 2-D vector, or one of `choices`).
    `minimum`/`maximum` bound numbers; `choices` list the accepted strings.
    """

    name: str
    kind: str
    description: str
    default: Any = None
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in PARAM_TYPES:
            raise UnknownNameError("parameter type", self.kind, PARAM_TYPES, f"parameter {self.name!r}")

    def json_schema(self) -> dict[str, Any]:
        number: dict[str, Any] = {"type": "number" if self.kind != "integer" else "integer"}
        if self.minimum is not None:
            number["minimum"] = self.minimum
        if self.maximum is not None:
            number["maximum"] = self.maximum

        def array(n: int) -> dict[str, Any]:
            return {"type": "array", "items": {"type": "number"}, "minItems": n, "maxItems": n}

        if self.kind in ("number", "integer"):
            schema = number
        elif self.kind == "boolean":
            schema = {"type": "boolean"}
        elif self.kind == "string":
            schema = {"type": "string", **({"enum": list(self.choices)} if self.choices else {})}
        elif self.kind == "point":
            schema = array(3)
        elif self.kind == "vector2":
            schema = array(2)
        elif self.kind == "point_or_name":
            schema = {"anyOf": [array(3), {"type": "string"}]}
        else:  # vector2_or_choice
            schema = {"anyOf": [array(2), {"type": "string", "enum": list(self.choices)}]}
        schema["description"] = self.description
        if self.default is not None:
            schema["default"] = list(self.default) if isinstance(self.default, tuple) else self.default
        return schema

    def _bad(self, skill: str, value: Any, expected: str) -> SkillParamError:
        return SkillParamError(f"skill {skill!r}: parameter {self.name!r} = {value!r} is invalid; expected {expected}")

    def _vector(self, skill: str, value: Any, n: int, expected: str) -> tuple[float, ...]:
        if isinstance(value, str | bytes | dict) or not hasattr(value, "__len__"):
            raise self._bad(skill, value, expected)
        try:
            numbers = tuple(float(v) for v in value)
        except (TypeError, ValueError):
            raise self._bad(skill, value, expected) from None
        if len(numbers) != n or not all(math.isfinite(v) for v in numbers):
            raise self._bad(skill, value, expected)
        return numbers

    def check(self, skill: str, value: Any) -> Any:
        """The value converted to its canonical type; raises SkillParamError if invalid."""
        kind = self.kind
        if kind in ("number", "integer"):
            bounds = f"[{self.minimum}, {self.maximum}]"
            expected = f"{'an integer' if kind == 'integer' else 'a number'} in {bounds}"
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(float(value)):
                raise self._bad(skill, value, expected)
            if kind == "integer" and float(value) != int(value):
                raise self._bad(skill, value, expected)
            value = int(value) if kind == "integer" else float(value)
            if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
                raise self._bad(skill, value, expected)
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                raise self._bad(skill, value, "true or false")
            return value
        if kind == "string":
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                expected = f"one of {', '.join(self.choices)}" if self.choices else "a string"
                raise self._bad(skill, value, expected)
            return value
        if kind == "point":
            return self._vector(skill, value, 3, "a point [x, y, z] in metres (world frame)")
        if kind == "vector2":
            return self._vector(skill, value, 2, "a 2-D vector [x, y]")
        if kind == "point_or_name":
            if isinstance(value, str):
                if not value:
                    raise self._bad(skill, value, "a non-empty name or a point [x, y, z]")
                return value
            return self._vector(skill, value, 3, "a point [x, y, z] in metres (world frame) or a prop name")
        # vector2_or_choice
        expected = f"one of {', '.join(self.choices)} or a 2-D vector [x, y]"
        if isinstance(value, str):
            if value not in self.choices:
                raise self._bad(skill, value, expected)
            return value
        vector = self._vector(skill, value, 2, expected)
        if math.hypot(*vector) < 1e-6:
            raise self._bad(skill, value, "a non-zero 2-D vector [x, y] or " + ", ".join(self.choices))
        return vector


@dataclass
class SkillResult:
    """What a skill run did.

    success: whether the skill's goal was met; steps: env steps taken; final_error: the
    skill's own error measure at the end (metres unless the skill says otherwise), None if
    it never started; reason: why it failed (None on success); info: skill-specific details.
    """

    success: bool
    steps: int
    final_error: float | None = None
    reason: str | None = None
    info: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"success": bool(self.success), "steps": int(self.steps),
                "final_error": None if self.final_error is None else round(float(self.final_error), 5),
                "reason": self.reason, "info": self.info}


class Skill:
    """Base class of every skill. Subclasses set the class attributes and implement `_run`.

    name: the registry name ("reach"); robot_kinds: robot kinds it supports ("arm",
    "quadruped", "humanoid"); description: one line; params: its parameters.
    """

    name: str = ""
    robot_kinds: tuple[str, ...] = ()
    description: str = ""
    params: tuple[Param, ...] = ()

    # ----- schema and validation ----------------------------------------------------
    def schema(self) -> dict[str, Any]:
        """JSON Schema of the parameters (an object)."""
        return {
            "type": "object",
            "properties": {p.name: p.json_schema() for p in self.params},
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }

    def tool(self) -> dict[str, Any]:
        """The skill as an OpenAI-style function tool."""
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": self.schema()}}

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "robot_kinds": list(self.robot_kinds), "description": self.description,
                "parameters": self.schema()}

    def validate(self, params: dict[str, Any]) -> dict[str, Any]:
        """Parameters with defaults filled in and values converted; raises SkillParamError."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise SkillParamError(
                f"skill {self.name!r} has no parameter {unknown[0]!r}; valid parameters: "
                f"{', '.join(known) or '(none)'}")
        clean: dict[str, Any] = {}
        for name, param in known.items():
            if name in params and params[name] is not None:
                clean[name] = param.check(self.name, params[name])
            elif param.required:
                raise SkillParamError(f"skill {self.name!r}: parameter {name!r} is required ({param.description})")
            else:
                clean[name] = param.default
        return clean

    def supports(self, robot_kind: str) -> bool:
        return robot_kind in self.robot_kinds

    # ----- running --------------------------------------------------------------------
    def run(self, env: Any, on_step: StepCallback | None = None, **params: Any) -> SkillResult:
        """Validate `params`, check the env's robot has this skill, and run it closed loop."""
        clean = self.validate(params)
        task = env.unwrapped.task
        if not self.supports(task.robot.kind):
            raise SkillNotAvailableError(
                f"skill {self.name!r} is not available on robot {task.robot.alias!r} (a {task.robot.kind}); "
                f"its skills: {', '.join(s.name for s in skills_for(task.robot.kind)) or '(none)'}")
        return self._run(env, on_step, **clean)

    def _run(self, env: Any, on_step: StepCallback | None, **params: Any) -> SkillResult:
        raise NotImplementedError


# ----- registry ---------------------------------------------------------------------------
_REGISTRY: dict[str, Skill] = {}
SKILL_MODULES = ("embodied.skills.arm", "embodied.skills.legged")
_loaded = False


def register_skill(skill: Skill) -> Skill:
    """Add a skill to the registry (one name per skill; kinds must be valid robot kinds)."""
    for kind in skill.robot_kinds:
        if kind not in KINDS:
            raise UnknownNameError("robot kind", kind, KINDS, f"skill {skill.name!r}")
    if skill.name in _REGISTRY and type(_REGISTRY[skill.name]) is not type(skill):
        raise EmbodiedError(f"two skills are named {skill.name!r}")
    _REGISTRY[skill.name] = skill
    return skill


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in SKILL_MODULES:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)


def all_skills() -> dict[str, Skill]:
    """Every registered skill by name."""
    _load()
    return dict(_REGISTRY)


def _kind_of(robot: str) -> str:
    return robot if robot in KINDS else get_robot(robot).kind


def skills_for(robot: str) -> list[Skill]:
    """The skills of a robot, named by robot name/alias ("panda") or kind ("arm")."""
    kind = _kind_of(robot)
    return [s for s in all_skills().values() if s.supports(kind)]


def get_skill(name: str, robot: str | None = None) -> Skill:
    """The skill called `name`; with `robot` (name, alias or kind), also check the robot has it."""
    skills = all_skills()
    if name not in skills:
        raise UnknownNameError("skill", name, skills)
    skill = skills[name]
    if robot is not None:
        kind = _kind_of(robot)
        if not skill.supports(kind):
            available = ", ".join(s.name for s in skills_for(kind)) or "(none)"
            raise SkillNotAvailableError(
                f"skill {name!r} is not available on {robot!r} (a {kind}; the skill is for "
                f"{', '.join(skill.robot_kinds)}); skills of {robot!r}: {available}")
    return skill


def robots_with(kind: str) -> list[str]:
    """Aliases of the robots of one kind (for messages and the CLI)."""
    return [r.alias for r in all_robots().values() if r.kind == kind]
