"""Legged skills on the Go1 (embodied.skills.legged) with the shipped policies in policies/go1/:
walk, stand, turn, get_up and kick_ball on the real tasks, their parameter errors and missing policies.

Episodes are short (0.5 m walks, 1 s stands, 0.5 m kicks) and seeded; the physics, the policies
(deterministic actions) and the skills are deterministic, so each outcome is the same on every run.
"""

from __future__ import annotations

import math

import gymnasium as gym
import numpy as np
import pytest

from embodied.errors import EmbodiedError
from embodied.learn.policy import POLICIES_DIR, POLICIES_ENV
from embodied.skills import SkillNotAvailableError, SkillParamError, get_skill, legged, skills_for
from embodied.skills.base import SkillResult
from embodied.tasks import terms


@pytest.fixture(scope="module")
def walk_env():
    env = gym.make("embodied/Go1Walk-v0")
    yield env
    env.close()


@pytest.fixture(scope="module")
def getup_env():
    env = gym.make("embodied/Go1GetUp-v0")
    yield env
    env.close()


@pytest.fixture(scope="module")
def kick_env():
    env = gym.make("embodied/Go1KickBall-v0")
    yield env
    env.close()


pytestmark = pytest.mark.usefixtures("shipped_policies")


def heading(task):
    return float(terms.yaw_of(task.base_quat)[0])


def reset(env, seed=0):
    env.reset(seed=seed)
    task = env.unwrapped.task
    return task, task.base_pos[0].copy(), heading(task)


def test_go1_has_the_legged_skills():
    assert {"walk", "turn", "stand", "get_up", "kick_ball"} <= {s.name for s in skills_for("go1")}
    for name in ("walk", "get_up"):
        assert (POLICIES_DIR / "go1" / name / "policy.pt").is_file()


# ----- walk ---------------------------------------------------------------------------------
def test_walk_forward_moves_the_base_forward(walk_env):
    task, start, yaw = reset(walk_env, seed=0)
    calls = []
    result = get_skill("walk", robot="go1").run(walk_env, on_step=calls.append, direction="forward",
                                                speed=0.5, distance=0.5)
    assert isinstance(result, SkillResult)
    assert result.success, result.reason
    assert result.reason is None and not result.info.get("fell")
    assert len(calls) == result.steps and calls[0] is walk_env
    # about 1 s at 0.5 m/s (50 steps at 50 Hz), far inside the time allowed (2x + 2 s)
    assert 25 <= result.steps <= 100
    moved = task.base_pos[0, :2] - start[:2]
    along = moved @ [math.cos(yaw), math.sin(yaw)]  # "forward" is the robot's own heading (random at reset)
    sideways = moved @ [-math.sin(yaw), math.cos(yaw)]
    assert along >= 0.45 and abs(sideways) < 0.1, (along, sideways)
    assert result.info["travelled"] >= 0.5 and result.final_error < 0.05
    assert task.base_pos[0, 2] > 0.2  # still standing (the Go1 stands at 0.27 m)

    reset(walk_env, seed=0)
    again = get_skill("walk").run(walk_env, direction="forward", speed=0.5, distance=0.5)
    assert again.steps == result.steps and again.final_error == result.final_error  # deterministic


def test_walk_back_uses_the_robot_frame(walk_env):
    task, start, yaw = reset(walk_env, seed=1)
    result = get_skill("walk").run(walk_env, direction="back", speed=0.4, distance=0.3)
    assert result.success, result.reason
    along = (task.base_pos[0, :2] - start[:2]) @ [math.cos(yaw), math.sin(yaw)]
    assert along <= -0.25


@pytest.mark.parametrize(("params", "words"), [
    ({"speed": 1.5}, ["'speed'", "1.5", "[0.1, 1.0]"]),
    ({"speed": 0.0}, ["'speed'", "0.0"]),
    ({"direction": "up"}, ["'direction'", "'up'", "forward", "left"]),
    ({"direction": [0.0, 0.0]}, ["'direction'", "non-zero"]),
    ({"distance": -1.0}, ["'distance'", "-1.0"]),
    ({"sped": 0.5}, ["'sped'", "speed"]),
])
def test_walk_rejects_bad_parameters(walk_env, params, words):
    task, start, _ = reset(walk_env)
    with pytest.raises(SkillParamError) as error:
        get_skill("walk").run(walk_env, **params)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
    assert np.array_equal(task.base_pos[0], start)  # refused before any step


