"""The shipped built-in omnimodel (policies/omni) on one seeded scene, and the CLI's JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embodied.cli import main
from embodied.omni.run import Session

TASK = "embodied/PandaTabletop-v0"
SEED = 3  # orange_cube, yellow_cube, black_ball, yellow_ball, white_cylinder, green_cylinder


@pytest.fixture(scope="module")
def session():
    s = Session(TASK, SEED)
    assert {p["name"] for p in s.scene()} == {"orange_cube", "yellow_cube", "black_ball", "yellow_ball",
                                             "white_cylinder", "green_cylinder"}
    yield s
    s.close()


def _plan(session, text):
    plan, _ = session.plan(text)
    return plan


@pytest.mark.parametrize("text, skill, target", [
    ("pick up the black ball", "pick", "black_ball"),
    ("could you reach toward the white cylinder", "reach", "white_cylinder"),
    ("give the yellow cube a push to the left", "push", "yellow_cube"),
])
def test_single_step_grounding(session, text, skill, target):
    plan = _plan(session, text)
    assert plan.refused is None, plan.refused
    assert [(c.skill, c.target) for c in plan.calls] == [(skill, target)]
    call = plan.calls[0]
    true = {p["name"]: p["position"] for p in session.scene()}[target]
    assert np.linalg.norm(np.asarray(call.point) - true) < 0.03  # the 3-D point from pixels + depth
    assert 0.0 < call.confidence <= 1.0


@pytest.mark.parametrize("text, plan", [
    # a prop named with synonyms, in another word order, by its colour alone (unique here)
    ("grab the ebony orb", [("pick", "black_ball")]),
    ("take the ball that is black", [("pick", "black_ball")]),
    ("reach for the orange one", [("reach", "orange_cube")]),
    # clauses that ask for nothing, prepare the action or restate it are no steps
    ("go over and grab the black ball, thanks", [("pick", "black_ball")]),
    ("grab the white cylinder and lift it, i need it for a test", [("pick", "white_cylinder")]),
    ("the yellow cube should be further left, just push it", [("push", "yellow_cube")]),
    ("pick up the yellow cube, then set what you're holding on the orange cube",
     [("pick", "yellow_cube"), ("place", "orange_cube")]),
    # the prop first, the verb after; a carry over to a prop; a release that ends a place
    ("black ball, pick", [("pick", "black_ball")]),
    ("orange cube, push back", [("push", "orange_cube")]),
    ("i want your hand right by the white cylinder, just get close", [("reach", "white_cylinder")]),
    ("carry the yellow cube over to the orange cube and leave it sitting on it",
     [("pick", "yellow_cube"), ("place", "orange_cube")]),
    ("grab the yellow cube, then lower it onto the orange cube and let go",
     [("pick", "yellow_cube"), ("place", "orange_cube")]),
    ("seize the yellow cube and hold it up, after that orange cube - put it there",
     [("pick", "yellow_cube"), ("place", "orange_cube")]),
    ("gripper, close", [("close_gripper", None)]),
    ("point the gripper at the white cylinder and move in close, no grip", [("reach", "white_cylinder")]),
    # a negation that rules out a step's likeliest reading leaves its next one
    ("touch the white cylinder gently with your fingertips, don't grab it", [("reach", "white_cylinder")]),
])
def test_fresh_wordings(session, text, plan):
    result = _plan(session, text)
    assert result.refused is None, result.refused
    assert [(c.skill, c.target) for c in result.calls] == plan


def test_multi_step_plan(session):
    plan = _plan(session, "pick up the yellow cube and then put it on the orange cube")
    assert plan.refused is None, plan.refused
    assert [(c.skill, c.target) for c in plan.calls] == [("pick", "yellow_cube"), ("place", "orange_cube")]
    plan = _plan(session, "stack the yellow cube on the orange cube")
    assert [(c.skill, c.target) for c in plan.calls] == [("pick", "yellow_cube"), ("place", "orange_cube")]
    push = _plan(session, "push the black ball to the right by 12 cm").calls[0]
    assert push.args["direction"] == "right" and push.args["distance"] == pytest.approx(0.12)


@pytest.mark.parametrize("text, words", [
    ("sing a song", "don't know how to sing"),
    ("grab the purple elephant", "I see no purple elephant"),
    # a colour in the scene, a thing that is no prop: no such prop, or (the skill head's reading
    # of the shipped model) lifting a teapot is no skill of the arm; either way nothing is done
    ("lift the yellow teapot", ("I see no yellow teapot", "don't know how to lift")),
    ("thanks", "asks for no action"),
    ("pick up the red cube", "I see no red cube"),  # no red prop in this scene
    ("pick up the blue ball", "I see no blue ball"),
    ("pick up the black ball and don't pick up the black ball", "contradicts"),
    ("", "empty"),
    ("touch the black ball " * 20, "too long"),
    ("prends le cube jaune", "English"),
    ("walk forward", "cannot walk"),
])
def test_refusals(session, text, words):
    plan = _plan(session, text)
    words = (words,) if isinstance(words, str) else words
    assert plan.calls == [] and plan.refused is not None and any(w in plan.refused for w in words), plan.refused


def test_prop_out_of_view_is_refused(session):
    task = session.task
    slot = next(p.slot for p in task.layouts[0].props if p.name == "black_ball")
    address = task.scene.prop_qpos[slot]
    saved = task.sim.qpos[0, address:address + 3].copy()
    try:
        task.sim.qpos[0, address:address + 3] = task.scene.park_positions[slot]
        task.sim.forward()
        plan = _plan(session, "pick up the black ball")
        assert plan.refused is not None and "black ball" in plan.refused
    finally:
        task.sim.qpos[0, address:address + 3] = saved
        task.sim.forward()


def test_cli_command_json(capsys):
    assert main(["command", "pick up the black ball", "--task", TASK, "--seed", str(SEED), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"plan", "refused", "executed", "success", "scene"}
    assert out["refused"] is None and out["executed"] is False and out["success"] is None
    assert out["plan"][0]["skill"] == "pick" and out["plan"][0]["target"] == "black_ball"
    assert set(out["plan"][0]) >= {"skill", "args", "target", "confidence"}
    assert {p["name"] for p in out["scene"]} >= {"black_ball"}
    assert all(set(p) == {"name", "color", "shape", "position"} for p in out["scene"])
    assert main(["command", "sing a song", "--task", TASK, "--seed", str(SEED), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["plan"] == [] and "sing" in out["refused"]


def test_legged_commands_without_props():
    s = Session("embodied/Go1Walk-v0", 0)
    try:
        walk = _plan(s, "walk forward slowly")
        assert [c.skill for c in walk.calls] == ["walk"] and walk.calls[0].target is None
        assert walk.calls[0].args.get("direction", "forward") == "forward"
        turn = _plan(s, "turn left by 45 degrees")
        assert [c.skill for c in turn.calls] == ["turn"] and turn.calls[0].args["direction"] == "left"
        assert "don't know" in _plan(s, "sing a song").refused
        assert "cannot pick" in _plan(s, "pick up the red cube").refused
    finally:
        s.close()
