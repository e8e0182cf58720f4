"""The stack objective: parsing and refusals, the two-stage world model, one closed-loop episode, the judge."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

import embodied.envs  # noqa: F401  (registers the envs)
from embodied.agent.arm import PushToRegion
from embodied.agent.core import run_episode
from embodied.agent.objectives import SUPPORTED, parse_objective
from embodied.agent.stack import FIRM_COST, StackOnProp, stack_text_for_scene

TASK = "embodied/PandaTabletop-v0"
SEED = 2  # black, green and blue cubes, a yellow cylinder and two balls, all within reach


@pytest.fixture(scope="module")
def table() -> tuple[gym.Env, object]:
    from embodied.omni.run import load_omnimodel

    env = gym.make(TASK, cameras=[])
    env.reset(seed=SEED)
    yield env, load_omnimodel("builtin")
    env.close()


def _move_prop(env: gym.Env, name: str, xyz: list[float]) -> None:
    task = env.unwrapped.task
    slot = {p.name: p.slot for p in task.layouts[0].props}[name]
    address = task.scene.prop_qpos[slot]
    task.sim.qpos[0, address:address + 3] = xyz
    task.sim.qpos[0, address + 3:address + 7] = [1.0, 0.0, 0.0, 0.0]
    task.sim.qvel[0, task.scene.prop_dofs[slot]:task.scene.prop_dofs[slot] + 6] = 0.0
    task.sim.forward()


def _settle(env: gym.Env, steps: int = 15) -> None:
    task = env.unwrapped.task
    action = task.action_of_ctrl(task.home_ctrl).astype(np.float32)  # the arm holds its home pose
    for _ in range(steps):
        env.step(action)


def test_stack_commands_are_routed_and_impossible_ones_refused(table: tuple[gym.Env, object]) -> None:
    env, omni = table
    task = env.unwrapped.task
    made = parse_objective("stack the red cube on the blue cube", task, omni)
    assert isinstance(made, StackOnProp)
    assert (made.top_phrase, made.bottom_phrase) == ("the red cube", "the blue cube")
    made = parse_objective("put the green block on top of the yellow cylinder", task, omni)
    assert isinstance(made, StackOnProp) and (made.top_phrase, made.bottom_phrase) == ("the green cube",
                                                                                       "the yellow cylinder")
    assert isinstance(parse_objective("place the black cube onto the green cube", task, omni), StackOnProp)
    # a marked region is still a push
    assert isinstance(parse_objective("push the red cube onto the green square", task, omni), PushToRegion)
    assert "itself" in parse_objective("stack the red cube on the red cube", task, omni)
    assert "flat top" in parse_objective("put the red cube on the blue ball", task, omni)
    assert "stack one prop on another" in SUPPORTED


def test_stacking_needs_two_props_in_the_task(table: tuple[gym.Env, object]) -> None:
    _, omni = table
    env = gym.make("embodied/PandaPickPlace-v0", cameras=[])  # one cube and a marker
    try:
        env.reset(seed=0)
        refused = parse_objective("stack the red cube on the blue cube", env.unwrapped.task, omni)
    finally:
        env.close()
    assert isinstance(refused, str) and "needs two props" in refused


def test_a_prop_not_in_the_scene_stops_the_episode_with_the_reason(table: tuple[gym.Env, object]) -> None:
    env, omni = table
    log = run_episode(env, StackOnProp("the purple cube", "the blue cube", omni=omni), SEED, "closed").to_json()
    assert not log["success"] and log["cycles"] == []
    assert "purple cube" in log["stopped"]


def test_a_prop_out_of_reach_is_judged_impossible(table: tuple[gym.Env, object]) -> None:
    env, omni = table
    env.reset(seed=SEED)
    objective = StackOnProp("the green cube", "the blue cube", omni=omni)
    assert objective.setup(env) is None
    _move_prop(env, "blue_cube", [0.62, 0.6, objective.table_top + 0.021])  # 0.87 m from the base
    status = objective.status(objective.perceive(env))
    assert status.state == "impossible" and "blue cube is out of reach" in status.reason


def test_top_faces_place_props_seen_apart_within_a_few_millimetres(table: tuple[gym.Env, object],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import embodied.agent.stack as stack

    env, omni = table
    env.reset(seed=SEED)
    task = env.unwrapped.task

    def errors() -> list[float]:
        found = []
        for top, bottom in (("green_cube", "blue_cube"), ("yellow_cylinder", "black_cube")):
            objective = StackOnProp(f"the {top.replace('_', ' ')}", f"the {bottom.replace('_', ' ')}", omni=omni)
            assert objective.setup(env) is None
            estimate = objective.perceive(env)
            for role, name in (("top", top), ("bottom", bottom)):
                truth = task.prop_pos[0, objective.slots[name]]
                found.append(float(np.hypot(*(estimate[role][:2] - truth[:2]))))
        return found

    refined = errors()
    monkeypatch.setattr(stack, "APART", float("inf"))  # the grounding's points alone
    grounded = errors()
    assert max(refined) < 0.004, refined
    assert np.mean(refined) < 0.5 * np.mean(grounded), (refined, grounded)


def _green_on_blue(table: tuple[gym.Env, object]) -> tuple[gym.Env, StackOnProp, dict]:
    """Seed 2's scene reset, and an objective to stack its green cube on its blue cube with its first estimate."""
    env, omni = table
    env.reset(seed=SEED)
    objective = StackOnProp("the green cube", "the blue cube", omni=omni, plans=2)
    assert objective.setup(env) is None
    return env, objective, objective.perceive(env)


