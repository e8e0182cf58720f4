"""Go1 objectives for the agent's cycle (embodied.agent.core): kick the ball into the goal, walk to a prop.

Both share one world model: a `BatchedTask` of the same task file as reality (same scene,
same model), one world per (candidate plan, parameter sample), started from the agent's
estimate of the state and driven by the Go1 walk policy batched over the worlds. The
controllers that turn a plan step into velocity commands are written once, batch-first,
and run unchanged in reality (one world, through `env.step`) and in imagination.

Hidden parameters (`priors`) are the physical ones that change how far the robot gets in
a given time and how the ball rolls: actuator strength (the position servos' gain and its
matching bias, scaled together), foot-floor friction, and the ball's rolling resistance
and mass. A plan step is feed-forward in what the robot does not sense itself: a kick
strikes where the ball was seen, a walk segment turns and walks for set times. Only the
robot's own pose (odometry) and joints are read during a step; ball and props are seen
between steps, from the cameras' colour and depth pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np

from embodied.agent.belief import ParamPrior
from embodied.agent.core import Objective, Plan, Status
from embodied.omni.camera import CameraInfo, unproject
from embodied.scene import COLORS, SHAPES
from embodied.skills.legged import policy_for
from embodied.tasks import BatchedTask, get_task, terms

FOOT_GEOMS = ("FR", "FL", "RR", "RL")
CAMERAS = ("head", "overview")
IMAGE = (120, 160)  # (height, width) of the frames perception looks at: enough pixels at 3 m
BALL_RADIUS = 0.1
MAX_YAW_RATE = 1.0
# a goal: the ball's centre across the line and within this of the goal's centre line (the
# posts stand at +-0.75 m), the same for the agent's own judgement and the evaluator's truth
GOAL_HALF_WIDTH = 0.7
LOOK_EVERY = 5  # control steps between sightings while turning to look for the ball
LOOK_SETTLE_S = 0.3


# ----- hidden parameters ----------------------------------------------------------------
def _nominal(task: BatchedTask, field: str) -> np.ndarray:
    """A model field's value in the compiled model (the nominal world), never a world's own."""
    return np.asarray(getattr(task.model, field)).copy()


def write_params(task: BatchedTask, names: list[str], params: np.ndarray) -> None:
    """Write (num_envs, p) physical parameters, named as in the priors, into every world."""
    params = np.asarray(params, float).reshape(task.num_envs, len(names))
    sim, model = task.sim, task.model
    for column, name in enumerate(names):
        value = params[:, column]
        if name == "actuator_strength":
            # a position servo's force is kp * (target - q): its gain and its bias scale together
            gain, bias = sim.param("actuator_gainprm"), sim.param("actuator_biasprm")
            gain[:, :, 0] = _nominal(task, "actuator_gainprm")[None, :, 0] * value[:, None]
            bias[:, :, 1] = _nominal(task, "actuator_biasprm")[None, :, 1] * value[:, None]
            sim.set_param("actuator_gainprm", gain)
            sim.set_param("actuator_biasprm", bias)
        elif name == "floor_friction":
            # the feet have contact priority, so their friction is the foot-floor friction
            friction = sim.param("geom_friction")
            ids = [model.geom("floor").id] + [model.geom(foot).id for foot in FOOT_GEOMS]
            friction[:, ids, 0] = value[:, None]
            sim.set_param("geom_friction", friction)
        elif name == "ball_rolling":
            friction = sim.param("geom_friction")
            friction[:, model.geom("soccer_ball_geom").id, 2] = value
            sim.set_param("geom_friction", friction)
        elif name == "ball_mass":
            body = task.scene.ball_body
            mass, inertia = sim.param("body_mass"), sim.param("body_inertia")
            ratio = value / float(model.body_mass[body])
            mass[:, body] = value
            inertia[:, body] = model.body_inertia[body][None] * ratio[:, None]  # a solid ball: I ~ m
            sim.set_param("body_inertia", inertia)
            sim.set_param("body_mass", mass)
        else:
            raise ValueError(f"unknown hidden parameter {name!r}")


# ----- the batched walking controller ---------------------------------------------------
class Walker:
    """The Go1 walk policy over every world of a task: (n, 3) velocity commands -> (n, nu) actions."""

    def __init__(self, task: BatchedTask) -> None:
        import torch

        # a small MLP over a few dozen worlds: intra-op threads only contend (on a busy
        # 2-core machine they made each call 50 times slower: 30 ms instead of 0.6 ms)
        torch.set_num_threads(1)
        self.task = task
        self.policy = policy_for(task.robot.alias, "walk")
        self.terms = [terms.OBSERVATIONS[name] for name in self.policy.config["state_terms"]]
        self.scale = float(self.policy.config["action_scale"])
        # the policy's own previous actions, in its own scale: the kick task's action mapping
        # differs from the walk task's, and its last_action would show the policy a rescaled echo
        self.own_last = np.clip((task.last_action * task.config.action_scale
                                 if task.config.action_mode == "offset" else 0.0) / self.scale, -1.0, 1.0)

    def act(self, commands: np.ndarray) -> np.ndarray:
        task = self.task
        task.command[:] = commands
        obs = np.concatenate([self.own_last if term is terms.last_action else term(task) for term in self.terms],
                             axis=1).astype(np.float32)
        action = self.policy(obs)
        self.own_last = np.clip(action, -1.0, 1.0)
        # the policy's actions are joint offsets under its own training task's scale
        ctrl = task.home_ctrl + self.scale * np.clip(action, -1.0, 1.0)
        return task.action_of_ctrl(np.clip(ctrl, task.ctrl_low, task.ctrl_high))


def base_yaw(task: BatchedTask) -> np.ndarray:
    return terms.yaw_of(task.base_quat)


def fallen(task: BatchedTask) -> np.ndarray:
    return terms.fallen(task, min_height=0.45 * (task.robot.home_base_height or 0.3), max_tilt_deg=60.0)


def _wrap(angle: np.ndarray) -> np.ndarray:
    return (np.asarray(angle) + np.pi) % (2 * np.pi) - np.pi


class StrikeController:
    """Kick strikes over n worlds: walk behind where the ball was seen, then push through it.

    Per world: `ball` (2,) where the ball is believed to be, `aim` (2,) a point it should go
    toward, `speed` of the push (m/s), `push` its duration (s). Phases:

    - approach: odometry-guided to `BEHIND` m behind the ball on the aim line. Far from
      that point the robot turns to face it and walks forward (a Go1 walks backwards and
      sideways slowly and unsteadily); from in front of the ball it goes round it on the
      near side, first stepping straight away from the ball when closer than `CLEAR` m
      (turning there would sweep its legs over the ball). Within `NEAR` m it slows down and turns to face along the aim line. It
      ends on arrival (within 6 cm, facing the line within 0.12 rad) or after a time that
      grows with the distance to walk.
    - push: forward at `speed`, kept on the line, starting gently (`RAMP_S`) so the first
      contact is at a repeatable, low speed, and slowing down before it ends (a sudden stop
      from a run topples a Go1); it ends after `push` seconds, or once the base
      passes `stop_x` when a step gives one (short of the goal line: the ball, ahead of the
      robot, crosses it, and the robot does not run into the posts);
    - settle: stand still.

    The ball is never looked at during a strike: that is what makes a strike a plan step.
    """

    SETTLE_S, BEHIND, NEAR, RAMP_S, CLEAR = 1.0, 0.45, 0.3, 0.4, 0.5
    STALL_S, UNSTICK_S, STALL_MOVE, STALL_TURN = 0.5, 0.5, 0.02, 0.05
    TURN_WALK = 0.15
    APPROACH_BASE_S, APPROACH_PACE, APPROACH_TURN, APPROACH_MAX_S = 1.5, 0.35, 0.8, 12.0

    def __init__(self, task: BatchedTask, steps: list[dict[str, Any]]) -> None:
        self.task = task
        self.ball = np.array([s["ball"] for s in steps], float)
        aim = np.array([s["aim"] for s in steps], float)
        direction = aim - self.ball
        self.u = direction / np.maximum(np.linalg.norm(direction, axis=1, keepdims=True), 1e-6)
        self.speed = np.array([s["speed"] for s in steps], float)
        self.push_steps = np.round(np.array([s["push"] for s in steps], float) / task.dt).astype(int)
        # an optional x the robot's base does not push past (a goal line, with the posts beside it)
        self.stop_x = np.array([s.get("stop_x", np.inf) for s in steps], float)
        self.phase = np.zeros(len(steps), int)
        self.timer = np.zeros(len(steps), int)
        # time to get behind the ball: a base, plus the walk there and the turns on the way
        # (longer round the ball); past it, the approach goes on while the robot does not
        # yet face along the line, up to a cap
        start = task.base_pos[:, :2]
        yaw = base_yaw(task)
        if len(start) != len(steps):
            start, yaw = np.broadcast_to(start[:1], (len(steps), 2)), np.broadcast_to(yaw[:1], (len(steps),))
        behind = self.ball - self.BEHIND * self.u
        offset = behind - start
        bearing = np.arctan2(offset[:, 1], offset[:, 0])
        heading = np.arctan2(self.u[:, 1], self.u[:, 0])
        round_ball = np.sum((start - self.ball) * self.u, axis=1) > -0.3
        walk = np.linalg.norm(offset, axis=1) + 0.8 * round_ball
        turns = np.abs(_wrap(bearing - yaw)) + np.abs(_wrap(heading - bearing)) + 1.5 * round_ball
        approach_s = self.APPROACH_BASE_S + walk / self.APPROACH_PACE + turns / self.APPROACH_TURN
        self.approach_steps = np.round(np.minimum(approach_s, self.APPROACH_MAX_S) / task.dt).astype(int)
        self.approach_cap = int(self.APPROACH_MAX_S / task.dt)
        self.ramp_steps = max(1, int(self.RAMP_S / task.dt))
        self.settle_steps = int(self.SETTLE_S / task.dt)
        self.detour = np.zeros(len(steps), bool)
        self.clearing = np.zeros(len(steps), bool)
        # stall rule, from odometry only: where the base has not moved for STALL_S while
        # commanded to, the next UNSTICK_S get a different command
        self.window = max(1, int(self.STALL_S / task.dt))
        self.unstick_steps = max(1, int(self.UNSTICK_S / task.dt))
        self.history: np.ndarray | None = None  # (window + 1, n, 3) recent base poses, a ring
        self.ticks = 0
        self.unstick = np.zeros(len(steps), int)
        self.unstick_command = np.zeros((len(steps), 3))
        self.stalls = np.zeros(len(steps), int)
        self.max_steps = self.approach_cap + int(self.push_steps.max()) + self.settle_steps + 2

    @property
    def done(self) -> np.ndarray:
        return self.phase >= 3

    def commands(self) -> np.ndarray:
        task, n = self.task, len(self.phase)
        position, yaw = task.base_pos[:, :2], base_yaw(task)
        u, normal = self.u, np.stack([-self.u[:, 1], self.u[:, 0]], axis=1)
        relative = position - self.ball
        along, across = np.sum(relative * u, axis=1), np.sum(relative * normal, axis=1)
        behind = self.ball - self.BEHIND * u
        # level with or in front of the ball: go round it, to a point beside and behind it on
        # the near side, never through it
        self.detour = (self.phase == 0) & ((along > -0.3) | (self.detour & (along > -0.38)))
        side = np.where(across >= 0, 1.0, -1.0)[:, None]
        target = np.where(self.detour[:, None], self.ball - 0.4 * u + 0.6 * side * normal, behind)
        heading = np.arctan2(u[:, 1], u[:, 0])
        error = target - position
        distance = np.linalg.norm(error, axis=1)
        heading_error = _wrap(heading - yaw)
        # far from the point: turn to face it and walk to it (a Go1 walks backwards and
        # sideways slowly and unsteadily); near it: face along the line and creep in
        far = self.detour | (distance > self.NEAR)
        facing_error = np.where(far, _wrap(np.arctan2(error[:, 1], error[:, 0]) - yaw), heading_error)
        c, s = np.cos(yaw), np.sin(yaw)
        body = np.stack([c * error[:, 0] + s * error[:, 1], -s * error[:, 0] + c * error[:, 1]], axis=1)
        walk = np.clip(2.0 * distance, 0.0, 0.5) * np.clip(1.0 - np.abs(facing_error) / 0.8, 0.0, 1.0)
        # a weak robot barely turns in place (0.4 rad/s for 1 rad/s asked at 0.75 strength,
        # 0.9 rad/s while walking at 0.3 m/s): turn while walking slowly
        walk = np.maximum(walk, self.TURN_WALK * (distance > self.NEAR))
        creep = np.clip(2.0 * body, [-0.2, -0.2], [0.25, 0.2])
        command = np.zeros((n, 3))
        turning_near = ~far & (np.abs(heading_error) > 0.25)
        creep[:, 0] = np.where(turning_near, np.maximum(creep[:, 0], self.TURN_WALK), creep[:, 0])
        command[:, 0] = np.where(far, walk, creep[:, 0])
        command[:, 1] = np.where(far, 0.0, creep[:, 1])
        command[:, 2] = np.clip(2.0 * facing_error, -MAX_YAW_RATE, MAX_YAW_RATE)
        # right beside or in front of the ball, a turn would sweep the legs over it: first
        # step straight away from it, without turning
        gap = np.maximum(np.linalg.norm(relative, axis=1), 1e-6)
        self.clearing = self.detour & ((gap < self.CLEAR) | (self.clearing & (gap < self.CLEAR + 0.15)))
        away = relative / gap[:, None]
        step_away = np.stack([c * away[:, 0] + s * away[:, 1], -s * away[:, 0] + c * away[:, 1]], axis=1)
        command[self.clearing, :2] = 0.25 * step_away[self.clearing]
        command[self.clearing, 2] = 0.0
        # push: forward at the strike's speed (after a short ramp), steering back onto the line
        cross_body = -across  # lateral correction in the direction of the line's normal
        push_lateral = np.clip(1.5 * (cross_body * np.cos(heading_error)), -0.15, 0.15)
        pushing = self.phase == 1
        # ramp up at the start, and down before the end (a sudden stop from a run topples a Go1)
        ramp = np.minimum(np.clip((self.timer + 1) / self.ramp_steps, 0.3, 1.0),
                          np.clip((self.push_steps - self.timer) / self.ramp_steps, 0.3, 1.0))
        ramp = np.minimum(ramp, np.clip((self.stop_x - position[:, 0]) / 0.3, 0.3, 1.0))
        command[pushing, 0] = (self.speed * ramp)[pushing]
        command[pushing, 1] = push_lateral[pushing]
        command[pushing, 2] = np.clip(2.0 * heading_error, -0.5, 0.5)[pushing]
        command[self.phase >= 2] = 0.0
        command = self._unstuck(command, position, yaw)
        # phase changes, counted in control steps
        self.timer += 1
        arrived = ~self.detour & (np.linalg.norm(behind - position, axis=1) < 0.06) & (np.abs(heading_error) < 0.12)
        late = (self.timer >= self.approach_steps) & (np.abs(heading_error) < 0.3)
        start_push = (self.phase == 0) & (arrived | late | (self.timer >= self.approach_cap))
        end_push = (self.phase == 1) & ((self.timer >= self.push_steps) | (position[:, 0] > self.stop_x))
        end_settle = (self.phase == 2) & (self.timer >= self.settle_steps)
        for mask in (start_push, end_push, end_settle):
            self.phase[mask] += 1
            self.timer[mask] = 0
        return command


    def _unstuck(self, command: np.ndarray, position: np.ndarray, yaw: np.ndarray) -> np.ndarray:
        """The stall rule: a base that stood still for STALL_S while told to move gets another command.

        A weak robot's walk policy can settle into a crouch from which some commands give a
        constant action and no motion at all (a turn in place, most often); a walking turn
        the other way for UNSTICK_S breaks it out. Odometry only: no hidden state is read.
        """
        pose = np.concatenate([position, yaw[:, None]], axis=1)
        if self.history is None:
            self.history = np.repeat(pose[None], self.window + 1, axis=0)
        old = self.history[self.ticks % (self.window + 1)].copy()
        self.history[self.ticks % (self.window + 1)] = pose
        self.ticks += 1
        still = ((np.linalg.norm(pose[:, :2] - old[:, :2], axis=1) < self.STALL_MOVE)
                 & (np.abs(_wrap(pose[:, 2] - old[:, 2])) < self.STALL_TURN))
        told_to_move = np.linalg.norm(command, axis=1) > 0.05
        stalled = (self.ticks > self.window) & told_to_move & still & (self.unstick == 0) & (self.phase < 2)
        if stalled.any():
            self.stalls[stalled] += 1
            self.unstick[stalled] = self.unstick_steps
            other_way = np.where(command[stalled, 2] > 0.05, -MAX_YAW_RATE, MAX_YAW_RATE)
            self.unstick_command[stalled] = np.stack([np.full(len(other_way), 0.3), np.zeros(len(other_way)),
                                                      other_way], axis=1)
            self.history[:, stalled] = np.nan  # the stall window starts again after the nudge
        nudging = self.unstick > 0
        command[nudging] = self.unstick_command[nudging]
        self.unstick[nudging] -= 1
        return command


class SegmentController:
    """Walk segments over n worlds, blind in time: turn at a rate, walk at a speed, stand.

    Per world: `turn` (rad, signed) at `TURN_RATE`, then `walk` seconds at `speed` (m/s,
    negative: backwards), then `SETTLE_S` standing. How far the robot really turns and
    walks in those times depends on its strength and footing: the hidden parameters.
    """

    TURN_RATE, SETTLE_S = 0.8, 0.5

    def __init__(self, task: BatchedTask, steps: list[dict[str, Any]]) -> None:
        self.task = task
        turn = np.array([s["turn"] for s in steps], float)
        self.rate = np.sign(turn) * self.TURN_RATE
        self.turn_steps = np.round(np.abs(turn) / self.TURN_RATE / task.dt).astype(int)
        self.walk_steps = np.round(np.array([s["walk"] for s in steps], float) / task.dt).astype(int)
        self.speed = np.array([s["speed"] for s in steps], float)
        self.settle_steps = int(self.SETTLE_S / task.dt)
        self.timer = np.zeros(len(steps), int)
        self.max_steps = int((self.turn_steps + self.walk_steps).max()) + self.settle_steps + 1

    @property
    def done(self) -> np.ndarray:
        return self.timer >= self.turn_steps + self.walk_steps + self.settle_steps

    def commands(self) -> np.ndarray:
        command = np.zeros((len(self.timer), 3))
        turning = self.timer < self.turn_steps
        walking = ~turning & (self.timer < self.turn_steps + self.walk_steps)
        command[turning, 2] = self.rate[turning]
        command[walking, 0] = self.speed[walking]
        self.timer += 1
        return command


def drive(task: BatchedTask, controller: Any, step: Callable[[np.ndarray], Any],
          snapshot: Callable[[BatchedTask], np.ndarray]) -> np.ndarray:
    """Run a controller until every world is done; (n, k) snapshots taken as each world finishes.

    The last column of a snapshot is whether that world's robot fell on the way.
    """
    walker = Walker(task)
    n = task.num_envs
    result = np.full((n, snapshot(task).shape[1] + 1), np.nan)
    fell = np.zeros(n, bool)
    recorded = np.zeros(n, bool)
    for _ in range(controller.max_steps):
        actions = walker.act(controller.commands())
        step(actions)
        fell |= fallen(task)
        finished = controller.done & ~recorded
        if finished.any():
            result[finished, :-1] = snapshot(task)[finished]
            result[finished, -1] = fell[finished]
            recorded |= finished
        if recorded.all():
            break
    if not recorded.all():
        result[~recorded, :-1] = snapshot(task)[~recorded]
        result[~recorded, -1] = fell[~recorded]
    diverged = task.sim.diverged
    result[diverged] = np.nan
    return result


# ----- perception -----------------------------------------------------------------------
def _unproject(task: BatchedTask, camera: str, depth: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """World points (m, 3) of the masked pixels, from depth and the camera's pose on the robot."""
    rows, cols = np.nonzero(mask)
    cam = task.model.camera(camera).id
    info = CameraInfo(task.camera_intrinsics(camera, *depth.shape), task.sim.numpy("cam_xpos")[0, cam],
                      task.sim.numpy("cam_xmat")[0, cam].reshape(3, 3))
    return unproject(info, np.stack([cols + 0.5, rows + 0.5], axis=1), depth[rows, cols])


