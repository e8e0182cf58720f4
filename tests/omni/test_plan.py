"""Plan validation against the skills' JSON schemas (the check every backend's calls pass)."""

from __future__ import annotations

import pytest

from embodied.omni.plan import (
    Plan,
    PlanValidationError,
    SkillCall,
    accepts_point,
    schemas_by_name,
    validate_call,
    validate_plan,
)
from embodied.skills import skills_for


@pytest.fixture(scope="module")
def arm_skills():
    return schemas_by_name([s.describe() for s in skills_for("arm")])


def test_schemas_in_every_shape_normalize_the_same():
    skill = skills_for("arm")[0]
    a, b, c = (schemas_by_name([x])[skill.name] for x in (skill, skill.describe(), skill.tool()))
    assert a["parameters"] == b["parameters"] == c["parameters"]


def test_valid_calls_pass_and_are_converted(arm_skills):
    assert validate_call("pick", {"target": "red_cube", "lift": 0.1}, arm_skills) == {"target": "red_cube", "lift": 0.1}
    clean = validate_call("reach", {"target": [0.4, 0.1, 0.62]}, arm_skills)
    assert clean["target"] == [0.4, 0.1, 0.62]
    assert validate_call("push", {"target": "red_cube", "direction": "left", "distance": 0.1}, arm_skills)["direction"] == "left"
    assert validate_call("home", {}, arm_skills) == {}


@pytest.mark.parametrize("skill, args, words", [
    ("sing", {}, "unknown skill"),
    ("pick", {}, "required"),
    ("pick", {"target": "red_cube", "colour": "red"}, "no parameter 'colour'"),
    ("pick", {"target": "red_cube", "lift": 5.0}, "maximum"),
    ("pick", {"target": 3}, "string"),
    ("reach", {"target": [0.1, 0.2]}, "matches none"),
    ("push", {"target": "red_cube", "direction": "up"}, "matches none"),
    ("reach", {"target": [0.1, float("nan"), 0.2]}, "matches none"),
    ("pick", "red_cube", "must be an object"),
])
def test_invalid_calls_raise_naming_the_problem(arm_skills, skill, args, words):
    with pytest.raises(PlanValidationError, match=words):
        validate_call(skill, args, arm_skills)


def test_plan_json_shape_and_refusals(arm_skills):
    plan = validate_plan(Plan([SkillCall("pick", {"target": "red_cube"}, "red_cube", 0.9, [0.4, 0.0, 0.62])]), arm_skills)
    out = plan.to_json()
    assert out["refused"] is None
    assert out["plan"][0] == {"skill": "pick", "args": {"target": "red_cube"}, "target": "red_cube",
                              "confidence": 0.9, "point": [0.4, 0.0, 0.62]}
    refusal = Plan.refuse("I don't know how to sing")
    assert refusal.to_json() == {"plan": [], "refused": "I don't know how to sing"}
    with pytest.raises(PlanValidationError):  # a point must have three coordinates
        validate_plan(Plan([SkillCall("pick", {"target": [1, 2]})]), arm_skills)


def test_point_acceptance(arm_skills):
    assert accepts_point(arm_skills["reach"]["parameters"]["properties"]["target"])
    assert accepts_point(arm_skills["pick"]["parameters"]["properties"]["target"])  # the prop at the point
    assert accepts_point(arm_skills["push"]["parameters"]["properties"]["target"])
    assert not accepts_point(arm_skills["push"]["parameters"]["properties"]["distance"])
