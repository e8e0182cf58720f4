"""Observation, reward and termination terms: small functions over batched arrays.

Each term takes the running `BatchedTask` (arrays shaped (num_envs, ...)) and keyword
parameters from the task file, and returns (num_envs, k) floats for observations,
(num_envs,) floats for rewards, or (num_envs,) bools for terminations. Terms are written
once and serve one env or thousands alike, on the host or on the simulator's GPU: they take
their array functions from `task.xp` (NumPy, or torch under the same array-API names; see
`embodied.sim.arrays`). Task files name them; `TERMS` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from embodied.sim.arrays import copy, namespace

if TYPE_CHECKING:
    from embodied.tasks.task import BatchedTask

Term = Callable[..., Any]
OBSERVATIONS: dict[str, Term] = {}
REWARDS: dict[str, Term] = {}
TERMINATIONS: dict[str, Term] = {}


def _register(table: dict[str, Term]) -> Callable[[Term], Term]:
    def decorator(function: Term) -> Term:
        table[function.__name__] = function
        return function

    return decorator


observation = _register(OBSERVATIONS)
reward = _register(REWARDS)
termination = _register(TERMINATIONS)


def _xp(array: Any) -> Any:
    return np if isinstance(array, np.ndarray) else namespace("torch")


def cross(a: Any, b: Any) -> Any:
    """Cross products of (..., 3) vectors: np.cross's arithmetic, bit for bit, without the
    axis juggling that makes np.cross several times slower on thousands of rows."""
    if not isinstance(a, np.ndarray):  # torch: one kernel, where the columns would be nine
        return namespace("torch").linalg.cross(a, b, axis=-1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def quat_rotate_inverse(quat: Any, vectors: Any) -> Any:
    """Rotate world-frame vectors (N, 3) into the frames of unit quaternions (N, 4) wxyz.

    v - w t + q_xyz x t with t = 2 q_xyz x v, computed component by component on contiguous
    copies: the rows of a live field (one body's quaternion among all bodies') lie far apart in
    memory, and some thirty passes over such strided columns cost three times the arithmetic.
    """
    if not isinstance(quat, np.ndarray):  # torch: whole-array kernels (few launches) over strided rows
        axis, t = quat[:, 1:], 2.0 * cross(quat[:, 1:], vectors)
        return vectors - quat[:, :1] * t + cross(axis, t)
    w, x, y, z = np.ascontiguousarray(quat.T)
    vx, vy, vz = np.ascontiguousarray(vectors.T)
    tx, ty, tz = 2.0 * (y * vz - z * vy), 2.0 * (z * vx - x * vz), 2.0 * (x * vy - y * vx)
    return np.stack([vx - w * tx + (y * tz - z * ty),
                     vy - w * ty + (z * tx - x * tz),
                     vz - w * tz + (x * ty - y * tx)], axis=1)


def yaw_of(quat: Any) -> Any:
    w, x, y, z = quat.T
    return _xp(quat).atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z))


# ----- observations -----------------------------------------------------------------
@observation
def joint_pos(task: BatchedTask) -> Any:
    """Actuated joint angles relative to the home pose."""
    return task.joint_qpos - task.home_joint_qpos


@observation
def joint_vel(task: BatchedTask) -> Any:
    return task.joint_qvel


@observation
def last_action(task: BatchedTask) -> Any:
    return task.last_action


@observation
def ee_pos(task: BatchedTask) -> Any:
    """End-effector position relative to the robot's base."""
    return task.ee_pos - task.base_pos


@observation
def gripper(task: BatchedTask) -> Any:
    """Gripper command, 0 open .. 1 closed."""
    return task.gripper_closed[:, None]


@observation
def target_rel(task: BatchedTask) -> Any:
    """The target prop's position relative to the end effector."""
    return task.target_pos - task.ee_pos


@observation
def target_to_goal(task: BatchedTask) -> Any:
    """From the target prop to where it should go."""
    return task.goal_pos - task.target_pos


