"""cProfile of a VectorEnv's steps: where the time of an env step goes, by function.

On a GPU the functions that wait for the device (a `.cpu()` copy, warp's `copy`) show how
long the host sat idle; the rest is the host's own Python. Random actions, made on the
task's device when the task runs on torch (as a policy there would).

    python scripts/profile_vector_step.py --env embodied/Go1Walk-v0 --num-envs 4096 --backend warp --arrays torch
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import gymnasium as gym
import numpy as np

import embodied.envs  # noqa: F401  (registers the envs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", default="embodied/Go1Walk-v0")
    parser.add_argument("--num-envs", type=int, default=4096)
    parser.add_argument("--backend", default="warp", help="cpu or warp (default warp)")
    parser.add_argument("--arrays", choices=["auto", "numpy", "torch"], default="auto")
    parser.add_argument("--steps", type=int, default=40, help="profiled env steps (default 40)")
    parser.add_argument("--warmup", type=int, default=20, help="env steps first, not profiled (default 20)")
    parser.add_argument("--top", type=int, default=22, help="functions listed, by own time (default 22)")
    args = parser.parse_args()
    envs = gym.make_vec(args.env, num_envs=args.num_envs, backend=args.backend, arrays=args.arrays)
    task = envs.unwrapped.task
    envs.reset(seed=0)
    rng = np.random.default_rng(0)
    actions = [rng.uniform(-1.0, 1.0, (args.num_envs, task.action_size)).astype(np.float32) for _ in range(8)]
    if task.arrays == "torch":
        import torch

        envs.unwrapped.return_torch = True
        actions = [torch.as_tensor(action, device=task.array_device) for action in actions]
    for index in range(args.warmup):
        envs.step(actions[index % len(actions)])
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    for index in range(args.steps):
        envs.step(actions[index % len(actions)])
    profile.disable()
    print(f"{args.env} x{args.num_envs}, backend {args.backend}, task on {task.arrays}: "
          f"{(time.perf_counter() - start) / args.steps * 1e3:.1f} ms per env step")
    pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