@pytest.mark.parametrize(("params", "words"), [
    ({"direction": "back", "speed": 0.8}, ["0.8 m/s", "'back'", "forward velocity -0.80", "-0.50..+1.00"]),
    ({"direction": "left", "speed": 0.5}, ["0.5 m/s", "'left'", "sideways velocity +0.50", "-0.30..+0.30"]),
    ({"direction": "right", "speed": 1.0}, ["1.0 m/s", "sideways velocity -1.00"]),
])
def test_walk_refuses_speeds_beyond_the_trained_range(walk_env, params, words):
    """The walk policy was trained on vx in [-0.5, 1] and vy in [-0.3, 0.3] m/s (tasks/go1_walk.yaml);
    beyond that it falls (sideways at 0.5 m/s within a second), so the skill refuses, naming the value."""
    task, start, _ = reset(walk_env)
    with pytest.raises(EmbodiedError, match="beyond the trained range") as error:
        get_skill("walk").run(walk_env, **params)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
    assert np.array_equal(task.base_pos[0], start)


def test_walk_sideways_within_the_trained_range(walk_env):
    task, start, yaw = reset(walk_env, seed=2)
    result = get_skill("walk").run(walk_env, direction="left", speed=0.3, distance=0.3)
    assert result.success, result.reason
    assert (task.base_pos[0, :2] - start[:2]) @ [-math.sin(yaw), math.cos(yaw)] >= 0.25


def test_walk_without_a_speed_goes_as_fast_as_the_policy_was_trained_in_that_direction(walk_env):
    task, start, yaw = reset(walk_env, seed=2)
    result = get_skill("walk").run(walk_env, direction="right", distance=0.3)  # trained sideways up to 0.3 m/s
    assert result.success, result.reason
    assert (task.base_pos[0, :2] - start[:2]) @ [math.sin(yaw), -math.cos(yaw)] >= 0.25
    assert 0.3 / 0.3 / task.dt <= result.steps  # not faster than 0.3 m/s


# ----- stand and turn -----------------------------------------------------------------------
def test_stand_keeps_the_base_near_its_start(walk_env):
    task, start, yaw = reset(walk_env, seed=0)
    result = get_skill("stand").run(walk_env, duration=1.0)
    assert result.success and result.steps == 50  # 1 s at 50 Hz
    drift = float(np.linalg.norm(task.base_pos[0, :2] - start[:2]))
    assert drift < 0.05 and result.info["drift"] == pytest.approx(drift)
    assert abs(task.base_pos[0, 2] - start[2]) < 0.05
    assert abs(math.remainder(heading(task) - yaw, 2 * math.pi)) < math.radians(5)


@pytest.mark.parametrize(("direction", "sign"), [("left", 1.0), ("right", -1.0)])
def test_turn_changes_the_heading_that_way(walk_env, direction, sign):
    task, start, yaw = reset(walk_env, seed=0)
    result = get_skill("turn").run(walk_env, direction=direction, angle=90.0)
    turned = math.degrees(math.remainder(heading(task) - yaw, 2 * math.pi))
    assert sign * turned > 60.0, turned  # the skill's own 10-degree success is not asserted (70 % in eval)
    assert result.info["turned_deg"] == pytest.approx(sign * turned, abs=1e-6)
    assert np.linalg.norm(task.base_pos[0, :2] - start[:2]) < 0.2  # in place


def test_turn_rejects_bad_parameters(walk_env):
    reset(walk_env)
    with pytest.raises(SkillParamError, match="'around'"):
        get_skill("turn").run(walk_env, direction="around")
    with pytest.raises(SkillParamError, match="720"):
        get_skill("turn").run(walk_env, angle=720)


# ----- get_up -------------------------------------------------------------------------------
def start_pose(env, roll_deg, height, joints):
    """A chosen start: base at `height`, rolled about its x axis, joints at `joints`, at rest."""
    env.reset(seed=0)
    task = env.unwrapped.task
    qpos = task.scene.home_qpos.copy()
    angle = math.radians(roll_deg)
    qpos[task.base_qadr + 2] = height
    qpos[task.base_qadr + 3 : task.base_qadr + 7] = [math.cos(angle / 2), math.sin(angle / 2), 0.0, 0.0]
    qpos[task.joint_qadr] = joints
    task.sim.reset([0], keyframe="home", qpos=qpos[None], qvel=np.zeros((1, task.model.nv)))
    return task


