"""The agent's belief, its world model for pushing, one closed-loop cycle, and its refusals."""

from __future__ import annotations

import json

import gymnasium as gym
import numpy as np
import pytest

from embodied.agent.arm import PushToRegion, prop_by_colour
from embodied.agent.belief import Belief, ParamPrior
from embodied.agent.core import Plan, run_episode
from embodied.agent.scene_qa import _parse
from embodied.errors import EmbodiedError

TASK = "embodied/PandaPushRegion-v0"


def test_belief_update_moves_toward_the_parameter_that_explains_the_observation() -> None:
    priors = (ParamPrior("friction", 0.03, 0.25, 0.087, log=True), ParamPrior("mass", 0.02, 0.2, 0.063, log=True))
    belief = Belief(priors)
    truth = 0.2

    def predict(params: np.ndarray) -> np.ndarray:  # slide distance ~ 1 / friction; mass plays no part
        return 0.01 / params[:, :1]

    rng = np.random.default_rng(0)
    before = belief.summary()
    for _ in range(2):
        belief.update(predict, [0.01 / truth], 0.002, rng)
    after = belief.summary()
    assert abs(after["friction"]["value"] - truth) < abs(before["friction"]["value"] - truth)
    assert abs(after["friction"]["value"] - truth) < 0.03
    width = {k: v["high"] - v["low"] for k, v in after.items()}
    assert width["friction"] < 0.5 * (before["friction"]["high"] - before["friction"]["low"])
    # an unobservable parameter keeps most of its spread
    assert width["mass"] > 0.3 * (before["mass"]["high"] - before["mass"]["low"])


def test_nominal_belief_is_a_point_and_bad_priors_are_refused() -> None:
    priors = (ParamPrior("friction", 0.03, 0.25, 0.087, log=True),)
    samples = Belief.nominal(priors).sample(5, np.random.default_rng(0))
    assert np.allclose(samples, 0.087)
    with pytest.raises(EmbodiedError, match="nominal"):
        ParamPrior("friction", 0.1, 0.2, 0.5)


@pytest.fixture(scope="module")
def pushing() -> tuple[gym.Env, PushToRegion]:
    env = gym.make(TASK, cameras=[])
    env.reset(seed=0)
    objective = PushToRegion("the red cube", "the green square")
    assert objective.setup(env) is None
    yield env, objective
    env.close()


def test_perception_finds_prop_and_region_from_pixels(pushing: tuple[gym.Env, PushToRegion]) -> None:
    env, objective = pushing
    env.reset(seed=0)
    objective.setup(env)
    task = env.unwrapped.task
    estimate = objective.perceive(env)
    truth = task.prop_pos[0, objective.slots["red_cube"]]
    assert np.linalg.norm(estimate["prop"][:2] - truth[:2]) < 0.02
    marker = np.asarray(task.layouts[0].markers["green_square"])
    assert np.linalg.norm(estimate["region"][:2] - marker[:2]) < 0.02


def test_colour_fallback_finds_a_prop_standing_on_the_marker(pushing: tuple[gym.Env, PushToRegion]) -> None:
    # the omnimodel's grounding can lose a red cube on the translucent green square; its pixels
    # of red above the table still find it, and only it
    env, objective = pushing
    env.reset(seed=0)
    objective.setup(env)
    task = env.unwrapped.task
    marker = np.asarray(task.layouts[0].markers["green_square"])
    body = task.scene.prop_bodies[objective.slots["red_cube"]]
    address = task.model.jnt_qposadr[task.model.body_jntadr[body]]
    task.sim.qpos[0, address:address + 2] = marker[:2]
    task.sim.forward()
    rgb, depth, info = objective.camera.render(depth=True)
    found = prop_by_colour(rgb, depth, info, "red", objective.table_top)
    assert found is not None and np.linalg.norm(found[:2] - marker[:2]) < 0.02
    assert prop_by_colour(rgb, depth, info, "red", objective.table_top, near=marker + [0.6, 0.0, 0.0]) is None
    shown = {p.name.split("_")[0] for p in task.layouts[0].props} | set(task.layouts[0].markers and ["green"])
    absent = next(c for c in ("purple", "blue", "yellow", "orange") if c not in shown)
    assert prop_by_colour(rgb, depth, info, absent, objective.table_top) is None  # no prop of that colour
    assert prop_by_colour(rgb, depth, info, "no-such-colour", objective.table_top) is None


def test_world_model_applies_params_per_world_and_slides_further_on_a_slicker_table(
        pushing: tuple[gym.Env, PushToRegion]) -> None:
    env, objective = pushing
    env.reset(seed=0)
    objective.setup(env)
    estimate = objective.perceive(env)
    direction = objective._direction(estimate)
    plan = Plan([{"skill": "push", "args": {"target": estimate["prop"].tolist(), "direction": direction.tolist(),
                                            "speed": 0.5}}], "test")
    params = np.array([[0.04, 0.05], [0.2, 0.05]])
    rng = np.random.default_rng(0)
    outcomes = objective.imagine(estimate, [plan], params, rng)
    assert outcomes.shape == (1, 2, 3)
    world = objective._world
    table = world.model.geom("table").id
    assert np.allclose(world.sim.param("geom_friction")[:, table, 0], [0.04, 0.2])
    slid = np.linalg.norm(outcomes[0, :, :2], axis=1)
    assert slid[0] > 1.5 * slid[1] > 0.0
    along = outcomes[0, :, :2] @ direction
    assert np.all(along > 0.8 * slid)  # the prop goes the way it was pushed


