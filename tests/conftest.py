"""Shared test setup: offline robot files, offscreen rendering, small cheap environments.

This runs at import time, before any test module imports `embodied`:

- MENAGERIE_ROOT: when unset and the shared Menagerie checkout `../shared/menagerie`
  (relative to the repository root) exists, point at it, so tests never need the internet.
- MUJOCO_GL=egl when there is no display (offscreen rendering).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_MENAGERIE = (ROOT / ".." / "shared" / "menagerie").resolve()

if "MENAGERIE_ROOT" not in os.environ and SHARED_MENAGERIE.is_dir():
    os.environ["MENAGERIE_ROOT"] = str(SHARED_MENAGERIE)
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("MUJOCO_GL", "egl")
if str(ROOT) not in sys.path:  # the package need not be installed to be tested
    sys.path.insert(0, str(ROOT))

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import embodied  # noqa: E402,F401  (registers the environments)

# Camera images cost most of the time on a CPU: observe them small.
SMALL_IMAGE = (48, 64)
RENDER_SIZE = (48, 64)


def make_env(env_id: str, **kwargs):
    """`gymnasium.make` with small images (cheap to render) unless told otherwise."""
    kwargs.setdefault("image_size", SMALL_IMAGE)
    kwargs.setdefault("render_size", RENDER_SIZE)
    return gym.make(env_id, **kwargs)


def state_only(env_id: str, **kwargs):
    """An env that observes no camera images: fast, for trajectory comparisons."""
    kwargs.setdefault("cameras", ())
    return make_env(env_id, **kwargs)


def rollout(env, seed: int, steps: int, action_seed: int | None = None) -> dict[str, list]:
    """Reset with `seed`, then take `steps` seeded random actions; everything observed."""
    observation, _ = env.reset(seed=seed)
    env.action_space.seed(seed if action_seed is None else action_seed)
    sim = env.unwrapped.task.sim
    record: dict[str, list] = {"obs": [observation], "qpos": [sim.qpos.copy()], "qvel": [sim.qvel.copy()],
                               "reward": [], "terminated": [], "truncated": []}
    for _ in range(steps):
        observation, reward, terminated, truncated, _ = env.step(env.action_space.sample())
        record["obs"].append(observation)
        record["qpos"].append(sim.qpos.copy())
        record["qvel"].append(sim.qvel.copy())
        record["reward"].append(reward)
        record["terminated"].append(terminated)
        record["truncated"].append(truncated)
        if terminated or truncated:
            break
    return record


def assert_obs_equal(a, b, path: str = "obs") -> None:
    """Observations equal bit for bit (arrays), or exactly (strings)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            assert_obs_equal(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, path
        assert np.array_equal(a, b), f"{path} differs"
    else:
        assert a == b, path


@pytest.fixture
def empty_menagerie(tmp_path, monkeypatch):
    """MENAGERIE_ROOT pointing at an empty folder: every robot's files are missing."""
    root = tmp_path / "menagerie"
    root.mkdir()
    monkeypatch.setenv("MENAGERIE_ROOT", str(root))
    return root


@pytest.fixture
def shipped_policies(monkeypatch):
    """Skills load the shipped policies (EMBODIED_POLICIES unset, restored afterwards), uncached."""
    from embodied.learn.policy import POLICIES_ENV
    from embodied.skills import legged

    monkeypatch.setenv(POLICIES_ENV, "unset")
    monkeypatch.delenv(POLICIES_ENV)
    monkeypatch.setattr(legged, "_POLICIES", {})