@observation
def goal_kind(task: BatchedTask) -> Any:
    """One-hot of the language goal's kind (reach, pick, push, place)."""
    return task.xp.eye(len(task.GOAL_KINDS), dtype=task.xp.float64, device=task.array_device)[task.goal_kind]


@observation
def base_lin_vel(task: BatchedTask) -> Any:
    """Base linear velocity in the base frame."""
    return task.base_lin_vel


@observation
def base_ang_vel(task: BatchedTask) -> Any:
    """Base angular velocity in the base frame (free joints report it so)."""
    return task.base_ang_vel


@observation
def projected_gravity(task: BatchedTask) -> Any:
    """Gravity direction seen from the base: (0, 0, -1) when upright."""
    return task.projected_gravity


@observation
def base_height(task: BatchedTask) -> Any:
    return task.base_pos[:, 2:3]


@observation
def command(task: BatchedTask) -> Any:
    """Commanded (vx, vy, yaw rate) in the base frame."""
    return task.command


@observation
def gait_phase(task: BatchedTask) -> Any:
    """(cos, sin) of the left and then the right foot's gait phase (see `BatchedTask.gait_phase`)."""
    xp, phase = task.xp, task.gait_phase
    cos, sin = xp.cos(phase), xp.sin(phase)
    return xp.stack([cos[:, 0], sin[:, 0], cos[:, 1], sin[:, 1]], axis=1)


@observation
def ball_rel(task: BatchedTask) -> Any:
    """Ball position relative to the base, in the base frame."""
    return quat_rotate_inverse(task.base_quat, task.ball_pos - task.base_pos)


@observation
def ball_to_goal(task: BatchedTask) -> Any:
    """From the ball to the goal, in the base frame."""
    return quat_rotate_inverse(task.base_quat, task.goal_pos - task.ball_pos)


# ----- rewards ----------------------------------------------------------------------
@reward
def alive(task: BatchedTask) -> Any:
    return task.xp.ones(task.num_envs, dtype=task.xp.float64, device=task.array_device)


@reward
def reach_distance(task: BatchedTask) -> Any:
    return task.xp.linalg.vector_norm(task.target_pos - task.ee_pos, axis=1)


@reward
def reach_tanh(task: BatchedTask, scale: float = 0.1) -> Any:
    """1 at the target, falling smoothly with distance."""
    xp = task.xp
    return 1.0 - xp.tanh(xp.linalg.vector_norm(task.target_pos - task.ee_pos, axis=1) / scale)


@reward
def lift(task: BatchedTask, height: float = 0.1) -> Any:
    """How far the target prop is lifted above its resting height, up to `height`."""
    return task.xp.clip(task.target_pos[:, 2] - task.target_rest_z, 0.0, height) / height


@reward
def target_to_goal_tanh(task: BatchedTask, scale: float = 0.1) -> Any:
    xp = task.xp
    return 1.0 - xp.tanh(xp.linalg.vector_norm(task.goal_pos - task.target_pos, axis=1) / scale)


@reward
def goal_progress(task: BatchedTask) -> Any:
    """The language goal's progress in [0, 1], whatever its kind."""
    return task.goal_progress()


@reward
def success(task: BatchedTask) -> Any:
    return task.xp.astype(task.success, task.xp.float64)


@reward
def action_rate(task: BatchedTask) -> Any:
    xp = task.xp
    return xp.sum(xp.square(task.last_action - task.previous_action), axis=1)


@reward
def joint_velocity(task: BatchedTask) -> Any:
    return task.xp.sum(task.xp.square(task.joint_qvel), axis=1)


@reward
def torques(task: BatchedTask) -> Any:
    return task.xp.sum(task.xp.square(task.field("actuator_force")), axis=1)


@reward
def track_lin_vel(task: BatchedTask, sigma: float = 0.25) -> Any:
    xp, velocity = task.xp, task.base_lin_vel[:, :2]
    error = xp.sum(xp.square(velocity - task.command[:, :2]), axis=1)
    return xp.exp(-error / sigma)


