"""Arm skills (Panda, UR5e + Robotiq 2F-85): reach, pick, place, push, grippers, home.

Every skill runs closed loop on the env: each control step (20 Hz) mink solves a few
differential-IK iterations for the end-effector site "ee" (position, gripper pointing
down, a yaw), with a posture task toward the home pose, joint limits and a collision
avoidance limit between the hand/finger geoms and the table, and the resulting joint
angles are sent as the absolute action. An outer integral on the measured end-effector
position removes the position servos' steady-state error (gravity sag), so targets are
met to a few millimetres. Motions follow straight lines at a bounded speed and go over
the props at a safe height when travelling low.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mink
import mujoco
import numpy as np

from embodied.skills.base import Param, Skill, SkillParamError, SkillResult, StepCallback, register_skill

ARM = ("arm",)
IK_SOLVER = "daqp"
SAFE_HEIGHT = 0.15  # above the table top: travel height over the props (m)
MIN_EE_HEIGHT = 0.012  # lowest end-effector target above the table top (m)
MAX_EE_HEIGHT = 0.55  # highest (m)
REACH_CLAMP = 0.015  # reach lifts targets up to this far below MIN_EE_HEIGHT instead of refusing them (m)
REACH_MARGIN = 0.05  # radial slack around the reach ring of robots.yaml (m)
ANGLE_MARGIN_DEG = 15.0
SPEED = 0.25  # Cartesian speed of the end-effector target (m/s)
SLOW_SPEED = 0.1  # speed near props (descend, push)
CARRY_SPEED = 0.12  # speed while holding a prop
PUSH_STROKES = 3  # pushes toward the goal before push gives up


GRIPS = ("auto", "gentle", "firm")


@dataclass(frozen=True)
class GripperGeometry:
    """Where the fingers hold a prop, relative to the "ee" site (metres along world z)."""

    grasp_z: float  # ee height above the prop's centre when grasping
    tip_depth: float  # how far the fingertips reach below the ee
    pad_z: float  # height of the finger pads' centre above the ee
    gap: tuple[tuple[float, float], ...]  # (control, gap between the finger pads in m), measured
    squeeze_centres: bool = True  # closing fully centres a prop on the table (else: close to just wider)
    # a firm grip's force, as a multiple of the actuator's own: a round prop touches each finger at
    # one point and slides out of a weak grip, and a heavy one slides out of it too (a real Franka
    # Hand grasps with a set force)
    firm_grip: float = 1.0

    def grip_force(self, grip: str, shape: str) -> float:
        """The closing servo's gain scale for a `grip` (one of GRIPS) on a prop of `shape`."""
        if grip not in GRIPS:
            raise SkillParamError(f"grip {grip!r} is not one of {', '.join(GRIPS)}")
        firm = grip == "firm" or (grip == "auto" and shape == "ball")
        return self.firm_grip if firm else 1.0

    def grasp_height(self, shape: str) -> float:
        """ee height above the prop's centre for grasping it: a cylinder is held with the pads
        above its centre of mass (held below it, it is top-heavy and pivots out of the grasp)."""
        return max(self.grasp_z, 0.004 - self.pad_z) if shape == "cylinder" else self.grasp_z

    def ctrl_for_gap(self, gap: float) -> float:
        """The gripper control that leaves `gap` metres between the fingers."""
        ctrls, gaps = zip(*sorted(self.gap, key=lambda pair: pair[1]), strict=True)
        return float(np.interp(gap, gaps, ctrls))


GRIPPERS = {
    "franka_emika_panda": GripperGeometry(grasp_z=-0.006, tip_depth=0.011, pad_z=0.0, gap=((0.0, 0.0), (255.0, 0.08)),
                                          firm_grip=5.0),
    "universal_robots_ur5e": GripperGeometry(
        grasp_z=-0.005, tip_depth=0.006, pad_z=0.0145, squeeze_centres=False,  # its fingers pop a squeezed ball up
        gap=((0.0, 0.090), (60.0, 0.072), (100.0, 0.060), (140.0, 0.046), (180.0, 0.032), (200.0, 0.024),
             (255.0, 0.007))),
}
RELEASE_GAP = 0.012  # the fingers first open this much wider than the prop they let go of (m)
DIRECTIONS = {"left": (0.0, 1.0), "right": (0.0, -1.0), "forward": (1.0, 0.0), "back": (-1.0, 0.0)}


def _rot_down(yaw: float) -> np.ndarray:
    """Rotation of an end effector pointing down (z to -z world), turned by `yaw` about z."""
    c, s = math.cos(yaw), math.sin(yaw)
    return np.array([[c, s, 0.0], [s, -c, 0.0], [0.0, 0.0, -1.0]])


def _yaw_of(rotation: np.ndarray) -> float:
    return math.atan2(rotation[1, 0], rotation[0, 0])


def _wrap(angle: float) -> float:
    return (angle + math.pi) % (2 * math.pi) - math.pi


