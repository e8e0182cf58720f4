"""`embodied bench`: env steps per second of the batched VectorEnv against Gymnasium's own
vectorisation and against the physics limit, measured in one run on one task.

Five figures, each the median over short timed chunks. The chunks are taken in rounds,
one of each measurement per round, so every figure samples the same stretches of time and
the ratios hold on a shared machine whose load drifts:
1. the embodied VectorEnv (`gymnasium.make_vec(id, num_envs=N, backend=B)`),
2. the same batch of N worlds on backend B stepped bare, with random controls and no task
   logic (`physics_sps`): what the backend alone gives, so `vs_physics` is the share of it
   that the VectorEnv keeps after observations, rewards and resets,
3. Gymnasium's SyncVectorEnv over N single envs,
4. Gymnasium's AsyncVectorEnv over single envs, one process per core,
5. the physics limit: a bare single-thread `mj_step` loop on the same model, stepped for
   the same control period, times the number of threads the batch uses.
All use random actions. Peak resident memory per env of the embodied VectorEnv is reported
as `rss_mb_per_env`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError

MIN_ROUNDS = 3


def _memory_mb(field: str) -> float:
    """VmRSS (current) or VmHWM (peak) of this process, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) / 1024.0
    return float("nan")


@dataclass
class Measurement:
    """One figure: `step()` advances every env it runs once and returns how many env steps
    that was; `scale` multiplies the measured rate (threads for the single-thread limit)."""

    key: str
    label: str
    step: Callable[[], int]
    close: Callable[[], None] = lambda: None
    scale: float = 1.0


def interleaved_rates(measurements: list[Measurement], seconds: float, chunk_seconds: float,
                      on_round: Callable[[int, int], None] | None = None) -> dict[str, float]:
    """Median env steps per second of each measurement over timed chunks, taken in rounds.

    Every round times one chunk of each measurement in turn, so all figures sample the same
    stretches of time: on a shared machine whose load drifts, the ratios between them hold
    even when the absolute rates move. `seconds` is the time each measurement gets.
    """
    rounds = max(MIN_ROUNDS, int(round(seconds / chunk_seconds)))
    rates: dict[str, list[float]] = {m.key: [] for m in measurements}
    for round_index in range(rounds):
        for measurement in measurements:
            chunk_start, count = time.perf_counter(), 0
            while time.perf_counter() - chunk_start < chunk_seconds:
                count += measurement.step()
            rates[measurement.key].append(count / (time.perf_counter() - chunk_start) * measurement.scale)
        if on_round:
            on_round(round_index + 1, rounds)
    return {key: statistics.median(values) for key, values in rates.items()}


def _random_actions(space: Any, rng: np.random.Generator, count: int = 8) -> list[np.ndarray]:
    shape = space.shape
    return [rng.uniform(-1.0, 1.0, shape).astype(np.float32) for _ in range(count)]


class EmbodiedRun:
    """The embodied VectorEnv under random actions; counts finished episodes so the physics
    limit can restart its loop as often."""

    def __init__(self, env_id: str, num_envs: int, backend: str, device: str | None = None) -> None:
        import gymnasium as gym

        before = _memory_mb("VmRSS")
        kwargs = {"device": device} if device else {}
        self.envs = gym.make_vec(env_id, num_envs=num_envs, backend=backend, **kwargs)
        self.envs.reset(seed=0)
        self.num_envs = num_envs
        self.actions = _random_actions(self.envs.action_space, np.random.default_rng(0))
        self.steps = 0
        self.episodes = 0
        self.step()  # warm-up: thread pool start, first-call allocations
        self.steps = self.episodes = 0
        self.rss_mb_per_env = (_memory_mb("VmHWM") - before) / num_envs

    def step(self) -> int:
        _, _, terminated, truncated, _ = self.envs.step(self.actions[self.steps % len(self.actions)])
        self.steps += 1
        self.episodes += int(np.count_nonzero(terminated | truncated))
        return self.num_envs

    @property
    def mean_episode_steps(self) -> float:
        """Env steps per finished episode so far (the episode limit while none has ended)."""
        max_steps = float(self.envs.unwrapped.task.config.max_steps)
        if self.episodes == 0:
            return max_steps
        return min(self.steps * self.num_envs / self.episodes, max_steps)

    def facts(self) -> dict[str, Any]:
        task = self.envs.unwrapped.task
        return {"threads": int(task.sim.nthread), "physics_steps_per_env_step": int(task.substeps),
                "timestep": float(task.model.opt.timestep), "rss_mb_per_env": self.rss_mb_per_env}

    def measurement(self) -> Measurement:
        return Measurement("embodied_sps", "embodied VectorEnv", self.step, self.envs.close)