@reward
def track_yaw_rate(task: BatchedTask, sigma: float = 0.25) -> Any:
    return task.xp.exp(-task.xp.square(task.base_ang_vel[:, 2] - task.command[:, 2]) / sigma)


@reward
def lin_vel_z(task: BatchedTask) -> Any:
    return task.xp.square(task.base_lin_vel_world[:, 2])


@reward
def ang_vel_xy(task: BatchedTask) -> Any:
    return task.xp.sum(task.xp.square(task.base_ang_vel[:, :2]), axis=1)


@reward
def tilt(task: BatchedTask) -> Any:
    """Squared horizontal part of gravity seen from the base: 0 when upright."""
    return task.xp.sum(task.xp.square(task.projected_gravity[:, :2]), axis=1)


@reward
def upright(task: BatchedTask) -> Any:
    """1 upright, 0 on its side, -1 upside down."""
    return -task.projected_gravity[:, 2]


@reward
def height_tracking(task: BatchedTask, sigma: float = 0.05) -> Any:
    target = task.scene.robot.home_base_height
    return task.xp.exp(-task.xp.square(task.base_pos[:, 2] - target) / sigma**2)


@reward
def pose_deviation(task: BatchedTask) -> Any:
    return task.xp.sum(task.xp.square(task.joint_qpos - task.home_joint_qpos), axis=1)


@reward
def height_progress(task: BatchedTask) -> Any:
    """Base height as a share of the standing height, capped at 1: a gradient all the way
    up from the ground, where a narrow bell around the standing height gives none."""
    return task.xp.clip(task.base_pos[:, 2] / task.scene.robot.home_base_height, 0.0, 1.0)


@reward
def posture_when_up(task: BatchedTask, min_upright: float = 0.9, min_height: float = 0.8) -> Any:
    """Closeness to the home pose, paid only once the base is upright and high: rolling
    over from the back needs legs far from home, which an ungated posture term punishes."""
    up = (upright(task) > min_upright) & (task.base_pos[:, 2] > min_height * task.scene.robot.home_base_height)
    return up * task.xp.exp(-0.5 * pose_deviation(task))


def _joint_weights(task: BatchedTask, joints: dict[str, float]) -> Any:
    """Per-actuated-joint weights from {name pattern: weight} (the first matching pattern wins)."""
    key = ("joint_weights", tuple(joints.items()))
    if key not in task.cache:
        import fnmatch

        names = [task.model.joint(int(j)).name for j in task.joint_ids]
        weights = np.zeros(len(names))
        for pattern, weight in reversed(list(joints.items())):
            matched = [i for i, name in enumerate(names) if fnmatch.fnmatchcase(name, pattern)]
            if not matched:
                from embodied.errors import UnknownNameError

                raise UnknownNameError("joint (reward joint_deviation)", pattern, names)
            weights[matched] = weight
        task.cache[key] = task.to_array(weights)
    return task.cache[key]


@reward
def joint_deviation(task: BatchedTask, joints: dict[str, float] | None = None) -> Any:
    """Weighted squared distance of the joints from the home pose; `joints` maps name patterns to
    weights (unlisted joints weigh 0; no mapping weighs all 1)."""
    deviation = task.xp.square(task.joint_qpos - task.home_joint_qpos)
    if joints is None:
        return task.xp.sum(deviation, axis=1)
    return deviation @ _joint_weights(task, joints)


def swing_height(phase: Any, height: float) -> Any:
    """The foot lift a phase asks for: up and down as sin^2 over the swing half [0, pi), with no
    vertical speed at lift-off and touch-down; on the floor over the stance half [pi, 2 pi)."""
    xp = _xp(phase)
    return xp.where(phase < np.pi, height * xp.square(xp.sin(phase)), 0.0)


@reward
def feet_phase(task: BatchedTask, sigma: float = 0.01) -> Any:
    """1 when each foot's lift follows the gait clock's swing profile (task `gait:`), falling off
    with the squared error; an env told to stand is asked to keep both feet down."""
    target = swing_height(task.gait_phase, task.config.gait.get("swing_height", 0.08))
    xp = task.xp
    return xp.exp(-xp.sum(xp.square(task.feet_lift - target), axis=1) / sigma)