def straight_path(start: np.ndarray, goal: np.ndarray) -> tuple[Callable[[float], np.ndarray], float]:
    """A move from `start` to `goal` along a line: (the point at fraction s of the way, the move's length)."""
    return (lambda s: start + s * (goal - start)), float(np.linalg.norm(goal - start))


def arc_path(base: np.ndarray, start: np.ndarray, goal: np.ndarray) -> tuple[Callable[[float], np.ndarray], float] | None:
    """A move from `start` to `goal` swung around the robot's base, which keeps long moves away
    from it: (the point at fraction s of the way, the move's length). Radius, bearing and height
    change evenly. None when an end lies within 5 cm of the base, where the bearing is undefined.
    """
    rel0, rel1 = start[:2] - base[:2], goal[:2] - base[:2]
    r0, r1 = float(np.hypot(*rel0)), float(np.hypot(*rel1))
    if min(r0, r1) <= 0.05:
        return None
    a0, a1 = math.atan2(rel0[1], rel0[0]), math.atan2(rel1[1], rel1[0])
    sweep = _wrap(a1 - a0)

    def point(s: float) -> np.ndarray:
        radius, angle = r0 + s * (r1 - r0), a0 + s * sweep
        return np.array([base[0] + radius * math.cos(angle), base[1] + radius * math.sin(angle),
                         start[2] + s * (goal[2] - start[2])])

    return point, max(float(np.linalg.norm(goal - start)), abs(sweep) * max(r0, r1))


class _Stop(Exception):
    """The episode terminated (or IK failed) in the middle of a skill."""


