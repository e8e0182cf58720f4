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
5. the physics limit: a bare single-thread `mj_step` loop on the same model and control
   period, times the number of threads the batch uses. It replays states recorded from the
   VectorEnv while it runs (`EmbodiedRun.motion`), so that both simulate the same physics.
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
# worlds of the VectorEnv whose motion the physics limit replays, per physics call (a
# different set each call, so that every world is sampled), and the most states kept (the
# latest; a few MB)
RECORD_WORLDS = 8
MAX_RECORDED_STATES = 16384
# on a GPU a world's state is a dozen device-to-host copies, a large share of a step: the
# VectorEnv's motion is recorded over these many untimed steps before the timing instead
GPU_RECORD_STEPS = 16


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
    """The embodied VectorEnv under random actions; counts finished episodes and records the
    motion of a few worlds for the physics limit.

    Before each physics call, `motion` grows by the MuJoCo integration state (mj_getState,
    mjSTATE_INTEGRATION: positions, velocities, controls, warm start, ...) of
    `record_worlds` worlds, another set each call so that over a run every world is
    sampled (`motion_worlds` says which): the states control periods started from, falls,
    resets and random actions included. The physics limit replays them, so it simulates
    what the VectorEnv simulated over the same stretch of its run, world for world as
    costly (one world's arm may push into the table all episode while another's swings
    free). Recording costs the VectorEnv a copy of 8 worlds per step (about 25 us each on
    the cpu backend, under 1 % of a 256-env step), which counts against it, not for it. On
    other backends the copies would be a large share of a step, so the motion is recorded
    over `GPU_RECORD_STEPS` steps before the timing and not during it.
    """

    def __init__(self, env_id: str, num_envs: int, backend: str, device: str | None = None,
                 record_worlds: int = RECORD_WORLDS, arrays: str = "auto") -> None:
        import gymnasium as gym

        before = _memory_mb("VmRSS")
        kwargs = {"device": device} if device else {}
        self.envs = gym.make_vec(env_id, num_envs=num_envs, backend=backend, arrays=arrays, **kwargs)
        task = self.envs.unwrapped.task
        self.arrays = task.arrays
        self.envs.reset(seed=0)
        self.num_envs = num_envs
        self.actions = _random_actions(self.envs.action_space, np.random.default_rng(0))
        if self.arrays == "torch":  # a policy on the device: actions in and results out stay there
            import torch

            self.envs.unwrapped.return_torch = True
            self.actions = [torch.as_tensor(a, device=task.array_device) for a in self.actions]
        self.steps = 0
        self.episodes = 0
        self.motion: list[np.ndarray] = []
        self.motion_worlds: list[int] = []
        stop_recording = self._record(record_worlds)
        self.step()  # warm-up: thread pool start, first-call allocations
        if backend != "cpu":
            for _ in range(GPU_RECORD_STEPS - 1):
                self.step()
            stop_recording()
        self.steps = self.episodes = 0
        self.rss_mb_per_env = (_memory_mb("VmHWM") - before) / num_envs

    def step(self) -> int:
        _, _, terminated, truncated, _ = self.envs.step(self.actions[self.steps % len(self.actions)])
        self.steps += 1
        self.episodes += int((terminated | truncated).sum())
        return self.num_envs

    @property
    def mean_episode_steps(self) -> float:
        """Env steps per finished episode so far (the episode limit while none has ended)."""
        max_steps = float(self.envs.unwrapped.task.config.max_steps)
        if self.episodes == 0:
            return max_steps
        return min(self.steps * self.num_envs / self.episodes, max_steps)

    def _record(self, worlds: int) -> Callable[[], None]:
        """Append the integration state of `worlds` worlds to `motion` before each physics
        call from now on; returns the function that stops it."""
        import mujoco

        task = self.envs.unwrapped.task
        sim, model = task.sim, task.model
        worlds = min(worlds, self.num_envs)
        spread = np.arange(worlds) * (self.num_envs // worlds)  # evenly over the batch, shifted each call
        spec = mujoco.mjtState.mjSTATE_INTEGRATION
        size = mujoco.mj_stateSize(model, spec)
        data = mujoco.MjData(model)
        physics_step = sim.step

        calls, recorded = iter(range(1 << 62)), iter(range(1 << 62))

        def recording_step(nstep: int = 1) -> None:
            for world in (spread + next(calls)) % self.num_envs:
                sim.get_data(int(world), data)
                state = np.empty(size)
                mujoco.mj_getState(model, data, state, spec)
                index = next(recorded)
                if index < MAX_RECORDED_STATES:
                    self.motion.append(state)
                    self.motion_worlds.append(int(world))
                else:  # a long run keeps its latest stretch
                    self.motion[index % MAX_RECORDED_STATES] = state
                    self.motion_worlds[index % MAX_RECORDED_STATES] = int(world)
            physics_step(nstep)

        sim.step = recording_step  # this VectorEnv's batch only

        def stop() -> None:
            del sim.step

        return stop

    def facts(self) -> dict[str, Any]:
        task = self.envs.unwrapped.task
        return {"threads": int(task.sim.nthread), "arrays": self.arrays, "physics_steps_per_env_step": int(task.substeps),
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


def physics_limit_measurement(model: Any, substeps: int, threads: int, motion: list[np.ndarray]) -> Measurement:
    """Single-thread mj_step loop on the task's model, times threads, over recorded motion.

    Each env step sets one recorded integration state (`EmbodiedRun.motion`, which grows as
    the VectorEnv runs) and runs the control period's mj_step calls from it, cycling through
    what was recorded so far: on the cpu backend these are bit for bit the physics steps the
    VectorEnv took. Setting a state is a copy into MjData, about a microsecond against the
    hundreds a control period's steps take.
    """
    import mujoco

    if not motion:
        raise EmbodiedError("the physics limit needs recorded motion: none was recorded")
    data = mujoco.MjData(model)
    spec = mujoco.mjtState.mjSTATE_INTEGRATION
    counter = iter(range(1 << 62))

    def step() -> int:
        mujoco.mj_setState(model, data, motion[next(counter) % len(motion)], spec)
        for _ in range(substeps):
            mujoco.mj_step(model, data)
        return 1

    return Measurement("limit_sps", f"physics limit (mj_step x {threads} threads)", step, scale=float(threads))


def run_bench(env_id: str, num_envs: int, backend: str, seconds: float, skip: tuple[str, ...] = (),
              device: str | None = None, progress: bool = True, arrays: str = "auto") -> dict[str, Any]:
    """Every measurement on one task, interleaved; the dict `embodied bench --json` prints."""
    from embodied.tasks import get_task

    if num_envs < 1:
        raise EmbodiedError(f"--num-envs must be at least 1, got {num_envs}")
    if seconds <= 0:
        raise EmbodiedError(f"--seconds must be positive, got {seconds}")
    config = get_task(env_id)
    chunk = max(0.2, seconds / 10)
    say = (lambda text: print(text, file=sys.stderr, flush=True)) if progress else (lambda text: None)
    say(f"setting up: embodied VectorEnv, {num_envs} envs, backend {backend}, task arrays {arrays}")
    embodied = EmbodiedRun(config.id, num_envs, backend, device, arrays=arrays)
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
        say(f"setting up: physics limit, single-thread mj_step x {threads} threads, replaying the "
            f"VectorEnv's motion ({min(RECORD_WORLDS, num_envs)} worlds per step, rotating over the batch)")
        task = embodied.envs.unwrapped.task
        measurements.append(physics_limit_measurement(task.model, task.substeps, threads, embodied.motion))
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
        f"{result['env']}: {result['num_envs']} envs, backend {result['backend']} (task on {result['arrays']}), "
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
    result = run_bench(args.env, args.num_envs, args.backend, args.seconds, tuple(args.skip or ()), args.device,
                       arrays=args.arrays)
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
    parser.add_argument("--arrays", choices=["auto", "numpy", "torch"], default="auto",
                        help="where the task's rewards and observations are computed: numpy on the host, torch "
                             "on the simulator's device, auto: torch on a CUDA device, else numpy (default auto)")
    parser.add_argument("--skip", nargs="*", choices=["physics", "sync", "async"],
                        help="leave out these comparisons")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=cmd_bench)
