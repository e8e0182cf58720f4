"""Legged skills (Go1; H1/T1 walk and stand), each driven by a trained policy from policies/.

One command-conditioned locomotion policy (`policies/<robot>/walk`, trained on the
robot's Walk task to track a commanded (vx, vy, yaw rate)) serves `walk`, `turn` and
`stand`: the skill sets the command and the policy moves the legs. `kick_ball` is a
closed-loop controller over that same policy: it walks to a point behind the ball on the
line to the target, then walks through the ball. `get_up` runs its own policy. Policies
see only their own observation terms, computed from the running task whatever its task
file is, so a walking policy works in the kick-ball scene too.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.learn.policy import Policy, load_policy, policy_folder
from embodied.skills.base import Param, Skill, SkillResult, StepCallback, register_skill
from embodied.tasks import get_task, terms

QUADRUPED, LEGGED = ("quadruped",), ("quadruped", "humanoid")
DIRECTIONS = {"forward": (1.0, 0.0), "back": (-1.0, 0.0), "left": (0.0, 1.0), "right": (0.0, -1.0)}
# the command ranges the walking policies were trained on (tasks/*_walk.yaml)
MAX_SPEED = {"quadruped": 1.0, "humanoid": 1.0}
MAX_YAW_RATE = 1.0
DEFAULT_WALK_SPEED = 0.5  # m/s
TURN_COAST_S = 0.35  # how long the walking policy goes on turning once told to stop (s)
_POLICIES: dict[tuple[str, str], Policy] = {}


def policy_for(robot_alias: str, skill: str) -> Policy:
    """The trained policy of a robot's skill (cached); a clear error if it is missing."""
    key = (robot_alias, skill)
    if key not in _POLICIES:
        _POLICIES[key] = load_policy(policy_folder(robot_alias, skill))
    return _POLICIES[key]


class PolicyDriver:
    """Runs a policy on one env: sets the velocity command, builds the policy's observation."""

    def __init__(self, env: Any, policy: Policy, on_step: StepCallback | None) -> None:
        self.env, self.task, self.policy, self.on_step = env, env.unwrapped.task, policy, on_step
        self.terms = [terms.OBSERVATIONS[name] for name in policy.config["state_terms"]]
        gait = policy.config.get("gait") or {}
        if gait and gait != self.task.config.gait:
            # its observations carry the gait clock and its actions correct the task's reference swing
            raise EmbodiedError(f"the {policy.config.get('skill')} policy in {policy.folder} walks on the gait clock "
                                f"of {policy.config.get('task')}; run it on that task, not {self.task.config.id}")
        self.steps = 0
        self.fell = False

    def env_action(self, action: np.ndarray) -> np.ndarray:
        """The policy's action re-expressed in this env's action mapping.

        A policy's actions mean joint targets under the mapping of the task it was trained
        on (tasks/*.yaml `control:`); another task of the same robot may scale differently.
        """
        config, task = self.policy.config, self.task
        if config.get("action_mode") == "offset":
            # the policy drives the actuators it was trained with (all, in policies before
            # `actuated` was recorded); the rest hold their home targets
            names = config.get("actuated")
            index = [task.model.actuator(name).id for name in names] if names else slice(None)
            ctrl = task.home_ctrl.copy()
            ctrl[index] += float(config["action_scale"]) * np.clip(action, -1.0, 1.0)
            return task.action_of_ctrl(np.clip(ctrl, task.ctrl_low, task.ctrl_high))
        return action

    def observe(self) -> np.ndarray:
        return np.concatenate([term(self.task)[0] for term in self.terms]).astype(np.float32)

    def step(self, command: Any = (0.0, 0.0, 0.0)) -> bool:
        """One control step with the given (vx, vy, yaw rate); False once the robot has fallen."""
        self.task.command[0] = command
        action = self.policy(self.observe())
        self.env.step(self.env_action(action))
        self.steps += 1
        if self.on_step is not None:
            self.on_step(self.env)
        self.fell = self.fell or bool(terms.fallen(self.task, **self._fall_limits())[0])
        return not self.fell

    def _fall_limits(self) -> dict[str, float]:
        height = self.task.robot.home_base_height or 0.3
        return {"min_height": 0.45 * height, "max_tilt_deg": 60.0}

    @property
    def position(self) -> np.ndarray:
        return self.task.base_pos[0].copy()

    @property
    def yaw(self) -> float:
        return float(terms.yaw_of(self.task.base_quat)[0])


def _driver(env: Any, skill: str, on_step: StepCallback | None) -> PolicyDriver:
    return PolicyDriver(env, policy_for(env.unwrapped.task.robot.alias, skill), on_step)


def _trained_ranges(policy: Policy) -> dict[str, tuple[float, float]]:
    """The command ranges the policy was trained on (its task's `commands:`)."""
    task_id = policy.config.get("task")
    return dict(get_task(task_id).commands) if task_id else {}


