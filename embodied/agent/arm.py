"""Arm objectives for the agent: slide a prop onto a marked region on a table of unknown friction.

`TabletopObjective` holds what every arm-at-a-table objective shares (the overview camera and
the omnimodel that find props in it, the planner's IK, the batched world model, and how the
hidden friction and prop mass are written into worlds); `PushToRegion` here and
`embodied.agent.stack.StackOnProp` build on it.

A push that carries the prop all the way (the `push` skill) works whatever the friction;
it is slow and cannot send a prop past the arm's reach. This objective instead strikes the
prop: the closed hand accelerates the prop over a short run-up and stops, and the prop
slides on by itself, how far depending on the table's friction and the hand's speed. That
makes the outcome depend on the hidden physics, which is what the agent must learn.

The world model is the task's own scene (same MJCF, same robot) in a batch: each world
starts from the estimated state (the arm at the strike's start pose, the prop where the
camera saw it with a random yaw, since a pixel does not say how a cube is turned) and
replays the strike's joint targets, under one parameter sample from the belief. Reality
replays the very same joint targets after its approach, so the only differences are the
hidden parameters and what perception got wrong.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from embodied.agent.belief import ParamPrior
from embodied.agent.core import Objective, Plan, Status
from embodied.errors import EmbodiedError
from embodied.omni.camera import unproject
from embodied.scene import COLORS, SHAPES, Layout, layout_qpos

RUNUP = (0.015, 0.06)  # metres over which the hand accelerates the prop before it stops (slow strikes: short)
GAP = 0.025  # hand-to-prop gap at the start of a strike (m): clear of where perception may have put the prop
SETTLE_STEPS = 6  # control steps the arm holds its start pose before striking
SLIDE_STEPS = 50  # control steps simulated after the hand stops (2.5 s at 20 Hz): the prop comes to rest
SPEEDS = (0.08, 0.9)  # hand speeds the candidates span (m/s)
REGION_HALF = 0.05  # the marker squares' half side (scene.py)
INSIDE_MARGIN = 0.012  # the prop's centre this far inside the square counts as on it
FRAME = (240, 320)
TOP_FACE_RADIUS = 0.03  # metres around the grounding's point where a prop's top face is looked for
TOP_FACE_BAND = 0.002  # the face's pixels lie this close below its highest (m)
TOP_FACE_PIXELS = 10  # fewer face pixels than this: keep the grounding's point


def runup(speed: float) -> float:
    """The run-up of a strike at `speed`: short for slow ones, so that small corrections stay small."""
    return float(np.clip(0.1 * speed, *RUNUP))


def strike_path(start: np.ndarray, direction: np.ndarray, speed: float, dt: float) -> list[np.ndarray]:
    """Hand positions, one per control step: constant acceleration to `speed` over the run-up."""
    accel = speed * speed / (2.0 * runup(speed))
    duration = speed / accel
    steps = max(1, int(math.ceil(duration / dt)))
    return [start + np.r_[direction * 0.5 * accel * min(i * dt, duration) ** 2, 0.0] for i in range(1, steps + 1)]


def colour_points(rgb: np.ndarray, depth: np.ndarray, info: Any, color: str,
                  heights: tuple[float, float]) -> np.ndarray:
    """World points of the pixels tinted toward a named colour whose height lies in `heights`.

    The tint test compares each pixel's chromaticity with the colour's and with the table's,
    so it holds under the scene's lighting and shading, which change brightness, not hue.
    """
    v, u = np.mgrid[0:depth.shape[0], 0:depth.shape[1]]
    world = unproject(info, np.stack([u + 0.5, v + 0.5], axis=-1), depth)
    level = (world[..., 2] > heights[0]) & (world[..., 2] < heights[1])
    pixel = rgb[..., :3].astype(float) + 1.0
    chroma = pixel / pixel.sum(axis=-1, keepdims=True)
    target = np.asarray(COLORS[color][:3]) + 0.05
    target_chroma = target / target.sum()
    table = np.array([0.62, 0.48, 0.34])
    table_chroma = table / table.sum()
    closer = np.linalg.norm(chroma - target_chroma, axis=-1) < 0.6 * np.linalg.norm(table_chroma - target_chroma)
    return world[level & closer]


def marker_centre(rgb: np.ndarray, depth: np.ndarray, info: Any, color: str, table_top: float) -> np.ndarray | None:
    """Centre of a flat marker of a named colour, from pixels: the table-level pixels of its hue.

    A marker is a translucent square lying on the table, so its pixels are both at the table's
    height (from depth) and tinted toward its colour; props of the same colour stand above it.
    """
    if color not in COLORS:
        return None
    points = colour_points(rgb, depth, info, color, (table_top - 0.006, table_top + 0.006))
    if len(points) < 12:
        return None
    centre = np.median(points, axis=0)
    centre[2] = table_top
    return centre


def prop_by_colour(rgb: np.ndarray, depth: np.ndarray, info: Any, color: str, table_top: float,
                   near: np.ndarray | None = None) -> np.ndarray | None:
    """Centre of the one prop of a named colour standing on the table, from its pixels alone.

    The fallback when the omnimodel's grounding loses a prop it found before (a red cube on a
    translucent green square reads to it as no cube): the pixels of the prop's hue above the
    table. With `near` (where the prop was last seen or is expected) only pixels within 0.3 m
    count. None unless they form one compact blob (two props of that colour, or the colour
    missing, give none): it never guesses between props.
    """
    if color not in COLORS:
        return None
    points = colour_points(rgb, depth, info, color, (table_top + 0.008, table_top + 0.08))
    if near is not None and len(points):
        points = points[np.linalg.norm(points[:, :2] - np.asarray(near)[:2], axis=1) < 0.3]
    if len(points) < 12:
        return None
    centre = np.median(points, axis=0)
    if np.percentile(np.linalg.norm(points[:, :2] - centre[:2], axis=1), 90) > 0.045:
        return None  # spread over more than one prop's size
    return centre


def top_face_centre(rgb: np.ndarray, depth: np.ndarray, info: Any, color: str, near: np.ndarray,
                    table_top: float) -> np.ndarray | None:
    """Horizontal centre (2,) of the flat top of the prop of a named colour seen near `near`, or None.

    The grounding's point is the centre of the prop's visible pixels pushed along the ray,
    which the prop's sides bias by up to 1.5 cm; the top face, seen whole from above, is not.
    Its pixels are the highest of that hue within 3 cm. None when there are too few of them to
    trust (a hue close to the table's, or a face mostly hidden).
    """
    if color not in COLORS:
        return None
    points = colour_points(rgb, depth, info, color, (table_top + 0.005, table_top + 0.3))
    points = points[np.hypot(*(points[:, :2] - np.asarray(near)[:2]).T) < TOP_FACE_RADIUS]
    if len(points) < TOP_FACE_PIXELS:
        return None
    face = points[points[:, 2] > np.percentile(points[:, 2], 95) - TOP_FACE_BAND]
    return face[:, :2].mean(axis=0) if len(face) >= TOP_FACE_PIXELS else None


def prop_words(phrase: str) -> tuple[str, str, str | None]:
    """(scene-name key, shape, colour) named by a phrase: "the red cube" -> ("red_cube", "cube", "red")."""
    words = phrase.lower().split()
    key = "_".join(w for w in words if w in COLORS or w in SHAPES)
    shape = next((w for w in words if w in SHAPES), "object")
    return key, shape, next((w for w in words if w in COLORS), None)


def scene_prop_name(layout: Any, phrase: str) -> str | None:
    """The scene name of the prop a phrase names ("the red cube" -> "red_cube"), for judging from truth."""
    return next((p.name for p in layout.props if p.name.replace("_", " ") in phrase.lower()), None)


def write_friction_and_mass(task: Any, params: np.ndarray, mass_bodies: list[int]) -> None:
    """Write (num_envs, 2) [sliding friction, prop mass (kg)] into every world of `task`.

    The friction goes on the table and on every prop (a contact takes the larger of its two
    geoms' coefficients, so both sides must carry it); the mass goes on `mass_bodies`, with
    their inertia scaled alike (same shape, denser material).
    """
    params = np.atleast_2d(params)
    model, sim = task.model, task.sim
    friction = np.repeat(model.geom_friction[None], task.num_envs, axis=0)
    props = set(task.scene.prop_bodies)
    geoms = [model.geom("table").id, *(g for g in range(model.ngeom) if model.geom_bodyid[g] in props)]
    friction[:, geoms, 0] = params[:, :1]
    sim.set_param("geom_friction", friction)
    mass = np.repeat(model.body_mass[None], task.num_envs, axis=0)
    inertia = np.repeat(model.body_inertia[None], task.num_envs, axis=0)
    bodies = list(mass_bodies)
    scale = params[:, 1:2] / model.body_mass[bodies][None]
    mass[:, bodies] = model.body_mass[bodies][None] * scale
    inertia[:, bodies] = model.body_inertia[bodies][None] * scale[..., None]
    sim.set_param("body_inertia", inertia)
    sim.set_param("body_mass", mass)


def parked_qpos(scene: Any, worlds: int) -> np.ndarray:
    """(worlds, nq) start states: the robot at home and every prop parked out of play."""
    qpos = np.repeat(scene.home_qpos[None], worlds, axis=0)
    empty = Layout(props=[], prop_yaw=np.zeros(len(scene.config.props)), markers={}, ball=None)
    for row in qpos:
        layout_qpos(scene, empty, row)
    return qpos


def yaw_quat(yaw: np.ndarray) -> np.ndarray:
    """(n, 4) quaternions of rotations by `yaw` about the vertical."""
    return np.stack([np.cos(yaw / 2), 0 * yaw, 0 * yaw, np.sin(yaw / 2)], axis=1)


def ik_approach(arm: Any, start: np.ndarray, yaw: float) -> np.ndarray:
    """The planner's joint targets with the hand at `start`, reached from home through a point above it.

    The small steps from above are how the arm really gets there: one big IK step from home
    would cut through the table-collision limit's detection band. Raises the skills' `_Stop`
    when IK finds no solution.
    """
    arm.configuration.update(arm.rest_q.copy())
    home = arm.configuration.get_transform_frame_to_world(arm.ee_name, "site").translation()
    above = start + [0.0, 0.0, 0.08]
    for s in np.linspace(0.0, 1.0, 9)[1:]:
        arm._solve(home + s * (above - home), yaw, iterations=2)
    for s in np.linspace(0.0, 1.0, 9)[1:]:
        arm._solve(above + s * (start - above), yaw, iterations=2)
    arm._solve(start, yaw, iterations=4)
    return arm.q[arm.arm_qadr].copy()


def finger_qpos(arm: Any, model: Any, closed: bool) -> tuple[np.ndarray, np.ndarray]:
    """(qpos addresses, values) of the gripper's joints, fully closed or fully open."""
    dofs = arm._gripper_dofs()
    joints = np.array([int(np.nonzero(model.jnt_dofadr == dof)[0][0]) for dof in dofs], dtype=int)
    gripper = arm.robot.gripper
    low, high = model.jnt_range[joints].T
    closes_high = gripper["closed"] > gripper["open"]
    return model.jnt_qposadr[joints], (high if closes_high == closed else low)


class TabletopObjective(Objective):
    """What the arm objectives share: camera and omnimodel, planner IK, the batched world model.

    Subclasses call `_setup_table` from `setup`; perception goes through `_locate`, which
    sees props only through the overview camera's pixels and depth.
    """

    omni: Any = None
    camera: Any = None
    _world: Any = None  # the world model last imagined with
    _worlds: dict[int, Any] | None = None  # world models by number of worlds
    _planner: Any = None

    def _setup_table(self, env: Any) -> str | None:
        """Camera, omnimodel and table height for an episode; why the task does not fit, or None."""
        from embodied.omni.camera import TaskCamera

        task = env.unwrapped.task
        if not task.robot.kind == "arm" or not task.scene.config.table:
            return f"{self.name} needs an arm at a table; {task.config.id} has a {task.robot.kind} robot"
        if self.omni is None:
            from embodied.omni.run import load_omnimodel

            self.omni = load_omnimodel("builtin")
        if self.camera is None or self.camera.task is not task:
            self.camera = TaskCamera(task, "overview", *FRAME)
        self.task = task
        self.table_top = float(task.scene.table_top)
        self.slots = {p.name: p.slot for p in task.layouts[0].props}
        return None

    def _locate(self, phrase: str, rgb: np.ndarray, depth: np.ndarray, info: Any,
                near: np.ndarray | None) -> dict[str, Any] | str:
        """The prop a phrase names, from pixels and depth: the omnimodel's grounding, then its colour.

        Returns the omnimodel's finding (with "point", "color", "shape", and "by" when the
        colour fallback found it) or the reason it is not seen.
        """
        frames, depths, infos = {"overview": rgb}, {"overview": depth}, {"overview": info}
        found = self.omni.locate(frames, depths, phrase, infos)
        _, shape, color = prop_words(phrase)
        if isinstance(found, str) and "closest match" in found and color:
            # a prop on a tinted marker can fool the shape head; the colour alone still finds it
            again = self.omni.locate(frames, depths, f"the {color} object", infos)
            if not isinstance(again, str) and again["color"] == color:
                found = again
        if isinstance(found, str) and color:
            centre = prop_by_colour(rgb, depth, info, color, self.table_top, near)
            if centre is not None:
                found = {"point": centre, "color": color, "shape": shape, "by": "colour pixels"}
        return found

    def _planner_arm(self) -> Any:
        from embodied.skills.arm import ArmController

        if self._planner is None or self._planner.task is not self.task:
            self._planner = ArmController(self.task)  # IK only: never steps an env
        return self._planner

    def _world_model(self, worlds: int) -> Any:
        """A batch of `worlds` simulations of the task's scene, kept for the next imagination of that size."""
        from embodied.tasks.task import BatchedTask

        if self._worlds is None or any(w.config is not self.task.config for w in self._worlds.values()):
            for world in (self._worlds or {}).values():
                world.close()
            self._worlds = {}
        if worlds not in self._worlds:
            self._worlds[worlds] = BatchedTask(self.task.config, num_envs=worlds)
        self._world = self._worlds[worlds]
        return self._world


class PushToRegion(TabletopObjective):
    """Slide the named prop until its centre lies on the named flat marker."""

    name = "push_to_region"
    priors = (
        ParamPrior("friction", 0.03, 0.25, 0.087, log=True),  # table and prop sliding friction
        ParamPrior("prop_mass", 0.02, 0.2, 0.063, log=True, unit="kg"),
    )
    outcome_noise = (0.02, 0.02, 0.02)
    samples = 12
    max_cycles = 5

    def __init__(self, prop: str, region: str, omni: Any = None, speeds: int = 8) -> None:
        self.prop_phrase, self.region_phrase = prop.strip(), region.strip()
        self.omni = omni
        self.speeds = speeds
        words = self.region_phrase.lower().replace("the ", "").split()
        self.region_color = next((w for w in words if w in COLORS), None)

    # ----- episode ------------------------------------------------------------------
    def setup(self, env: Any) -> str | None:
        problem = self._setup_table(env)
        if problem:
            return problem
        if self.region_color is None:
            return f"I cannot tell the colour of {self.region_phrase!r}; name it like 'the green square'"
        self.prop_key, self.prop_shape, _ = prop_words(self.prop_phrase)
        self._last_prop: np.ndarray | None = None  # where perception last found the prop
        return None

    def apply_params(self, task: Any, params: np.ndarray) -> None:
        write_friction_and_mass(task, params, list(task.scene.prop_bodies))

    # ----- perception ---------------------------------------------------------------
    def perceive(self, env: Any) -> dict[str, Any]:
        rgb, depth, info = self.camera.render(depth=True)
        found = self._locate(self.prop_phrase, rgb, depth, info, self._last_prop)
        estimate: dict[str, Any] = {"prop": None, "region": None, "why": None,
                                    "arm_q": self.task.joint_qpos[0].copy()}
        if isinstance(found, str):
            estimate["why"] = found
        elif found.get("point") is None:
            estimate["why"] = "no depth at the prop's pixel"
        else:
            point = np.asarray(found["point"], float)
            point[2] = self.table_top + 0.02  # props rest on the table
            estimate["prop"] = point
            estimate["prop_name"] = f"{found['color']}_{found['shape']}"
            estimate["seen_by"] = found.get("by", "omnimodel")
            self._last_prop = point
        region = marker_centre(rgb, depth, info, self.region_color, self.table_top)
        if region is None:
            estimate["why"] = estimate["why"] or f"I see no {self.region_phrase}"
        estimate["region"] = region
        return estimate

    def status(self, estimate: dict[str, Any]) -> Status:
        if estimate["prop"] is None or estimate["region"] is None:
            return Status("impossible", estimate["why"] or "lost sight of the prop")
        offset = np.abs(estimate["prop"][:2] - estimate["region"][:2])
        if offset.max() <= REGION_HALF - INSIDE_MARGIN:
            return Status("success", f"{self.prop_phrase} is on {self.region_phrase}")
        if self._start_pose(estimate, self._direction(estimate)) is None:
            return Status("impossible", f"the arm cannot get behind {self.prop_phrase} to push it toward "
                                        f"{self.region_phrase}")
        return Status("running")

    # ----- plans ------------------------------------------------------------------------
    @staticmethod
    def _direction(estimate: dict[str, Any]) -> np.ndarray:
        d = estimate["region"][:2] - estimate["prop"][:2]
        return d / max(float(np.linalg.norm(d)), 1e-9)

    def _start_pose(self, estimate: dict[str, Any], direction: np.ndarray) -> np.ndarray | None:
        start = np.r_[estimate["prop"][:2] - direction * (0.02 + GAP + 0.01), self.table_top + 0.02]
        arm = self._planner_arm()
        if arm.workspace_problem(start) or arm.workspace_problem(start + np.r_[direction * RUNUP[1], 0.0]):
            return None
        return start

    def _yaw(self, direction: np.ndarray, start: np.ndarray) -> float:
        arm = self._planner_arm()
        yaw = math.atan2(direction[1], direction[0])  # the closed fingers side by side across the push: a paddle
        return yaw + round((arm.natural_yaw(start) - yaw) / math.pi) * math.pi

    def joint_targets(self, estimate: dict[str, Any], direction: np.ndarray, speed: float) -> list[np.ndarray]:
        """The arm's joint targets for a strike: the start pose, then one per control step."""
        from embodied.skills.arm import _Stop

        arm = self._planner_arm()
        start = self._start_pose(estimate, direction)
        if start is None:
            raise EmbodiedError("strike start out of reach")
        yaw = self._yaw(direction, start)
        try:
            targets = [ik_approach(arm, start, yaw)]
            for point in strike_path(start, direction, speed, self.task.dt):
                arm._solve(point, yaw)
                targets.append(arm.q[arm.arm_qadr].copy())
        except _Stop as stop:
            raise EmbodiedError(str(stop)) from None
        return targets

    def candidates(self, estimate: dict[str, Any], rng: np.random.Generator) -> list[Plan]:
        direction = self._direction(estimate)
        grid = np.geomspace(*SPEEDS, self.speeds)
        jitter = np.exp(rng.uniform(-0.5, 0.5, self.speeds) * np.log(grid[1] / grid[0]))
        plans = []
        for speed in np.clip(grid * jitter, *SPEEDS):
            plans.append(Plan([{"skill": "push", "args": {
                "target": [round(float(v), 4) for v in estimate["prop"]],
                "direction": [round(float(v), 4) for v in direction], "speed": round(float(speed), 3),
                "style": "strike"}}], f"strike {self.prop_phrase} toward {self.region_phrase} at {speed:.2f} m/s"))
        return plans

    # ----- imagination ----------------------------------------------------------------
    def imagine(self, estimate: dict[str, Any], plans: list[Plan], params: np.ndarray,
                rng: np.random.Generator, first_step_only: bool = True) -> np.ndarray:
        n, k = len(params), len(plans)
        world = self._world_model(n * k)
        scene = world.scene
        qpos = parked_qpos(scene, n * k)  # every prop parked: only the one to push is in play
        # the world model's body for the prop: the scene's prop of the shape and colour asked for
        slot = self.slots.get(self.prop_key, self.slots.get(estimate.get("prop_name", ""), 0))
        address = scene.prop_qpos[slot]
        yaw = rng.uniform(-np.pi, np.pi, n * k)
        qpos[:, address:address + 3] = estimate["prop"]
        qpos[:, address + 3:address + 7] = yaw_quat(yaw)
        schedules = []
        for i, plan in enumerate(plans):
            args = plan.steps[0]["args"]
            targets = self.joint_targets(estimate, np.asarray(args["direction"], float), float(args["speed"]))
            qpos[i * n:(i + 1) * n, world.joint_qadr[: targets[0].size]] = targets[0]
            schedules.append(targets)
        fingers = self._finger_qpos(world)
        qpos[:, fingers[0]] = fingers[1]
        world.sim.reset(None, keyframe="home", qpos=qpos, qvel=np.zeros((n * k, world.model.nv)))
        self.apply_params(world, np.tile(params, (k, 1)))
        ctrl = np.repeat(world.home_ctrl[None], n * k, axis=0)
        ctrl[:, world.gripper_id] = self.task.robot.gripper["closed"]
        arm_dofs = schedules[0][0].size
        longest = max(len(s) for s in schedules)
        for step in range(SETTLE_STEPS + longest + SLIDE_STEPS):
            index = min(max(step - SETTLE_STEPS, 0), longest - 1)
            for i, targets in enumerate(schedules):
                ctrl[i * n:(i + 1) * n, :arm_dofs] = targets[min(index, len(targets) - 1)]
            world.sim.ctrl[:] = ctrl
            world.sim.step(world.substeps)
        final = world.prop_pos[:, slot].copy()
        outcome = final - estimate["prop"]
        outcome[world.sim.diverged] = np.nan
        world.sim.diverged[:] = False
        return outcome.reshape(k, n, 3)

    def _finger_qpos(self, world: Any) -> tuple[np.ndarray, np.ndarray]:
        """(qpos addresses, values) of the gripper's joints closed: the strike starts with a closed hand."""
        return finger_qpos(self._planner_arm(), world.model, closed=True)

    def score(self, estimate: dict[str, Any], outcomes: np.ndarray) -> np.ndarray:
        final = estimate["prop"] + outcomes
        offset = np.abs(final[..., :2] - estimate["region"][:2])
        inside = (offset.max(axis=-1) <= REGION_HALF - INSIDE_MARGIN).astype(float)
        distance = np.linalg.norm(final[..., :2] - estimate["region"][:2], axis=-1)
        off_table = final[..., 2] < self.table_top - 0.05
        return inside - distance - 2.0 * off_table

    # ----- reality ------------------------------------------------------------------
    def execute(self, env: Any, plan: Plan, on_step: Callable[[Any], None] | None,
                first_step_only: bool = True) -> dict[str, Any]:
        from embodied.skills.arm import SAFE_HEIGHT, SLOW_SPEED, _Stop, controller
        from embodied.skills.base import get_skill

        args = plan.steps[0]["args"]
        estimate = {"prop": np.asarray(args["target"], float)}
        direction = np.asarray(args["direction"], float)
        targets = self.joint_targets(estimate, direction, float(args["speed"]))
        start = self._start_pose(estimate, direction)
        yaw = self._yaw(direction, start)
        arm = controller(env, on_step)
        try:
            arm.set_gripper(closed=True, steps=15, min_steps=1)
            arm.travel(start + [0.0, 0.0, SAFE_HEIGHT / 2], yaw, tolerance=0.01, max_steps=150)
            arm.move(start, yaw, SLOW_SPEED, tolerance=0.006, max_steps=60)
            # from here on exactly what the world model replays
            for step in range(SETTLE_STEPS + len(targets) + SLIDE_STEPS):
                arm.q[arm.arm_qadr] = targets[min(max(step - SETTLE_STEPS, 0), len(targets) - 1)]
                arm.step()
            arm.begin(env, on_step)
            arm.move(arm.ee + [0.0, 0.0, 0.1], yaw, tolerance=0.02, max_steps=30, settle=False)
        except _Stop as stop:
            return {"skill": "push", "success": False, "reason": str(stop)}
        home = get_skill("home").run(env, on_step=on_step)  # out of the camera's way
        return {"skill": "push", "success": True, "steps": arm.steps + home.steps}

    def observe_outcome(self, before: dict[str, Any], after: dict[str, Any]) -> np.ndarray:
        if before["prop"] is None or after["prop"] is None:
            return np.full(3, np.nan)
        return after["prop"] - before["prop"]

    def judge(self, env: Any) -> bool:
        task = env.unwrapped.task
        layout = task.layouts[0]
        name = scene_prop_name(layout, self.prop_phrase)
        region = next((xyz for marker, xyz in layout.markers.items()
                       if marker.replace("_", " ") in self.region_phrase.lower()), None)
        if name is None or region is None:
            return False
        position = task.prop_pos[0, self.slots[name]]
        on_table = position[2] > self.table_top
        return bool(on_table and np.abs(position[:2] - np.asarray(region[:2])).max() <= REGION_HALF)
