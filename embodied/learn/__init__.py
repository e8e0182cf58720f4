"""Learning: PPO on the batched environments, policies on disk, and their evaluation."""

from embodied.learn.policy import Policy, load_policy, policy_folder

__all__ = ["Policy", "load_policy", "policy_folder"]
