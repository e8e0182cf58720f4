"""Observation and action spaces of a task, and the observation dicts that fill them.

One function builds the per-env observation dict from a `BatchedTask` for any number of
envs; the single env takes row 0 of it, the vector env takes it whole.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np
from gymnasium import spaces

from embodied.errors import UnknownNameError
from embodied.sim.arrays import as_index, copy, to_numpy
from embodied.tasks.task import BatchedTask

INSTRUCTION_CHARSET = string.ascii_letters + string.digits + " ,.;:'!?-()"
INSTRUCTION_MAX_LENGTH = 256
MAX_DEPTH = 10.0  # metres; the depth space's upper bound


class ObservationOptions:
    """Which cameras are observed, at what size, with depth or not."""

    def __init__(self, task: BatchedTask, cameras: Any = None, image_size: Any = None,
                 depth: bool | None = None) -> None:
        config = task.config
        self.cameras = tuple(config.cameras if cameras is None else cameras)
        for camera in self.cameras:
            if camera not in task.scene.cameras:
                raise UnknownNameError("camera", camera, task.scene.cameras, config.id)
        height, width = config.image_size if image_size is None else image_size
        self.height, self.width = int(height), int(width)
        self.depth = config.depth if depth is None else bool(depth)
        self.instruction = config.goal == "tabletop"


def observation_space(task: BatchedTask, options: ObservationOptions) -> spaces.Dict:
    width = task.state().shape[1]
    entries: dict[str, spaces.Space] = {
        "state": spaces.Box(-np.inf, np.inf, shape=(width,), dtype=np.float32)
    }
    if options.cameras:
        shape = (options.height, options.width)
        entries["image"] = spaces.Dict({
            camera: spaces.Box(0, 255, shape=(*shape, 3), dtype=np.uint8) for camera in options.cameras
        })
        if options.depth:
            entries["depth"] = spaces.Dict({
                camera: spaces.Box(0.0, MAX_DEPTH, shape=shape, dtype=np.float32) for camera in options.cameras
            })
    if options.instruction:
        entries["instruction"] = spaces.Text(max_length=INSTRUCTION_MAX_LENGTH, charset=INSTRUCTION_CHARSET)
    return spaces.Dict(entries)


def action_space(task: BatchedTask) -> spaces.Box:
    return spaces.Box(-1.0, 1.0, shape=(task.action_size,), dtype=np.float32)


def observe(task: BatchedTask, options: ObservationOptions, envs: Any = None) -> dict[str, Any]:
    """Observations of the envs `envs` (all by default), batched along the first axis."""
    rows = range(task.num_envs) if envs is None else [int(env) for env in envs]
    observation: dict[str, Any] = {"state": task.state() if envs is None else task.rows(rows).state()}
    if options.cameras:
        observation["image"] = {
            camera: np.stack([task.render(env, camera, options.height, options.width) for env in rows])
            for camera in options.cameras
        }
        if options.depth:
            observation["depth"] = {
                camera: np.stack([
                    np.clip(task.render(env, camera, options.height, options.width, depth=True), 0.0, MAX_DEPTH)
                    for env in rows
                ])
                for camera in options.cameras
            }
    if options.instruction:
        observation["instruction"] = tuple(task.instructions[env] for env in rows)
    return observation


def with_rows(observation: dict[str, Any], envs: np.ndarray, fresh: dict[str, Any]) -> dict[str, Any]:
    """A copy of a batched observation whose rows `envs` are those of `fresh` (observed for
    just those envs, in that order); `observation` itself is left as it was."""
    out: dict[str, Any] = {}
    for key, value in observation.items():
        if isinstance(value, dict):
            out[key] = with_rows(value, envs, fresh[key])
        elif isinstance(value, tuple):
            replaced = list(value)
            for env, item in zip(envs, fresh[key]):
                replaced[env] = item
            out[key] = tuple(replaced)
        else:
            out[key] = copy(value)
            out[key][as_index(envs, value)] = fresh[key]
    return out


def host_rows(observation: dict[str, Any], envs: np.ndarray) -> list[dict[str, Any]]:
    """The observations of the envs `envs`, one NumPy dict each, copied off a batched one
    (one copy per entry, whatever device its arrays are on)."""
    gathered = _gather(observation, envs)
    return [row(gathered, index) for index in range(len(envs))]


def _gather(observation: dict[str, Any], envs: np.ndarray) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in observation.items():
        if isinstance(value, dict):
            out[key] = _gather(value, envs)
        elif isinstance(value, tuple):
            out[key] = tuple(value[env] for env in envs)
        else:
            out[key] = to_numpy(value[envs])
    return out


def row(observation: dict[str, Any], index: int) -> dict[str, Any]:
    """One env's observation out of a batched one."""
    out: dict[str, Any] = {}
    for key, value in observation.items():
        out[key] = row(value, index) if isinstance(value, dict) else value[index]
    return out