class ArmController:
    """Differential IK (mink) on the env's model, stepping the env with absolute actions."""

    def __init__(self, task: Any) -> None:
        self.task = task
        model = task.model
        self.model = model
        self.robot = task.robot
        self.gripper = GRIPPERS.get(self.robot.name, GripperGeometry(0.0, 0.01, 0.0, ((0.0, 0.0), (1.0, 0.0))))
        self.configuration = mink.Configuration(model)
        self.rest_q = task.scene.home_qpos.copy()
        self.arm_qadr = task.joint_qadr
        self.ee_name = self.robot.end_effector["site"]
        self.frame = mink.FrameTask(self.ee_name, "site", position_cost=1.0, orientation_cost=0.5, lm_damping=1e-3)
        self.posture = mink.PostureTask(model, cost=1e-2)
        self.posture.set_target(self.rest_q)
        hand = model.site_bodyid[model.site(self.ee_name).id]
        hand_geoms = [int(g) for g in mink.get_subtree_geom_ids(model, hand)
                      if model.geom_contype[g] or model.geom_conaffinity[g]]
        self.limits: list[mink.Limit] = [mink.ConfigurationLimit(model)]
        if mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_GEOM, "table") >= 0:
            self.limits.append(mink.CollisionAvoidanceLimit(
                model, [(hand_geoms, ["table"])], minimum_distance_from_collisions=0.004,
                collision_detection_distance=0.05))
        self.table_top = float(task.scene.table_top)
        self.base = task.sim.xpos[0, task.base_body].copy()
        home = self.rest_q.copy()
        self.configuration.update(home)
        home_pose = self.configuration.get_transform_frame_to_world(self.ee_name, "site")
        self.home_yaw = _yaw_of(home_pose.rotation().as_matrix())
        self.home_azimuth = math.atan2(*(home_pose.translation()[:2] - self.base[:2])[::-1])
        self.q = home
        self.grip = float(task.home_ctrl[task.gripper_id])
        self.bias = np.zeros(3)
        self.env: Any = None
        self.on_step: StepCallback | None = None
        self.steps = 0

    # ----- state ----------------------------------------------------------------------
    def begin(self, env: Any, on_step: StepCallback | None) -> None:
        """Start a skill: command from the measured joints and the current gripper command."""
        self.env, self.on_step, self.steps = env, on_step, 0
        self.q = self.rest_q.copy()
        self.q[self.arm_qadr] = self.task.joint_qpos[0][: self.arm_qadr.size]
        self.grip = float(self.task.sim.ctrl[0, self.task.gripper_id])
        self.bias[:] = 0.0
        self.configuration.update(self.q)

    @property
    def ee(self) -> np.ndarray:
        return np.array(self.task.ee_pos[0], dtype=float)

    def command_pose(self) -> tuple[np.ndarray, float]:
        pose = self.configuration.get_transform_frame_to_world(self.ee_name, "site")
        return pose.translation().copy(), _yaw_of(pose.rotation().as_matrix())

    def natural_yaw(self, point: np.ndarray) -> float:
        """The gripper yaw the arm has when it turns toward `point` from its home pose."""
        azimuth = math.atan2(point[1] - self.base[1], point[0] - self.base[0])
        return _wrap(self.home_yaw + azimuth - self.home_azimuth)

    def grasp_yaw(self, point: np.ndarray, symmetry: float, prop_yaw: float) -> float:
        """Yaw closest to the natural one among prop_yaw + k * symmetry (finger axis on a face)."""
        natural = self.natural_yaw(point)
        k = round((natural - prop_yaw) / symmetry)
        return _wrap(prop_yaw + k * symmetry)

    def workspace_problem(self, point: np.ndarray) -> str | None:
        """Why `point` (an ee target) is out of the robot's reach, or None."""
        reach = self.robot.reach
        rel = np.asarray(point, float) - self.base
        radius = float(np.hypot(rel[0], rel[1]))
        angle = math.degrees(math.atan2(rel[1], rel[0]))
        low, high = reach.get("min_radius", 0.0) - REACH_MARGIN, reach.get("max_radius", 1.0) + REACH_MARGIN
        max_angle = reach.get("max_angle_deg", 180.0) + ANGLE_MARGIN_DEG
        z = float(point[2]) - self.table_top
        where = f"[{', '.join(f'{v:.3f}' for v in point)}]"
        if not low <= radius <= high:
            return (f"target {where} is {radius:.3f} m from the {self.robot.alias} base; "
                    f"reachable: {low:.2f}..{high:.2f} m")
        if abs(angle) > max_angle:
            return f"target {where} is {angle:.0f} deg to the side; reachable: within +-{max_angle:.0f} deg"
        if z < MIN_EE_HEIGHT - 1e-9:
            return (f"target {where} is {z:.3f} m above the table top (z={self.table_top:.2f}); "
                    f"the gripper needs at least {MIN_EE_HEIGHT} m")
        if z > MAX_EE_HEIGHT:
            return f"target {where} is {z:.3f} m above the table top; reachable: up to {MAX_EE_HEIGHT} m"
        return None

    # ----- stepping -----------------------------------------------------------------
    def _solve(self, position: np.ndarray, yaw: float, iterations: int = 3) -> None:
        target = mink.SE3.from_rotation_and_translation(mink.SO3.from_matrix(_rot_down(yaw)), position)
        self.frame.set_target(target)
        dt = self.task.dt
        for _ in range(iterations):
            try:
                velocity = mink.solve_ik(self.configuration, [self.frame, self.posture], dt, IK_SOLVER,
                                         damping=1e-3, limits=self.limits)
            except mink.NoSolutionFound as error:
                raise _Stop(f"inverse kinematics found no solution ({error})") from None
            self.configuration.integrate_inplace(velocity, dt)
        self.q = self.configuration.q.copy()

    def step(self, position: np.ndarray | None = None, yaw: float | None = None) -> None:
        """One control step: IK toward (position + bias, yaw) if given, then env.step."""
        if position is not None:
            self._solve(np.asarray(position, float) + self.bias, yaw if yaw is not None else self.command_pose()[1])
        task = self.task
        ctrl = task.home_ctrl.copy()
        arm = task.joint_qadr.size
        ctrl[:arm] = self.q[self.arm_qadr]
        ctrl[task.gripper_id] = self.grip
        action = task.action_of_ctrl(ctrl)
        _, _, terminated, _, _ = self.env.step(action.astype(np.float32))
        self.steps += 1
        if self.on_step is not None:
            self.on_step(self.env)
        if terminated:
            raise _Stop("the episode terminated")

    def move(self, goal: Any, yaw: float, speed: float = SPEED, tolerance: float = 0.005,
             max_steps: int = 120, settle: bool = True, arc: bool = False) -> float:
        """Move the ee to `goal`; returns the final measured error (m).

        The commanded target moves at `speed` along a straight line (or, with `arc`, along
        an arc around the base, which keeps long moves away from the base); then (if
        `settle`) it holds while the outer integral corrects the measured error down to
        `tolerance` or `max_steps` run out.
        """
        goal = np.asarray(goal, float)
        start, start_yaw = self.command_pose()
        start = start - self.bias
        turn = _wrap(yaw - start_yaw)
        waypoint, distance = (arc_path(self.base, start, goal) if arc else None) or straight_path(start, goal)

        n = max(1, int(math.ceil(max(distance / (speed * self.task.dt), abs(turn) / (1.5 * self.task.dt)))))
        used = 0
        for i in range(1, n + 1):
            s = i / n
            self.step(waypoint(s), start_yaw + s * turn)
            used += 1
            if used >= max_steps:
                break
        error = float(np.linalg.norm(goal - self.ee))
        while settle and used < max_steps:
            error_vec = goal - self.ee
            error = float(np.linalg.norm(error_vec))
            if error < tolerance and np.abs(self.task.joint_qvel[0]).max() < 0.05:
                break
            if error < 0.05:
                self.bias = np.clip(self.bias + 0.5 * error_vec, -0.03, 0.03)
            self.step(goal, yaw)
            used += 1
        return float(np.linalg.norm(goal - self.ee))

    def set_gripper(self, closed: bool, steps: int = 25, min_steps: int = 6, force: float = 1.0) -> int:
        """Command the gripper open/closed and wait until its joints stop (or `steps` pass).

        `force` scales the closing servo's gain (stiffness and damping) while closed; opening
        always returns it to the actuator's own.
        """
        g = self.robot.gripper
        self.grip = float(g["closed"] if closed else g["open"])
        self._grip_force(force if closed else 1.0)
        return self._wait_for_fingers(steps, min_steps)

    def open_to(self, gap: float, steps: int = 12) -> int:
        """Open the fingers to `gap` metres apart at the actuator's own force; wait `steps` or until they stop."""
        self.grip = self.gripper.ctrl_for_gap(gap)
        self._grip_force(1.0)
        return self._wait_for_fingers(steps, 4)

    def _wait_for_fingers(self, steps: int, min_steps: int) -> int:
        """Step until the gripper's joints stop (after at least `min_steps`) or `steps` pass; the steps used."""
        used = 0
        for used in range(1, steps + 1):
            self.step()
            if used >= min_steps and np.abs(self.task.sim.qvel[0, self._gripper_dofs()]).max() < 0.02:
                break
        return used

    def _grip_force(self, scale: float) -> None:
        # the scale lives on the task: the skill that opens the hand is often not the one that closed it
        if scale == 1.0 == self.task.grip_scale:
            return  # nothing to undo: the model's own parameters stay shared
        self.task.scale_grip(np.array([scale]), ids=[0])

    def _gripper_dofs(self) -> np.ndarray:
        model = self.model
        if not hasattr(self, "_gdofs"):
            hand = model.site_bodyid[model.site(self.ee_name).id]
            dofs = [int(model.jnt_dofadr[j]) for j in range(model.njnt)
                    if int(model.jnt_type[j]) in (int(mujoco.mjtJoint.mjJNT_HINGE), int(mujoco.mjtJoint.mjJNT_SLIDE))
                    and self._descends(model.jnt_bodyid[j], hand)]
            self._gdofs = np.array(dofs, dtype=int)
        return self._gdofs

    def _descends(self, body: int, ancestor: int) -> bool:
        while body > 0:
            if body == ancestor:
                return True
            body = self.model.body_parentid[body]
        return False

    def gripper_opening(self) -> float:
        """Gripper opening in [0 closed, 1 open], from the joints its actuator drives."""
        model, actuator = self.model, self.task.gripper_id
        target = int(model.actuator_trnid[actuator, 0])
        if model.actuator_trntype[actuator] == mujoco.mjtTrn.mjTRN_TENDON:
            first, count = model.tendon_adr[target], model.tendon_num[target]
            joints = [int(model.wrap_objid[w]) for w in range(first, first + count)
                      if model.wrap_type[w] == mujoco.mjtWrap.mjWRAP_JOINT]
        else:
            joints = [target]
        q = self.task.sim.qpos[0, model.jnt_qposadr[joints]]
        lo, hi = model.jnt_range[joints].T
        frac = float(np.mean(np.clip((q - lo) / np.where(hi > lo, hi - lo, 1.0), 0.0, 1.0)))
        # the joints rise with the control; which end is open depends on the gripper
        closed_is_high = self.robot.gripper["closed"] > self.robot.gripper["open"]
        return 1.0 - frac if closed_is_high else frac

    def travel(self, goal: np.ndarray, yaw: float, speed: float = SPEED, tolerance: float = 0.005,
               max_steps: int = 150, settle: bool = True) -> float:
        """Move to `goal`, going up to the safe height first when travelling low over the table."""
        here = self.ee
        safe = self.table_top + SAFE_HEIGHT
        horizontal = float(np.hypot(*(goal[:2] - here[:2])))
        if horizontal > 0.04 and min(here[2], goal[2]) < safe - 0.01:
            if here[2] < safe - 0.01:
                self.move([here[0], here[1], safe], yaw, speed, tolerance=0.02, max_steps=60, settle=False)
            if goal[2] < safe - 0.01:
                self.move([goal[0], goal[1], safe], yaw, speed, tolerance=0.02, max_steps=80, settle=False,
                          arc=True)
                return self.move(goal, yaw, speed, tolerance, max_steps, settle)
        return self.move(goal, yaw, speed, tolerance, max_steps, settle, arc=horizontal > 0.04)


