"""Proximal Policy Optimisation over a batched embodied VectorEnv, on the CPU or a GPU.

A compact PPO in the style of rsl_rl (the trainer Isaac Lab and mjlab use): clipped
surrogate, clipped value loss, GAE, an adaptive learning rate that keeps the KL divergence
near a target, and value bootstrapping on time-outs. We keep our own rather than adapting
rsl_rl's VecEnv protocol because the environment already lives in this process as NumPy
arrays over one `mujoco.batch` pool: rollouts cost one array copy per step and nothing
else (see docs/skills.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from embodied.learn.policy import ActorCritic
from embodied.sim.arrays import to_numpy


@dataclass
class PPOConfig:
    """PPO hyperparameters; defaults follow rsl_rl's legged-robot settings."""

    steps_per_rollout: int = 24
    epochs: int = 5
    minibatches: int = 4
    gamma: float = 0.99
    lam: float = 0.95
    clip: float = 0.2
    value_coef: float = 1.0
    entropy_coef: float = 0.01
    learning_rate: float = 1e-3
    desired_kl: float = 0.01
    max_grad_norm: float = 1.0
    hidden: tuple[int, ...] = (256, 128, 128)
    init_std: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def for_task(cls, overrides: dict[str, Any], where: str) -> PPOConfig:
        """The defaults with a task file's `ppo:` overrides; a bad key or value names the file."""
        from dataclasses import fields

        from embodied.errors import EmbodiedError

        known = {f.name: f for f in fields(cls)}
        values = {}
        for key, value in overrides.items():
            if key not in known:
                raise EmbodiedError(f"{where}: unknown field 'ppo.{key}'; valid fields: {', '.join(known)}")
            default = getattr(cls, key) if key != "hidden" else cls.hidden
            if key == "hidden":
                if not isinstance(value, list) or not value or not all(isinstance(v, int) and v > 0 for v in value):
                    raise EmbodiedError(f"{where}: field 'ppo.hidden' must be a list of layer sizes, got {value!r}")
                value = tuple(value)
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise EmbodiedError(f"{where}: field 'ppo.{key}' must be a number >= 0 "
                                    f"(default {default}), got {value!r}")
            else:
                value = type(default)(value)
            values[key] = value
        return cls(**values)


@dataclass
class Rollout:
    """One rollout of T steps over N envs."""

    obs: torch.Tensor
    actions: torch.Tensor
    log_probs: torch.Tensor
    values: torch.Tensor
    rewards: torch.Tensor
    dones: torch.Tensor
    means: torch.Tensor
    stds: torch.Tensor
    episode_returns: list[float] = field(default_factory=list)
    episode_lengths: list[int] = field(default_factory=list)
    successes: list[float] = field(default_factory=list)


