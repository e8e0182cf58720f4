"""Arm objective for the agent: stack one prop on another, with props of unknown mass and friction.

A stack attempt is one move of the cycle: the `pick` skill takes the named prop at the
point the camera saw it, and the `place` skill sets it down over the point where the camera
saw the other prop, aimed a little off the seen centre or not, and let go a little above
its top. The candidates differ in those two continuous arguments (the aim and the release
height, sampled around the seen centre and the nominal height) and in the grip: gentle (the
hand's own force) or firm, which lifts heavier props and costs a little in the score, so
the agent squeezes hard only when it believes the prop heavy.

The world model is the task's own scene in a batch, as for pushing, imagined in two stages:

1. The pick, once per belief sample: the arm at the grasp pose (the planner's IK, as for a
   strike), the prop between the open fingers where the camera saw it, the fingers closing
   and the lift's joint targets replayed, once per grip. A gentle grip leaves a heavy prop
   on the table, and a firm one leaves a heavier one: the prop's mass decides which grip
   can stack it, or whether any can.
2. The release, once per (plan, sample): the bottom prop where the camera saw it (give or
   take the camera's error, and with a random yaw: a pixel does not say how a cube is
   turned), the held prop at the place skill's release point, the arm out of the way; the
   props come to rest under the sample's friction and mass.

The outcome is where the held prop ends relative to where it would rest on the bottom
prop's top centre: (0, 0, 0) for a centred stack, about twice the bottom's half-height
below that when it fell off, and where it was when the pick could not lift it. A failed
gentle pick moves the belief to heavy masses, and the next plan grips firmly. When the
belief says that no attempt can work (the prop is too heavy even for a firm grip), the
agent stops and says so instead of trying again.

Friction changes what happens after a prop falls or is knocked (how far it slides); a
careful release onto a flat top is geometry, so a successful stack says little about
friction and the belief stays wide there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from embodied.agent.arm import (
    TOP_FACE_PIXELS,
    TabletopObjective,
    colour_points,
    finger_qpos,
    ik_approach,
    parked_qpos,
    prop_words,
    scene_prop_name,
    top_face_centre,
    write_friction_and_mass,
    yaw_quat,
)
from embodied.agent.belief import ParamPrior
from embodied.agent.core import Plan, Status, UnsuitableScene
from embodied.errors import EmbodiedError

RELEASE = (0.004, 0.03)  # heights above the bottom prop's top at which the held prop is let go (m)
NOMINAL_RELEASE = 0.01
AIM_SPREAD = 0.004  # spread of the candidates' aim around the seen centre (m)
PERCEPTION_STD = 0.004  # how far the camera's estimate of a prop's centre may be off (m), per axis
PLACE_CLEARANCE = 0.006  # the place skill lets go this far above the goal it is given (skills/arm.py)
SETTLE_STEPS = 24  # control steps after the release (1.2 s at 20 Hz): a prop that falls comes to rest
LIFT = 0.1  # how high the pick lifts the prop before carrying it (m)
CLOSE_STEPS = 15  # control steps the fingers take to close on the prop (the pick skill waits 10 to 25)
HOLD_STEPS = 8  # control steps held at the top of the lift before the pick counts the prop as lifted
HOPELESS = 0.15  # below this imagined chance of a stack for the best plan, the agent stops trying
HEIGHT_SLACK = 0.015  # a top prop within this of its resting height on the bottom one stands on it (m)
SEEN_SLACK = 0.008  # the camera's error allowed on the horizontal offset when judging from pixels (m)
HELD_DISTANCE = 0.05  # a prop this close to the hand may still be in it (m)
APART = 0.06  # props seen this far apart (m) stand side by side, neither on nor against the other
GRIPS = ("gentle", "firm")  # the pick's grip on the top prop, gentlest first
# what a firm grip costs, in score units (a stack is 1): squeeze no harder than the prop needs
# (a real hand crushes soft things and wears its fingers at full force); the simulated props are
# rigid, so this is the agent's preference, not physics. A firm grip is chosen once the agent
# expects it to stack more than FIRM_COST more often than a gentle one.
FIRM_COST = 0.1


def stack_text_for_scene(env: Any, seed: int) -> str:
    """For evaluation: 'stack the A on the B' naming two props of the reset scene, chosen by the seed.

    Both are cubes or cylinders: the bottom one needs a flat top, and the `pick` skill's
    two-finger grasp does not hold a ball reliably (a skill limit, not the agent's).
    """
    props = env.unwrapped.task.layouts[0].props
    rng = np.random.default_rng([seed, 53])
    flat = [p for p in props if p.shape != "ball"]
    if len(flat) < 2:
        raise UnsuitableScene(f"seed {seed}: the scene has no two cubes or cylinders to stack")
    bottom = flat[int(rng.integers(len(flat)))]
    others = [p for p in flat if p.name != bottom.name]
    top = others[int(rng.integers(len(others)))]
    return f"stack the {top.color} {top.shape} on the {bottom.color} {bottom.shape}"


def stack_problem(top: str, bottom: str, task: Any) -> str | None:
    """Why stacking the prop named `top` on the one named `bottom` cannot be tried in `task`, or None."""
    top_key, top_shape, top_color = prop_words(top)
    bottom_key, bottom_shape, bottom_color = prop_words(bottom)
    if top_key == bottom_key or top.strip() == bottom.strip():
        return f"I cannot stack {top} on itself; name two different props"
    if bottom_shape == "ball":
        return f"I cannot stack anything on {bottom}: a ball has no flat top"
    slots = len(task.scene.config.props)
    if slots < 2:
        return f"stacking one prop on another needs two props; {task.config.id} has {slots}"
    shapes = {spec.shape for spec in task.scene.config.props}
    for phrase, shape in ((top, top_shape), (bottom, bottom_shape)):
        if shape != "object" and shape not in shapes:
            return f"there is no {shape} in {task.config.id} (its props: {', '.join(sorted(shapes))}), so not {phrase}"
    return None


class StackOnProp(TabletopObjective):
    """Set the named prop on top of the other named prop, so that it stays there."""

    name = "stack_on_prop"
    priors = (
        ParamPrior("friction", 0.05, 1.0, 0.25, log=True),  # table and prop sliding friction
        ParamPrior("prop_mass", 0.02, 0.25, 0.05, log=True, unit="kg"),  # every prop alike: one set of blocks
    )
    outcome_noise = (0.01, 0.01, 0.012)  # the camera's error on a prop's centre, a little more in depth
    samples = 8
    max_cycles = 4

    def __init__(self, top: str, bottom: str, omni: Any = None, plans: int = 6) -> None:
        self.top_phrase, self.bottom_phrase = top.strip(), bottom.strip()
        self.omni = omni
        self.plans = plans
        self._pick_cache: tuple[tuple[float, ...], tuple[np.ndarray, float, list[np.ndarray]]] | None = None
        self._imagined_lift: dict[str, np.ndarray] = {}

    # ----- episode ------------------------------------------------------------------
    def setup(self, env: Any) -> str | None:
        problem = self._setup_table(env) or stack_problem(self.top_phrase, self.bottom_phrase, env.unwrapped.task)
        if problem:
            return problem
        self.top_shape = prop_words(self.top_phrase)[1]
        self.bottom_shape = prop_words(self.bottom_phrase)[1]
        self._last_top: np.ndarray | None = None  # where perception last found each prop
        self._last_bottom: np.ndarray | None = None
        self._last_bottom_shape = self.bottom_shape
        return None

    def _model_slot(self, shape: str, other: int | None = None) -> int | None:
        """The world model's body for a prop of `shape`: the first slot of the task's scene with it."""
        props = self.task.scene.config.props
        return next((i for i, spec in enumerate(props) if spec.shape == shape and i != other), None)

    def _geometry(self, estimate: dict[str, Any]) -> tuple[float, float, float]:
        """(top's half-height, bottom's half-height, bottom's half-size) of the props seen."""
        props = self.task.scene.config.props
        top = props[estimate["top_slot"]]
        bottom = props[estimate["bottom_slot"]]
        return top.half_height, bottom.half_height, bottom.size

    def _rest(self, estimate: dict[str, Any]) -> np.ndarray:
        """Where the top prop's centre rests when it stands centred on the bottom prop."""
        top_half, bottom_half, _ = self._geometry(estimate)
        return np.r_[estimate["bottom"][:2], self.table_top + 2 * bottom_half + top_half]

    def apply_params(self, task: Any, params: np.ndarray) -> None:
        write_friction_and_mass(task, params, list(task.scene.prop_bodies))

    # ----- perception ---------------------------------------------------------------
    def perceive(self, env: Any) -> dict[str, Any]:
        rgb, depth, info = self.camera.render(depth=True)
        estimate: dict[str, Any] = {"top": None, "bottom": None, "why": None,
                                    "arm_q": self.task.joint_qpos[0].copy()}
        points: dict[str, np.ndarray | None] = {}
        colors: dict[str, str | None] = {}
        for role, phrase, near in (("top", self.top_phrase, self._last_top),
                                   ("bottom", self.bottom_phrase, self._last_bottom)):
            found = self._locate(phrase, rgb, depth, info, near)
            points[role] = None
            if isinstance(found, str):
                estimate["why"] = estimate["why"] or found
            elif found.get("point") is None:
                estimate["why"] = estimate["why"] or f"no depth at the pixel of {phrase}"
            else:
                points[role] = np.asarray(found["point"], float)
                colors[role] = prop_words(phrase)[2] or found.get("color")  # the named colour first
                shape = getattr(self, f"{role}_shape")
                estimate[f"{role}_shape"] = shape if shape != "object" else found["shape"]
                estimate[f"{role}_seen_by"] = found.get("by", "omnimodel")
        top, bottom = points["top"], points["bottom"]
        if top is not None and bottom is not None and np.hypot(*(top[:2] - bottom[:2])) > APART:
            # apart, each top face is in full view: it says where the centre is better than the grounding
            for point, color in ((top, colors["top"]), (bottom, colors["bottom"])):
                face = top_face_centre(rgb, depth, info, color, point, self.table_top) if color else None
                if face is not None:
                    point[:2] = face
        if top is None and self.top_shape != "object":
            # the grounding knows props on the table; one stacked on another may escape it
            base = bottom if bottom is not None else self._last_bottom
            shape = estimate.get("bottom_shape", self._last_bottom_shape)
            top = self._seen_on(base, shape, rgb, depth, info) if base is not None else None
            if top is not None:
                estimate["top_shape"] = self.top_shape
                estimate["top_seen_by"] = "its colour's pixels on top of the bottom prop"
        if bottom is None and top is not None and self._last_bottom is not None and \
                float(np.linalg.norm(top[:2] - self._last_bottom[:2])) < 0.03:
            # the top prop stands where the bottom one was and hides most of it: it has not moved
            bottom = self._last_bottom.copy()
            estimate["bottom_shape"] = self._last_bottom_shape
            estimate["bottom_seen_by"] = "memory (hidden under the top prop)"
            estimate["why"] = None
        if top is not None and bottom is not None:
            estimate["why"] = None
            estimate["top_slot"] = self._model_slot(estimate["top_shape"])
            estimate["bottom_slot"] = self._model_slot(estimate["bottom_shape"], estimate["top_slot"])
            if estimate["top_slot"] is None or estimate["bottom_slot"] is None:
                estimate["why"] = f"the world model has no {estimate['top_shape']} and " \
                                  f"{estimate['bottom_shape']} to imagine with"
                return estimate
            bottom[2] = self.table_top + self._geometry(estimate)[1]  # the bottom prop rests on the table
            estimate["top"], estimate["bottom"] = top, bottom
            self._last_top, self._last_bottom = top, bottom
            self._last_bottom_shape = estimate["bottom_shape"]
        return estimate

    def _seen_on(self, base: np.ndarray, base_shape: str, rgb: np.ndarray, depth: np.ndarray,
                 info: Any) -> np.ndarray | None:
        """The top prop's centre if pixels of its colour stand on the bottom prop seen at `base`, else None."""
        color = prop_words(self.top_phrase)[2]
        top_slot = self._model_slot(self.top_shape)
        bottom_slot = self._model_slot(base_shape, top_slot)
        if color is None or top_slot is None or bottom_slot is None:
            return None
        top_spec, bottom_spec = self.task.scene.config.props[top_slot], self.task.scene.config.props[bottom_slot]
        surface = self.table_top + 2 * bottom_spec.half_height
        points = colour_points(rgb, depth, info, color, (surface + 0.003, surface + 2 * top_spec.half_height + 0.01))
        points = points[np.hypot(*(points[:, :2] - base[:2]).T) < bottom_spec.size + top_spec.size]
        if len(points) < TOP_FACE_PIXELS:
            return None
        return np.r_[points[:, :2].mean(axis=0), np.percentile(points[:, 2], 95) - top_spec.half_height]

    def _stacked(self, estimate: dict[str, Any]) -> bool:
        """Whether, as seen, the top prop stands on the bottom one (within the camera's error)."""
        offset = estimate["top"] - self._rest(estimate)
        return bool(np.hypot(*offset[:2]) <= self._geometry(estimate)[2] + SEEN_SLACK and
                    abs(offset[2]) <= HEIGHT_SLACK)

    def status(self, estimate: dict[str, Any]) -> Status:
        if estimate["top"] is None or estimate["bottom"] is None:
            return Status("impossible", estimate["why"] or "lost sight of the props")
        if self._stacked(estimate):
            return Status("success", f"{self.top_phrase} stands on {self.bottom_phrase}")
        if estimate["top"][2] < self.table_top - 0.05:
            return Status("impossible", f"{self.top_phrase} fell off the table")
        arm = self._planner_arm()
        # the points the hand must reach: where the pick grasps (a low prop's centre lies below the
        # lowest hand target; the pick lifts it), and the highest release over the bottom prop
        for phrase, point in ((self.top_phrase, self._grasp_point(estimate)),
                              (self.bottom_phrase, self._rest(estimate) + [0.0, 0.0, RELEASE[1]])):
            problem = arm.workspace_problem(point)
            if problem:
                return Status("impossible", f"{phrase} is out of reach: {problem}")
        return Status("running")

    # ----- plans ------------------------------------------------------------------------
    def candidates(self, estimate: dict[str, Any], rng: np.random.Generator) -> list[Plan]:
        rest = self._rest(estimate)
        plans = []
        for i in range(self.plans):
            # the first aims at the seen centre and lets go at the nominal height; the others
            # are samples around it; each is tried with either grip
            aim = np.zeros(2) if i == 0 else rng.normal(0.0, AIM_SPREAD, 2)
            release = NOMINAL_RELEASE if i == 0 else float(np.exp(rng.uniform(*np.log(RELEASE))))
            target = np.r_[rest[:2] + aim, rest[2] + release]
            for grip in GRIPS:
                plans.append(Plan([
                    {"skill": "pick", "args": {"target": [round(float(v), 4) for v in estimate["top"]], "lift": LIFT,
                                               "grip": grip}},
                    {"skill": "place", "args": {"target": [round(float(v), 4) for v in target]}},
                ], f"pick {self.top_phrase} with a {grip} grip and set it on {self.bottom_phrase}, "
                   f"{1000 * np.hypot(*aim):.0f} mm off the seen centre, let go {1000 * release:.0f} mm above its top",
                    cost=FIRM_COST if grip == "firm" else 0.0))
        return plans

    # ----- imagination ----------------------------------------------------------------
    def _grasp_point(self, estimate: dict[str, Any]) -> np.ndarray:
        """Where the `pick` skill puts the hand on the top prop: its grasp height, never below the lowest target."""
        from embodied.skills.arm import MIN_EE_HEIGHT

        grasp = estimate["top"] + [0.0, 0.0, self._planner_arm().gripper.grasp_height(estimate["top_shape"])]
        grasp[2] = max(grasp[2], self.table_top + MIN_EE_HEIGHT)
        return grasp

    def _pick_targets(self, estimate: dict[str, Any]) -> tuple[np.ndarray, float, list[np.ndarray]]:
        """The pick and the carry as the world model replays them: joint targets at the grasp, the
        hand's yaw, then one joint target per control step.

        The same grasp height and straight lift at the same speed as the `pick` skill, then the
        `place` skill's rise to its travel height and its carry over the bottom prop, swung
        around the base as the skill's is: a heavy prop that a gentle grip lifts may still slip
        out on the way.
        """
        from embodied.skills.arm import CARRY_SPEED, SAFE_HEIGHT, SLOW_SPEED, SPEED, _Stop, arc_path, straight_path

        key = tuple(np.round(np.r_[estimate["top"], estimate["bottom"]], 5))
        if self._pick_cache is not None and self._pick_cache[0] == key:
            return self._pick_cache[1]
        arm = self._planner_arm()
        grasp = self._grasp_point(estimate)
        yaw = arm.natural_yaw(grasp)
        top = grasp + [0.0, 0.0, LIFT]
        carry = np.r_[top[:2], max(top[2], self.table_top + SAFE_HEIGHT)]
        over = np.r_[estimate["bottom"][:2] + grasp[:2] - estimate["top"][:2], carry[2]]
        moves = [(*straight_path(grasp, top), SLOW_SPEED), (*straight_path(top, carry), SPEED),
                 # the carry swings around the base, as the skill's does
                 (*(arc_path(arm.base, carry, over) or straight_path(carry, over)), CARRY_SPEED)]
        waypoints = []
        for point, length, speed in moves:
            steps = max(1, int(np.ceil(length / (speed * self.task.dt))))
            waypoints += [point(i / steps) for i in range(1, steps + 1)]
        try:
            start = ik_approach(arm, grasp, yaw)
            path = []
            for point in waypoints:
                arm._solve(point, yaw)
                path.append(arm.q[arm.arm_qadr].copy())
        except _Stop as stop:
            raise EmbodiedError(f"no grasp of {self.top_phrase}: {stop}") from None
        self._pick_cache = (key, (start, yaw, path))
        return start, yaw, path

    def _imagine_pick(self, estimate: dict[str, Any], params: np.ndarray, grips: list[str]) -> dict[str, np.ndarray]:
        """For each grip, (len(params),) whether the top prop is lifted and carried to the bottom one
        without slipping out: one world per (grip, sample)."""

        samples, n = len(params), len(params) * len(grips)
        params = np.tile(params, (len(grips), 1))
        start, yaw, path = self._pick_targets(estimate)
        world = self._world_model(n)
        top_half = self._geometry(estimate)[0]
        qpos = parked_qpos(world.scene, n)
        address = world.scene.prop_qpos[estimate["top_slot"]]
        rest = np.r_[estimate["top"][:2], self.table_top + top_half + 0.001]  # it stands on the table
        qpos[:, address:address + 3] = rest
        # the skill turns the hand to the prop's faces; here the prop is turned to the hand's
        qpos[:, address + 3:address + 7] = yaw_quat(np.full(n, yaw))
        qpos[:, world.joint_qadr[:start.size]] = start
        fingers = finger_qpos(self._planner_arm(), world.model, closed=False)
        qpos[:, fingers[0]] = fingers[1]
        world.sim.reset(None, keyframe="home", qpos=qpos, qvel=np.zeros((n, world.model.nv)))
        self.apply_params(world, params)
        gripper = self._planner_arm().gripper
        world.scale_grip(np.repeat([gripper.grip_force(grip, estimate["top_shape"]) for grip in grips], samples))
        ctrl = np.repeat(world.home_ctrl[None], n, axis=0)
        ctrl[:, world.gripper_id] = self.task.robot.gripper["closed"]
        for step in range(CLOSE_STEPS + len(path) + HOLD_STEPS):
            ctrl[:, :start.size] = start if step < CLOSE_STEPS else path[min(step - CLOSE_STEPS, len(path) - 1)]
            world.sim.ctrl[:] = ctrl
            world.sim.step(world.substeps)
        lifted = world.prop_pos[:, estimate["top_slot"], 2] - rest[2] > 0.5 * LIFT  # still up: still held
        lifted &= ~world.sim.diverged
        world.sim.diverged[:] = False
        world.scale_grip(np.ones(n))  # the batch is shared with other imaginations of its size
        return dict(zip(grips, lifted.reshape(len(grips), samples), strict=True))

    def imagine(self, estimate: dict[str, Any], plans: list[Plan], params: np.ndarray,
                rng: np.random.Generator, first_step_only: bool = True) -> np.ndarray:
        """(plans, samples, 3): the top prop's resting place minus its centred rest on the bottom one.

        The pick and the place are one move here, so `first_step_only` changes nothing.
        """
        n, k = len(params), len(plans)
        grips = [plan.steps[0]["args"].get("grip", "auto") for plan in plans]
        lifted = self._imagine_pick(estimate, params, list(dict.fromkeys(grips)))
        self._imagined_lift = lifted
        stays = estimate["top"] - self._rest(estimate)  # where the top prop is, if it cannot be lifted
        outcome = np.repeat(stays[None, None], k, axis=0).repeat(n, axis=1)
        # the release does not depend on the grip: each place target is imagined once
        targets = [tuple(plan.steps[-1]["args"]["target"]) for plan in plans]
        unique = list(dict.fromkeys(targets))
        if any(row.any() for row in lifted.values()):
            released = self._imagine_release(estimate, [list(t) for t in unique], params, rng).reshape(len(unique), n, 3)
            for i, (grip, target) in enumerate(zip(grips, targets, strict=True)):
                outcome[i] = np.where(lifted[grip][:, None], released[unique.index(target)], outcome[i])
        return outcome

    def _imagine_release(self, estimate: dict[str, Any], targets: list[list[float]], params: np.ndarray,
                         rng: np.random.Generator) -> np.ndarray:
        """(targets x samples, 3) outcomes of letting the held prop go at each place target."""
        n, k = len(params), len(targets)
        world = self._world_model(n * k)
        scene = world.scene
        top_half, bottom_half, _ = self._geometry(estimate)
        qpos = parked_qpos(scene, n * k)  # only the two props to stack are in play
        bottom = scene.prop_qpos[estimate["bottom_slot"]]
        top = scene.prop_qpos[estimate["top_slot"]]
        seen = estimate["bottom"][:2] + rng.normal(0.0, PERCEPTION_STD, (n * k, 2))
        qpos[:, bottom:bottom + 3] = np.c_[seen, np.full(n * k, self.table_top + bottom_half + 0.001)]
        qpos[:, bottom + 3:bottom + 7] = yaw_quat(rng.uniform(-np.pi, np.pi, n * k))
        for i, target in enumerate(targets):
            goal = np.asarray(target, float)
            # the place skill's goal is never below the table rest, and it lets go a little above it
            goal[2] = max(goal[2], self.table_top + top_half + 0.001) + PLACE_CLEARANCE
            qpos[i * n:(i + 1) * n, top:top + 3] = goal
        qpos[:, top + 3:top + 7] = yaw_quat(rng.uniform(-np.pi, np.pi, n * k))
        world.sim.reset(None, keyframe="home", qpos=qpos, qvel=np.zeros((n * k, world.model.nv)))
        self.apply_params(world, np.tile(params, (k, 1)))
        ctrl = np.repeat(world.home_ctrl[None], n * k, axis=0)
        for _ in range(SETTLE_STEPS):
            world.sim.ctrl[:] = ctrl
            world.sim.step(world.substeps)
        outcome = world.prop_pos[:, estimate["top_slot"]] - self._rest(estimate)
        outcome[world.sim.diverged] = np.nan
        world.sim.diverged[:] = False
        return outcome

    def hopeless(self, estimate: dict[str, Any], outcomes: np.ndarray) -> str | None:
        up = float(np.mean(np.abs(outcomes[:, 2]) <= HEIGHT_SLACK)) if len(outcomes) else 0.0
        if up >= HOPELESS:
            return None
        if self._imagined_lift:
            grip, lifted = max(self._imagined_lift.items(), key=lambda item: item[1].mean())
            if lifted.mean() < HOPELESS:
                return (f"I cannot lift {self.top_phrase}: even a {grip} grip lifted and carried it in "
                        f"{int(lifted.sum())} of {lifted.size} imagined picks under what I now believe about its mass")
        return f"no attempt is expected to leave {self.top_phrase} on {self.bottom_phrase} ({up:.0%} of imagined ones)"

    def score(self, estimate: dict[str, Any], outcomes: np.ndarray) -> np.ndarray:
        # standing on it is what counts; among stacks, a centred one is steadier
        up = (np.abs(outcomes[..., 2]) <= HEIGHT_SLACK).astype(float)
        return up - 2.0 * np.hypot(outcomes[..., 0], outcomes[..., 1])

    # ----- reality ------------------------------------------------------------------
    def execute(self, env: Any, plan: Plan, on_step: Callable[[Any], None] | None,
                first_step_only: bool = True) -> dict[str, Any]:
        """Pick, then place (one move: the world model predicts where it ends), then home."""
        from embodied.skills.base import get_skill

        report: dict[str, Any] = {"skill": "pick+place", "success": False, "steps": 0}
        try:
            for step in plan.steps:
                result = get_skill(step["skill"]).run(env, on_step=on_step, **step["args"])
                report["steps"] += result.steps
                if not result.success:
                    report["reason"] = f"{step['skill']}: {result.reason}"
                    break
            else:
                report["success"] = True
        except EmbodiedError as error:  # e.g. the pick found no prop where the camera saw it
            report["reason"] = f"{step['skill']}: {error}"
        report["steps"] += get_skill("home").run(env, on_step=on_step).steps  # out of the camera's way
        return report

    def observe_outcome(self, before: dict[str, Any], after: dict[str, Any]) -> np.ndarray:
        if before["bottom"] is None or after["top"] is None:
            return np.full(3, np.nan)
        return after["top"] - self._rest(before)

    def judge(self, env: Any) -> bool:
        task = env.unwrapped.task
        layout = task.layouts[0]
        top, bottom = scene_prop_name(layout, self.top_phrase), scene_prop_name(layout, self.bottom_phrase)
        if top is None or bottom is None or top == bottom:
            return False
        slots = {p.name: p.slot for p in layout.props}
        specs = task.scene.config.props
        top_spec, bottom_spec = specs[slots[top]], specs[slots[bottom]]
        top_pos, bottom_pos = task.prop_pos[0, slots[top]], task.prop_pos[0, slots[bottom]]
        table_top = float(task.scene.table_top)
        centred = np.hypot(*(top_pos[:2] - bottom_pos[:2])) <= bottom_spec.size
        resting = abs(top_pos[2] - bottom_pos[2] - bottom_spec.half_height - top_spec.half_height) <= 0.01
        upright = abs(bottom_pos[2] - table_top - bottom_spec.half_height) <= 0.01  # the bottom on the table
        free = np.linalg.norm(task.ee_pos[0] - top_pos) > HELD_DISTANCE  # not still in the hand
        return bool(centred and resting and upright and free)
