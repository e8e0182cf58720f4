"""`EmbodiedVectorEnv`: a Gymnasium VectorEnv over one batch of worlds; a `BatchedTask`
with num_envs == N, stepped together on the physics backend.

    envs = gymnasium.make_vec("embodied/Go1Walk-v0", num_envs=256, backend="cpu")

Autoreset follows Gymnasium's SAME_STEP mode: a finished env is reset inside `step`, the
returned observation is the new episode's first, and the last one of the finished episode
is in `info["final_obs"]` (with `info["_final_obs"]` marking which envs finished).
`torch=True` returns observations, rewards and flags as torch tensors on the backend's
device. Where the worlds live on a GPU (the warp backend on CUDA), the task's rewards,
observations and terminations are worked out there too, on torch tensors over the
simulator's memory (`arrays="auto"`; "numpy" computes them on the host instead, "torch"
on torch anywhere): the host then copies only what it returns as NumPy, and the ids of the
envs to reset. `info` holds NumPy arrays, as Gymnasium's vector envs do.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from embodied.envs.single import RENDER_MODES, check_render_mode
from embodied.envs.spaces import ObservationOptions, action_space, host_rows, observation_space, observe, with_rows
from embodied.errors import EmbodiedError, UnknownNameError
from embodied.sim.arrays import is_torch, to_numpy
from embodied.tasks import BatchedTask, get_task
from embodied.tasks.config import TaskConfig


class EmbodiedVectorEnv(VectorEnv):
    """N worlds of a task as one Gymnasium VectorEnv; see the module docstring."""

    metadata = {"render_modes": list(RENDER_MODES), "autoreset_mode": AutoresetMode.SAME_STEP}

    def __init__(self, task: str | TaskConfig, num_envs: int = 1, backend: str = "cpu", device: str | None = None,
                 nthread: int | None = None, torch: bool = False, render_mode: str | None = None,
                 render_camera: str = "overview", render_size: tuple[int, int] = (240, 320),
                 cameras: Any = None, image_size: Any = None, depth: bool | None = None,
                 arrays: str = "auto") -> None:
        if not isinstance(num_envs, (int, np.integer)) or num_envs < 1:
            raise EmbodiedError(f"num_envs must be a whole number of at least 1, got {num_envs!r}")
        check_render_mode(render_mode)
        config = get_task(task) if isinstance(task, str) else task
        self.task = BatchedTask(config, num_envs=int(num_envs), backend=backend, device=device, nthread=nthread,
                                arrays=arrays)
        if render_camera not in self.task.scene.cameras:
            raise UnknownNameError("camera", render_camera, self.task.scene.cameras, config.id)
        self.options = ObservationOptions(self.task, cameras, image_size, depth)
        self.num_envs = int(num_envs)
        self.render_mode, self.render_camera, self.render_size = render_mode, render_camera, tuple(render_size)
        self.return_torch = bool(torch)
        self.task.reset()
        self.single_observation_space = observation_space(self.task, self.options)
        self.single_action_space = action_space(self.task)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.metadata = {**self.metadata, "render_fps": int(round(1.0 / self.task.dt))}

    @property
    def config(self) -> TaskConfig:
        return self.task.config

    def reset(self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Reset every env; `seed=S` seeds env i with S + i (Gymnasium's convention)."""
        ids = np.arange(self.num_envs)
        if seed is not None:
            seeds = [seed + i for i in ids] if isinstance(seed, (int, np.integer)) else list(seed)
            if len(seeds) != self.num_envs:
                raise EmbodiedError(f"got {len(seeds)} seeds for {self.num_envs} envs")
            self.task.seed(ids, seeds)
        self.task.reset(ids, instruction=(options or {}).get("instruction"))
        return self._convert(observe(self.task, self.options)), {}

    def step(self, actions: Any) -> tuple[Any, Any, Any, Any, dict[str, Any]]:
        if is_torch(actions) and self.task.arrays == "numpy":
            actions = actions.detach().cpu().numpy()
        reward, terminated, truncated, info = self.task.step(actions)
        info = {key: to_numpy(value) for key, value in info.items()}
        if info["diverged"].any() and self.task.arrays == "torch":
            self.task.sim.read_divergence()  # the host reads the flags, and warns of overflows
        done = to_numpy(terminated | truncated)  # the host resets the finished envs
        observation = observe(self.task, self.options)
        if done.any():
            finished = np.flatnonzero(done)
            info["final_obs"] = np.full(self.num_envs, None, dtype=object)
            for i, final in zip(finished, host_rows(observation, finished)):
                info["final_obs"][i] = final
            info["_final_obs"] = done.copy()
            info["final_info"] = {"success": info["success"].copy(), "_success": done.copy()}
            info["_final_info"] = done.copy()
            self.task.reset(finished)
            # only the new episodes need observing: a reset leaves the other envs' state as it
            # was (on warp its forward refreshes their poses, which the step left a physics
            # step behind; keeping the step's values observes them as a step without resets does)
            observation = with_rows(observation, finished, observe(self.task, self.options, finished))
        return (self._convert(observation), self._convert(self.task.xp.astype(reward, self.task.xp.float32)),
                self._convert(terminated), self._convert(truncated), info)

    def _convert(self, value: Any) -> Any:
        """Arrays as the caller asked for them: torch tensors on the backend's device, or NumPy."""
        if isinstance(value, dict):
            return {key: self._convert(item) for key, item in value.items()}
        if not self.return_torch:
            return to_numpy(value) if is_torch(value) else value
        if isinstance(value, np.ndarray) and value.dtype != object:
            import torch

            return torch.as_tensor(value, device=self.task.sim.device)
        return value

    def render(self) -> tuple[np.ndarray, ...] | None:
        if self.render_mode is None:
            return None
        height, width = self.render_size
        depth = self.render_mode == "depth_array"
        return tuple(self.task.render(i, self.render_camera, height, width, depth) for i in range(self.num_envs))

    def close_extras(self, **kwargs: Any) -> None:
        self.task.close()