def test_imagination_shape_lift_and_fall_and_determinism(table: tuple[gym.Env, object]) -> None:
    env, objective, estimate = _green_on_blue(table)
    truth = env.unwrapped.task.prop_pos[0, objective.slots["blue_cube"]]
    assert np.linalg.norm(estimate["bottom"][:2] - truth[:2]) < 0.015  # from pixels and depth
    plans = objective.candidates(estimate, np.random.default_rng(0))
    # each place target with either grip; a firm grip costs a little
    assert [plan.steps[0]["args"]["grip"] for plan in plans] == ["gentle", "firm"] * 2
    assert [plan.cost for plan in plans] == [0.0, FIRM_COST] * 2
    off = json.loads(json.dumps(plans[0].to_json()))  # a fifth plan, aimed past the bottom cube's edge
    off["steps"][-1]["args"]["target"][0] += 0.04
    plans.append(type(plans[0])(off["steps"], "aimed 4 cm off"))
    params = np.array([[0.25, 0.05], [0.1, 0.05], [0.25, 0.24]])  # the last: too heavy for a gentle grip

    outcomes = objective.imagine(estimate, plans, params, np.random.default_rng(1))
    assert outcomes.shape == (5, 3, 3) and np.all(np.isfinite(outcomes))
    again = objective.imagine(estimate, plans, params, np.random.default_rng(1))
    assert np.array_equal(outcomes, again)  # the same seed imagines the same
    # a centred release of a light cube stays on top, whatever the grip; one 4 cm off falls beside it
    for centred in (0, 1):
        assert np.all(np.abs(outcomes[centred, :2, 2]) < 0.01) and np.all(np.hypot(*outcomes[centred, :2, :2].T) < 0.015)
    assert np.array_equal(outcomes[0, :2], outcomes[1, :2])  # the release is imagined once per place target
    assert np.all(outcomes[4, :2, 2] < -0.03)
    # the heavy cube stays where the camera saw it under a gentle grip; a firm one stacks it
    stays = estimate["top"] - objective._rest(estimate)
    assert np.allclose(outcomes[[0, 2, 4], 2], stays)
    assert abs(outcomes[1, 2, 2]) < 0.01
    expected = objective.score(estimate, outcomes).mean(axis=1) - [plan.cost for plan in plans]
    assert expected.argmax() == 1  # one heavy sample in three is worth the firm grip's cost
    light = objective.imagine(estimate, plans[:2], params[:2], np.random.default_rng(1))
    assert (objective.score(estimate, light).mean(axis=1) - [0.0, FIRM_COST]).argmax() == 0


def test_the_imagined_pick_carries_the_prop_over_the_bottom_one(table: tuple[gym.Env, object]) -> None:
    _, objective, estimate = _green_on_blue(table)
    lifted = objective._imagine_pick(estimate, np.array([[0.25, 0.05], [0.25, 0.24]]), ["gentle", "firm"])
    assert lifted["gentle"].tolist() == [True, False] and lifted["firm"].tolist() == [True, True]
    held = objective._world.prop_pos[:, estimate["top_slot"]]  # worlds: (gentle, firm) x (light, heavy)
    for world in (0, 2, 3):
        assert np.hypot(*(held[world, :2] - estimate["bottom"][:2])) < 0.03  # over the bottom prop
        assert held[world, 2] > objective.table_top + 0.1  # at the place skill's travel height
    assert held[1, 2] < objective.table_top + 0.05  # the heavy cube stayed on the table


