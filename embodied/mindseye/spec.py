"""Scene specification: a declarative, validated description of one relative physics question.

A `SceneSpec` is pure data (never code): the scene kind, the attribute in which the two objects
X and Y differ and which of them has more of it, the quantity the question asks about, a few
conditions (medium, collision type, which object moves, whether a force pushes) and the answer
choices. `to_dict()`/`from_dict()` round-trip it through JSON; `from_dict` names the bad field and
its valid values. `SUBTASKS` is the table of the 39 UTOPIA-style sub-tasks plus two extra ones
(see /work/shared/physics_qa/SUBTASKS.md), each a preset of these fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from embodied.errors import EmbodiedError, check_choice

SCENES = ("free_fall", "projection", "motion", "friction", "incline", "collision")

# What may differ between X and Y in each scene ("none": nothing stated, e.g. equal masses).
SCENE_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "free_fall": ("mass", "height", "speed"),
    "projection": ("mass", "height", "speed", "angle"),
    "motion": ("mass", "force", "speed"),
    "friction": ("mass", "friction", "speed"),
    "incline": ("mass", "angle", "friction", "height"),
    "collision": ("mass", "none"),
}

# Asked quantity -> (measured key, which object wins: "min" or "max" of it, or a special rule).
QUANTITIES: dict[str, tuple[str, str]] = {
    "lands_first": ("landing_time", "min"),
    "faster_at_impact": ("impact_speed", "max"),
    "more_ke_at_impact": ("impact_ke", "max"),
    "more_momentum_at_impact": ("impact_momentum", "max"),
    "rises_higher": ("apex_height", "max"),
    "lands_farther": ("range", "max"),
    "longer_in_air": ("air_time", "max"),
    "accelerates_more": ("acceleration", "max"),
    "faster_at_end": ("final_speed", "max"),
    "goes_farther": ("distance", "max"),
    "more_momentum": ("momentum", "max"),
    "slides_farther": ("distance", "max"),
    "stops_first": ("stop_time", "min"),
    "decelerates_more": ("deceleration", "max"),
    "reaches_bottom_first": ("bottom_time", "min"),
    "faster_at_bottom": ("bottom_speed", "max"),
    "faster_after": ("speed_after", "max"),
    "more_momentum_after": ("momentum_after", "max"),
    "more_ke_after": ("ke_after", "max"),
    "total_momentum_after": ("total_momentum", "compare"),
    "reverses_direction": ("reverses", "flag"),
}

SCENE_QUANTITIES: dict[str, tuple[str, ...]] = {
    "free_fall": ("lands_first", "faster_at_impact", "more_ke_at_impact",
                  "more_momentum_at_impact", "rises_higher"),
    "projection": ("lands_first", "lands_farther", "rises_higher", "longer_in_air",
                   "faster_at_impact"),
    "motion": ("accelerates_more", "faster_at_end", "goes_farther", "more_momentum"),
    "friction": ("slides_farther", "stops_first", "decelerates_more"),
    "incline": ("accelerates_more", "reaches_bottom_first", "faster_at_bottom"),
    "collision": ("faster_after", "more_momentum_after", "more_ke_after",
                  "total_momentum_after", "reverses_direction"),
}

OBJECTS = ("X", "Y")
MEDIA = ("vacuum", "air")
COLLISIONS = ("elastic", "inelastic")
COMPARISON_CHOICES = ("greater", "smaller", "the same")
DEFAULT_CHOICES = ("X", "Y", "the same")

# Words an answer choice may use to mean "no difference".
SAME_WORDS = ("same", "equal", "together", "simultaneous", "neither", "tie", "both", "identical",
              "no difference", "unchanged", "no change", "not change", "n't change", "constant")


@dataclass(frozen=True)
class Subtask:
    """One row of the sub-task table: a preset of SceneSpec fields and the idealised answer."""

    id: str
    scene: str
    attribute: str
    quantity: str
    expected: str  # "X", "Y", "the same" (X is the object with more of the attribute) etc.
    conditions: dict[str, Any] = field(default_factory=dict)
    extra: bool = False  # beyond UTOPIA
    greater: str | None = "X"  # the relation the generated questions state


def _s(id: str, scene: str, attribute: str, quantity: str, expected: str, extra: bool = False,
       greater: str | None = "X", **conditions: Any) -> Subtask:
    return Subtask(id, scene, attribute, quantity, expected, conditions, extra,
                   None if attribute == "none" else greater)


# "expected" is the idealised answer for the row's own relation (`greater`, default X: X is the
# heavier / higher / faster / steeper / rougher one); in collisions X is the moving object.
SUBTASKS: dict[str, Subtask] = {s.id: s for s in (
    _s("ff_mass_time", "free_fall", "mass", "lands_first", "the same"),
    _s("ff_mass_speed", "free_fall", "mass", "faster_at_impact", "the same"),
    _s("ff_mass_ke", "free_fall", "mass", "more_ke_at_impact", "X"),
    _s("ff_mass_momentum", "free_fall", "mass", "more_momentum_at_impact", "X"),
    _s("ff_height_time", "free_fall", "height", "lands_first", "Y"),
    _s("ff_height_speed", "free_fall", "height", "faster_at_impact", "X"),
    _s("ff_throw_height", "free_fall", "speed", "rises_higher", "X"),
    _s("pr_speed_time", "projection", "speed", "lands_first", "the same"),
    _s("pr_speed_range", "projection", "speed", "lands_farther", "X"),
    _s("pr_height_range", "projection", "height", "lands_farther", "X"),
    _s("pr_height_time", "projection", "height", "lands_first", "Y"),
    _s("pr_mass_range", "projection", "mass", "lands_farther", "the same"),
    _s("pr_angle_apex", "projection", "angle", "rises_higher", "X"),
    _s("pr_angle_time", "projection", "angle", "longer_in_air", "X"),
    _s("mo_force_acc", "motion", "force", "accelerates_more", "X", push=True),
    _s("mo_mass_acc", "motion", "mass", "accelerates_more", "Y", push=True),
    _s("mo_mass_speed", "motion", "mass", "faster_at_end", "Y", push=True),
    _s("mo_force_distance", "motion", "force", "goes_farther", "X", push=True),
    _s("mo_speed_distance", "motion", "speed", "goes_farther", "X", push=False),
    _s("mo_mass_momentum", "motion", "mass", "more_momentum", "the same", push=True),
    _s("mo_mass_coast", "motion", "mass", "goes_farther", "the same", push=False),
    _s("fr_coef_distance", "friction", "friction", "slides_farther", "Y"),
    _s("fr_coef_time", "friction", "friction", "stops_first", "X"),
    _s("fr_coef_decel", "friction", "friction", "decelerates_more", "X"),
    _s("fr_mass_distance", "friction", "mass", "slides_farther", "the same"),
    _s("fr_speed_distance", "friction", "speed", "slides_farther", "X"),
    _s("fr_speed_time", "friction", "speed", "stops_first", "Y"),
    _s("in_angle_acc", "incline", "angle", "accelerates_more", "X"),
    _s("in_angle_time", "incline", "angle", "reaches_bottom_first", "X"),
    _s("in_angle_speed", "incline", "angle", "faster_at_bottom", "the same"),
    _s("in_mass_time", "incline", "mass", "reaches_bottom_first", "the same"),
    _s("in_friction_time", "incline", "friction", "reaches_bottom_first", "Y"),
    _s("in_friction_speed", "incline", "friction", "faster_at_bottom", "Y"),
    _s("in_height_speed", "incline", "height", "faster_at_bottom", "X"),
    _s("co_elastic_heavy_into_light", "collision", "mass", "faster_after", "Y",
       collision="elastic", mover="X"),
    _s("co_elastic_light_into_heavy", "collision", "mass", "more_momentum_after", "Y",
       greater="Y", collision="elastic", mover="X"),
    _s("co_elastic_equal", "collision", "none", "faster_after", "Y", collision="elastic",
       mover="X"),
    _s("co_inelastic_ke", "collision", "mass", "more_ke_after", "X", collision="inelastic",
       mover="X"),
    _s("co_momentum_total", "collision", "mass", "total_momentum_after", "the same",
       collision="elastic", mover="X"),
    _s("ff_air_drag", "free_fall", "mass", "lands_first", "X", extra=True, medium="air"),
    _s("co_elastic_light_reverses", "collision", "mass", "reverses_direction", "X", extra=True,
       greater="Y", collision="elastic", mover="X"),
)}


def _bad(field_name: str, value: Any, valid: Any) -> EmbodiedError:
    return EmbodiedError(f"invalid scene spec field {field_name!r}: {value!r}; valid: {valid}")


@dataclass
class SceneSpec:
    """A relative physics question as data. `greater` names the object with more `attribute`.

    conditions: medium ("vacuum" | "air"), collision ("elastic" | "inelastic"), mover ("X" |
    "Y": the object moving before a collision), push (bool: a force acts in motion scenes).
    objects maps "X"/"Y" to the names the question uses (e.g. "the red ball").
    """

    scene: str
    attribute: str
    quantity: str
    greater: str | None = "X"
    conditions: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, str] = field(default_factory=lambda: {"X": "X", "Y": "Y"})
    choices: list[str] = field(default_factory=lambda: list(DEFAULT_CHOICES))
    subtask: str | None = None

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise EmbodiedError naming the first bad field and its valid values."""
        check_choice("scene", self.scene, SCENES)
        if self.attribute not in SCENE_ATTRIBUTES[self.scene]:
            raise _bad("attribute", self.attribute, SCENE_ATTRIBUTES[self.scene])
        if self.quantity not in SCENE_QUANTITIES[self.scene]:
            raise _bad("quantity", self.quantity, SCENE_QUANTITIES[self.scene])
        if self.greater not in (*OBJECTS, None):
            raise _bad("greater", self.greater, "'X', 'Y' or null (equal)")
        if self.attribute == "none" and self.greater is not None:
            raise _bad("greater", self.greater, "null when attribute is 'none'")
        if not isinstance(self.conditions, dict):
            raise _bad("conditions", self.conditions, "a mapping")
        allowed = {"medium": MEDIA, "collision": COLLISIONS, "mover": OBJECTS, "push": (True, False)}
        for key, value in self.conditions.items():
            if key not in allowed:
                raise _bad("conditions", key, sorted(allowed))
            if value not in allowed[key]:
                raise _bad(f"conditions.{key}", value, allowed[key])
        if not isinstance(self.objects, dict) or sorted(self.objects) != ["X", "Y"]:
            raise _bad("objects", self.objects, "a mapping with keys 'X' and 'Y'")
        if any(not isinstance(v, str) or not v.strip() for v in self.objects.values()):
            raise _bad("objects", self.objects, "non-empty names")
        if self.objects["X"].strip().lower() == self.objects["Y"].strip().lower():
            raise _bad("objects", self.objects, "two different names")
        if not isinstance(self.choices, list) or len(self.choices) < 2 or not all(
            isinstance(c, str) and c.strip() for c in self.choices
        ):
            raise _bad("choices", self.choices, "a list of at least two non-empty strings")
        if self.subtask is not None and self.subtask not in SUBTASKS:
            raise _bad("subtask", self.subtask, sorted(SUBTASKS))

    # ----- derived ---------------------------------------------------------------------
    @property
    def measure(self) -> str:
        return QUANTITIES[self.quantity][0]

    @property
    def pick(self) -> str:
        return QUANTITIES[self.quantity][1]

    def condition(self, key: str) -> Any:
        defaults = {"medium": "vacuum", "collision": "elastic", "mover": "X", "push": True}
        return self.conditions.get(key, defaults[key])

    def structure_key(self) -> tuple:
        """What decides the compiled model: specs with the same key share one batch."""
        return (self.scene, self.condition("medium") if self.scene == "free_fall" else "",
                self.condition("collision") if self.scene == "collision" else "")

    # ----- JSON ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene, "subtask": self.subtask, "attribute": self.attribute,
            "greater": self.greater, "quantity": self.quantity,
            "conditions": dict(self.conditions), "objects": dict(self.objects),
            "choices": list(self.choices),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SceneSpec:
        if not isinstance(data, dict):
            raise EmbodiedError(f"a scene spec must be a JSON object, got {type(data).__name__}")
        known = {"scene", "subtask", "attribute", "greater", "quantity", "conditions", "objects",
                 "choices"}
        for key in data:
            if key not in known:
                raise _bad(key, data[key], f"fields {sorted(known)}")
        for key in ("scene", "attribute", "quantity"):
            if key not in data:
                raise EmbodiedError(f"scene spec is missing the field {key!r}")
        return cls(
            scene=data["scene"], attribute=data["attribute"], quantity=data["quantity"],
            greater=data.get("greater", "X"), conditions=dict(data.get("conditions") or {}),
            objects=dict(data.get("objects") or {"X": "X", "Y": "Y"}),
            choices=list(data.get("choices") or DEFAULT_CHOICES), subtask=data.get("subtask"),
        )


def spec_for_subtask(
    subtask: str,
    greater: str | None = "row",
    objects: dict[str, str] | None = None,
    choices: list[str] | None = None,
    **conditions: Any,
) -> SceneSpec:
    """The SceneSpec of a table row, with the relation and names filled in."""
    row = SUBTASKS[check_choice("subtask", subtask, SUBTASKS)]
    if greater == "row":
        greater = row.greater
    if row.attribute == "none":
        greater = None
    if choices is None:
        choices = list(COMPARISON_CHOICES if row.quantity == "total_momentum_after"
                       else DEFAULT_CHOICES)
    merged = {**row.conditions, **conditions}
    return SceneSpec(row.scene, row.attribute, row.quantity, greater, merged,
                     dict(objects or {"X": "X", "Y": "Y"}), list(choices), subtask)
