"""The Go1 agent objectives (embodied.agent.legged): hidden parameters, world model, one episode, bad input.

Tiny configurations only: few candidates, few samples, one cycle.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from embodied.agent.core import Plan, run_episode
from embodied.agent.evaluate import evaluate_objective
from embodied.agent.legged import KickIntoGoal, WalkToProp, walk_to_prop_factory
from embodied.tasks import BatchedTask, get_task


@pytest.fixture(scope="module")
def kick_env():
    env = gym.make("embodied/Go1KickBall-v0")
    yield env
    env.close()


@pytest.fixture(scope="module")
def fetch_env():
    env = gym.make("embodied/Go1Fetch-v0")
    yield env
    env.close()


def test_apply_params_changes_each_world():
    objective = KickIntoGoal()
    task = BatchedTask(get_task(objective.task_id), num_envs=2, nthread=1)
    params = np.array([[0.8, 0.003, 0.2], [1.1, 0.03, 0.9]])
    objective.apply_params(task, params)
    gain, bias = task.sim.param("actuator_gainprm"), task.sim.param("actuator_biasprm")
    nominal_gain = task.model.actuator_gainprm[:, 0]
    np.testing.assert_allclose(gain[0, :, 0], 0.8 * nominal_gain)
    np.testing.assert_allclose(gain[1, :, 0], 1.1 * nominal_gain)
    np.testing.assert_allclose(bias[:, :, 1], -gain[:, :, 0])  # a position servo: bias = -kp
    ball_geom, ball_body = task.model.geom("soccer_ball_geom").id, task.scene.ball_body
    np.testing.assert_allclose(task.sim.param("geom_friction")[:, ball_geom, 2], [0.003, 0.03])
    np.testing.assert_allclose(task.sim.param("body_mass")[:, ball_body], [0.2, 0.9])
    assert task.model.body_mass[ball_body] == pytest.approx(0.3)  # the shared model stays nominal

    walk = WalkToProp()
    fetch = BatchedTask(get_task(walk.task_id), num_envs=2, nthread=1)
    walk.apply_params(fetch, np.array([[1.0, 0.4], [1.0, 1.1]]))
    foot = fetch.model.geom("FR").id
    np.testing.assert_allclose(fetch.sim.param("geom_friction")[:, foot, 0], [0.4, 1.1])


def test_ball_seen_by_the_head_while_the_overview_sees_the_goal(kick_env):
    """The robot faces away from the goal, which fills the overview camera with white posts."""
    objective = KickIntoGoal()
    kick_env.reset(seed=11)
    assert objective.setup(kick_env) is None
    task = kick_env.unwrapped.task
    yaw = -2.8
    task.sim.qpos[0, 0:2] = [3.17, 0.15]
    task.sim.qpos[0, 3:7] = [np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)]
    ball = np.array([3.17, 0.15]) + 1.87 * np.array([np.cos(yaw), np.sin(yaw)])
    address = task.scene.ball_qpos
    task.sim.qpos[0, address:address + 2] = ball
    task.sim.forward()
    seen = objective.sight_ball(task)
    assert seen is not None
    assert np.linalg.norm(seen - ball) < 0.1


def test_imagine_shape_and_determinism(kick_env):
    objective = KickIntoGoal()
    kick_env.reset(seed=1000)
    assert objective.setup(kick_env) is None
    estimate = objective.perceive(kick_env)
    truth = kick_env.unwrapped.task.ball_pos[0, :2]
    assert np.linalg.norm(estimate["ball"] - truth) < 0.05  # seen in the camera, within 5 cm
    plans = objective.candidates(estimate, np.random.default_rng(0))[:2]
    for plan in plans:
        plan.steps[0]["push"] = 0.4  # a short strike keeps the test fast
    params = np.array([[1.0, 0.01, 0.3], [0.8, 0.03, 0.8]])
    first = objective.imagine(estimate, plans, params, np.random.default_rng(1))
    second = objective.imagine(estimate, plans, params, np.random.default_rng(1))
    assert first.shape == (2, 2, 5)
    np.testing.assert_array_equal(first, second)
    assert np.all(np.isfinite(first))


def test_walk_imagination_depends_on_strength(fetch_env):
    objective = WalkToProp()
    fetch_env.reset(seed=1000)
    estimate = objective.proprioception(fetch_env.unwrapped.task)
    plan = Plan([{"skill": "segment", "turn": 0.0, "walk": 1.5, "speed": 0.7}], "walk ahead")
    outcome = objective.imagine(estimate, [plan], np.array([[0.5, 0.8], [1.0, 0.8]]), np.random.default_rng(0))
    assert outcome.shape == (1, 2, 4)
    weak, nominal = outcome[0, :, 0]
    assert nominal > 0.8 and weak < 0.8 * nominal  # weak servos: the same command goes less far


def test_closed_episode_runs_end_to_end(fetch_env):
    fetch_env.reset(seed=1002)
    objective = walk_to_prop_factory(fetch_env, 1002)
    objective.samples, objective.max_cycles = 2, 1
    log = run_episode(fetch_env, objective, 1002, "closed").to_json()
    assert log["stopped"]
    if log["cycles"]:  # the prop was found: one cycle planned, executed, compared and fitted
        entry = log["cycles"][0]
        assert entry["imagined"] == entry["candidates"] * 2
        assert np.isfinite(entry["prediction_error"]) and "fit" in entry
    assert isinstance(log["success"], bool)


def test_bad_phrase_gives_a_clear_reason(fetch_env, kick_env):
    fetch_env.reset(seed=1000)
    present = [f"{p.color} {p.shape}" for p in fetch_env.unwrapped.task.layouts[0].props]
    missing = next(f"{c} cube" for c in ("purple", "white", "black") if f"{c} cube" not in present)
    reason = WalkToProp(f"the {missing}").setup(fetch_env)
    assert reason and f"no {missing}" in reason and present[0] in reason
    reason = WalkToProp("go over there").setup(fetch_env)
    assert reason and "colour and shape" in reason
    kick_env.reset(seed=1000)
    reason = KickIntoGoal("kick the red ball").setup(kick_env)
    assert reason and "no red ball" in reason
    log = run_episode(fetch_env, WalkToProp(f"the {missing}"), 1000, "closed").to_json()
    assert not log["success"] and not log["cycles"] and f"no {missing}" in log["stopped"]


def test_evaluate_summarises_modes(fetch_env):
    class Tiny(WalkToProp):
        samples, max_cycles = 2, 1

        def setup(self, env):  # skip the look-around and the walking: only the bookkeeping is tested
            return "nothing to do"

    summary = evaluate_objective(lambda: Tiny("the red ball"), "embodied/Go1Fetch-v0", 2, 1000,
                                 modes=("closed", "open"), progress=False)
    assert set(summary["modes"]) == {"closed", "open"}
    assert summary["modes"]["closed"]["success_rate"] == 0.0
    assert summary["modes"]["open"]["stopped"] == {"nothing to do": 2} and summary["modes"]["open"]["succeeded"] == 0


def _hide_ball(kick_env, angles_deg, distances) -> tuple[KickIntoGoal, np.ndarray | None]:
    """Reset seed 0 and put the ball at the first of these places (from the robot) that neither camera sees."""
    kick_env.reset(seed=0)
    task = kick_env.unwrapped.task
    objective = KickIntoGoal()
    assert objective.setup(kick_env) is None
    base = task.base_pos[0, :2].copy()
    address = task.scene.ball_qpos
    for angle in np.radians(angles_deg):  # the robot faces +x at reset
        for distance in distances:
            point = base + distance * np.array([np.cos(angle), np.sin(angle)])
            task.sim.qpos[0, address:address + 2] = point
            task.sim.forward()
            if objective.sight_ball(task) is None:
                return objective, point
    return objective, None


def test_kick_perception_turns_to_find_a_ball_out_of_view(kick_env):
    # a ball behind the robot is in neither camera's view; the agent turns and finds it
    objective, hidden = _hide_ball(kick_env, [180, 150, 210, 120, 240, 90, 270], (0.6, 1.0, 1.5))
    assert hidden is not None, "no place near the robot is out of both cameras' view"
    estimate = objective.perceive(kick_env)
    assert estimate.get("looked") and not estimate["fallen"]
    assert estimate["ball"] is not None
    assert np.linalg.norm(estimate["ball"] - kick_env.unwrapped.task.ball_pos[0, :2]) < 0.1


def _strike_worlds(kick_env, offset, params) -> tuple[KickIntoGoal, BatchedTask, np.ndarray, dict]:
    """Imagined worlds (one per row of params) with the ball at `offset` from the robot, and a strike toward the goal."""
    objective = KickIntoGoal()
    kick_env.reset(seed=1000)
    assert objective.setup(kick_env) is None
    estimate = objective.proprioception(kick_env.unwrapped.task)
    ball = estimate["base_qpos"][:2] + np.array(offset)
    estimate.update({"ball": ball, "ball_vel": np.zeros(2)})
    task = objective.start_worlds(estimate, np.array(params), 1)
    return objective, task, ball, {"ball": list(ball), "aim": [4.5, 0.0], "speed": 0.8, "push": 1.5}


@pytest.mark.parametrize("offset", [(-0.7, 0.1), (0.05, -0.33)], ids=["ball-behind", "ball-beside"])
def test_strike_goes_round_a_ball_it_has_passed_and_pushes_it_toward_the_aim(kick_env, offset):
    # the robot stands past the ball (between it and the goal), or right beside it: the
    # strike steps clear, walks round the ball, gets behind it and pushes it toward the aim,
    # instead of striking thin air or tripping over the ball
    from embodied.agent.legged import StrikeController, drive

    objective, task, ball, step = _strike_worlds(kick_env, offset, [[1.0, 0.01, 0.3]])
    final = drive(task, StrikeController(task, [step]), task.step, objective._snapshot)[0]
    assert final[-1] == 0.0  # did not fall
    moved = final[:2] - ball
    assert moved[0] > 0.2 and abs(moved[1]) < moved[0]  # toward the goal


def test_search_walks_toward_where_imagination_left_the_ball(kick_env):
    objective, placed = _hide_ball(kick_env, [150, 210, 120, 240], (3.0,))  # behind the robot
    assert placed is not None, "no place 3 m behind the robot is out of both cameras' view"
    objective._expected_ball = placed + np.array([0.3, -0.2])  # the agent's prediction, a little off
    estimate = objective.perceive(kick_env)
    assert estimate.get("looked") and not estimate["fallen"]
    assert estimate["ball"] is not None
    assert np.linalg.norm(estimate["ball"] - kick_env.unwrapped.task.ball_pos[0, :2]) < 0.15


def test_stall_rule_turns_a_frozen_robot_the_other_way(kick_env):
    # odometry says world 0 has not moved for STALL_S while told to turn clockwise; world 1
    # walks as told: only world 0 gets the walking turn the other way, for UNSTICK_S
    from embodied.agent.legged import MAX_YAW_RATE, StrikeController

    _, task, _, step = _strike_worlds(kick_env, (-0.7, 0.1), [[0.75, 0.01, 0.3], [1.0, 0.01, 0.3]])
    controller = StrikeController(task, [step, step])
    asked = np.array([[0.0, 0.0, -1.0], [0.5, 0.0, 0.0]])
    position, yaw = np.zeros((2, 2)), np.zeros(2)
    nudges = []
    for _ in range(controller.window + controller.unstick_steps + 2):
        position[1, 0] += 0.01  # world 1 walks 1 cm per step
        nudges.append(controller._unstuck(asked.copy(), position.copy(), yaw.copy()))
    frozen = [tick for tick, command in enumerate(nudges) if not np.array_equal(command[0], asked[0])]
    assert frozen == list(range(controller.window, controller.window + controller.unstick_steps))
    np.testing.assert_allclose(nudges[controller.window][0], [0.3, 0.0, MAX_YAW_RATE])
    assert all(np.array_equal(command[1], asked[1]) for command in nudges)
    assert controller.stalls.tolist() == [1, 0]