def colour_mask(image: np.ndarray, colour: str) -> np.ndarray:
    """Pixels of one of the scene's prop colours (or the white ball), robust to shading."""
    rgb = image.astype(float)
    if colour == "white":
        return (rgb.min(axis=2) > 165) & (np.ptp(rgb, axis=2) < 40)
    brightness = rgb.sum(axis=2) + 1e-6
    chroma = rgb / brightness[..., None]
    target = np.asarray(COLORS[colour][:3], float)
    target = target / target.sum()
    saturated = np.ptp(rgb, axis=2) > 50  # the floor, the robot and the sky are greyish or pale
    return saturated & (np.linalg.norm(chroma - target, axis=2) < 0.08) & (brightness > 60)


def see(task: BatchedTask, colour: str, height_range: tuple[float, float]) -> list[tuple[str, np.ndarray]]:
    """3D points of a colour seen by each camera, with the camera's name; floor reflections dropped."""
    seen = []
    for camera in CAMERAS:
        image = task.render(0, camera, *IMAGE)
        depth = task.render(0, camera, *IMAGE, depth=True)
        mask = colour_mask(image, colour) & (depth < 12.0)
        if mask.sum() < 4:
            continue
        points = _unproject(task, camera, depth, mask)
        keep = (points[:, 2] > height_range[0]) & (points[:, 2] < height_range[1])
        if keep.sum() >= 4:
            seen.append((camera, points[keep]))
    return seen