def test_a_heavy_cube_is_stacked_after_a_failed_pick_teaches_the_agent_its_mass(table: tuple[gym.Env, object]) -> None:
    env, omni = table
    logs = {}
    for mode in ("closed", "open"):
        objective = StackOnProp("the green cube", "the blue cube", omni=omni, plans=2)
        objective.samples = 4
        logs[mode] = run_episode(env, objective, SEED, mode, hidden=np.array([0.25, 0.2])).to_json()
    grips = {mode: [c["plan"]["steps"][0]["args"]["grip"] for c in log["cycles"]] for mode, log in logs.items()}
    # nominal blocks are light: both start gentle, and the gentle pick leaves the 0.2 kg cube on the table
    assert grips["open"] == ["gentle"] and not logs["open"]["success"]
    assert "did not leave the table" in logs["open"]["cycles"][0]["executed"]["reason"]
    first = logs["closed"]["cycles"][0]
    assert grips["closed"] == ["gentle", "firm"] and logs["closed"]["success"], logs["closed"]["stopped"]
    assert first["belief_after"]["prop_mass"]["low"] > 0.1  # the failed pick says: heavier than the gentle grip holds


def test_one_closed_loop_episode_stacks_and_logs_its_cycles(table: tuple[gym.Env, object]) -> None:
    env, omni = table
    objective = StackOnProp("the yellow cylinder", "the black cube", omni=omni, plans=3)
    objective.samples = 4
    # nominal props, so the first plan is expected to work as imagined; a heavier draw would
    # (rightly) fail the gentle pick first, which the heavy-cube test covers
    nominal = np.array([prior.nominal for prior in objective.priors])
    log = run_episode(env, objective, SEED, "closed", hidden=nominal).to_json()
    json.dumps(log)
    assert log["success"] and "stands on" in log["stopped"]
    assert 1 <= len(log["cycles"]) <= objective.max_cycles
    cycle = log["cycles"][0]
    for key in ("plan", "predicted", "observed", "prediction_error", "belief_before", "belief_after", "fit"):
        assert key in cycle
    assert [step["skill"] for step in cycle["plan"]["steps"]] == ["pick", "place"]
    assert cycle["executed"]["success"] and np.isfinite(cycle["prediction_error"])
    assert cycle["prediction_error"] < 0.05


def test_a_prop_stacked_where_the_grounding_misses_it_is_seen_by_its_colour(table: tuple[gym.Env, object],
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    env, omni = table
    env.reset(seed=20)
    task = env.unwrapped.task
    objective = StackOnProp("the purple cylinder", "the red cube", omni=omni)
    assert objective.setup(env) is None
    assert objective.status(objective.perceive(env)).state == "running"
    red = task.prop_pos[0, objective.slots["red_cube"]].copy()
    _move_prop(env, "purple_cylinder", [red[0], red[1], task.scene.table_top + 0.04 + 0.0216 + 0.002])
    _settle(env)
    # in the evaluation (seeds 10, 20, 22) the omnimodel missed a cylinder standing on a cube
    locate = objective._locate
    monkeypatch.setattr(objective, "_locate", lambda phrase, *rest: "I see no purple cylinder"
                        if phrase == objective.top_phrase else locate(phrase, *rest))
    estimate = objective.perceive(env)
    assert estimate["top_seen_by"] == "its colour's pixels on top of the bottom prop"
    assert objective.status(estimate).state == "success"
    assert np.hypot(*(estimate["top"][:2] - red[:2])) < 0.01


def test_judge_wants_the_prop_resting_on_the_other(table: tuple[gym.Env, object]) -> None:
    env, _ = table
    env.reset(seed=SEED)
    task = env.unwrapped.task
    objective = StackOnProp("the green cube", "the blue cube")
    top = task.scene.table_top
    blue = task.prop_pos[0, {p.name: p.slot for p in task.layouts[0].props}["blue_cube"]].copy()
    assert not objective.judge(env)  # both on the table
    _move_prop(env, "green_cube", [blue[0] + 0.008, blue[1], top + 0.061])
    _settle(env)
    assert objective.judge(env)  # resting on it, a little off centre
    _move_prop(env, "green_cube", [blue[0], blue[1], top + 0.1])
    assert not objective.judge(env)  # above it, not resting (as if still in the hand)
    _move_prop(env, "green_cube", [blue[0] + 0.03, blue[1], top + 0.061])
    _settle(env, 25)
    assert not objective.judge(env)  # past the edge: it tips off
    assert not StackOnProp("the purple cube", "the blue cube").judge(env)  # not in the scene


def test_eval_agent_offers_stack_with_a_pair_from_each_scene(table: tuple[gym.Env, object]) -> None:
    from embodied.agent.cli import EVAL_OBJECTIVES, build_objective

    env, omni = table
    assert EVAL_OBJECTIVES["stack"][0] == TASK
    env.reset(seed=SEED)
    text = stack_text_for_scene(env, SEED)
    assert text.startswith("stack the ") and " ball" not in text
    assert isinstance(build_objective(text, env, omni), StackOnProp)