def feet_velocity(task: BatchedTask) -> Any:
    """(num_envs, n_feet, 3) world-frame linear velocity of each foot body's origin."""
    cvel = task.field("cvel")[:, task.constant(task.feet_bodies)]  # [angular, linear] at the tree's centre of mass
    if "feet_roots" not in task.cache:
        task.cache["feet_roots"] = task.to_array(task.model.body_rootid[task.feet_bodies])
    offset = task.feet_pos - task.field("subtree_com")[:, task.cache["feet_roots"]]
    return cvel[:, :, 3:] + cross(cvel[:, :, :3], offset)


@reward
def feet_air_time(task: BatchedTask, min_s: float = 0.2, max_s: float = 0.5) -> Any:
    """At each touch-down, the time the foot was in the air beyond `min_s` (negative for a
    shorter hop), capped at `max_s`; paid only to envs told to move, so stepping pays."""
    xp = task.xp
    air = xp.clip(task.feet_air_time - min_s, None, max_s - min_s) * task.feet_touchdown
    return xp.sum(air, axis=1) * task.walking


@reward
def feet_slip(task: BatchedTask, contact_height: float = 0.01) -> Any:
    """Horizontal speed of the feet that touch the floor (lift under `contact_height`), summed."""
    touching = task.feet_lift < contact_height
    xp = task.xp
    return xp.sum(xp.linalg.vector_norm(feet_velocity(task)[:, :, :2], axis=2) * touching, axis=1)


@reward
def feet_too_close(task: BatchedTask, min_distance: float = 0.2) -> Any:
    """How far the first two feet are inside `min_distance` of each other sideways (base heading)."""
    xp, yaw = task.xp, yaw_of(task.base_quat)
    between = task.feet_pos[:, 0, :2] - task.feet_pos[:, 1, :2]
    sideways = xp.abs(-xp.sin(yaw) * between[:, 0] + xp.cos(yaw) * between[:, 1])
    return xp.clip(min_distance - sideways, 0.0, 0.1)


@reward
def ball_velocity_to_goal(task: BatchedTask) -> Any:
    xp = task.xp
    direction = task.goal_pos[:, :2] - task.ball_pos[:, :2]
    direction = direction / (xp.linalg.vector_norm(direction, axis=1, keepdims=True) + 1e-9)
    return xp.sum(task.ball_vel[:, :2] * direction, axis=1)


@reward
def approach_ball(task: BatchedTask, scale: float = 1.0) -> Any:
    xp = task.xp
    return xp.exp(-xp.linalg.vector_norm(task.ball_pos[:, :2] - task.base_pos[:, :2], axis=1) / scale)


# ----- terminations -----------------------------------------------------------------
@termination
def fallen(task: BatchedTask, min_height: float = 0.15, max_tilt_deg: float = 60.0) -> Any:
    """Base too low or tilted too far."""
    cos_tilt = -task.projected_gravity[:, 2]
    return (task.base_pos[:, 2] < min_height) | (cos_tilt < float(np.cos(np.deg2rad(max_tilt_deg))))


@termination
def target_off_table(task: BatchedTask, margin: float = 0.1) -> Any:
    return task.target_pos[:, 2] < task.scene.table_top - margin


@termination
def ball_in_goal(task: BatchedTask) -> Any:
    return copy(task.success)


@termination
def succeeded(task: BatchedTask) -> Any:
    return copy(task.success)


TERMS: dict[str, dict[str, Term]] = {
    "observations": OBSERVATIONS, "rewards": REWARDS, "terminations": TERMINATIONS,
}


def describe(term: Term) -> str:
    return (term.__doc__ or "").strip().splitlines()[0] if term.__doc__ else ""


def call(term: Term, task: BatchedTask, params: dict[str, Any]) -> Any:
    return term(task, **params)
