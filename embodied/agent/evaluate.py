"""Seeded evaluation of an agent objective in each mode: success, prediction error by cycle, cost.

`evaluate_objective(factory, task_id, episodes, seed)` runs `run_episode` on episodes
seed, seed+1, ... in every asked mode (the same hidden parameters per seed in every mode,
so modes are compared on the same worlds) and summarises them; `embodied eval-agent`
prints the result as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from embodied.agent.core import MODES, Objective, UnsuitableScene, run_episode
from embodied.errors import EmbodiedError, UnknownNameError

# seeds tried per asked episode before giving up on finding scenes the objective fits
MAX_SEED_FACTOR = 4



def evaluate_objective(objective_factory: Callable[[gym.Env, int], Objective] | Callable[[], Objective],
                       task_id: str, episodes: int, seed: int,
                       modes: tuple[str, ...] = ("closed", "open", "no-update"),
                       progress: bool = True, episodes_log: str | Path | None = None) -> dict[str, Any]:
    """Per mode: success rate, median prediction error per cycle index, mean cycles and seconds,
    and why the episodes that failed stopped.

    `objective_factory()` gives a fresh objective per episode; a factory taking
    `(env, seed)` may instead look at the reset scene first (e.g. to name a prop in it).
    A factory that raises `UnsuitableScene` skips that seed (reported in `skipped_seeds`)
    and the next seed is used, so every mode runs `episodes` real episodes. With `episodes_log`, each finished episode's log is appended to that JSON-lines file as
    soon as it ends, and episodes already there (same task, mode and seed) are not run
    again: an interrupted evaluation resumes where it stopped.
    """
    import inspect

    from tqdm import tqdm

    for mode in modes:
        if mode not in MODES:
            raise UnknownNameError("agent mode", mode, MODES)
    takes_scene = len(inspect.signature(objective_factory).parameters) >= 2
    env = gym.make(task_id, cameras=[])  # the agent renders its own camera; observations need none
    logs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
    done: dict[tuple[str, int], dict[str, Any]] = {}
    if episodes_log is not None:
        episodes_log = Path(episodes_log)
        episodes_log.parent.mkdir(parents=True, exist_ok=True)
        if episodes_log.exists():
            for line in episodes_log.read_text().splitlines():
                entry = json.loads(line)
                if entry.get("task") == task_id:
                    done[(entry["mode"], int(entry["seed"]))] = entry
    bar = tqdm(total=episodes * len(modes), desc=f"eval-agent {task_id}", disable=not progress)
    skipped: dict[int, str] = {}
    episode_seed = seed - 1
    try:
        while min(len(runs) for runs in logs.values()) < episodes:
            episode_seed += 1
            if episode_seed - seed >= MAX_SEED_FACTOR * episodes:
                raise EmbodiedError(f"only {min(len(r) for r in logs.values())} of seeds {seed}..{episode_seed - 1} "
                                    f"have a scene this objective can be tried in ({len(skipped)} skipped); "
                                    "ask for fewer episodes or another objective")
            for mode in modes:
                if (mode, episode_seed) in done:
                    logs[mode].append(done[(mode, episode_seed)])
                    bar.update(1)
                    continue
                if takes_scene:
                    env.reset(seed=episode_seed)
                    try:
                        objective = objective_factory(env, episode_seed)  # type: ignore[call-arg]
                    except UnsuitableScene as reason:  # e.g. no two stackable props: not an episode
                        skipped[episode_seed] = str(reason)
                        break
                else:
                    objective = objective_factory()  # type: ignore[call-arg]
                logs[mode].append(run_episode(env, objective, episode_seed, mode).to_json())
                if episodes_log is not None:
                    entry = {"task": task_id, "mode": mode, "seed": episode_seed, **logs[mode][-1]}
                    with open(episodes_log, "a") as stream:
                        stream.write(json.dumps(entry) + "\n")
                bar.update(1)
                bar.set_postfix({m: f"{np.mean([g['success'] for g in logs[m]]):.2f}" for m in modes if logs[m]})
    finally:
        bar.close()
        env.close()
    summary: dict[str, Any] = {"task": task_id, "episodes": episodes, "seed": seed, "modes": {},
                               "seeds": [seed, episode_seed],
                               "skipped_seeds": {str(k): v for k, v in sorted(skipped.items())}}
    for mode, runs in logs.items():
        errors: dict[int, list[float]] = {}
        for run in runs:
            for entry in run["cycles"]:
                value = entry.get("prediction_error")
                if value is not None and np.isfinite(value):
                    errors.setdefault(int(entry["cycle"]), []).append(float(value))
        summary["modes"][mode] = {
            "success_rate": float(np.mean([run["success"] for run in runs])),
            "median_prediction_error": {str(cycle): round(float(np.median(values)), 4)
                                        for cycle, values in sorted(errors.items())},
            "episodes_with_cycle": {str(cycle): len(values) for cycle, values in sorted(errors.items())},
            "mean_cycles": float(np.mean([len(run["cycles"]) for run in runs])),
            "mean_seconds": round(float(np.mean([run["seconds"] for run in runs])), 2),
            "stopped": _count([run["stopped"] for run in runs if not run["success"]]),
            "succeeded": int(sum(run["success"] for run in runs)),
        }
    return summary


def _count(reasons: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reason in reasons:
        # numbers differ from episode to episode; the reason's kind is what is worth counting
        kind = re.split(r"\(|\s-?\d", reason)[0].strip() or "(none)"
        counts[kind] = counts.get(kind, 0) + 1
    return counts
