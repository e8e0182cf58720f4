"""Gymnasium environments for every task in tasks/*.yaml, under the `embodied/` namespace.

`import embodied` registers them; then `gymnasium.make("embodied/Go1Walk-v0")` gives the
single env and `gymnasium.make_vec("embodied/Go1Walk-v0", num_envs=N, backend="cpu")` the
batched vector env (the same task code, N worlds).
"""

from __future__ import annotations

from pathlib import Path

import gymnasium as gym
import yaml

from embodied.tasks.config import TASKS_DIR


def task_ids() -> list[str]:
    """Gymnasium ids of every task file, read without building anything."""
    ids = []
    for path in sorted(Path(TASKS_DIR).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError:
            continue  # reported, with its line, when the task is used (embodied.tasks.load_task_file)
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.append(data["id"])
    return ids


def register_all() -> None:
    for env_id in task_ids():
        if env_id in gym.registry:
            continue
        gym.register(
            id=env_id,
            entry_point="embodied.envs.single:EmbodiedEnv",
            vector_entry_point="embodied.envs.vector:EmbodiedVectorEnv",
            kwargs={"task": env_id},
            disable_env_checker=False,
        )


register_all()