def _fastest_trained_speed(policy: Policy, vector: np.ndarray) -> float:
    """The highest speed along the unit `vector` whose (vx, vy) lies inside the trained ranges."""
    limit = math.inf
    for component, key in ((vector[0], "lin_vel_x"), (vector[1], "lin_vel_y")):
        low, high = _trained_ranges(policy).get(key, (-math.inf, math.inf))
        if component > 1e-9:
            limit = min(limit, high / component)
        elif component < -1e-9:
            limit = min(limit, low / component)
    return max(0.0, limit)


def _check_trained_range(policy: Policy, command: np.ndarray, what: str) -> None:
    """Refuse a (vx, vy) command outside the ranges the policy was trained on: beyond them
    the gait is untested and the robot falls (e.g. sideways above 0.3 m/s for the Go1)."""
    ranges = _trained_ranges(policy)
    for value, key, name in ((command[0], "lin_vel_x", "forward velocity"), (command[1], "lin_vel_y", "sideways velocity")):
        if key in ranges and not ranges[key][0] - 1e-6 <= value <= ranges[key][1] + 1e-6:
            low, high = ranges[key]
            raise EmbodiedError(f"{what} is beyond the trained range: {name} {value:+.2f} m/s, trained on "
                                f"{low:+.2f}..{high:+.2f} m/s ({policy.config.get('task')})")


def _fell(driver: PolicyDriver) -> SkillResult:
    return SkillResult(False, driver.steps, None, "the robot fell", {"fell": True})


class Walk(Skill):
    name = "walk"
    robot_kinds = LEGGED
    description = "Walk in a direction (relative to the robot's heading) at a speed, for a distance."
    params = (
        Param("direction", "vector2_or_choice", "forward/back/left/right, or [x, y] in the robot's frame",
              default="forward", choices=tuple(DIRECTIONS)),
        Param("speed", "number", f"speed in m/s (default {DEFAULT_WALK_SPEED}, or the fastest the policy was "
              "trained for in that direction if lower, e.g. sideways)", minimum=0.1, maximum=1.0),
        Param("distance", "number", "distance to cover in metres", default=1.0, minimum=0.1, maximum=10.0),
    )

    def _run(self, env: Any, on_step: StepCallback | None, direction: Any, speed: float | None,
             distance: float) -> SkillResult:
        driver = _driver(env, "walk", on_step)
        vector = np.asarray(DIRECTIONS[direction] if isinstance(direction, str) else direction, float)
        vector /= np.linalg.norm(vector)
        if speed is None:
            speed = min(DEFAULT_WALK_SPEED, _fastest_trained_speed(driver.policy, vector))
            if speed < 0.1:
                raise EmbodiedError(f"walk: the {driver.task.robot.alias} walking policy was not trained to walk "
                                    f"{direction!r} (trained ranges: {_trained_ranges(driver.policy)})")
        command = np.r_[vector * speed, 0.0]
        _check_trained_range(driver.policy, command, f"walk: speed {speed} m/s {direction!r}")
        start = driver.position[:2]
        limit = int(math.ceil((distance / speed * 2.0 + 2.0) / driver.task.dt))
        errors = []
        while driver.steps < limit:
            if not driver.step(command):
                return _fell(driver)
            velocity = terms.base_lin_vel(driver.task)[0, :2]
            if driver.steps * driver.task.dt > 1.0:  # past the start-up transient
                errors.append(float(np.linalg.norm(velocity - command[:2])))
            travelled = float(np.linalg.norm(driver.position[:2] - start))
            if travelled >= distance:
                return SkillResult(True, driver.steps, abs(travelled - distance), None,
                                   {"travelled": travelled, "velocity_error": float(np.mean(errors)) if errors else None,
                                    "mean_speed": travelled / (driver.steps * driver.task.dt)})
        travelled = float(np.linalg.norm(driver.position[:2] - start))
        return SkillResult(False, driver.steps, abs(travelled - distance),
                           f"covered {travelled:.2f} m of {distance:.2f} m in the time allowed", {"travelled": travelled})