_CONTROLLERS: weakref.WeakKeyDictionary[Any, ArmController] = weakref.WeakKeyDictionary()


def controller(env: Any, on_step: StepCallback | None = None) -> ArmController:
    """The env's arm controller (one per task), started from the current state."""
    task = env.unwrapped.task
    if task not in _CONTROLLERS:
        _CONTROLLERS[task] = ArmController(task)
    arm = _CONTROLLERS[task]
    arm.begin(env, on_step)
    return arm


# ----- props ----------------------------------------------------------------------------
@dataclass
class PropState:
    name: str
    slot: int
    shape: str
    half_height: float
    size: float
    position: np.ndarray
    yaw: float


def scene_props(task: Any) -> dict[str, PropState]:
    """The props on the table now, by scene name ("red_cube")."""
    layout = task.layouts[0]
    if layout is None:
        return {}
    props = {}
    for placement in layout.props:
        spec = task.scene.config.props[placement.slot]
        quat = task.sim.xquat[0, task.scene.prop_bodies[placement.slot]]
        yaw = math.atan2(2 * (quat[0] * quat[3] + quat[1] * quat[2]), 1 - 2 * (quat[2] ** 2 + quat[3] ** 2))
        props[placement.name] = PropState(placement.name, placement.slot, spec.shape, spec.half_height, spec.size,
                                          np.array(task.prop_pos[0, placement.slot], dtype=float), yaw)
    return props