def test_one_closed_loop_cycle_logs_prediction_and_narrows_the_belief(pushing: tuple[gym.Env, PushToRegion]) -> None:
    env, objective = pushing
    objective.max_cycles, objective.samples, objective.speeds = 1, 4, 3
    try:
        log = run_episode(env, objective, seed=2, mode="closed").to_json()
    finally:
        objective.max_cycles, objective.samples, objective.speeds = 5, 12, 8
    assert len(log["cycles"]) == 1
    cycle = log["cycles"][0]
    for key in ("plan", "predicted", "observed", "prediction_error", "belief_before", "belief_after"):
        assert key in cycle
    before, after = cycle["belief_before"]["friction"], cycle["belief_after"]["friction"]
    assert after["high"] - after["low"] < before["high"] - before["low"]
    assert np.isfinite(cycle["prediction_error"])
    json.dumps(log)


def test_objectives_the_agent_cannot_pursue_are_refused_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    from embodied.cli import main

    assert main(["agent", "sing me a song", "--task", TASK, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["refused"] and "can:" in out["refused"]
    assert main(["agent", "stack the red cube on the red cube", "--task", TASK, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["refused"] and "itself" in out["refused"]


def test_scene_question_parsing() -> None:
    spec = _parse("If I push the red cube to the left, will it fall off the table?")
    assert spec["prop"] == "the red cube" and spec["direction"] == "left" and spec["event"]["kind"] == "falls_off"
    assert isinstance(_parse("what is the meaning of life?"), str)
    assert "which way" in _parse("if I push the red cube, will it fall off the table?")


def test_eval_agent_names_the_valid_objectives(capsys: pytest.CaptureFixture[str]) -> None:
    from embodied.cli import main

    assert main(["eval-agent", "--objective", "fly", "--episodes", "1"]) == 2
    err = capsys.readouterr().err
    assert "fly" in err and "push" in err and "walk_to" in err


def test_eval_keeps_each_episode_and_resumes(tmp_path, monkeypatch) -> None:
    from embodied.agent import evaluate as evaluation
    from embodied.agent.core import Objective, Status

    class AlreadyDone(Objective):
        name = "already_done"
        priors = (ParamPrior("friction", 0.03, 0.25, 0.087, log=True),)

        def setup(self, env):
            return None

        def apply_params(self, task, params):
            pass

        def perceive(self, env):
            return {}

        def status(self, estimate):
            return Status("success", "nothing to do")

        def candidates(self, estimate, rng): ...
        def imagine(self, estimate, plans, params, rng, first_step_only=True): ...
        def score(self, estimate, outcomes): ...
        def execute(self, env, plan, recorder, first_step_only=True): ...
        def observe_outcome(self, estimate, after): ...
        def judge(self, env): return True

    log = tmp_path / "eval.episodes.jsonl"
    first = evaluation.evaluate_objective(AlreadyDone, TASK, 2, 5, modes=("closed",), progress=False, episodes_log=log)
    assert first["modes"]["closed"]["success_rate"] == 1.0
    assert first["modes"]["closed"]["succeeded"] == 2 and first["modes"]["closed"]["stopped"] == {}  # failures only
    assert [json.loads(line)["seed"] for line in log.read_text().splitlines()] == [5, 6]

    ran = []
    monkeypatch.setattr(evaluation, "run_episode", lambda *a, **k: ran.append(a[2]) or pytest.fail("reran"))
    again = evaluation.evaluate_objective(AlreadyDone, TASK, 2, 5, modes=("closed",), progress=False, episodes_log=log)
    assert ran == [] and again["modes"]["closed"] == first["modes"]["closed"]


def test_evaluation_skips_seeds_whose_scene_cannot_host_the_objective(monkeypatch):
    """A factory raising UnsuitableScene costs a seed, not an episode: every mode still runs N."""
    from embodied.agent import evaluate as evaluation
    from embodied.agent.core import UnsuitableScene

    ran = []

    def factory(env, seed):
        if seed % 2:
            raise UnsuitableScene(f"seed {seed}: nothing to stack")
        return seed

    monkeypatch.setattr(evaluation, "run_episode", lambda env, objective, seed, mode: ran.append((seed, mode)) or
                        type("Log", (), {"to_json": lambda self: {"success": True, "cycles": [], "seconds": 0.0,
                                                                  "stopped": "success"}})())
    summary = evaluation.evaluate_objective(factory, TASK, 3, 10, modes=("closed", "open"), progress=False)
    assert sorted({seed for seed, _ in ran}) == [10, 12, 14]
    assert len(ran) == 6 and summary["skipped_seeds"] == {"11": "seed 11: nothing to stack",
                                                           "13": "seed 13: nothing to stack"}
    assert summary["seeds"] == [10, 14]

    def never(env, seed):
        raise UnsuitableScene("no")

    with pytest.raises(EmbodiedError, match="have a scene this objective can be tried in"):
        evaluation.evaluate_objective(never, TASK, 2, 0, modes=("closed",), progress=False)


def test_stopped_reasons_are_counted_by_kind_not_by_number():
    from embodied.agent.evaluate import _count

    reasons = ["standing 0.48 m from the red ball", "standing 0.35 m from the red ball",
               "step budget spent (4 cycles)", "step budget spent (6 cycles)", "the robot has fallen", ""]
    assert _count(reasons) == {"standing": 2, "step budget spent": 2, "the robot has fallen": 1, "(none)": 1}
