"""`embodied bench` on a tiny configuration: every figure is measured and the ratios follow."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embodied.bench import run_bench
from embodied.cli import main
from embodied.errors import EmbodiedError


def test_bench_reports_every_figure_and_consistent_ratios():
    result = run_bench("embodied/PandaReach-v0", num_envs=2, backend="cpu", seconds=0.3, skip=("async",),
                       progress=False)
    for key in ("embodied_sps", "physics_sps", "sync_sps", "limit_sps", "rss_mb_per_env"):
        assert result[key] > 0, key
    assert "async_sps" not in result and "vs_async" not in result
    assert result["physics_steps_per_env_step"] == 25 and result["threads"] >= 1
    assert result["vs_limit"] == pytest.approx(result["embodied_sps"] / result["limit_sps"])
    assert result["vs_physics"] == pytest.approx(result["embodied_sps"] / result["physics_sps"])
    assert result["vs_sync"] == pytest.approx(result["embodied_sps"] / result["sync_sps"])


def test_bench_cli_json_and_bad_input(capsys):
    assert main(["bench", "--env", "embodied/PandaReach-v0", "--num-envs", "2", "--seconds", "0.2",
                 "--skip", "physics", "sync", "async", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["embodied_sps"] > 0 and "physics_sps" not in printed and "sync_sps" not in printed
    with pytest.raises(EmbodiedError, match="at least 1"):
        run_bench("embodied/PandaReach-v0", num_envs=0, backend="cpu", seconds=0.2, progress=False)
    with pytest.raises(EmbodiedError, match="unknown backend 'tpu'"):
        run_bench("embodied/PandaReach-v0", num_envs=2, backend="tpu", seconds=0.2, progress=False)


def test_bench_json_on_the_warp_backend_is_pure_json(capsys):
    # warp prints a banner and a line per loaded kernel module on stdout unless silenced
    pytest.importorskip("mujoco_warp")
    assert main(["bench", "--env", "embodied/Go1Walk-v0", "--num-envs", "2", "--backend", "warp",
                 "--device", "cpu", "--seconds", "0.2", "--skip", "sync", "async", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["backend"] == "warp" and printed["physics_sps"] > 0


def test_measurements_are_timed_in_turns_so_their_ratio_shares_the_machine_load():
    from embodied.bench import Measurement, interleaved_rates

    order: list[str] = []

    def stepper(name: str, envs: int):
        def step() -> int:
            if not order or order[-1] != name:
                order.append(name)
            return envs
        return step

    rates = interleaved_rates([Measurement("a", "a", stepper("a", 4)), Measurement("b", "b", stepper("b", 1), scale=2.0)],
                              seconds=0.03, chunk_seconds=0.01)
    assert order == ["a", "b"] * 3  # one chunk of each per round, three rounds
    assert set(rates) == {"a", "b"} and rates["a"] > 0 and rates["b"] > 0


def test_physics_limit_replays_the_vector_envs_own_physics_bit_for_bit():
    import mujoco

    from embodied.bench import EmbodiedRun, physics_limit_measurement

    run = EmbodiedRun("embodied/PandaReach-v0", num_envs=4, backend="cpu", record_worlds=2)
    run.step()
    # two worlds before each physics call (the warm-up's included), another pair each call
    assert run.motion_worlds == [0, 2, 1, 3]
    run.envs.close()

    run = EmbodiedRun("embodied/PandaReach-v0", num_envs=3, backend="cpu", record_worlds=3)
    for _ in range(3):  # no episode ends in these steps
        run.step()
    assert sorted(run.motion_worlds) == [0] * 4 + [1] * 4 + [2] * 4
    task = run.envs.unwrapped.task
    model, spec = task.model, mujoco.mjtState.mjSTATE_INTEGRATION
    data, recorded = mujoco.MjData(model), mujoco.MjData(model)
    for call in range(3):  # each world's replayed control period ends where its next record starts
        for world in range(3):
            start = run.motion_worlds.index(world, 3 * call, 3 * call + 3)
            end = run.motion_worlds.index(world, 3 * call + 3, 3 * call + 6)
            mujoco.mj_setState(model, data, run.motion[start], spec)
            for _ in range(task.substeps):
                mujoco.mj_step(model, data)
            mujoco.mj_setState(model, recorded, run.motion[end], spec)
            np.testing.assert_array_equal(data.qpos, recorded.qpos)
            np.testing.assert_array_equal(data.qvel, recorded.qvel)
    assert not np.array_equal(run.motion[0][1:], run.motion[-1][1:])  # the arms moved
    limit = physics_limit_measurement(model, task.substeps, threads=2, motion=run.motion)
    assert limit.step() == 1 and limit.scale == 2.0
    with pytest.raises(EmbodiedError, match="recorded motion"):
        physics_limit_measurement(model, task.substeps, threads=1, motion=[])
    run.envs.close()


def test_on_other_backends_the_motion_is_recorded_before_the_timing_only():
    pytest.importorskip("mujoco_warp")
    from embodied.bench import GPU_RECORD_STEPS, EmbodiedRun

    run = EmbodiedRun("embodied/Go1Walk-v0", num_envs=2, backend="warp", device="cpu")
    assert len(run.motion) == 2 * GPU_RECORD_STEPS and run.steps == 0
    run.step()  # a timed step copies nothing to record
    assert len(run.motion) == 2 * GPU_RECORD_STEPS
    run.envs.close()
