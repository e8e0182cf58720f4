"""Host-side time of a VectorEnv step outside the physics: the task logic every backend pays.

On the warp backend the physics runs on the GPU but observations, rewards, terminations and
resets are NumPy code on the host, so this time bounds a GPU's env steps per second. It is
measured here on the cpu backend (the same task code; the GPU adds its copies to the host):
each step's physics call is timed apart and the rest of the step is the task's.

    python scripts/task_overhead.py --env embodied/Go1Walk-v0 --num-envs 4096 --steps 60

Prints the median over steps of the host milliseconds per env step (and the physics's), its
mean (which carries the resets: episodes end in bursts that the median step misses), and
how often the task code read a field through `sim.numpy` per env step, of how many fields:
on a GPU each distinct field is one device-to-host copy per step (docs/warp_backend.md).
With `--reset K` it also times one reset of K envs (`reset_ms`, physics included).
With `--arrays torch` the task runs on torch (CPU tensors here) and the script also counts
the torch operations per env step (`torch_ops_per_step`): on a GPU each is a kernel launch,
whose host-side cost the CPU timing does not show.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
from collections import Counter
from typing import Any

import gymnasium as gym
import numpy as np
from tqdm import trange

import embodied.envs  # noqa: F401  (registers the envs)


def reset_ms(task: Any, count: int, repeats: int = 50) -> float:
    """Median milliseconds of `task.reset` of `count` envs spread over the batch, at once."""
    ids = np.linspace(0, task.num_envs - 1, count).astype(np.int64)
    times = []
    for _ in range(repeats + 5):  # the first few warm the caches
        start = time.perf_counter()
        task.reset(ids)
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times[5:]))


def measure(env_id: str, num_envs: int, steps: int, warmup: int, seed: int, reset_envs: int = 0,
            arrays: str = "numpy") -> dict[str, Any]:
    """Median host and physics milliseconds per env step of `env_id` at `num_envs` envs."""
    envs = gym.make_vec(env_id, num_envs=num_envs, backend="cpu", arrays=arrays)
    envs.reset(seed=seed)
    rng = np.random.default_rng(seed)
    actions = rng.uniform(-1.0, 1.0, (8, *envs.action_space.shape))
    sim = envs.unwrapped.task.sim
    physics_step = sim._impl.step
    physics_s = [0.0]

    def timed_step(nstep: int) -> None:
        start = time.perf_counter()
        physics_step(nstep)
        physics_s[0] += time.perf_counter() - start

    sim._impl.step = timed_step
    read_field = sim.numpy
    reads: Counter[str] = Counter()

    def counted_read(name: str) -> np.ndarray:
        reads[name] += 1
        return read_field(name)

    sim.numpy = counted_read
    host, physics, episodes, ops = [], [], 0, Counter()
    for index in trange(warmup + steps, desc=f"{env_id} x{num_envs}", leave=False):
        physics_s[0] = 0.0
        start = time.perf_counter()
        with _OpCounter(ops) if arrays == "torch" and index >= warmup else contextlib.nullcontext():
            _, _, terminated, truncated, _ = envs.step(actions[index % len(actions)])
        total = time.perf_counter() - start
        if index == warmup - 1:
            reads.clear()
        if index >= warmup:
            host.append(total - physics_s[0])
            physics.append(physics_s[0])
            episodes += int(np.sum(terminated | truncated))
    result: dict[str, Any] = {}
    if reset_envs:
        result = {"reset_envs": reset_envs, "reset_ms": round(reset_ms(envs.unwrapped.task, reset_envs), 3)}
    envs.close()
    return result | {
        "env": env_id, "num_envs": num_envs, "steps": steps,
        "host_ms_per_step": round(1e3 * float(np.median(host)), 3),
        # episodes end in bursts (a batch of random-action robots falls together), so the
        # median step has no resets in it; the mean carries their cost
        "host_ms_per_step_mean": round(1e3 * float(np.mean(host)), 3),
        "physics_ms_per_step": round(1e3 * float(np.median(physics)), 3),
        "resets_per_step": round(episodes / steps, 2),
        "field_reads_per_step": round(sum(reads.values()) / steps, 2), "fields_read": sorted(reads),
    } | ({"torch_ops_per_step": round(sum(ops.values()) / steps, 1)} if arrays == "torch" else {})


def _op_counter_class() -> type:
    from torch.utils._python_dispatch import TorchDispatchMode

    class OpCounter(TorchDispatchMode):
        """Counts the aten operations run inside it (views and copies included)."""

        def __init__(self, counts: Counter[str]) -> None:
            super().__init__()
            self.counts = counts

        def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            self.counts[str(func)] += 1
            return func(*args, **(kwargs or {}))

    return OpCounter


def _OpCounter(counts: Counter[str]) -> Any:  # noqa: N802 - used as a context manager
    return _op_counter_class()(counts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", nargs="+", default=["embodied/Go1Walk-v0"], help="task ids to measure")
    parser.add_argument("--num-envs", type=int, default=4096, help="envs in the batch (default 4096)")
    parser.add_argument("--steps", type=int, default=60, help="timed env steps (default 60)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed env steps first (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--arrays", choices=["numpy", "torch"], default="numpy",
                        help="the task on NumPy, or on torch (CPU tensors here: what a GPU run launches, "
                             "one operation at a time)")
    parser.add_argument("--reset", type=int, default=0, metavar="K",
                        help="also time resetting K envs at once, spread over the batch (median of 50)")
    args = parser.parse_args()
    if args.steps < 1:
        parser.error(f"--steps must be at least 1, got {args.steps}")
    if not 0 <= args.reset <= args.num_envs:
        parser.error(f"--reset must be within 0..{args.num_envs} (--num-envs), got {args.reset}")
    for env_id in args.env:
        print(json.dumps(measure(env_id, args.num_envs, args.steps, args.warmup, args.seed, args.reset, args.arrays)))


if __name__ == "__main__":
    main()
