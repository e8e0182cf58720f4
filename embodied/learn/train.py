"""`embodied train`: PPO on a batched task, with checkpoints that survive interruption.

A run lives in `runs/<task>-s<seed>/`: `checkpoint.pt` (network, optimiser, normaliser,
iteration, elapsed time; rewritten atomically every few iterations and on Ctrl-C) and
TensorBoard logs. `--resume` continues from the checkpoint. When the budget (minutes or
iterations) is spent, the policy is exported to `policies/<robot>/<skill>/` with its
config and final metrics.
"""

from __future__ import annotations

import json
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tqdm import tqdm

from embodied.errors import EmbodiedError
from embodied.learn.policy import policy_folder, save_policy
from embodied.learn.ppo import PPO, PPOConfig
from embodied.robots import get_robot
from embodied.tasks import get_task

RUNS_DIR = Path("runs")


@dataclass
class TrainSettings:
    task: str
    num_envs: int = 1024
    minutes: float | None = 15.0
    iterations: int | None = None
    seed: int = 0
    backend: str = "cpu"
    device: str | None = None
    resume: bool = False
    run_dir: Path | None = None
    out_dir: Path | None = None  # where the policy goes; default policies/<robot>/<skill>
    checkpoint_every: int = 10


def _seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _save_checkpoint(path: Path, ppo: PPO, iteration: int, elapsed: float, steps: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    torch.save({"network": ppo.network.state_dict(), "optimizer": ppo.optimizer.state_dict(),
                "learning_rate": ppo.learning_rate, "iteration": iteration, "elapsed": elapsed,
                "env_steps": steps, "torch_rng": torch.get_rng_state()}, temporary)
    temporary.replace(path)


def _raise_interrupt_on_sigterm() -> Any:
    """Turn SIGTERM into KeyboardInterrupt (only possible from the main thread); the old handler."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)


def _restore_sigterm(handler: Any) -> None:
    import signal

    if handler is not None:
        signal.signal(signal.SIGTERM, handler)


def _actuated_names(config: Any) -> list[str]:
    """The actuators the policy's actions drive, in action order."""
    from embodied.tasks.task import actuated_ids, scene_for

    model = scene_for(config).model
    return [model.actuator(int(i)).name for i in actuated_ids(model, config)]


def train(settings: TrainSettings) -> dict[str, Any]:
    """Train a policy with PPO; returns the final metrics (also written to metrics.json)."""
    import gymnasium as gym

    import embodied  # noqa: F401  (registers the environments)

    config = get_task(settings.task)
    if settings.num_envs < 1:
        raise EmbodiedError(f"--num-envs must be at least 1, got {settings.num_envs}")
    if settings.minutes is None and settings.iterations is None:
        raise EmbodiedError("give a budget: --minutes or --iterations")
    robot = get_robot(config.robot)
    skill = config.skill
    run_dir = settings.run_dir or RUNS_DIR / f"{config.name}-s{settings.seed}"
    out_dir = settings.out_dir or policy_folder(robot.alias, skill)
    checkpoint = run_dir / "checkpoint.pt"
    if checkpoint.exists() and not settings.resume:
        raise EmbodiedError(f"{checkpoint} exists: pass --resume to continue that run, or choose --run-dir")

    _seed_everything(settings.seed)
    # the cpu backend's physics pool already uses every core, and a second torch pool would
    # fight it for them; with the warp backend the learner runs on the GPU when there is one
    learner = "cuda" if settings.backend == "warp" and torch.cuda.is_available() else "cpu"
    if settings.backend == "cpu":
        torch.set_num_threads(1)
    # with the learner on the GPU the env answers in tensors there: its task already runs there
    envs = gym.make_vec(config.id, num_envs=settings.num_envs, backend=settings.backend, torch=learner == "cuda",
                        **({"device": settings.device} if settings.device else {}))
    obs, _ = envs.reset(seed=settings.seed)
    obs = obs["state"]
    ppo_config = PPOConfig.for_task(config.ppo, config.path or config.id)
    ppo = PPO(obs.shape[1], envs.single_action_space.shape[0], ppo_config, device=learner)
    iteration, elapsed, env_steps = 0, 0.0, 0
    if settings.resume and checkpoint.exists():
        state = torch.load(checkpoint, map_location="cpu", weights_only=True)
        ppo.network.load_state_dict(state["network"])
        ppo.optimizer.load_state_dict(state["optimizer"])
        ppo.learning_rate = float(state["learning_rate"])
        iteration, elapsed, env_steps = int(state["iteration"]), float(state["elapsed"]), int(state["env_steps"])
        torch.set_rng_state(state["torch_rng"])

    from torch.utils.tensorboard import SummaryWriter

    writer = SummaryWriter(str(run_dir / "tb"))
    tracker = {"return": np.zeros(settings.num_envs), "length": np.zeros(settings.num_envs, dtype=np.int64)}
    recent: dict[str, list[float]] = {"return": [], "length": [], "success": []}
    budget_seconds = None if settings.minutes is None else settings.minutes * 60.0
    total = settings.iterations if settings.iterations is not None else None
    bar = tqdm(total=total, initial=iteration if total else 0, desc=f"train {config.name}", unit="it",
               dynamic_ncols=True)
    started = time.perf_counter() - elapsed
    stats: dict[str, float] = {}
    interrupted = False
    # a `kill` (SIGTERM) ends the run like Ctrl-C: checkpoint saved, resumable
    previous_handler = _raise_interrupt_on_sigterm()
    try:
        while True:
            elapsed = time.perf_counter() - started
            if settings.iterations is not None and iteration >= settings.iterations:
                break
            if budget_seconds is not None and elapsed >= budget_seconds:
                break
            rollout, obs = ppo.collect(envs, obs, tracker)
            if settings.backend == "cpu":  # the physics pool is idle while the learner updates
                torch.set_num_threads(os.cpu_count() or 1)
            stats = ppo.update(rollout)
            if settings.backend == "cpu":
                torch.set_num_threads(1)
            iteration += 1
            env_steps += ppo_config.steps_per_rollout * settings.num_envs
            for key, values in (("return", rollout.episode_returns), ("length", rollout.episode_lengths),
                                ("success", rollout.successes)):
                recent[key] = (recent[key] + values)[-200:]
            summary = {key: float(np.mean(values)) for key, values in recent.items() if values}
            for key, value in {**stats, **{f"episode/{k}": v for k, v in summary.items()}}.items():
                writer.add_scalar(key, value, env_steps)
            writer.add_scalar("perf/env_steps_per_s", env_steps / max(1e-9, time.perf_counter() - started), env_steps)
            bar.update(1)
            bar.set_postfix(ret=f"{summary.get('return', 0):.2f}", len=f"{summary.get('length', 0):.0f}",
                            succ=f"{summary.get('success', 0):.2f}", steps=f"{env_steps / 1e6:.2f}M")
            if iteration % settings.checkpoint_every == 0:
                _save_checkpoint(checkpoint, ppo, iteration, time.perf_counter() - started, env_steps)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        _restore_sigterm(previous_handler)
        elapsed = time.perf_counter() - started
        _save_checkpoint(checkpoint, ppo, iteration, elapsed, env_steps)
        bar.close()
        writer.close()
        envs.close()

    metrics = {
        "task": config.id, "iterations": iteration, "env_steps": env_steps, "wall_clock_s": round(elapsed, 1),
        "env_steps_per_s": round(env_steps / max(elapsed, 1e-9), 1), "interrupted": interrupted,
        **{f"final_{key}": round(float(np.mean(values)), 4) for key, values in recent.items() if values},
        **{f"final_{key}": round(value, 5) for key, value in stats.items()},
    }
    policy_config = {
        "task": config.id, "robot": robot.alias, "skill": skill, "obs_size": int(obs.shape[1]),
        "action_size": int(envs.single_action_space.shape[0]), "hidden": list(ppo_config.hidden),
        "state_terms": list(config.state_terms), "action_mode": config.action_mode,
        "action_scale": config.action_scale, "actuated": _actuated_names(config),
        "gait": config.gait,
        "ppo": ppo_config.to_dict(), "num_envs": settings.num_envs,
        "seed": settings.seed, "backend": settings.backend,
        "command": f"embodied train --task {config.id} --num-envs {settings.num_envs} --backend {settings.backend} "
                   + (f"--minutes {settings.minutes} " if settings.minutes is not None else "")
                   + (f"--iterations {settings.iterations} " if settings.iterations is not None else "")
                   + f"--seed {settings.seed}",
    }
    if not interrupted:
        save_policy(out_dir, ppo.network, policy_config, metrics)
        metrics["policy_dir"] = str(out_dir)
    (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    return metrics