class PPO:
    """The learner: collects rollouts from a VectorEnv and updates the actor-critic."""

    def __init__(self, obs_size: int, action_size: int, config: PPOConfig, device: str = "cpu") -> None:
        self.config, self.device = config, device
        self.network = ActorCritic(obs_size, action_size, config.hidden, config.init_std).to(device)
        self.optimizer = torch.optim.Adam(self.network.parameters(), lr=config.learning_rate)
        self.learning_rate = config.learning_rate

    def collect(self, envs: Any, obs: Any, tracker: dict[str, np.ndarray]) -> tuple[Rollout, Any]:
        """Step the envs T times with the current policy; returns the rollout and the next obs."""
        config, num_envs = self.config, obs.shape[0]
        action_size = self.network.log_std.shape[0]
        steps, device = config.steps_per_rollout, self.device
        buffers = {
            "obs": torch.zeros(steps, num_envs, obs.shape[1], device=device),
            "actions": torch.zeros(steps, num_envs, action_size, device=device),
            "log_probs": torch.zeros(steps, num_envs, device=device),
            "values": torch.zeros(steps, num_envs, device=device),
            "rewards": torch.zeros(steps, num_envs, device=device),
            "dones": torch.zeros(steps, num_envs, device=device),
            "means": torch.zeros(steps, num_envs, action_size, device=device),
            "stds": torch.zeros(steps, num_envs, action_size, device=device),
        }
        rollout = Rollout(**buffers)
        for t in range(steps):
            obs_tensor = torch.as_tensor(obs, dtype=torch.float32, device=device)
            with torch.inference_mode():
                distribution = self.network.distribution(obs_tensor)
                action = distribution.sample()
                rollout.log_probs[t] = distribution.log_prob(action).sum(-1)
                rollout.values[t] = self.network.value(obs_tensor)
                rollout.means[t], rollout.stds[t] = distribution.mean, distribution.stddev
            rollout.obs[t], rollout.actions[t] = obs_tensor, action
            # the env takes the action where it is and answers in NumPy or, with torch=True,
            # in tensors on its device: on a GPU, rollouts then stay there
            next_obs, reward, terminated, truncated, info = envs.step(action.clamp(-1.0, 1.0))
            reward = torch.as_tensor(reward, dtype=torch.float32, device=device).clone()
            truncated, terminated = to_numpy(truncated), to_numpy(terminated)
            if truncated.any():  # a time-out is not a failure: bootstrap from the final state's value
                ids = np.flatnonzero(truncated)
                final = np.stack([info["final_obs"][i]["state"] for i in ids])
                with torch.no_grad():
                    final_values = self.network.value(torch.as_tensor(final, dtype=torch.float32, device=device))
                reward[torch.as_tensor(ids, device=device)] += config.gamma * final_values
            rollout.rewards[t] = reward
            done = terminated | truncated
            rollout.dones[t] = torch.as_tensor(done, dtype=torch.float32, device=device)
            tracker["return"] += reward.cpu().numpy()
            tracker["length"] += 1
            for i in np.flatnonzero(done):
                rollout.episode_returns.append(float(tracker["return"][i]))
                rollout.episode_lengths.append(int(tracker["length"][i]))
                rollout.successes.append(float(info["success"][i]))
                tracker["return"][i], tracker["length"][i] = 0.0, 0
            obs = next_obs["state"]
        self._last_obs = torch.as_tensor(obs, dtype=torch.float32, device=device)
        self._renormalize(rollout)
        return rollout, obs

    @torch.no_grad()
    def _renormalize(self, rollout: Rollout) -> None:
        """Fold the rollout into the observation statistics, then re-evaluate it under them.

        Updating the statistics step by step would change the policy's output for the same
        observation while the rollout is still being collected; the ratios and the KL of the
        update would then measure that drift instead of learning.
        """
        flat = rollout.obs.flatten(0, 1)
        self.network.normalizer.update(flat)
        distribution = self.network.distribution(flat)
        shape = rollout.rewards.shape
        rollout.log_probs = distribution.log_prob(rollout.actions.flatten(0, 1)).sum(-1).reshape(shape)
        rollout.means = distribution.mean.reshape(rollout.means.shape)
        rollout.stds = distribution.stddev.reshape(rollout.stds.shape)
        rollout.values = self.network.value(flat).reshape(shape)

    def update(self, rollout: Rollout) -> dict[str, float]:
        """GAE, then epochs of minibatch PPO updates; returns training statistics."""
        config = self.config
        with torch.no_grad():
            next_value = self.network.value(self._last_obs)
        advantages = torch.zeros_like(rollout.rewards)
        last = torch.zeros_like(next_value)
        for t in reversed(range(config.steps_per_rollout)):
            value_next = next_value if t == config.steps_per_rollout - 1 else rollout.values[t + 1]
            not_done = 1.0 - rollout.dones[t]
            delta = rollout.rewards[t] + config.gamma * value_next * not_done - rollout.values[t]
            last = delta + config.gamma * config.lam * not_done * last
            advantages[t] = last
        returns = advantages + rollout.values

        flat = {
            "obs": rollout.obs.flatten(0, 1), "actions": rollout.actions.flatten(0, 1),
            "log_probs": rollout.log_probs.flatten(0, 1), "values": rollout.values.flatten(0, 1),
            "advantages": advantages.flatten(), "returns": returns.flatten(),
            "means": rollout.means.flatten(0, 1), "stds": rollout.stds.flatten(0, 1),
        }
        count = flat["obs"].shape[0]
        batch = count // config.minibatches
        stats = {"policy_loss": 0.0, "value_loss": 0.0, "entropy": 0.0, "kl": 0.0}
        updates = 0
        for _ in range(config.epochs):
            order = torch.randperm(count, device=self.device)
            for start in range(0, batch * config.minibatches, batch):
                index = order[start : start + batch]
                obs, actions = flat["obs"][index], flat["actions"][index]
                advantage = flat["advantages"][index]
                advantage = (advantage - advantage.mean()) / (advantage.std() + 1e-8)
                distribution = self.network.distribution(obs)
                log_prob = distribution.log_prob(actions).sum(-1)
                with torch.no_grad():  # adaptive learning rate from the KL between old and new Gaussians
                    old_mean, old_std = flat["means"][index], flat["stds"][index]
                    new_mean, new_std = distribution.mean, distribution.stddev
                    kl = (torch.log(new_std / old_std)
                          + (old_std.square() + (old_mean - new_mean).square()) / (2.0 * new_std.square())
                          - 0.5).sum(-1).mean().item()
                    if kl > 2.0 * config.desired_kl:
                        self.learning_rate = max(1e-5, self.learning_rate / 1.5)
                    elif 0.0 < kl < 0.5 * config.desired_kl:
                        self.learning_rate = min(1e-2, self.learning_rate * 1.5)
                    for group in self.optimizer.param_groups:
                        group["lr"] = self.learning_rate
                ratio = torch.exp(log_prob - flat["log_probs"][index])
                surrogate = torch.min(ratio * advantage,
                                      ratio.clamp(1 - config.clip, 1 + config.clip) * advantage)
                value = self.network.value(obs)
                old_value, target = flat["values"][index], flat["returns"][index]
                clipped = old_value + (value - old_value).clamp(-config.clip, config.clip)
                value_loss = torch.max((value - target).square(), (clipped - target).square()).mean()
                entropy = distribution.entropy().sum(-1).mean()
                loss = -surrogate.mean() + config.value_coef * value_loss - config.entropy_coef * entropy
                self.optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(self.network.parameters(), config.max_grad_norm)
                self.optimizer.step()
                stats["policy_loss"] += -surrogate.mean().item()
                stats["value_loss"] += value_loss.item()
                stats["entropy"] += entropy.item()
                stats["kl"] += kl
                updates += 1
        stats = {key: value / max(1, updates) for key, value in stats.items()}
        stats["learning_rate"] = self.learning_rate
        stats["action_std"] = self.network.log_std.exp().mean().item()
        return stats