CROUCH = np.tile([0.0, 1.3, -2.6], 4)  # legs folded under the body (hip, thigh, calf)


def test_get_up_from_a_crouch_reports_its_time(getup_env):
    """Lying low on its belly, tilted 45 degrees, legs folded: the get_up policy stands the robot up."""
    task = start_pose(getup_env, 45.0, 0.15, CROUCH)
    assert terms.upright(task)[0] < 0.9  # not standing at the start
    result = get_skill("get_up").run(getup_env, timeout=3.0)
    assert result.success, result.reason
    assert result.info["time_s"] == pytest.approx(result.steps * task.dt)
    assert 0.0 < result.info["time_s"] <= 3.0
    assert terms.upright(task)[0] > 0.9 and task.base_pos[0, 2] > 0.8 * task.robot.home_base_height
    assert result.final_error == pytest.approx(abs(task.base_pos[0, 2] - task.robot.home_base_height))

    start_pose(getup_env, 45.0, 0.15, CROUCH)
    again = get_skill("get_up").run(getup_env, timeout=3.0)
    assert again.steps == result.steps and again.final_error == result.final_error  # deterministic


def test_get_up_that_runs_out_of_time_says_so(getup_env):
    """On its back, 0.5 s is too short to roll over and stand: a failed result with the reason, no time."""
    home = getup_env.unwrapped.task.scene.home_qpos[getup_env.unwrapped.task.joint_qadr]
    task = start_pose(getup_env, 180.0, 0.2, home)
    result = get_skill("get_up").run(getup_env, timeout=0.5)
    assert not result.success
    assert result.steps == round(0.5 / task.dt)
    assert result.reason == "not standing after 0.5 s" and "time_s" not in result.info


# ----- kick_ball ----------------------------------------------------------------------------
def test_kick_ball_without_a_ball_is_a_clear_error(walk_env):
    task, start, _ = reset(walk_env)
    with pytest.raises(EmbodiedError) as error:
        get_skill("kick_ball").run(walk_env)
    message = str(error.value)
    assert "no ball" in message and "Go1Walk-v0" in message and "Go1KickBall-v0" in message
    assert np.array_equal(task.base_pos[0], start)


def test_kick_ball_moves_the_ball_that_way(kick_env):
    """The walking policy drives the robot in the kick-ball scene too (its actions re-scaled from the
    walk task's 0.3 to this task's 0.5 action scale): it walks behind the ball and pushes it 0.5 m."""
    kick_env.reset(seed=0)
    task = kick_env.unwrapped.task
    ball = task.ball_pos[0, :2].copy()
    result = get_skill("kick_ball").run(kick_env, direction="forward", distance=0.5)
    assert result.success, result.reason
    moved = task.ball_pos[0, :2] - ball
    assert moved[0] >= 0.5 and abs(result.info["angle_deg"]) <= 30.0
    assert result.info["ball_travel"] == pytest.approx(float(np.linalg.norm(moved)))
    assert result.steps < 500  # 10 s of the 30 s allowed


# ----- policies -----------------------------------------------------------------------------
def test_missing_policy_names_the_file(walk_env, tmp_path, monkeypatch):
    monkeypatch.setenv(POLICIES_ENV, str(tmp_path))
    task, start, _ = reset(walk_env)
    with pytest.raises(EmbodiedError) as error:
        get_skill("stand").run(walk_env)
    message = str(error.value)
    assert str(tmp_path / "go1" / "walk" / "policy.pt") in message and "embodied train" in message
    assert np.array_equal(task.base_pos[0], start)


def test_policies_are_loaded_once(walk_env):
    reset(walk_env)
    get_skill("stand").run(walk_env, duration=0.1)
    policy = legged._POLICIES[("go1", "walk")]
    assert policy.folder == POLICIES_DIR / "go1" / "walk"
    get_skill("walk").run(walk_env, distance=0.1)
    assert legged._POLICIES[("go1", "walk")] is policy and list(legged._POLICIES) == [("go1", "walk")]


def test_legged_skill_on_an_arm_is_refused():
    env = gym.make("embodied/PandaReach-v0", cameras=[])
    env.reset(seed=0)
    with pytest.raises(SkillNotAvailableError, match="'walk'"):
        get_skill("walk").run(env)
    env.close()
