"""`EmbodiedEnv`: the Gymnasium Env of a task; a `BatchedTask` with one world.

    env = gymnasium.make("embodied/PandaReach-v0", render_mode="rgb_array")
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from embodied.envs.spaces import MAX_DEPTH, ObservationOptions, action_space, observation_space, observe, row
from embodied.errors import EmbodiedError, UnknownNameError
from embodied.tasks import BatchedTask, get_task
from embodied.tasks.config import TaskConfig

RENDER_MODES = ("rgb_array", "depth_array")


def check_render_mode(render_mode: str | None) -> None:
    if render_mode is not None and render_mode not in RENDER_MODES:
        raise EmbodiedError(f"unknown render_mode {render_mode!r}; valid choices: {', '.join(RENDER_MODES)}, None")


class EmbodiedEnv(gym.Env):
    """One world of a task, with Gymnasium's Env API.

    Args:
        task: task id ("embodied/Go1Walk-v0") or a TaskConfig.
        render_mode: "rgb_array" or "depth_array" or None.
        render_camera: camera that `render()` uses (default: the overview camera).
        render_size: (height, width) of `render()` images.
        cameras: cameras observed as images (default: those in the task file).
        image_size: (height, width) of observed images.
        depth: also observe depth images.
        backend: physics backend, "cpu" or "warp".
    """

    metadata = {"render_modes": list(RENDER_MODES), "render_fps": 30}

    def __init__(self, task: str | TaskConfig, render_mode: str | None = None, render_camera: str = "overview",
                 render_size: tuple[int, int] = (240, 320), cameras: Any = None, image_size: Any = None,
                 depth: bool | None = None, backend: str = "cpu", device: str | None = None) -> None:
        check_render_mode(render_mode)
        config = get_task(task) if isinstance(task, str) else task
        self.task = BatchedTask(config, num_envs=1, backend=backend, device=device, nthread=1)
        self.options = ObservationOptions(self.task, cameras, image_size, depth)
        if render_camera not in self.task.scene.cameras:
            raise UnknownNameError("camera", render_camera, self.task.scene.cameras, config.id)
        self.render_mode, self.render_camera, self.render_size = render_mode, render_camera, tuple(render_size)
        self.task.reset()
        self.observation_space = observation_space(self.task, self.options)
        self.action_space = action_space(self.task)
        self.metadata = {**self.metadata, "render_fps": int(round(1.0 / self.task.dt))}

    @property
    def config(self) -> TaskConfig:
        return self.task.config

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Start an episode; `options={"instruction": "..."}` overrides a language task's command."""
        super().reset(seed=seed)
        self.task.rngs[0] = self.np_random  # seeded by Gymnasium: reset(seed=S) is reproducible
        instruction = (options or {}).get("instruction")
        self.task.reset([0], instruction=instruction)
        return self._observe(), self._info()

    def step(self, action: Any) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        reward, terminated, truncated, info = self.task.step(action)
        step_info = {key: (value[0].item() if isinstance(value, np.ndarray) else value) for key, value in info.items()}
        step_info.update(self._info())
        return self._observe(), float(reward[0]), bool(terminated[0]), bool(truncated[0]), step_info

    def _observe(self) -> dict[str, Any]:
        return row(observe(self.task, self.options), 0)

    def _info(self) -> dict[str, Any]:
        info: dict[str, Any] = {"scene": self.task.scene_description(0)}
        if self.task.config.goal == "tabletop":
            info["instruction"] = self.task.instructions[0]
        return info

    def render(self) -> np.ndarray | None:
        if self.render_mode is None:
            return None
        height, width = self.render_size
        if self.render_mode == "depth_array":
            return np.clip(self.task.render(0, self.render_camera, height, width, depth=True), 0.0, MAX_DEPTH)
        return self.task.render(0, self.render_camera, height, width)

    def close(self) -> None:
        self.task.close()
