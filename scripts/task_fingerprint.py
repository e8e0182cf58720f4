"""Fingerprints of what every task computes: one hash per task, to compare two commits.

A seeded batch of each task takes seeded random actions for some env steps, with the envs
that finish and some others reset along the way, and every step's simulator state, rewards,
terminations, observations, commands and goals go into a SHA-256. Two commits that print the
same lines compute the same episodes bit for bit: run it before and after a change that is
meant only to be faster.

    python scripts/task_fingerprint.py > before.txt
    (make the change)
    python scripts/task_fingerprint.py | diff before.txt -

The hashes are of float64 bits, so they are only comparable on the same machine, MuJoCo
version and thread count (a different CPU may round differently).
"""

from __future__ import annotations

import argparse
import hashlib

import numpy as np
from tqdm import tqdm

from embodied.tasks import BatchedTask, all_tasks, get_task


def fingerprint(task_id: str, num_envs: int, steps: int, seed: int) -> str:
    """SHA-256 (hex) of `steps` env steps of `task_id` over `num_envs` seeded envs."""
    task = BatchedTask(get_task(task_id), num_envs=num_envs, nthread=1)
    task.seed(np.arange(num_envs), [seed + env for env in range(num_envs)])
    task.reset()
    rng = np.random.default_rng(seed)
    digest = hashlib.sha256()
    for step in range(steps):
        reward, terminated, truncated, _ = task.step(rng.uniform(-1.0, 1.0, (num_envs, task.action_size)))
        for array in (task.sim.numpy("qpos"), task.sim.numpy("qvel"), task.sim.numpy("xpos"), reward,
                      terminated, truncated, task.state()):
            digest.update(np.ascontiguousarray(array).tobytes())
        # the finished envs and, every fifth step, one more: resets are part of what is compared
        finished = np.flatnonzero(terminated | truncated)
        task.reset(np.union1d(finished, [step % num_envs]) if step % 5 == 0 else finished)
        for array in (task.state(), task.command, task.goal_pos, task.steps):
            digest.update(np.ascontiguousarray(array).tobytes())
    task.close()
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", nargs="+", default=None, help="task ids (default: every registered task)")
    parser.add_argument("--num-envs", type=int, default=6, help="envs per batch (default 6)")
    parser.add_argument("--steps", type=int, default=25, help="env steps per task (default 25)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    task_ids = args.env or sorted(all_tasks())
    lines = [f"{task_id} {fingerprint(task_id, args.num_envs, args.steps, args.seed)}"
             for task_id in tqdm(task_ids, desc="tasks", leave=False)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
