"""Policies: an MLP actor-critic with observation normalisation, and its files on disk.

A trained policy is a folder `policies/<robot>/<skill>/` holding `policy.pt` (a torch
state dict, loaded with `weights_only=True`), `config.json` (the task, network sizes and
training settings) and `metrics.json` (how training ended). `load_policy(folder)` gives
a `Policy` that maps state observations to actions, deterministic by default.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from embodied.errors import EmbodiedError

POLICIES_DIR = Path(__file__).resolve().parent.parent.parent / "policies"
# a folder laid out like policies/ (<robot>/<skill>/) that skills load from instead:
# to evaluate a freshly trained policy without replacing the shipped one
POLICIES_ENV = "EMBODIED_POLICIES"


class RunningNormalizer(nn.Module):
    """Running mean and variance of observations (parallel Welford), used to normalise them."""

    def __init__(self, size: int, clip: float = 10.0) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(size, dtype=torch.float64))
        self.register_buffer("var", torch.ones(size, dtype=torch.float64))
        self.register_buffer("count", torch.tensor(1e-4, dtype=torch.float64))
        self.clip = clip

    @torch.no_grad()
    def update(self, batch: torch.Tensor) -> None:
        batch = batch.to(torch.float64)
        batch_mean, batch_var, n = batch.mean(0), batch.var(0, unbiased=False), batch.shape[0]
        delta, total = batch_mean - self.mean, self.count + n
        self.mean += delta * n / total
        self.var = (self.var * self.count + batch_var * n + delta.square() * self.count * n / total) / total
        self.count = total

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        normalized = (obs - self.mean.float()) / torch.sqrt(self.var.float() + 1e-8)
        return normalized.clamp(-self.clip, self.clip)


def mlp(sizes: list[int], activation: type[nn.Module] = nn.ELU) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


class ActorCritic(nn.Module):
    """Gaussian policy and value function over normalised observations."""

    def __init__(self, obs_size: int, action_size: int, hidden: tuple[int, ...] = (256, 128, 128),
                 init_std: float = 1.0) -> None:
        super().__init__()
        self.normalizer = RunningNormalizer(obs_size)
        self.actor = mlp([obs_size, *hidden, action_size])
        self.critic = mlp([obs_size, *hidden, 1])
        self.log_std = nn.Parameter(torch.full((action_size,), float(np.log(init_std))))
        nn.init.uniform_(self.actor[-1].weight, -1e-3, 1e-3)  # start near the home pose
        nn.init.zeros_(self.actor[-1].bias)

    def distribution(self, obs: torch.Tensor) -> torch.distributions.Normal:
        mean = self.actor(self.normalizer(obs))
        return torch.distributions.Normal(mean, self.log_std.exp().expand_as(mean))

    def value(self, obs: torch.Tensor) -> torch.Tensor:
        return self.critic(self.normalizer(obs)).squeeze(-1)

    @torch.no_grad()
    def act_deterministic(self, obs: torch.Tensor) -> torch.Tensor:
        return self.actor(self.normalizer(obs))


class Policy:
    """A trained policy ready to act: `policy(state_obs) -> actions` (NumPy in, NumPy out)."""

    def __init__(self, network: ActorCritic, config: dict[str, Any], metrics: dict[str, Any], folder: Path) -> None:
        self.network = network.eval()
        self.config, self.metrics, self.folder = config, metrics, folder

    def __call__(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray:
        tensor = torch.as_tensor(np.asarray(obs, dtype=np.float32))
        single = tensor.ndim == 1
        tensor = tensor[None] if single else tensor
        with torch.no_grad():
            action = self.network.act_deterministic(tensor) if deterministic else \
                self.network.distribution(tensor).sample()
        action = action.clamp(-1.0, 1.0).numpy()
        return action[0] if single else action


def save_policy(folder: Path, network: ActorCritic, config: dict[str, Any], metrics: dict[str, Any]) -> None:
    """Write policy.pt, config.json and metrics.json into `folder` (atomically per file)."""
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / "policy.pt.tmp"
    torch.save({key: value.cpu() for key, value in network.state_dict().items()}, temporary)
    temporary.replace(folder / "policy.pt")
    for name, value in (("config.json", config), ("metrics.json", metrics)):
        (folder / f"{name}.tmp").write_text(json.dumps(value, indent=2))
        (folder / f"{name}.tmp").replace(folder / name)


def policy_folder(robot: str, skill: str) -> Path:
    """Where a robot's skill policy is loaded from: $EMBODIED_POLICIES if set, else policies/."""
    return Path(os.environ.get(POLICIES_ENV) or POLICIES_DIR) / robot / skill


def load_policy(folder: Path | str) -> Policy:
    """Load a policy folder; a missing or corrupt file names the file and how to train it."""
    folder = Path(folder)
    how = "train it with `embodied train --task TASK` (docs/skills.md lists the command behind each shipped policy)"
    for path in (folder / "policy.pt", folder / "config.json"):
        if not path.is_file():
            raise EmbodiedError(f"policy file {path} is missing; {how}")
    path = folder / "metrics.json"  # the file being read, named if it turns out corrupt
    try:
        metrics = json.loads(path.read_text()) if path.is_file() else {}
        path = folder / "config.json"
        config = json.loads(path.read_text())
        network = ActorCritic(config["obs_size"], config["action_size"], tuple(config["hidden"]))
        path = folder / "policy.pt"
        network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    except Exception as error:  # a damaged torch file can raise nearly any type (EOFError, IndexError, ...)
        detail = " ".join(f"{type(error).__name__}: {error}".split())  # one line for the CLI
        raise EmbodiedError(f"policy file {path} is corrupt ({detail}); {how}") from None
    return Policy(network, config, metrics, folder)