PROP_AT_POINT_RADIUS = 0.04  # a point names the prop whose centre is this close (m)


def find_prop(task: Any, skill: str, param: str, name: Any) -> PropState:
    """The prop a skill parameter names: by scene name, or by a point near its centre.

    A point is what a perception model gives (a pixel and its depth, unprojected), so the
    prop picked is the one standing where the model looked.
    """
    props = scene_props(task)
    if not isinstance(name, str):
        point = np.asarray(name, float)
        nearest = min(props.values(), key=lambda p: float(np.linalg.norm(p.position - point)), default=None)
        if nearest is None or np.linalg.norm(nearest.position - point) > PROP_AT_POINT_RADIUS:
            raise SkillParamError(
                f"skill {skill!r}: no prop within {PROP_AT_POINT_RADIUS * 100:.0f} cm of {param} "
                f"{[round(float(v), 3) for v in point]}")
        return nearest
    key = name.strip().lower().replace(" ", "_")
    if key not in props:
        from embodied.errors import UnknownNameError

        raise UnknownNameError(f"prop for skill {skill!r} parameter {param!r}", name, props or ["(no props)"])
    return props[key]


def held_prop(arm: ArmController) -> PropState | None:
    """The prop between the fingers, lifted off the table, if any."""
    best, best_distance = None, 0.05
    for prop in scene_props(arm.task).values():
        distance = float(np.linalg.norm(prop.position - arm.ee))
        lifted = prop.position[2] - (arm.table_top + prop.half_height) > 0.008
        if lifted and distance < best_distance:
            best, best_distance = prop, distance
    return best


def _grasp_symmetry(prop: PropState) -> tuple[float, float]:
    """(symmetry, yaw) for choosing a grasp yaw: cubes every 90 deg, round props any."""
    if prop.shape == "cube":
        return math.pi / 2, prop.yaw
    return 2 * math.pi, 0.0


def _failed(arm: ArmController | None, reason: str, error: float | None = None, **info: Any) -> SkillResult:
    return SkillResult(False, 0 if arm is None else arm.steps, error, reason, info)


# ----- skills ---------------------------------------------------------------------------
TARGET = Param("target", "point_or_name", "a point [x, y, z] in metres (world frame) or a prop's scene name, "
               "e.g. \"red_cube\"", required=True)
PROP_TARGET = Param("target", "point_or_name", "the prop: its scene name (e.g. \"red_cube\") or a point [x, y, z] "
                    "within 4 cm of its centre", required=True)


class Reach(Skill):
    name = "reach"
    robot_kinds = ARM
    description = "Move the end effector (gripper pointing down) to a point or to a prop."
    params = (
        TARGET,
        Param("height", "number", "metres above the target point or prop centre", default=0.0,
              minimum=0.0, maximum=0.4),
        Param("tolerance", "number", "success radius (m)", default=0.01, minimum=0.002, maximum=0.1),
    )

    def _run(self, env: Any, on_step: StepCallback | None, target: Any, height: float,
             tolerance: float) -> SkillResult:
        task = env.unwrapped.task
        arm = controller(env, on_step)
        if isinstance(target, str):
            prop = find_prop(task, self.name, "target", target)
            goal = prop.position + [0.0, 0.0, height]
            yaw = arm.grasp_yaw(goal, *_grasp_symmetry(prop))
        else:
            goal = np.asarray(target, float) + [0.0, 0.0, height]
            lowest = arm.table_top + MIN_EE_HEIGHT
            if lowest - REACH_CLAMP <= goal[2] < lowest:  # a perceived point a little low: lift it
                goal[2] = lowest
            yaw = arm.natural_yaw(goal)
        problem = arm.workspace_problem(goal)
        if problem:
            return _failed(arm, problem, target=[round(float(v), 4) for v in goal])
        try:
            error = arm.travel(goal, yaw, tolerance=tolerance * 0.5, max_steps=160)
        except _Stop as stop:
            return _failed(arm, str(stop), float(np.linalg.norm(goal - arm.ee)))
        info = {"target": [round(float(v), 4) for v in goal], "ee": [round(float(v), 4) for v in arm.ee]}
        if error <= tolerance:
            return SkillResult(True, arm.steps, error, None, info)
        return SkillResult(False, arm.steps, error, f"stopped {error:.3f} m from the target (tolerance {tolerance} m)",
                           info)