def batch_physics_measurement(env_id: str, num_envs: int, backend: str, device: str | None = None) -> Measurement:
    """The task's batch of worlds stepped with random controls and without the task."""
    from embodied.tasks import BatchedTask, get_task

    task = BatchedTask(get_task(env_id), num_envs=num_envs, backend=backend, device=device)
    task.reset()
    sim, substeps = task.sim, task.substeps
    rng = np.random.default_rng(0)
    controls = [task.ctrl_of_action(rng.uniform(-1.0, 1.0, (num_envs, task.action_size))) for _ in range(8)]
    synchronize = lambda: None  # noqa: E731
    if backend == "warp":  # controls on the device, and the host waits for each step's kernels
        import torch

        controls = [torch.as_tensor(c, dtype=sim.ctrl.dtype, device=sim.ctrl.device) for c in controls]
        if sim.ctrl.is_cuda:
            synchronize = torch.cuda.synchronize
    counter = iter(range(1 << 62))

    def step() -> int:
        sim.ctrl[:] = controls[next(counter) % len(controls)]
        sim.step(substeps)
        synchronize()
        return num_envs

    step()  # warm-up (CUDA graph capture on the warp backend)
    return Measurement("physics_sps", f"the same {num_envs} worlds stepped bare", step, task.close)


def gymnasium_measurement(env_id: str, num_envs: int, mode: str) -> Measurement:
    """Gymnasium's own SyncVectorEnv or AsyncVectorEnv over the single env."""
    import gymnasium as gym

    envs = gym.make_vec(env_id, num_envs=num_envs, vectorization_mode=mode)
    envs.reset(seed=0)
    actions = _random_actions(envs.action_space, np.random.default_rng(0))
    counter = iter(range(1 << 62))

    def step() -> int:
        envs.step(actions[next(counter) % len(actions)])
        return num_envs

    step()
    return Measurement(f"{mode}_sps", f"Gymnasium {mode} vector env", step, envs.close)


def physics_limit_measurement(env_id: str, threads: int, episode_steps: Callable[[], float],
                              num_envs: int = 256) -> Measurement:
    """Single-thread mj_step loop on the task's model, times threads.

    It applies the same random actions through the task's own action mapping and restarts
    from the home pose as often as the embodied run's episodes end (`episode_steps()`, read
    at each restart), so both simulate the same kind of motion (a fallen robot has other
    contacts than a standing one).
    """
    import mujoco

    from embodied.tasks import BatchedTask, get_task

    task = BatchedTask(get_task(env_id), num_envs=1, nthread=1)
    model, substeps = task.model, task.substeps
    data = mujoco.MjData(model)
    mujoco.mj_resetDataKeyframe(model, data, 0)
    # as many distinct random actions as the batched run draws (one per env, eight rounds):
    # a handful could all happen to drive an arm into the table and make the loop look slow
    rng = np.random.default_rng(0)
    controls = [task.ctrl_of_action(a) for a in rng.uniform(-1.0, 1.0, (8 * num_envs, task.action_size))]
    counter = iter(range(1 << 62))
    next_restart = [max(1, int(round(episode_steps())))]

    def step() -> int:
        index = next(counter)
        data.ctrl[:] = controls[(index * 7919) % len(controls)]  # stride through them: no pattern
        for _ in range(substeps):
            mujoco.mj_step(model, data)
        if index + 1 >= next_restart[0]:
            mujoco.mj_resetDataKeyframe(model, data, 0)
            next_restart[0] = index + 1 + max(1, int(round(episode_steps())))
        return 1

    return Measurement("limit_sps", f"physics limit (mj_step x {threads} threads)", step, task.close, float(threads))


