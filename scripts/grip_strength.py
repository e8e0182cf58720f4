"""How heavy a prop the Panda's `pick` lifts with a gentle and with a firm grip: the table in docs/skills.md.

Each row resets the tabletop scene with a seed, gives every prop the same mass, and runs one
`pick` of the scene's first prop of the shape with each grip.

    python scripts/grip_strength.py --shapes cube cylinder --masses 0.1 0.2 0.3 0.5 0.8 --seeds 2 3 4
"""

from __future__ import annotations

import argparse

import gymnasium as gym
import numpy as np
from tqdm import tqdm

import embodied.envs  # noqa: F401  (registers the envs)
from embodied.agent.arm import write_friction_and_mass
from embodied.skills import get_skill

FRICTION = 0.25  # the stacking agent's nominal friction


def lifts(env: gym.Env, seed: int, shape: str, mass: float, grip: str) -> bool | None:
    """Whether one pick lifts the scene's first prop of `shape` (None: the scene has none)."""
    _, info = env.reset(seed=seed)
    task = env.unwrapped.task
    prop = next((p for p in info["scene"] if p["shape"] == shape), None)
    if prop is None:
        return None
    write_friction_and_mass(task, np.array([[FRICTION, mass]]), list(task.scene.prop_bodies))
    return get_skill("pick").run(env, target=prop["name"], grip=grip).success


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", nargs="+", default=["cube", "cylinder"], choices=["cube", "cylinder", "ball"])
    parser.add_argument("--masses", nargs="+", type=float, default=[0.1, 0.2, 0.3, 0.5, 0.8], help="kg")
    parser.add_argument("--seeds", nargs="+", type=int, default=[2, 3, 4])
    args = parser.parse_args()
    env = gym.make("embodied/PandaTabletop-v0", cameras=[])
    rows = [(shape, mass) for shape in args.shapes for mass in args.masses]
    print("| shape | mass (kg) | gentle grip lifts | firm grip lifts |\n|---|---|---|---|")
    for shape, mass in tqdm(rows, desc="masses", leave=False):
        cells = []
        for grip in ("gentle", "firm"):
            results = [r for r in (lifts(env, seed, shape, mass, grip) for seed in args.seeds) if r is not None]
            cells.append(f"{sum(results)} of {len(results)}")
        tqdm.write(f"| {shape} | {mass:g} | {cells[0]} | {cells[1]} |")
    env.close()


if __name__ == "__main__":
    main()