class Pick(Skill):
    name = "pick"
    robot_kinds = ARM
    description = "Grasp a prop from above and lift it."
    params = (
        PROP_TARGET,
        Param("lift", "number", "how high to lift it (m)", default=0.1, minimum=0.03, maximum=0.3),
        Param("grip", "string", "how hard to squeeze: gentle (the hand's own force), firm (for a heavy prop), "
              "or auto (firm for a ball, gentle otherwise)", default="auto", choices=GRIPS),
    )

    def _run(self, env: Any, on_step: StepCallback | None, target: Any, lift: float, grip: str) -> SkillResult:
        arm = controller(env, on_step)
        return self._attempt(arm, find_prop(arm.task, self.name, "target", target), lift, grip)

    def _attempt(self, arm: ArmController, prop: PropState, lift: float, grip: str = "auto") -> SkillResult:
        task = arm.task
        start = prop.position.copy()
        grasp_z = arm.gripper.grasp_height(prop.shape)
        grasp = start + [0.0, 0.0, grasp_z]
        grasp[2] = max(grasp[2], arm.table_top + MIN_EE_HEIGHT)
        problem = arm.workspace_problem(grasp)
        if problem:
            return _failed(arm, f"{prop.name} is out of reach: {problem}")
        yaw = arm.grasp_yaw(grasp, *_grasp_symmetry(prop))
        above = grasp + [0.0, 0.0, 0.1]
        try:
            arm.set_gripper(closed=False, steps=15, min_steps=1)
            arm.travel(above, yaw, tolerance=0.01, max_steps=150)
            arm.move(grasp, yaw, SLOW_SPEED, tolerance=0.004, max_steps=60)
            arm.set_gripper(closed=True, steps=25, min_steps=10, force=arm.gripper.grip_force(grip, prop.shape))
            arm.move(start + [0.0, 0.0, grasp_z + lift], yaw, SLOW_SPEED, tolerance=0.01, max_steps=60)
            for _ in range(5):
                arm.step()
        except _Stop as stop:
            return _failed(arm, str(stop))
        now = scene_props(task)[prop.name].position
        rise = float(now[2] - start[2])
        error = abs(lift - rise)
        info = {"prop": prop.name, "lifted": round(rise, 4)}
        held = held_prop(arm)
        if held is not None and held.name == prop.name and rise > 0.5 * lift:
            return SkillResult(True, arm.steps, error, None, info)
        reason = (f"{prop.name} slipped: lifted {rise:.3f} m of {lift} m" if rise > 0.01
                  else f"the grasp missed {prop.name} (it did not leave the table)")
        return SkillResult(False, arm.steps, error, reason, info)


