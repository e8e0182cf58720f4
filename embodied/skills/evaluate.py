"""Seeded evaluation of the arm skills: success rate, final error and steps over episodes.

    evaluate_arm_skill("panda", "reach", episodes=50, seed=0)

Episode k is a pure function of (seed, k): the env is reset with seed * 100003 + k and the
episode's choices (target point, prop, direction, destination) come from a generator seeded
with (seed, k). What each skill is asked:

- reach: a point drawn uniformly in the robot's reach ring (robots.yaml) at 5..35 cm above
  the table, in the `<Robot>Reach-v0` env; success: end effector within 1 cm.
- pick: a random prop (cube, ball or cylinder) of a random tabletop layout; success: the
  prop is held, lifted by at least half of 10 cm.
- place: pick a random cube or cylinder, then place it on another cube or cylinder (half the
  episodes) or at a free point of the table (the other half); success: the prop rests within
  3 cm (horizontal) and 2 cm (vertical) of the goal. An episode whose pick fails counts as a
  failed place; `success_rate_given_pick` leaves those out.
- push: a random prop and one of left/right/forward/back whose 10 cm path (and the fingers
  around the prop) is free of other props and ends in the reach ring; success: the prop ends within 3 cm of the goal.
"""

from __future__ import annotations

import math
import time
from typing import Any

import gymnasium as gym
import numpy as np

from embodied.errors import EmbodiedError, check_choice
from embodied.robots import get_robot
from embodied.skills.arm import DIRECTIONS, scene_props
from embodied.skills.base import get_skill

ARM_SKILLS = ("reach", "pick", "place", "push")
PUSH_DISTANCE = 0.1


def _env_id(robot: str, goal: str) -> str:
    from embodied.tasks.config import all_tasks

    info = get_robot(robot)
    for task_id, config in all_tasks().items():
        if config.robot == info.name and config.goal == goal:
            return task_id
    raise EmbodiedError(f"no task with goal {goal!r} for robot {info.alias!r} in tasks/*.yaml")


def _ring_point(robot: Any, rng: np.random.Generator, shrink: float = 0.0) -> np.ndarray:
    reach = robot.reach
    radius = rng.uniform(reach["min_radius"] + shrink, reach["max_radius"] - shrink)
    angle = math.radians(rng.uniform(-reach["max_angle_deg"], reach["max_angle_deg"]))
    return np.array([radius * math.cos(angle), radius * math.sin(angle)])


def _in_ring(robot: Any, xy: np.ndarray, margin: float = 0.0) -> bool:
    reach = robot.reach
    radius = float(np.hypot(*xy))
    angle = math.degrees(math.atan2(xy[1], xy[0]))
    return (reach["min_radius"] + margin <= radius <= reach["max_radius"] - margin
            and abs(angle) <= reach["max_angle_deg"])