class Turn(Skill):
    name = "turn"
    robot_kinds = QUADRUPED
    description = "Turn in place to the left or right by an angle."
    params = (
        Param("direction", "string", "left or right", default="left", choices=("left", "right")),
        Param("angle", "number", "angle in degrees", default=90.0, minimum=5.0, maximum=360.0),
    )

    def _run(self, env: Any, on_step: StepCallback | None, direction: str, angle: float) -> SkillResult:
        driver = _driver(env, "walk", on_step)
        sign = 1.0 if direction == "left" else -1.0
        target, turned, previous = math.radians(angle), 0.0, driver.yaw
        limit = int(math.ceil((target / 0.8 * 2.0 + 2.0) / driver.task.dt))
        while driver.steps < limit:
            remaining = target - turned
            rate = sign * float(np.clip(1.5 * remaining, 0.2, 0.8))  # slow down into the target
            if not driver.step((0.0, 0.0, rate)):
                return _fell(driver)
            now = driver.yaw
            turned += sign * math.remainder(now - previous, 2 * math.pi)
            previous = now
            # the gait keeps turning for a moment after the command stops: stop that much early
            coasting = abs(float(driver.task.base_ang_vel[0, 2])) * TURN_COAST_S
            if turned >= target - coasting:
                for _ in range(int(0.6 / driver.task.dt)):  # settle
                    if not driver.step((0.0, 0.0, 0.0)):
                        return _fell(driver)
                    now = driver.yaw
                    turned += sign * math.remainder(now - previous, 2 * math.pi)
                    previous = now
                error = abs(math.degrees(target - turned))
                return SkillResult(error < 10.0, driver.steps, error, None if error < 10 else
                                   f"turned {math.degrees(turned):.0f} degrees of {angle:.0f}",
                                   {"turned_deg": math.degrees(turned)})
        return SkillResult(False, driver.steps, abs(math.degrees(target - turned)),
                           f"turned {math.degrees(turned):.0f} of {angle:.0f} degrees in the time allowed")


class Stand(Skill):
    name = "stand"
    robot_kinds = LEGGED
    description = "Stand still, balancing, for a duration."
    params = (Param("duration", "number", "seconds", default=2.0, minimum=0.1, maximum=60.0),)

    def _run(self, env: Any, on_step: StepCallback | None, duration: float) -> SkillResult:
        driver = _driver(env, "walk", on_step)
        start = driver.position[:2]
        for _ in range(int(math.ceil(duration / driver.task.dt))):
            if not driver.step((0.0, 0.0, 0.0)):
                return _fell(driver)
        drift = float(np.linalg.norm(driver.position[:2] - start))
        return SkillResult(True, driver.steps, drift, None, {"drift": drift})


class GetUp(Skill):
    name = "get_up"
    robot_kinds = QUADRUPED
    description = "Recover to standing from any fallen pose."
    params = (Param("timeout", "number", "seconds allowed", default=5.0, minimum=0.5, maximum=30.0),)

    def _run(self, env: Any, on_step: StepCallback | None, timeout: float) -> SkillResult:
        driver = _driver(env, "get_up", on_step)
        task = driver.task
        height = task.robot.home_base_height
        for _ in range(int(math.ceil(timeout / task.dt))):
            driver.step()
            up = float(terms.upright(task)[0])
            if up > 0.9 and task.base_pos[0, 2] > 0.8 * height:
                return SkillResult(True, driver.steps, abs(float(task.base_pos[0, 2]) - height), None,
                                   {"time_s": driver.steps * task.dt})
        return SkillResult(False, driver.steps, abs(float(task.base_pos[0, 2]) - height),
                           f"not standing after {timeout:.1f} s")


class KickBall(Skill):
    name = "kick_ball"
    robot_kinds = QUADRUPED
    description = "Move the ball in a direction (world frame) or toward the goal, by walking behind it and through it."
    params = (
        Param("direction", "vector2_or_choice", "'goal', or forward/back/left/right, or [x, y] (world frame)",
              default="goal", choices=("goal", *DIRECTIONS)),
        Param("distance", "number", "how far to move the ball (m)", default=1.0, minimum=0.3, maximum=5.0),
    )

    def _run(self, env: Any, on_step: StepCallback | None, direction: Any, distance: float) -> SkillResult:
        task = env.unwrapped.task
        if task.scene.ball_body is None:
            raise EmbodiedError(f"kick_ball: the scene of {task.config.id} has no ball (try embodied/Go1KickBall-v0)")
        driver = _driver(env, "walk", on_step)
        ball_start = task.ball_pos[0, :2].copy()
        if direction == "goal":
            goal = np.asarray(task.config.scene.goal_position, float)
            vector = goal - ball_start
        else:
            vector = np.asarray(DIRECTIONS[direction] if isinstance(direction, str) else direction, float)
        vector /= np.linalg.norm(vector)
        limit = int(30.0 / task.dt)
        phase = "approach"
        while driver.steps < limit:
            ball = task.ball_pos[0, :2]
            moved = ball - ball_start
            along = float(moved @ vector)
            if along >= distance:
                angle = math.degrees(math.atan2(moved[0] * vector[1] - moved[1] * vector[0], along))
                return SkillResult(abs(angle) <= 30.0, driver.steps, abs(angle), None if abs(angle) <= 30 else
                                   f"the ball went {angle:.0f} degrees off the asked direction",
                                   {"ball_travel": float(np.linalg.norm(moved)), "angle_deg": angle})
            behind = ball - 0.45 * vector
            if phase == "approach" and np.linalg.norm(driver.position[:2] - behind) < 0.12:
                phase = "push"
            # in "push", aim through the ball at a point beyond it
            target = behind if phase == "approach" else ball + 0.6 * vector
            if phase == "push" and float((driver.position[:2] - ball) @ vector) > 0.05:
                phase = "approach"  # overtook the ball: go round again
            command = self._go_to(driver, target, vector, fast=phase == "push")
            if not driver.step(command):
                return _fell(driver)
        moved = task.ball_pos[0, :2] - ball_start
        return SkillResult(False, driver.steps, float(distance - moved @ vector),
                           f"the ball moved {float(moved @ vector):.2f} m of {distance:.2f} m in 30 s")

    @staticmethod
    def _go_to(driver: PolicyDriver, target: np.ndarray, heading: np.ndarray, fast: bool) -> tuple[float, float, float]:
        """Velocity command (body frame) toward `target` while turning to face `heading`."""
        yaw = driver.yaw
        error = target - driver.position[:2]
        c, s = math.cos(yaw), math.sin(yaw)
        body = np.array([c * error[0] + s * error[1], -s * error[0] + c * error[1]])
        heading_error = math.remainder(math.atan2(heading[1], heading[0]) - yaw, 2 * math.pi)
        speed = 0.7 if fast else 0.5
        velocity = np.clip(2.0 * body, [-0.4, -0.3], [speed, 0.3])
        return float(velocity[0]), float(velocity[1]), float(np.clip(2.0 * heading_error, -MAX_YAW_RATE, MAX_YAW_RATE))