class Place(Skill):
    name = "place"
    robot_kinds = ARM
    description = "Put the held prop down at a point on the table or on top of another prop, and let go."
    params = (
        Param("target", "point_or_name", "where: a point [x, y, z] (the prop's centre goes to x, y and rests "
              "on whatever is below) or the scene name of a prop to stack it on", required=True),
    )

    def _run(self, env: Any, on_step: StepCallback | None, target: Any) -> SkillResult:
        task = env.unwrapped.task
        arm = controller(env, on_step)
        held = held_prop(arm)
        if held is None:
            return _failed(arm, "no prop is held: pick one first")
        offset = arm.ee - held.position  # ee relative to the prop's centre, kept while carrying
        if isinstance(target, str):
            below = find_prop(task, self.name, "target", target)
            if below.name == held.name:
                raise SkillParamError(f"skill 'place': parameter 'target' = {target!r} is the held prop itself")
            if below.shape == "ball":
                return _failed(arm, f"cannot stack on {below.name}: a ball has no flat top")
            goal = below.position + [0.0, 0.0, below.half_height + held.half_height + 0.002]
        else:
            goal = np.asarray(target, float).copy()
            goal[2] = max(goal[2], arm.table_top + held.half_height + 0.001)
        surface = goal[2] - held.half_height  # what the prop will stand on

        def release_point(offset: np.ndarray) -> np.ndarray:
            point = goal + offset + [0.0, 0.0, 0.006]
            point[2] = max(point[2], surface + arm.gripper.tip_depth + 0.004)  # fingertips clear
            return point

        release = release_point(offset)
        problem = arm.workspace_problem(release)
        if problem:
            return _failed(arm, problem)
        _, yaw = arm.command_pose()
        try:
            carry = max(arm.table_top + SAFE_HEIGHT, release[2] + 0.06)
            arm.move([arm.ee[0], arm.ee[1], max(carry, arm.ee[2])], yaw, SPEED, tolerance=0.02, max_steps=60,
                     settle=False)
            arm.move([release[0], release[1], carry], yaw, CARRY_SPEED, tolerance=0.01, max_steps=150, arc=True)
            still = held_prop(arm)
            if still is None or still.name != held.name:
                return _failed(arm, f"{held.name} slipped out of the grasp while carrying it",
                               float(np.linalg.norm(scene_props(task)[held.name].position - goal)))
            for _ in range(2):  # servo on the prop itself: it may have shifted in the grasp
                offset = arm.ee - scene_props(task)[held.name].position
                release = release_point(offset)
                arm.move([release[0], release[1], carry], yaw, SLOW_SPEED, tolerance=0.004, max_steps=30)
            arm.move(release, yaw, SLOW_SPEED, tolerance=0.004, max_steps=60)
            shift = goal[:2] - scene_props(task)[held.name].position[:2]
            if float(np.hypot(*shift)) > 0.004:
                arm.move(release + np.r_[shift, 0.0], yaw, SLOW_SPEED, tolerance=0.004, max_steps=25)
            # let go by opening just wider than the prop, and open fully only once clear of it: a
            # finger swinging wide drags a round prop sideways as it lets go (2 cm and more, off
            # the top of another prop)
            arm.open_to(2 * held.size + RELEASE_GAP, steps=12)
            arm.move(arm.ee + [0.0, 0.0, 0.03], yaw, SLOW_SPEED, tolerance=0.01, max_steps=15, settle=False)
            arm.set_gripper(closed=False, steps=20, min_steps=4)
            arm.move(arm.ee + [0.0, 0.0, 0.05], yaw, SLOW_SPEED, tolerance=0.02, max_steps=30, settle=False)
            for _ in range(5):
                arm.step()
        except _Stop as stop:
            return _failed(arm, str(stop))
        now = scene_props(task)[held.name].position
        error = float(np.linalg.norm(now - goal))
        info = {"prop": held.name, "goal": [round(float(v), 4) for v in goal],
                "position": [round(float(v), 4) for v in now]}
        horizontal = float(np.hypot(*(now[:2] - goal[:2])))
        if horizontal < 0.03 and abs(now[2] - goal[2]) < 0.02:
            return SkillResult(True, arm.steps, error, None, info)
        return SkillResult(False, arm.steps, error,
                           f"{held.name} ended {horizontal:.3f} m (horizontal) and {now[2] - goal[2]:+.3f} m "
                           "(vertical) from the goal", info)


class Push(Skill):
    name = "push"
    robot_kinds = ARM
    description = "Push a prop along the table in a direction (left/right/forward/back or [x, y]) by a distance."
    params = (
        PROP_TARGET,
        Param("direction", "vector2_or_choice", "world-frame direction: left (+y), right (-y), forward (+x), "
              "back (-x), or a 2-D vector", required=True, choices=tuple(DIRECTIONS)),
        Param("distance", "number", "how far to move the prop (m)", default=0.1, minimum=0.02, maximum=0.3),
        Param("tolerance", "number", "success radius around the goal position (m)", default=0.03,
              minimum=0.005, maximum=0.2),
    )

    def _run(self, env: Any, on_step: StepCallback | None, target: Any, direction: Any, distance: float,
             tolerance: float) -> SkillResult:
        task = env.unwrapped.task
        arm = controller(env, on_step)
        prop = find_prop(task, self.name, "target", target)
        d = np.asarray(DIRECTIONS[direction] if isinstance(direction, str) else direction, float)
        d /= np.linalg.norm(d)
        start = prop.position.copy()
        goal = start + np.r_[d * distance, 0.0]
        behind = np.r_[start[:2] - d * 0.05, arm.table_top + SAFE_HEIGHT / 2]  # the rear finger
        for point, what in ((behind, "the push start"), (goal + [0.0, 0.0, 0.05], "the push end")):
            problem = arm.workspace_problem(point)
            if problem:
                return _failed(arm, f"{what} is out of reach: {problem}")
        # closed loop: a prop that slid out of the cage short of the goal gets another stroke,
        # from where it stands toward the goal
        now = start
        for _ in range(PUSH_STROKES):
            remaining = goal[:2] - now[:2]
            length = float(np.hypot(*remaining))
            if length <= tolerance:
                break
            stroke = remaining / length
            if arm.workspace_problem(np.r_[now[:2] - stroke * 0.05, arm.table_top + SAFE_HEIGHT / 2]):
                break
            try:
                self._stroke(arm, prop, now, stroke, length)
            except _Stop as stop:
                return _failed(arm, str(stop))
            now = scene_props(task)[prop.name].position
        now = scene_props(task)[prop.name].position
        error = float(np.hypot(*(now[:2] - goal[:2])))
        moved = float(np.dot(now[:2] - start[:2], d))
        info = {"prop": prop.name, "moved": round(moved, 4), "goal": [round(float(v), 4) for v in goal],
                "position": [round(float(v), 4) for v in now]}
        if error <= tolerance:
            return SkillResult(True, arm.steps, error, None, info)
        return SkillResult(False, arm.steps, error, f"{prop.name} moved {moved:.3f} m along the direction; "
                           f"ended {error:.3f} m from the goal (tolerance {tolerance} m)", info)


    @staticmethod
    def _stroke(arm: ArmController, prop: PropState, start: np.ndarray, d: np.ndarray, distance: float) -> None:
        """One push of `distance` along `d` with the prop caged between the open fingers.

        The rear finger pushes at the prop's centre height (no tipping), the front one stops a
        rolling ball; closing the fingers at the end centres the prop, then the hand lets go.
        """
        behind = np.r_[start[:2] - d * 0.05, arm.table_top + SAFE_HEIGHT / 2]
        heading = math.atan2(d[1], d[0])
        push_steps = int(distance / (SLOW_SPEED * arm.task.dt)) + 40
        yaw = heading + math.pi / 2
        yaw += round((arm.natural_yaw(behind) - yaw) / math.pi) * math.pi
        cage = np.asarray(start, float) + [0.0, 0.0, arm.gripper.grasp_z]
        cage[2] = max(cage[2], arm.table_top + MIN_EE_HEIGHT)
        arm.set_gripper(closed=False, steps=15, min_steps=1)
        arm.travel(cage + [0.0, 0.0, 0.08], yaw, tolerance=0.01, max_steps=150)
        arm.move(cage, yaw, SLOW_SPEED, tolerance=0.005, max_steps=50)
        arm.move(cage + np.r_[d * distance, 0.0], yaw, SLOW_SPEED, tolerance=0.004, max_steps=push_steps)
        if arm.gripper.squeeze_centres:
            arm.set_gripper(closed=True, steps=15, min_steps=8)
        else:  # narrow the cage to just wider than the prop: centres it without gripping it
            arm.grip = arm.gripper.ctrl_for_gap(2 * prop.size + 0.008)
            for _ in range(12):
                arm.step()
        arm.set_gripper(closed=False, steps=15, min_steps=6)
        arm.move(arm.ee + [0.0, 0.0, 0.08], yaw, SPEED, tolerance=0.02, max_steps=30, settle=False)
        for _ in range(10):
            arm.step()