def run_bench(env_id: str, num_envs: int, backend: str, seconds: float, skip: tuple[str, ...] = (),
              device: str | None = None, progress: bool = True) -> dict[str, Any]:
    """Every measurement on one task, interleaved; the dict `embodied bench --json` prints."""
    from embodied.tasks import get_task

    if num_envs < 1:
        raise EmbodiedError(f"--num-envs must be at least 1, got {num_envs}")
    if seconds <= 0:
        raise EmbodiedError(f"--seconds must be positive, got {seconds}")
    config = get_task(env_id)
    chunk = max(0.2, seconds / 10)
    say = (lambda text: print(text, file=sys.stderr, flush=True)) if progress else (lambda text: None)
    say(f"setting up: embodied VectorEnv, {num_envs} envs, backend {backend}")
    embodied = EmbodiedRun(config.id, num_envs, backend, device)
    result: dict[str, Any] = {"env": config.id, "num_envs": num_envs, "backend": backend, "seconds": seconds}
    result.update(embodied.facts())
    threads = result["threads"] if backend == "cpu" else (os.cpu_count() or 1)
    cores = os.cpu_count() or 1
    measurements = [embodied.measurement()]
    try:
        if "physics" not in skip:
            say(f"setting up: the same {num_envs} worlds stepped bare on backend {backend}, no task logic")
            measurements.append(batch_physics_measurement(config.id, num_envs, backend, device))
        if "sync" not in skip:
            say(f"setting up: Gymnasium SyncVectorEnv, {num_envs} single envs")
            measurements.append(gymnasium_measurement(config.id, num_envs, "sync"))
        if "async" not in skip:
            say(f"setting up: Gymnasium AsyncVectorEnv, {cores} processes (one per core)")
            measurements.append(gymnasium_measurement(config.id, cores, "async"))
            result["async_processes"] = cores
        say(f"setting up: physics limit, single-thread mj_step x {threads} threads")
        measurements.append(physics_limit_measurement(config.id, threads, lambda: embodied.mean_episode_steps,
                                                      num_envs))
        say(f"measuring {len(measurements)} figures in turn, {seconds:g} s each")
        report = (lambda done, total: say(f"  round {done}/{total}")) if progress else None
        result.update(interleaved_rates(measurements, seconds, chunk, report))
    finally:
        for measurement in measurements:
            measurement.close()
    result["mean_episode_steps"] = embodied.mean_episode_steps
    result["threads"] = threads
    for key, other in (("vs_limit", "limit_sps"), ("vs_physics", "physics_sps"), ("vs_sync", "sync_sps"),
                       ("vs_async", "async_sps")):
        if other in result:
            result[key] = result["embodied_sps"] / result[other]
    return result


def _print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("measurement", "env steps/s", "embodied is", title=(
        f"{result['env']}: {result['num_envs']} envs, backend {result['backend']}, "
        f"{result['physics_steps_per_env_step']} physics steps per env step"))
    table.add_row("embodied VectorEnv", f"{result['embodied_sps']:,.0f}", "")
    if "physics_sps" in result:
        table.add_row(f"the same worlds stepped bare ({result['backend']}, no task)", f"{result['physics_sps']:,.0f}",
                      f"{result['vs_physics']:.2f} of it")
    if "sync_sps" in result:
        table.add_row("Gymnasium SyncVectorEnv", f"{result['sync_sps']:,.0f}", f"{result['vs_sync']:.1f}x faster")
    if "async_sps" in result:
        table.add_row(f"Gymnasium AsyncVectorEnv ({result['async_processes']} processes)",
                      f"{result['async_sps']:,.0f}", f"{result['vs_async']:.1f}x faster")
    table.add_row(f"physics limit (mj_step x {result['threads']} threads)", f"{result['limit_sps']:,.0f}",
                  f"{result['vs_limit']:.2f} of it")
    Console().print(table)
    print(f"peak memory: {result['rss_mb_per_env']:.2f} MB per env")


def cmd_bench(args: argparse.Namespace) -> int:
    result = run_bench(args.env, args.num_envs, args.backend, args.seconds, tuple(args.skip or ()), args.device)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        _print_table(result)
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bench", help="env steps/s of the batched VectorEnv vs Gymnasium's vector envs and the physics limit",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: embodied bench --env embodied/Go1Walk-v0 --num-envs 256 --backend cpu --seconds 10 --json",
    )
    parser.add_argument("--env", default="embodied/Go1Walk-v0", help="task id (default embodied/Go1Walk-v0)")
    parser.add_argument("--num-envs", type=int, default=256, help="number of parallel envs (default 256)")
    parser.add_argument("--backend", default="cpu", help="physics backend: cpu or warp (default cpu)")
    parser.add_argument("--device", help="warp device, e.g. cuda:0 (default: the first CUDA device)")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--skip", nargs="*", choices=["physics", "sync", "async"],
                        help="leave out these comparisons")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=cmd_bench)
