"""The skill interface: schemas, validation errors, the registry (no simulation)."""

from __future__ import annotations

import json

import pytest

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.skills import SkillNotAvailableError, SkillParamError, all_skills, get_skill, skills_for
from embodied.skills.base import Param, Skill, SkillResult

ARM_SKILLS = {"reach", "pick", "place", "push", "open_gripper", "close_gripper", "home"}


def test_arm_skills_registered_for_both_arms():
    for robot in ("panda", "ur5e", "franka_emika_panda", "arm"):
        names = {s.name for s in skills_for(robot)}
        assert ARM_SKILLS <= names, robot


def test_legged_robot_has_no_arm_skills():
    names = {s.name for s in skills_for("go1")}
    assert not names & ARM_SKILLS


def test_unknown_skill_lists_choices():
    with pytest.raises(UnknownNameError) as error:
        get_skill("reech")
    message = str(error.value)
    assert "'reech'" in message and "reach" in message and "push" in message
    assert "Did you mean 'reach'" in message


def test_skill_on_wrong_robot_kind():
    with pytest.raises(SkillNotAvailableError) as error:
        get_skill("pick", robot="go1")
    assert "'pick'" in str(error.value) and "go1" in str(error.value) and "quadruped" in str(error.value)
    assert isinstance(error.value, EmbodiedError)
    assert get_skill("pick", robot="ur5e").name == "pick"


def test_unknown_robot_in_registry_lookup():
    with pytest.raises(UnknownNameError, match="valid choices"):
        skills_for("r2d2")


def test_schemas_are_json_schema_objects():
    for skill in all_skills().values():
        schema = skill.schema()
        json.dumps(schema)
        assert schema["type"] == "object" and schema["additionalProperties"] is False
        assert set(schema["required"]) <= set(schema["properties"])
        assert skill.description and "\n" not in skill.description
        tool = skill.tool()
        assert tool["function"]["name"] == skill.name
    reach = get_skill("reach").schema()["properties"]
    assert reach["target"]["anyOf"][0] == {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3}
    push = get_skill("push").schema()
    assert push["properties"]["direction"]["anyOf"][1]["enum"] == ["left", "right", "forward", "back"]
    assert push["properties"]["distance"]["minimum"] == 0.02 and push["properties"]["distance"]["maximum"] == 0.3
    assert push["required"] == ["target", "direction"]


@pytest.mark.parametrize("skill, params, words", [
    ("push", {"target": "red_cube", "direction": "up"}, ["'direction'", "'up'", "left, right, forward, back"]),
    ("push", {"target": "red_cube", "direction": "left", "distance": 2.0}, ["'distance'", "2.0", "[0.02, 0.3]"]),
    ("push", {"target": "red_cube", "direction": [0, 0]}, ["'direction'", "non-zero"]),
    ("push", {"target": "red_cube", "direction": "left", "distance": "far"}, ["'distance'", "'far'"]),
    ("reach", {"target": [0.4, 0.1]}, ["'target'", "[0.4, 0.1]", "[x, y, z]"]),
    ("reach", {"target": [0.4, float("nan"), 0.7]}, ["'target'"]),
    ("reach", {"target": [0.4, 0.0, 0.7], "tolerance": 0}, ["'tolerance'", "[0.002, 0.1]"]),
    ("pick", {"target": 3}, ["'target'", "3", "a point [x, y, z]", "a prop name"]),
    ("pick", {}, ["'target'", "required"]),
    ("pick", {"target": "red_cube", "speed": 2}, ["'speed'", "valid parameters: target, lift"]),
    ("open_gripper", {"force": 1}, ["'force'", "(none)"]),
])
def test_validation_errors_name_parameter_value_and_range(skill, params, words):
    with pytest.raises(SkillParamError) as error:
        get_skill(skill).validate(params)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


def test_validation_fills_defaults_and_converts():
    clean = get_skill("push").validate({"target": "red_cube", "direction": [1, 1]})
    assert clean == {"target": "red_cube", "direction": (1.0, 1.0), "distance": 0.1, "tolerance": 0.03}
    assert get_skill("reach").validate({"target": (0.4, 0, 0.7)})["target"] == (0.4, 0.0, 0.7)


def test_a_new_skill_plugs_in():
    from embodied.skills.base import _REGISTRY, register_skill

    class Wave(Skill):
        name = "wave_test"
        robot_kinds = ("humanoid",)
        description = "Wave a hand."
        params = (Param("times", "integer", "how often", default=1, minimum=1, maximum=5),)

        def _run(self, env, on_step, times):
            return SkillResult(True, 0, None, None, {"times": times})

    try:
        register_skill(Wave())
        assert get_skill("wave_test", robot="h1").validate({"times": 3}) == {"times": 3}
        with pytest.raises(SkillParamError, match=r"'times' = 2.5 .* an integer in \[1, 5\]"):
            get_skill("wave_test").validate({"times": 2.5})
        assert "wave_test" not in {s.name for s in skills_for("panda")}
        with pytest.raises(UnknownNameError):
            register_skill(type("Bad", (Wave,), {"name": "bad_test", "robot_kinds": ("tank",)})())
    finally:
        _REGISTRY.pop("wave_test", None)


def test_result_to_json():
    result = SkillResult(False, 12, 0.123456789, "out of reach", {"a": 1})
    assert result.to_json() == {"success": False, "steps": 12, "final_error": 0.12346, "reason": "out of reach",
                                "info": {"a": 1}}