for _skill in (Walk(), Turn(), Stand(), GetUp(), KickBall()):
    register_skill(_skill)


# ----- evaluation -----------------------------------------------------------------------
LEGGED_EVAL_TASKS = {"walk": "Walk", "turn": "Walk", "stand": "Walk", "get_up": "GetUp", "kick_ball": "KickBall"}


WALK_EVAL_SPEED = 0.5  # m/s, the walking targets


def evaluate_legged_skill(robot: str, skill: str, episodes: int, seed: int, progress: bool = True) -> dict[str, Any]:
    """Seeded episodes of a legged skill with its issue's success measure; the eval-skill JSON."""
    import gymnasium as gym
    from tqdm import tqdm

    from embodied.robots import get_robot
    from embodied.skills.base import get_skill

    info = get_robot(robot)
    get_skill(skill, info.alias)
    prefix = {"go1": "Go1", "h1": "H1", "t1": "T1"}[info.alias]
    env_id = f"embodied/{prefix}{LEGGED_EVAL_TASKS[skill]}-v0"
    env = gym.make(env_id)
    results = []
    for episode in tqdm(range(episodes), desc=f"eval {info.alias} {skill}", disable=not progress):
        env.reset(seed=seed + episode)
        params: dict[str, Any] = {}
        if skill == "walk":
            params = {"direction": "forward", "speed": WALK_EVAL_SPEED, "distance": 5.0}  # 10 s at 0.5 m/s
        elif skill == "kick_ball":
            rng = np.random.default_rng(seed + episode)
            angle = rng.uniform(-np.pi / 4, np.pi / 4)
            params = {"direction": [math.cos(angle), math.sin(angle)], "distance": 1.0}
        elif skill == "turn":
            params = {"direction": "left" if episode % 2 == 0 else "right", "angle": 90.0}
        elif skill == "stand":
            params = {"duration": 10.0}
        results.append(get_skill(skill).run(env, **params))
    env.close()
    summary: dict[str, Any] = {
        "robot": info.alias, "skill": skill, "env": env_id, "episodes": episodes, "seed": seed,
        "success_rate": float(np.mean([r.success for r in results])),
        "falls": float(np.mean([bool(r.info.get("fell")) for r in results])),
    }
    errors = [r.info["velocity_error"] for r in results if r.info.get("velocity_error") is not None]
    if errors:
        summary["mean_velocity_error"] = float(np.mean(errors))
    speeds = [r.info["mean_speed"] for r in results if r.info.get("mean_speed") is not None]
    if speeds:  # over the walks that arrived, start-up included (commanded: 0.5 m/s)
        summary["mean_speed"] = float(np.mean(speeds))
    if skill == "walk":  # arrived without falling at no less than 80% of the commanded speed, start-up included
        summary["on_pace_rate"] = float(np.mean([r.success and r.info["mean_speed"] >= 0.8 * WALK_EVAL_SPEED
                                                 for r in results]))
    finals = [r.final_error for r in results if r.final_error is not None]
    if finals:
        summary["mean_final_error"] = float(np.mean(finals))
    if skill == "get_up":
        times = [r.info["time_s"] for r in results if r.success]
        summary["mean_time_s"] = float(np.mean(times)) if times else None
    return summary