def best_view(task: BatchedTask, seen: list[tuple[str, np.ndarray]], radius: float) -> np.ndarray | None:
    """Centre of an object from the camera that saw the most of it (and from that camera's viewpoint)."""
    seen = [(camera, points) for camera, points in seen if len(points) >= 4]
    if not seen:
        return None
    camera, points = max(seen, key=lambda item: len(item[1]))
    return fit_centre(points, radius, task.sim.numpy("cam_xpos")[0, task.model.camera(camera).id])


def fit_centre(points: np.ndarray, radius: float, viewpoint: np.ndarray | None = None) -> np.ndarray:
    """Centre (x, y) of an upright round or boxy object of known radius from its visible surface."""
    centre = points[:, :2].mean(axis=0)
    # the visible surface faces the camera: the centre lies about 2/3 of a radius further away
    if viewpoint is not None:
        away = centre - viewpoint[:2]
        centre = centre + 0.66 * radius * away / max(float(np.linalg.norm(away)), 1e-6)
    return centre


# ----- shared pieces --------------------------------------------------------------------
class LeggedObjective(Objective):
    """World model and bookkeeping shared by the Go1 objectives."""

    task_id = ""
    samples = 8

    def __init__(self) -> None:
        self._models: dict[int, BatchedTask] = {}
        self.config = get_task(self.task_id)

    # the world model: one BatchedTask per batch size, built once
    def world(self, n: int) -> BatchedTask:
        if n not in self._models:
            task = BatchedTask(self.config, num_envs=n, nthread=1)
            task.reset()
            self._models[n] = task
        return self._models[n]

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.priors]

    def apply_params(self, task: Any, params: np.ndarray) -> None:
        write_params(task, self.names, params)

    def proprioception(self, task: BatchedTask) -> dict[str, Any]:
        """The robot's own state: base pose and velocity (odometry), joints, its last action."""
        q, v = task.sim.numpy("qpos")[0], task.sim.numpy("qvel")[0]
        qa, va = task.base_qadr, task.base_dadr
        qadr, vadr = task.joint_qadr, task.joint_vadr
        return {"base_qpos": q[qa:qa + 7].copy(), "base_qvel": v[va:va + 6].copy(),
                "joint_qpos": q[qadr].copy(), "joint_qvel": v[vadr].copy(),
                "last_action": task.last_action[0].copy(), "fallen": bool(fallen(task)[0])}

    def start_worlds(self, estimate: dict[str, Any], params: np.ndarray, plans: int) -> BatchedTask:
        """The world model: plans x samples worlds of the same scene, in the estimated state."""
        n = plans * len(params)
        task = self.world(n)
        qpos = np.repeat(task.scene.home_qpos[None], n, axis=0)  # props parked off-stage
        qvel = np.zeros((n, task.model.nv))
        qa, va = task.base_qadr, task.base_dadr
        qpos[:, qa:qa + 7] = estimate["base_qpos"]
        qvel[:, va:va + 6] = estimate["base_qvel"]
        qpos[:, task.joint_qadr] = estimate["joint_qpos"]
        qvel[:, task.joint_vadr] = estimate["joint_qvel"]
        self.place_objects(task, estimate, qpos, qvel)
        task.sim.reset(None, keyframe="home", qpos=qpos, qvel=qvel)
        task.last_action[:] = estimate["last_action"]
        task.previous_action[:] = estimate["last_action"]
        task.steps[:] = 0
        # world (plan i, sample j) is row i * samples + j
        self.apply_params(task, np.tile(params, (plans, 1)))
        return task

    def place_objects(self, task: BatchedTask, estimate: dict[str, Any], qpos: np.ndarray, qvel: np.ndarray) -> None:
        """Put the perceived objects into the imagined worlds' state."""

    def reality_step(self, env: Any, on_step: Callable[[Any], None] | None) -> Callable[[np.ndarray], None]:
        def step(actions: np.ndarray) -> None:
            env.step(actions[0])
            if on_step is not None:
                on_step(env)
        return step


