"""Humanoid skills on the Booster T1 (embodied.skills.legged) with the shipped policy in
policies/t1/walk/: walk and stand on embodied/T1Walk-v0, the trained command range, and a policy
run against a gait clock it was not trained on.

Episodes are short (a 1 m walk, a 2 s stand) and seeded; physics and policy are deterministic.
"""

from __future__ import annotations

import math

import gymnasium as gym
import numpy as np
import pytest

from embodied.errors import EmbodiedError
from embodied.learn.policy import POLICIES_DIR
from embodied.skills import SkillNotAvailableError, get_skill, legged, skills_for
from embodied.tasks import terms

T1_STANDING_HEIGHT = 0.6  # m, the T1's base when upright (the task ends an episode below 0.45 m)


@pytest.fixture(scope="module")
def t1_env():
    env = gym.make("embodied/T1Walk-v0")
    yield env
    env.close()


pytestmark = pytest.mark.usefixtures("shipped_policies")


def reset(env, seed=0):
    env.reset(seed=seed)
    task = env.unwrapped.task
    return task, task.base_pos[0].copy(), float(terms.yaw_of(task.base_quat)[0])


def test_t1_has_walk_and_stand_with_a_small_shipped_policy():
    names = {s.name for s in skills_for("t1")}
    assert {"walk", "stand"} <= names and "kick_ball" not in names
    policy = POLICIES_DIR / "t1" / "walk" / "policy.pt"
    assert policy.is_file() and policy.stat().st_size < 5 * 2**20


def test_walk_forward_at_half_a_metre_per_second(t1_env):
    task, start, yaw = reset(t1_env, seed=0)
    result = get_skill("walk", robot="t1").run(t1_env, direction="forward", speed=0.5, distance=1.0)
    assert result.success, result.reason
    moved = task.base_pos[0, :2] - start[:2]
    along = moved @ [math.cos(yaw), math.sin(yaw)]  # "forward" is the robot's own heading
    sideways = moved @ [-math.sin(yaw), math.cos(yaw)]
    assert along >= 0.9 and abs(sideways) < 0.25, (along, sideways)
    # a walker, not a stumble: 1 m at 0.5 m/s with the 1 s start-up is about 2.5 s (50 Hz control)
    assert result.steps * task.dt < 4.0 and result.info["mean_speed"] > 0.3
    assert task.base_pos[0, 2] > 0.5


def test_stand_keeps_the_humanoid_upright_in_place(t1_env):
    task, start, _ = reset(t1_env, seed=1)
    result = get_skill("stand", robot="t1").run(t1_env, duration=2.0)
    assert result.success, result.reason
    assert result.info["drift"] < 0.2
    assert abs(task.base_pos[0, 2] - T1_STANDING_HEIGHT) < 0.1


def test_walking_backwards_is_outside_the_trained_range(t1_env):
    reset(t1_env)
    with pytest.raises(EmbodiedError, match=r"trained range.*forward velocity -0\.30.*\+0\.00\.\.\+0\.80"):
        get_skill("walk", robot="t1").run(t1_env, direction="back", speed=0.3)


def test_a_policy_trained_on_another_gait_clock_is_refused(t1_env):
    reset(t1_env)
    policy = legged.policy_for("t1", "walk")
    policy.config["gait"] = {**policy.config["gait"], "frequency_hz": 2.0}
    with pytest.raises(EmbodiedError, match="gait clock of embodied/T1Walk-v0"):
        get_skill("stand", robot="t1").run(t1_env, duration=0.1)


def test_quadruped_skills_are_refused_on_the_humanoid(t1_env):
    reset(t1_env)
    with pytest.raises(SkillNotAvailableError, match="'kick_ball'"):
        get_skill("kick_ball").run(t1_env)
    assert np.isfinite(t1_env.unwrapped.task.base_pos).all()


def test_eval_skill_reports_the_walking_pace():
    """One seeded episode of the humanoid walk evaluation: 5 m at 0.5 m/s, 10 s at that pace."""
    summary = legged.evaluate_legged_skill("t1", "walk", episodes=1, seed=0, progress=False)
    assert summary["env"] == "embodied/T1Walk-v0" and summary["episodes"] == 1
    assert summary["success_rate"] == 1.0 and summary["falls"] == 0.0
    assert summary["on_pace_rate"] == float(summary["mean_speed"] >= 0.4) == 1.0
    assert summary["mean_velocity_error"] < 0.15