class _Gripper(Skill):
    robot_kinds = ARM
    closed = False

    def _run(self, env: Any, on_step: StepCallback | None) -> SkillResult:
        arm = controller(env, on_step)
        try:
            arm.set_gripper(closed=self.closed, steps=30, min_steps=6)
        except _Stop as stop:
            return _failed(arm, str(stop))
        opening = arm.gripper_opening()
        held = held_prop(arm)
        info = {"opening": round(opening, 3), "holding": held.name if held else None}
        if not self.closed and opening < 0.9:
            return SkillResult(False, arm.steps, 1.0 - opening, "the gripper did not open fully", info)
        return SkillResult(True, arm.steps, 1.0 - opening if not self.closed else None, None, info)


class OpenGripper(_Gripper):
    name = "open_gripper"
    description = "Open the gripper (releases whatever it holds)."


class CloseGripper(_Gripper):
    name = "close_gripper"
    description = "Close the gripper (grasps what is between the fingers)."
    closed = True


class Home(Skill):
    name = "home"
    robot_kinds = ARM
    description = "Move the arm back to its home pose (safe height first), gripper unchanged."
    params = (Param("tolerance", "number", "success bound on the largest joint error (rad)", default=0.02,
                    minimum=0.001, maximum=0.5),)

    def _run(self, env: Any, on_step: StepCallback | None, tolerance: float) -> SkillResult:
        task = env.unwrapped.task
        arm = controller(env, on_step)
        home = task.home_joint_qpos[: task.joint_qadr.size]
        try:
            here = arm.ee
            if here[2] < arm.table_top + SAFE_HEIGHT:
                _, yaw = arm.command_pose()
                arm.move([here[0], here[1], arm.table_top + SAFE_HEIGHT], yaw, SPEED, 0.02, 60, settle=False)
            start = arm.q[arm.arm_qadr].copy()
            n = max(1, int(np.ceil(np.abs(home - start).max() / (1.0 * task.dt))))
            for i in range(1, n + 1):
                arm.q[arm.arm_qadr] = start + (home - start) * i / n
                arm.step()
            error = float(np.abs(task.joint_qpos[0][: home.size] - home).max())
            for _ in range(40):
                if error < tolerance:
                    break
                arm.step()
                error = float(np.abs(task.joint_qpos[0][: home.size] - home).max())
        except _Stop as stop:
            return _failed(arm, str(stop))
        arm.configuration.update(arm.q)
        if error < tolerance:
            return SkillResult(True, arm.steps, error, None, {})
        return SkillResult(False, arm.steps, error, f"largest joint error {error:.3f} rad", {})


for _skill in (Reach(), Pick(), Place(), Push(), OpenGripper(), CloseGripper(), Home()):
    register_skill(_skill)