# ----- kick the ball into the goal ------------------------------------------------------
class KickIntoGoal(LeggedObjective):
    """Get the ball across the goal line between the posts, by strikes planned in imagination."""

    name = "kick_into_goal"
    task_id = "embodied/Go1KickBall-v0"
    priors = (
        ParamPrior("actuator_strength", 0.75, 1.2, 1.0),
        ParamPrior("ball_rolling", 0.002, 0.04, 0.01, log=True, unit="m"),
        ParamPrior("ball_mass", 0.15, 1.0, 0.3, log=True, unit="kg"),
    )
    outcome_noise = (0.08, 0.08, 0.08, 0.08, 0.3)  # ball dx, dy; robot dx, dy; fell
    max_cycles = 6
    strikes_per_plan = 3  # what a blind plan needs to take the ball ~3.5 m
    # (aim y on the goal line, speed m/s, seconds) of the push through the ball
    STRIKES = ((-0.3, 0.8, 1.5), (0.0, 0.8, 1.5), (0.3, 0.8, 1.5), (0.0, 0.9, 2.5), (-0.2, 0.9, 3.5),
               (0.2, 0.9, 3.5))
    samples = 6
    STOP_SHORT = 0.25  # m: how far short of the goal line the robot's base stops pushing
    SEARCH_WALK_S, SEARCH_STOP = 6.0, 0.8
    SEARCH_SETTLE_S, SEARCH_YAW_RATE = 0.4, 0.7  # a search starts standing and turns gently  # walk toward a lost ball's predicted place: at most, stop short

    def __init__(self, phrase: str = "kick the ball into the goal") -> None:
        super().__init__()
        self.phrase = phrase
        self.goal = np.asarray(self.config.scene.goal_position, float)
        self._sighting: tuple[float, np.ndarray] | None = None
        self._last_ball: np.ndarray | None = None  # where perception last saw the ball
        self._expected_ball: np.ndarray | None = None  # where imagination said the last plan leaves it
        self._imagined: dict[int, np.ndarray] = {}  # id(plan) -> its imagined final ball (mean)

    def setup(self, env: Any) -> str | None:
        task = env.unwrapped.task
        if task.scene.ball_body is None or not task.config.scene.goal:
            return f"{task.config.id} has no ball and goal; kicking needs embodied/Go1KickBall-v0"
        words = self.phrase.lower()
        if "ball" not in words and "goal" not in words and "kick" not in words:
            return f"{self.phrase!r} asks for something this objective does not do: it kicks the ball into the goal"
        for colour in COLORS:
            if f"{colour} ball" in words and colour != "white":
                return f"there is no {colour} ball in the scene: the only ball is the white soccer ball"
        self._sighting = None
        self._last_ball = None
        self._expected_ball = None
        self._imagined = {}
        return None

    # perception: the white ball from the cameras' pixels; the goal posts (also white) are
    # known field geometry and their pixels are left out by position
    def sight_ball(self, task: BatchedTask) -> np.ndarray | None:
        # the white goal posts are dropped in each camera's view before choosing the camera:
        # a camera full of goal sees no ball, while the other may see it
        seen = [(camera, points[self._clear_of_posts(points)]) for camera, points in see(task, "white", (0.01, 0.25))]
        return best_view(task, seen, BALL_RADIUS)

    def _clear_of_posts(self, points: np.ndarray) -> np.ndarray:
        post = np.min([np.linalg.norm(points[:, :2] - [self.goal[0], self.goal[1] + side * 0.75], axis=1)
                       for side in (-1, 1)], axis=0)
        return post > 0.15

    def look_for_ball(self, env: Any) -> np.ndarray | None:
        """Search for a ball in neither camera's view; where it is when found, or None.

        A strike often sends the ball out of both cameras' view (past the robot's side, or
        behind it after a run through). The search uses the agent's own prediction: where
        imagination said the executed plan would leave the ball (`_expected_ball`, the mean
        over the belief's samples). The robot turns to face that point, looking, then walks
        toward it, looking, and stops 0.8 m short of it; only then does it turn in place,
        looking, for at most one full turn (toward where the ball was last seen, or the
        predicted point). Sightings are from the cameras' pixels only.
        """
        task = env.unwrapped.task
        walker = Walker(task)
        step = self.reality_step(env, None)

        def sighted(index: int) -> np.ndarray | None:
            if index % LOOK_EVERY != LOOK_EVERY - 1 or self.sight_ball(task) is None:
                return None
            for _ in range(int(LOOK_SETTLE_S / task.dt)):  # stand still for a sharp sighting
                step(walker.act(np.zeros((1, 3))))
            return self.sight_ball(task)

        def bearing_to(point: np.ndarray) -> float:
            offset = point - task.base_pos[0, :2]
            return float(_wrap(np.arctan2(offset[1], offset[0]) - base_yaw(task)[0]))

        for _ in range(int(self.SEARCH_SETTLE_S / task.dt)):  # steady after a strike before turning
            step(walker.act(np.zeros((1, 3))))
        rate = self.SEARCH_YAW_RATE
        expected = self._expected_ball
        if expected is not None:
            # face the predicted point, then walk toward it, looking all the way
            limit = int((np.pi / rate + self.SEARCH_WALK_S) / task.dt)
            for index in range(limit):
                bearing = bearing_to(expected)
                distance = float(np.linalg.norm(expected - task.base_pos[0, :2]))
                if distance < self.SEARCH_STOP and abs(bearing) < 0.2:
                    break
                forward = 0.5 if abs(bearing) < 0.3 and distance >= self.SEARCH_STOP else 0.0
                command = np.array([[forward, 0.0, np.clip(2.0 * bearing, -rate, rate)]])
                step(walker.act(command))
                if fallen(task)[0]:
                    return None
                found = sighted(index)
                if found is not None:
                    return found
        direction = 1.0
        reference = self._last_ball if self._last_ball is not None else expected
        if reference is not None:
            direction = 1.0 if bearing_to(reference) >= 0 else -1.0
        turn = np.array([[0.0, 0.0, direction * rate]])
        for index in range(int(2 * np.pi / rate / task.dt)):
            step(walker.act(turn))
            if fallen(task)[0]:
                return None
            found = sighted(index)
            if found is not None:
                return found
        return None

    def perceive(self, env: Any) -> dict[str, Any]:
        task = env.unwrapped.task
        estimate = self.proprioception(task)
        ball = self.sight_ball(task)
        if ball is None and not estimate["fallen"]:
            ball = self.look_for_ball(env)
            estimate = {**self.proprioception(task), "looked": True}
        if ball is not None:
            self._last_ball = ball
        now = float(task.sim.numpy("time")[0])
        velocity = np.zeros(2)
        if ball is not None and self._sighting is not None and 0.0 < now - self._sighting[0] < 0.3:
            velocity = (ball - self._sighting[1]) / (now - self._sighting[0])
            velocity = np.where(np.linalg.norm(velocity) < 0.05, 0.0, velocity)  # pixel noise, not motion
        estimate.update({"ball": ball, "ball_vel": velocity, "time": now})
        return estimate

    def status(self, estimate: dict[str, Any]) -> Status:
        ball = estimate["ball"]
        if estimate["fallen"]:
            return Status("impossible", "the robot has fallen")
        if ball is None:
            return Status("impossible", "the ball is not in view of either camera")
        if ball[0] > self.goal[0] + 0.05 and abs(ball[1] - self.goal[1]) < GOAL_HALF_WIDTH:
            return Status("success", "the ball is in the goal")
        if ball[0] > self.goal[0] + 0.05:
            return Status("impossible", "the ball went past the goal line outside the posts")
        return Status("running")

    def place_objects(self, task: BatchedTask, estimate: dict[str, Any], qpos: np.ndarray, qvel: np.ndarray) -> None:
        address = task.scene.ball_qpos
        dof = task.model.jnt_dofadr[task.model.body_jntadr[task.scene.ball_body]]
        qpos[:, address:address + 3] = [*estimate["ball"], BALL_RADIUS]
        qpos[:, address + 3:address + 7] = [1.0, 0.0, 0.0, 0.0]
        velocity = np.r_[estimate["ball_vel"], 0.0]
        qvel[:, dof:dof + 3] = velocity
        qvel[:, dof + 3:dof + 6] = np.cross([0.0, 0.0, 1.0], velocity) / BALL_RADIUS  # rolling

    def candidates(self, estimate: dict[str, Any], rng: np.random.Generator) -> list[Plan]:
        ball = np.asarray(estimate["ball"], float)
        self._imagined = {}
        stop_x = float(self.goal[0] - self.STOP_SHORT)  # the robot stops short of the line and the posts
        plans = []
        for aim_y, speed, push in self.STRIKES:
            aim = [float(self.goal[0] + 0.5), float(self.goal[1] + aim_y)]  # beyond the line, through it
            first = {"skill": "strike", "ball": [round(float(v), 3) for v in ball], "aim": aim,
                     "speed": speed, "push": push, "stop_x": stop_x}
            # later strikes start where imagination will leave the ball (filled in by `imagine`)
            rest = [{"skill": "strike", "ball": None, "aim": [float(self.goal[0] + 0.5), float(self.goal[1])],
                     "speed": 0.9, "push": 2.0, "stop_x": stop_x} for _ in range(self.strikes_per_plan - 1)]
            plans.append(Plan([first, *rest], f"strike toward y={aim_y:+.2f} at {speed} m/s for {push} s"))
        return plans

    @staticmethod
    def _snapshot(task: BatchedTask) -> np.ndarray:
        return np.concatenate([task.ball_pos[:, :2], task.base_pos[:, :2]], axis=1)

    def imagine(self, estimate: dict[str, Any], plans: list[Plan], params: np.ndarray,
                rng: np.random.Generator, first_step_only: bool = True) -> np.ndarray:
        params = np.asarray(params, float)
        samples = len(params)
        task = self.start_worlds(estimate, params, len(plans))
        start = np.r_[estimate["ball"], estimate["base_qpos"][:2]]
        strikes = 1 if first_step_only else min(len(p.steps) for p in plans)
        final, fell = None, np.zeros(len(plans) * samples)
        for index in range(strikes):
            steps = []
            for i, plan in enumerate(plans):
                step = dict(plan.steps[index])
                if step["ball"] is None:  # a blind strike: where this plan's imagination left the ball
                    guess = np.nanmean(final[i * samples:(i + 1) * samples, :2], axis=0)
                    plan.steps[index]["ball"] = step["ball"] = [round(float(v), 3) for v in guess]
                steps.extend([step] * samples)
            final = drive(task, StrikeController(task, steps), task.step, self._snapshot)
            fell = np.maximum(fell, final[:, -1])
        for i, plan in enumerate(plans):
            rows = final[i * samples:(i + 1) * samples, :2]
            if np.isfinite(rows).any():
                self._imagined[id(plan)] = np.nanmean(rows, axis=0)
        outcome = final.copy()
        outcome[:, :4] -= start
        outcome[:, -1] = fell
        return outcome.reshape(len(plans), samples, -1)

    def score(self, estimate: dict[str, Any], outcomes: np.ndarray) -> np.ndarray:
        ball = np.asarray(estimate["ball"], float) + outcomes[..., :2]
        # distance still to go to the goal mouth, and how far outside the posts the ball is
        short = np.maximum(self.goal[0] - ball[..., 0], 0.0)
        wide = np.maximum(np.abs(ball[..., 1] - self.goal[1]) - 0.45, 0.0)
        scored = (ball[..., 0] > self.goal[0]) & (np.abs(ball[..., 1] - self.goal[1]) < GOAL_HALF_WIDTH)
        return 3.0 * scored - short - 3.0 * wide - 3.0 * outcomes[..., -1]

    def execute(self, env: Any, plan: Plan, on_step: Callable[[Any], None] | None,
                first_step_only: bool = True) -> dict[str, Any]:
        task = env.unwrapped.task
        reports = []
        self._expected_ball = self._imagined.get(id(plan))
        step_fn = self.reality_step(env, on_step)
        for step in plan.steps[:1] if first_step_only else plan.steps:
            controller = StrikeController(task, [step])

            def stepped(actions: np.ndarray, strike: StrikeController = controller) -> None:
                step_fn(actions)
                # a sighting 0.1 s before the strike ends: with the next one, the ball's velocity
                if strike.phase[0] == 2 and strike.settle_steps - strike.timer[0] == 5:
                    ball = self.sight_ball(task)
                    if ball is not None:
                        self._sighting = (float(task.sim.numpy("time")[0]), ball)

            result = drive(task, controller, stepped, self._snapshot)[0]
            reports.append({"strike": step, "fell": bool(result[-1])})
            if result[-1]:
                break
        return {"strikes": reports}

    def observe_outcome(self, before: dict[str, Any], after: dict[str, Any]) -> np.ndarray:
        ball_before = before["ball"]
        ball_after = after["ball"] if after["ball"] is not None else np.full(2, np.nan)
        return np.r_[ball_after - ball_before, after["base_qpos"][:2] - before["base_qpos"][:2],
                     float(after["fallen"])]

    def judge(self, env: Any) -> bool:
        task = env.unwrapped.task
        ball = task.ball_pos[0]
        return bool(ball[0] > self.goal[0] and abs(ball[1] - self.goal[1]) < GOAL_HALF_WIDTH)