def _segment_distance(point: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ab = b - a
    s = float(np.clip(np.dot(point - a, ab) / max(float(np.dot(ab, ab)), 1e-12), 0.0, 1.0))
    return float(np.linalg.norm(point - (a + s * ab)))


def _episode(env: Any, skill: str, rng: np.random.Generator) -> tuple[Any, dict[str, Any]]:
    """Run one episode of `skill`; (SkillResult, extra facts)."""
    task = env.unwrapped.task
    robot = task.robot
    table = task.scene.table_top
    props = scene_props(task)
    if skill == "reach":
        xy = _ring_point(robot, rng)
        target = [float(xy[0]), float(xy[1]), float(table + rng.uniform(0.05, 0.35))]
        return get_skill("reach").run(env, target=target), {"target": target}
    if skill == "pick":
        name = str(rng.choice(sorted(props)))
        return get_skill("pick").run(env, target=name), {"prop": name, "shape": props[name].shape}
    if skill == "place":
        flat = sorted(n for n, p in props.items() if p.shape != "ball")
        if not flat:
            return None, {"skipped": "no cube or cylinder"}
        name = str(rng.choice(flat))
        picked = get_skill("pick").run(env, target=name)
        if not picked.success:
            picked.reason = f"pick failed: {picked.reason}"
            picked.info["pick_failed"] = True
            return picked, {"prop": name, "shape": props[name].shape}
        others = [n for n in flat if n != name]
        if others and rng.uniform() < 0.5:
            destination: Any = str(rng.choice(others))
        else:
            for _ in range(200):
                xy = _ring_point(robot, rng, shrink=0.03)
                clear = all(np.hypot(*(p.position[:2] - xy)) > 0.1 for n, p in props.items() if n != name)
                if clear:
                    break
            destination = [float(xy[0]), float(xy[1]), float(table)]
        placed = get_skill("place").run(env, target=destination)
        placed.steps += picked.steps
        onto = "prop" if isinstance(destination, str) else "table"
        return placed, {"prop": name, "shape": props[name].shape, "destination": destination, "onto": onto}
    # push: a (prop, direction) whose path is clear and ends in reach
    options = []
    for name, prop in sorted(props.items()):
        for direction, vector in DIRECTIONS.items():
            d = np.asarray(vector)
            start = prop.position[:2]
            goal = start + d * PUSH_DISTANCE
            behind, ahead = start - d * 0.06, goal + d * 0.06  # the fingers, around the prop
            if not (_in_ring(robot, goal, 0.0) and _in_ring(robot, behind, -0.03)):
                continue
            clear = all(_segment_distance(other.position[:2], behind, ahead) > other.size * 1.5 + 0.03
                        for other_name, other in props.items() if other_name != name)
            if clear:
                options.append((name, direction))
    if not options:
        return None, {"skipped": "no clear push"}
    name, direction = options[int(rng.integers(len(options)))]
    result = get_skill("push").run(env, target=name, direction=direction, distance=PUSH_DISTANCE)
    return result, {"prop": name, "shape": props[name].shape, "direction": direction}


def evaluate_arm_skill(robot: str, skill: str, episodes: int = 50, seed: int = 0,
                       progress: Any = None) -> dict[str, Any]:
    """Run `episodes` seeded episodes of an arm skill; success rate, mean error and steps.

    Episodes whose layout offers no valid case (e.g. no clear push) are redrawn with the
    next reset seed, so every counted episode is a real attempt. `progress(k, result)` is
    called after each episode when given.
    """
    info = get_robot(robot)
    if info.kind != "arm":
        raise EmbodiedError(f"evaluate_arm_skill: robot {info.alias!r} is a {info.kind}, not an arm")
    check_choice("arm skill to evaluate", skill, ARM_SKILLS)
    if episodes < 1:
        raise EmbodiedError(f"episodes must be at least 1, got {episodes}")
    env_id = _env_id(info.name, "reach" if skill == "reach" else "tabletop")
    env = gym.make(env_id, cameras=[])
    results, failures, redraws = [], [], 0
    groups: dict[str, list[bool]] = {}
    started = time.time()
    try:
        for k in range(episodes):
            rng = np.random.default_rng([seed, k])
            for attempt in range(20):
                env.reset(seed=seed * 100003 + k + 1000 * attempt)
                result, facts = _episode(env, skill, rng)
                if result is not None:
                    break
                redraws += 1
            else:
                raise EmbodiedError(f"episode {k}: no valid {skill} case in 20 layouts")
            results.append(result)
            for key in ("shape", "onto"):
                if key in facts:
                    groups.setdefault(f"{key}={facts[key]}", []).append(bool(result.success))
            if not result.success:
                failures.append({"episode": k, "reason": result.reason, **facts})
            if progress is not None:
                progress(k, result)
    finally:
        env.close()
    errors = [r.final_error for r in results if r.final_error is not None]
    summary: dict[str, Any] = {
        "robot": info.alias,
        "skill": skill,
        "env": env_id,
        "episodes": episodes,
        "seed": seed,
        "success_rate": sum(r.success for r in results) / episodes,
        "mean_final_error": float(np.mean(errors)) if errors else None,
        "mean_steps": float(np.mean([r.steps for r in results])),
        "seconds": round(time.time() - started, 1),
        "failures": failures,
    }
    if groups:
        summary["success_by"] = {key: {"success_rate": sum(v) / len(v), "episodes": len(v)}
                                 for key, v in sorted(groups.items())}
    if skill == "place":
        picked = [r for r in results if not r.info.get("pick_failed")]
        summary["pick_failures"] = len(results) - len(picked)
        summary["success_rate_given_pick"] = (sum(r.success for r in picked) / len(picked)) if picked else None
    if redraws:
        summary["redrawn_layouts"] = redraws
    return summary
