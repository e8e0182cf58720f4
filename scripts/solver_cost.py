"""The cost of `mj_step` on a task's model under other solver options, and whether it stays stable.

The robot starts at its home keyframe and is driven by noisy controls around the home
targets (standing, with contacts), single-threaded. Each round restarts from home; the
script prints microseconds per `mj_step` for each round and how many instability warnings
MuJoCo raised in it (a NaN or huge position, velocity or acceleration, after which MuJoCo
resets the data and goes on).

    python scripts/solver_cost.py --env embodied/Go1Walk-v0
    python scripts/solver_cost.py --env embodied/Go1Walk-v0 --options '{"iterations": 1, "ls_iterations": 5, "cone": 0, "impratio": 1}'

`--options` sets fields of `model.opt` (cone 0 is pyramidal, 1 elliptic).
"""

from __future__ import annotations

import argparse
import json
import time

import mujoco
import numpy as np

from embodied.tasks import get_task
from embodied.tasks.task import scene_for

UNSTABLE = (mujoco.mjtWarning.mjWARN_BADQPOS, mujoco.mjtWarning.mjWARN_BADQVEL, mujoco.mjtWarning.mjWARN_BADQACC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--env", default="embodied/Go1Walk-v0")
    parser.add_argument("--options", default="{}", help="JSON of model.opt fields to set (default: none)")
    parser.add_argument("--steps", type=int, default=3000, help="mj_step calls per round (default 3000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--noise", type=float, default=0.3, help="control noise around home (default 0.3)")
    args = parser.parse_args()
    model = scene_for(get_task(args.env)).model
    for name, value in json.loads(args.options).items():
        setattr(model.opt, name, value)
    data = mujoco.MjData(model)
    rng = np.random.default_rng(0)
    rounds = []
    for _ in range(args.rounds):
        mujoco.mj_resetDataKeyframe(model, data, 0)
        start = time.perf_counter()
        for _ in range(args.steps):
            data.ctrl[:] = model.key_ctrl[0] + args.noise * rng.standard_normal(model.nu)
            mujoco.mj_step(model, data)
        elapsed = (time.perf_counter() - start) / args.steps * 1e6
        # counted before the next round's reset clears them
        rounds.append((elapsed, sum(int(data.warning[int(w)].number) for w in UNSTABLE)))
    print(json.dumps({"env": args.env, "options": json.loads(args.options), "iterations": model.opt.iterations,
                      "cone": int(model.opt.cone), "us_per_step": [round(r[0], 1) for r in rounds],
                      "instability_warnings": [r[1] for r in rounds]}))


if __name__ == "__main__":
    main()
