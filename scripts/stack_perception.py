"""How far the stacking agent's camera estimate of a prop's centre is from the truth: the figures in docs/agent.md.

For seeds 0..N-1 of the tabletop scene, each pair of neighbouring cubes and cylinders (in scene
order) is named as "stack the A on the B", and the agent's `perceive` (pixels and depth only)
is compared with the simulator's positions, horizontally.

    python scripts/stack_perception.py --seeds 40
    python scripts/stack_perception.py --seeds 40 --grounding-only   # without the top-face refinement
"""

from __future__ import annotations

import argparse

import gymnasium as gym
import numpy as np
from tqdm import tqdm

import embodied.agent.stack as stack
import embodied.envs  # noqa: F401  (registers the envs)
from embodied.omni.run import load_omnimodel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=40, help="scenes 0..N-1")
    parser.add_argument("--grounding-only", action="store_true",
                        help="keep the omnimodel's point (no top-face refinement), for comparison")
    args = parser.parse_args()
    if args.grounding_only:
        stack.APART = float("inf")  # the refinement applies only to props seen this far apart
    omni = load_omnimodel("builtin")
    env = gym.make("embodied/PandaTabletop-v0", cameras=[])
    errors: dict[str, list[float]] = {"cube": [], "cylinder": []}
    for seed in tqdm(range(args.seeds), desc="scenes", leave=False):
        env.reset(seed=seed)
        task = env.unwrapped.task
        flat = [p for p in task.layouts[0].props if p.shape != "ball"]
        for top, bottom in zip(flat, flat[1:]):
            objective = stack.StackOnProp(f"the {top.color} {top.shape}", f"the {bottom.color} {bottom.shape}",
                                          omni=omni)
            if objective.setup(env):
                continue
            estimate = objective.perceive(env)
            for role, prop in (("top", top), ("bottom", bottom)):
                if estimate[role] is not None:
                    truth = task.prop_pos[0, prop.slot]
                    errors[prop.shape].append(float(np.hypot(*(estimate[role][:2] - truth[:2]))))
    env.close()
    print("| shape | estimates | median (mm) | 90th percentile (mm) | largest (mm) |\n|---|---|---|---|---|")
    for shape, values in errors.items():
        v = 1000 * np.array(values)
        print(f"| {shape} | {v.size} | {np.median(v):.1f} | {np.percentile(v, 90):.1f} | {v.max():.1f} |")


if __name__ == "__main__":
    main()
