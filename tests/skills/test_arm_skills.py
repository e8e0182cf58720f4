"""Arm skills run closed loop in the real envs: reach, pick, out-of-reach, errors, hooks."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from embodied.errors import UnknownNameError
from embodied.skills import SkillNotAvailableError, get_skill
from embodied.skills.evaluate import evaluate_arm_skill


@pytest.fixture(scope="module")
def panda():
    env = gym.make("embodied/PandaTabletop-v0", cameras=[])
    yield env
    env.close()


@pytest.mark.parametrize("robot", ["panda", "ur5e"])
def test_reach_converges_to_random_points(robot):
    summary = evaluate_arm_skill(robot, "reach", episodes=3, seed=1)
    assert summary["success_rate"] == 1.0, summary["failures"]
    assert summary["mean_final_error"] < 0.01


def test_reach_a_prop_and_record_frames(panda):
    _, info = panda.reset(seed=3)
    prop = info["scene"][0]
    seen = []
    result = get_skill("reach").run(panda, on_step=lambda env: seen.append(env.unwrapped.task.ee_pos[0].copy()),
                                    target=prop["name"], height=0.05)
    assert result.success, result.reason
    assert len(seen) == result.steps > 0
    goal = np.asarray(prop["position"]) + [0.0, 0.0, 0.05]
    assert np.linalg.norm(seen[-1] - goal) < 0.01
    assert result.final_error == pytest.approx(np.linalg.norm(panda.unwrapped.task.ee_pos[0] - goal), abs=2e-4)  # scene positions are rounded to 0.1 mm


def test_pick_lifts_a_cube(panda):
    _, info = panda.reset(seed=0)
    cube = next(p for p in info["scene"] if p["shape"] == "cube")
    task = panda.unwrapped.task
    result = get_skill("pick").run(panda, target=cube["name"])
    assert result.success, result.reason
    lifted = {p["name"]: p["position"][2] for p in task.scene_description(0)}[cube["name"]] - cube["position"][2]
    assert lifted > 0.07
    # the held cube goes back down; then the hand opens and the arm goes home
    placed = get_skill("place").run(panda, target=[0.45, -0.05, 0.6])
    assert placed.success, placed.reason
    assert get_skill("home").run(panda).success



def test_pick_holds_a_ball_with_a_firmer_grip_until_the_hand_opens(panda):
    _, info = panda.reset(seed=0)
    ball = next(p for p in info["scene"] if p["shape"] == "ball")
    task = panda.unwrapped.task
    nominal = task.model.actuator_gainprm[task.gripper_id, 0]
    result = get_skill("pick").run(panda, target=ball["name"])
    assert result.success, result.reason
    assert task.sim.param("actuator_gainprm")[0, task.gripper_id, 0] == pytest.approx(5.0 * nominal)
    assert get_skill("open_gripper").run(panda).success
    assert task.sim.param("actuator_gainprm")[0, task.gripper_id, 0] == pytest.approx(nominal)
    assert task.sim.param("actuator_biasprm")[0, task.gripper_id, 1] == \
        pytest.approx(task.model.actuator_biasprm[task.gripper_id, 1])


def test_a_heavy_cube_slips_from_a_gentle_grip_and_lifts_with_a_firm_one(panda):
    from embodied.agent.arm import write_friction_and_mass

    results = {}
    for grip in ("gentle", "firm"):
        _, info = panda.reset(seed=2)
        task = panda.unwrapped.task
        write_friction_and_mass(task, np.array([[0.25, 0.2]]), list(task.scene.prop_bodies))  # 0.2 kg blocks
        cube = next(p for p in info["scene"] if p["shape"] == "cube")
        results[grip] = get_skill("pick").run(panda, target=cube["name"], grip=grip)
    assert not results["gentle"].success and "did not leave the table" in results["gentle"].reason
    assert results["firm"].success, results["firm"].reason
    with pytest.raises(Exception, match="grip"):
        get_skill("pick").run(panda, target=cube["name"], grip="crushing")


@pytest.mark.parametrize("seed, top, bottom", [(4, "black_cylinder", "white_cylinder"),
                                               (15, "blue_cylinder", "black_cube")])
def test_place_lets_a_cylinder_go_over_another_prop_without_dragging_it_off(panda, seed, top, bottom):
    from embodied.agent.arm import write_friction_and_mass

    # let go 1 cm above the other prop's top: opening the fingers fully at once dragged these
    # cylinders 5 cm sideways, off the other prop (and 1.3 to 2 cm in other scenes)
    task = panda.unwrapped.task
    for mass in (0.03, 0.05):
        panda.reset(seed=seed)
        write_friction_and_mass(task, np.array([[0.25, mass]]), list(task.scene.prop_bodies))
        slots = {p.name: p.slot for p in task.layouts[0].props}
        specs = task.scene.config.props
        below = task.prop_pos[0, slots[bottom]].copy()
        height = 2 * specs[slots[bottom]].half_height + specs[slots[top]].half_height
        assert get_skill("pick").run(panda, target=top).success
        placed = get_skill("place").run(panda, target=[below[0], below[1], task.scene.table_top + height + 0.01])
        assert placed.success, (mass, placed.reason)
        held = task.prop_pos[0, slots[top]]
        assert np.hypot(*(held[:2] - below[:2])) < 0.01, mass
        assert abs(held[2] - task.scene.table_top - height) < 0.003, mass  # standing on the other prop


@pytest.mark.parametrize("target, words", [
    ([1.5, 0.0, 0.8], ["from the panda base", "reachable"]),
    ([0.45, 0.0, 0.58], ["above the table top", "at least"]),
    ([-0.5, 0.0, 0.8], ["to the side"]),
])
def test_out_of_reach_is_a_failed_result_with_a_reason(panda, target, words):
    panda.reset(seed=0)
    result = get_skill("reach").run(panda, target=target)
    assert not result.success and result.steps == 0
    for word in words:
        assert word in result.reason, result.reason


def test_unknown_prop_names_the_scene_props(panda):
    _, info = panda.reset(seed=0)
    with pytest.raises(UnknownNameError) as error:
        get_skill("pick").run(panda, target="golden_cup")
    assert "'golden_cup'" in str(error.value) and info["scene"][0]["name"] in str(error.value)


def test_place_without_a_held_prop_fails_cleanly(panda):
    panda.reset(seed=0)
    result = get_skill("place").run(panda, target=[0.45, 0.0, 0.6])
    assert not result.success and "no prop is held" in result.reason


def test_arm_skill_on_legged_env_is_refused():
    env = gym.make("embodied/Go1Walk-v0", cameras=[])
    env.reset(seed=0)
    with pytest.raises(SkillNotAvailableError, match="go1"):
        get_skill("reach").run(env, target=[0.4, 0.0, 0.3])
    env.close()


def test_push_moves_a_prop_by_the_distance(panda):
    _, info = panda.reset(seed=2)
    task = panda.unwrapped.task
    names = [p["name"] for p in info["scene"]]
    start = {p["name"]: np.asarray(p["position"]) for p in info["scene"]}
    # a prop whose push to the left stays in reach and clear of the others
    name = next(n for n in names if start[n][1] < 0.2 and all(
        np.hypot(*(start[m][:2] - start[n][:2] - [0.0, 0.05])) > 0.1 for m in names if m != n))
    result = get_skill("push").run(panda, target=name, direction="left", distance=0.08)
    assert result.success, result.reason
    end = np.asarray({p["name"]: p["position"] for p in task.scene_description(0)}[name])
    assert np.hypot(*(end[:2] - start[name][:2] - [0.0, 0.08])) < 0.03