# ----- walk to a prop -------------------------------------------------------------------
class WalkToProp(LeggedObjective):
    """Walk to a prop named by colour and shape, and stop standing beside it (0.25-0.6 m)."""

    name = "walk_to_prop"
    task_id = "embodied/Go1Fetch-v0"
    priors = (
        ParamPrior("actuator_strength", 0.5, 1.2, 1.0),
        ParamPrior("floor_friction", 0.3, 1.2, 0.8, log=True),
    )
    outcome_noise = (0.05, 0.05, 0.08, 0.3)  # robot dx, dy (m), yaw change (rad), fell
    max_cycles = 4
    STOP = 0.42  # where to stop: base centre to prop centre (m)
    NEAR, FAR = 0.25, 0.6
    SPEED = 0.7
    SEARCH_TURN = -1.0  # rad: a look to the right when the prop is nowhere in view (setup)
    MAX_SEARCH = 6

    def __init__(self, phrase: str = "the red ball") -> None:
        super().__init__()
        self.phrase = phrase
        self.colour: str | None = None
        self.shape: str | None = None

    def setup(self, env: Any) -> str | None:
        task = env.unwrapped.task
        words = self.phrase.lower().replace("sphere", "ball").replace("box", "cube").split()
        colours = [w for w in words if w in COLORS]
        shapes = [w for w in words if w in SHAPES]
        present = [f"{p.color} {p.shape}" for p in (task.layouts[0].props if task.layouts[0] else [])]
        if not present:
            return f"{task.config.id} has no props on the floor; walking to a prop needs embodied/Go1Fetch-v0"
        if not colours or not shapes:
            return (f"{self.phrase!r} does not name a prop by colour and shape (e.g. 'the red ball'); "
                    f"the scene has: {', '.join(present)}")
        name = f"{colours[0]} {shapes[0]}"
        if name not in present:
            return f"there is no {name} in the scene; it has: {', '.join(present)}"
        self.colour, self.shape = colours[0], shapes[0]
        # look around before the first plan, the same in every mode: turn right until the prop
        # is in view of a camera (a look-around is perception, not part of the plan judged)
        for _ in range(self.MAX_SEARCH):
            if self.perceive(env)["prop"] is not None:
                return None
            step = {"skill": "segment", "turn": self.SEARCH_TURN, "walk": 0.0, "speed": 0.0}
            drive(task, SegmentController(task, [step]), self.reality_step(env, None), self._snapshot)
            if bool(fallen(task)[0]):
                return "the robot fell while looking around for the prop"
        return f"the {name} is nowhere in view after a full turn"

    def perceive(self, env: Any) -> dict[str, Any]:
        task = env.unwrapped.task
        estimate = self.proprioception(task)
        size = next(p.size for p in task.scene.config.props if p.color == self.colour and p.shape == self.shape)
        prop = best_view(task, see(task, self.colour, (0.01, 2.5 * size + 0.05)), size)
        estimate.update({"prop": prop, "prop_size": size})
        return estimate

    def _distance(self, estimate: dict[str, Any]) -> float:
        return float(np.linalg.norm(estimate["prop"] - estimate["base_qpos"][:2]))

    def status(self, estimate: dict[str, Any]) -> Status:
        if estimate["fallen"]:
            return Status("impossible", "the robot has fallen")
        if estimate["prop"] is None:
            return Status("impossible", f"the {self.colour} {self.shape} went out of view")
        distance = self._distance(estimate)
        if self.NEAR + 0.08 <= distance <= self.FAR - 0.1:  # margins for the camera's error up close
            return Status("success", f"standing {distance:.2f} m from the {self.colour} {self.shape}")
        return Status("running")

    def candidates(self, estimate: dict[str, Any], rng: np.random.Generator) -> list[Plan]:
        offset = estimate["prop"] - estimate["base_qpos"][:2]
        distance = float(np.linalg.norm(offset))
        yaw = float(terms.yaw_of(estimate["base_qpos"][None, 3:7])[0])
        bearing = float(_wrap(math.atan2(offset[1], offset[0]) - yaw))
        speed = self.SPEED
        if distance < 0.9 and abs(bearing) > math.radians(100):  # just past it: back up rather than turn round
            bearing, speed = float(_wrap(bearing + math.pi)), -0.3
        to_go = distance - self.STOP
        if to_go < 0 and speed > 0:  # too close, facing it: back away
            speed = -0.3
        plans = []
        for turn_factor, walk_factor in ((1.0, 0.8), (1.0, 1.0), (1.0, 1.25), (1.0, 1.6), (0.8, 1.0), (1.2, 1.0)):
            walk = abs(to_go) / abs(speed) * walk_factor
            step = {"skill": "segment", "turn": round(bearing * turn_factor, 3), "walk": round(walk, 3),
                    "speed": speed}
            plans.append(Plan([step], f"turn {math.degrees(bearing * turn_factor):.0f} deg, walk {walk:.1f} s "
                                      f"at {speed} m/s"))
        return plans

    @staticmethod
    def _snapshot(task: BatchedTask) -> np.ndarray:
        return np.concatenate([task.base_pos[:, :2], base_yaw(task)[:, None]], axis=1)

    def imagine(self, estimate: dict[str, Any], plans: list[Plan], params: np.ndarray,
                rng: np.random.Generator, first_step_only: bool = True) -> np.ndarray:
        params = np.asarray(params, float)
        samples = len(params)
        task = self.start_worlds(estimate, params, len(plans))
        start = np.r_[estimate["base_qpos"][:2], terms.yaw_of(estimate["base_qpos"][None, 3:7])]
        steps = [plan.steps[0] for plan in plans for _ in range(samples)]
        final = drive(task, SegmentController(task, steps), task.step, self._snapshot)
        final[:, :3] -= start
        final[:, 2] = _wrap(final[:, 2])
        return final.reshape(len(plans), samples, -1)

    def score(self, estimate: dict[str, Any], outcomes: np.ndarray) -> np.ndarray:
        final = estimate["base_qpos"][:2] + outcomes[..., :2]
        distance = np.linalg.norm(final - estimate["prop"], axis=-1)
        inside = (distance >= self.NEAR + 0.03) & (distance <= self.FAR - 0.05)
        return 1.0 * inside - np.abs(distance - self.STOP) - 3.0 * outcomes[..., -1]

    def execute(self, env: Any, plan: Plan, on_step: Callable[[Any], None] | None,
                first_step_only: bool = True) -> dict[str, Any]:
        task = env.unwrapped.task
        result = drive(task, SegmentController(task, plan.steps[:1]), self.reality_step(env, on_step),
                       self._snapshot)[0]
        return {"segment": plan.steps[0], "fell": bool(result[-1])}

    def observe_outcome(self, before: dict[str, Any], after: dict[str, Any]) -> np.ndarray:
        yaw = terms.yaw_of(np.stack([before["base_qpos"][3:7], after["base_qpos"][3:7]]))
        return np.r_[after["base_qpos"][:2] - before["base_qpos"][:2], _wrap(yaw[1] - yaw[0]),
                     float(after["fallen"])]

    def judge(self, env: Any) -> bool:
        task = env.unwrapped.task
        if self.colour is None or bool(fallen(task)[0]):
            return False
        layout = task.layouts[0]
        slot = next(p.slot for p in layout.props if p.color == self.colour and p.shape == self.shape)
        distance = float(np.linalg.norm(task.prop_pos[0, slot, :2] - task.base_pos[0, :2]))
        return self.NEAR <= distance <= self.FAR


OBJECTIVES = {"kick_into_goal": ("embodied/Go1KickBall-v0", KickIntoGoal),
              "walk_to_prop": ("embodied/Go1Fetch-v0", WalkToProp)}


def walk_to_prop_factory(env: gym.Env, seed: int) -> WalkToProp:
    """For evaluation: a WalkToProp naming a prop of the reset scene, chosen by the seed."""
    props = env.unwrapped.task.layouts[0].props
    prop = props[int(np.random.default_rng([seed, 31]).integers(len(props)))]
    return WalkToProp(f"the {prop.color} {prop.shape}")
