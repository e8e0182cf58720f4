"""Simulator: answer a SceneSpec by running many sampled MuJoCo worlds as one batch.

Each scene kind has one MJCF model built with `mujoco.MjSpec` (cached per structure); every
sample of every question in a batch is one world of a `BatchSim`. The relative statements of a
spec ("X is heavier than Y") are turned into absolute values by sampling (a ratio of 1.5-5 for
"heavier", ...), put into per-world parameters (body_mass, geom_friction, the ramp's body_quat)
and initial states, stepped, and the asked quantity is measured from the recorded trajectories
(event times are located inside a step by cubic Hermite interpolation of the recorded positions
and velocities). Two values within `TOLERANCE` (relative) count as "the same".

Physics choices (verified against closed form in tests/mindseye/test_physics.py):
- free fall, projection, motion: no contacts, RK4 at 50 ms (exact for constant forces);
  "in air" uses MuJoCo's inertia-box fluid model with air density.
- friction, incline: boxes on slide joints (no tipping); Coulomb friction mu*N acts on the
  slide joint (MuJoCo dry friction, dof_frictionloss) with N = m g cos(angle); on the incline
  the block rests on the ramp through a frictionless contact (RK4 at 20 ms, the contact
  settled before release); on level ground it slides on one joint (RK4 at 10 ms).
- collision: two spheres on one slide line; the contact is a direct spring (solref
  (-k, 0): no damping, restitution 1; Euler at 2 ms) for "elastic", and a heavily over-damped
  one (restitution 0: they move on as one; Euler at 1 ms) for "sticks together".
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError
from embodied.mindseye.spec import SceneSpec
from embodied.sim import BatchSim

G = 9.81
TOLERANCE = 0.02  # relative difference below which two measured values are "the same"
RADIUS = 0.1  # sphere radius (m)
HALF = (0.1, 0.1, 0.05)  # box half sizes (m)
DEFAULT_SAMPLES = 64
MAX_WORLDS = 4096  # worlds per BatchSim chunk

RATIO = {"mass": (1.5, 5.0), "height": (1.3, 3.0), "speed": (1.3, 2.5), "force": (1.5, 4.0),
         "friction": (1.5, 3.0)}


@dataclass
class SimResult:
    """What a batch of simulations of one spec says."""

    outcome: str  # "X", "Y", "same" (or "greater"/"smaller"/"same" for total momentum)
    confidence: float  # fraction of samples agreeing with `outcome`
    samples: int
    values: np.ndarray  # (samples, 2) measured per object (or (samples, 2) before/after)
    outcomes: list[str] = field(default_factory=list)
    rationale: str = ""
    diverged: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "confidence": self.confidence, "samples": self.samples,
                "rationale": self.rationale, "diverged": self.diverged}


# ----- models ----------------------------------------------------------------------------------
def _slide(body: Any, name: str, axis: Sequence[float]) -> None:
    joint = body.add_joint(name=name, type=mujoco.mjtJoint.mjJNT_SLIDE, axis=list(axis))
    joint.solref_friction = [0.01, 1.0]  # stiff dry friction: a sharp stop


def _sphere(body: Any, contype: int = 0, conaffinity: int = 0) -> Any:
    return body.add_geom(type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[RADIUS, 0, 0], mass=1.0,
                         contype=contype, conaffinity=conaffinity)


def _box(body: Any, contype: int = 0, conaffinity: int = 0, pos: Sequence[float] = (0, 0, 0)) -> Any:
    return body.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=list(HALF), mass=1.0,
                         contype=contype, conaffinity=conaffinity, pos=list(pos))


@functools.lru_cache(maxsize=16)
def build_model(scene: str, medium: str = "", collision: str = "") -> mujoco.MjModel:
    """The compiled MuJoCo model of a scene kind (objects X and Y, each on its own joints)."""
    s = mujoco.MjSpec()
    s.modelname = f"mindseye_{scene}"
    opt = s.option
    opt.gravity = [0, 0, -G]
    world = s.worldbody
    world.add_geom(name="floor", type=mujoco.mjtGeom.mjGEOM_PLANE, size=[50, 50, 0.1],
                           contype=0, conaffinity=0, friction=[0, 0, 0])
    if scene in ("free_fall", "projection", "motion"):
        opt.integrator = mujoco.mjtIntegrator.mjINT_RK4
        opt.timestep = 0.05
        if medium == "air":
            opt.density = 1.204
            opt.viscosity = 1.8e-5
        for name, y in (("X", -1.0), ("Y", 1.0)):
            body = world.add_body(name=name, pos=[0, y, 0])
            _slide(body, f"{name}_x", (1, 0, 0))
            if scene == "motion":
                _box(body, pos=(0, 0, HALF[2]))
            else:
                _slide(body, f"{name}_z", (0, 0, 1))
                _sphere(body)
    elif scene == "friction":
        # a block on a level floor: it only slides (the floor's normal force is its weight)
        opt.integrator = mujoco.mjtIntegrator.mjINT_RK4
        opt.timestep = 0.01
        for name, y in (("X", -1.0), ("Y", 1.0)):
            body = world.add_body(name=name, pos=[0, y, HALF[2]])
            _slide(body, f"{name}_x", (1, 0, 0))
            body.joints[0].solref_friction = [0.02, 1.0]
            _box(body)
    elif scene == "incline":
        # RK4 is exact here: the contact's normal force is steady, the slope acceleration constant
        opt.integrator = mujoco.mjtIntegrator.mjINT_RK4
        opt.timestep = 0.02
        opt.cone = mujoco.mjtCone.mjCONE_ELLIPTIC
        for name, y in (("X", -1.0), ("Y", 1.0)):
            ramp = world.add_body(name=f"{name}_ramp", pos=[0, y, 0])
            ramp.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=[30, 0.5, 0.05], pos=[0, 0, -0.05],
                          contype=1, conaffinity=1, friction=[0, 0, 0], condim=1)
            block = ramp.add_body(name=name, pos=[0, 0, HALF[2]])
            _slide(block, f"{name}_x", (1, 0, 0))
            _slide(block, f"{name}_z", (0, 0, 1))
            geom = _box(block, contype=2, conaffinity=0)
            geom.condim, geom.friction = 1, [0, 0, 0]
    elif scene == "collision":
        opt.integrator = mujoco.mjtIntegrator.mjINT_EULER
        opt.timestep = 0.002 if collision == "elastic" else 0.001  # stiff damping needs the smaller step
        opt.gravity = [0, 0, 0]
        if collision == "elastic":
            solref, solimp = [-2.0e4, 0.0], [0.99, 0.99, 0.001, 0.5, 2]
        else:
            solref, solimp = [-2.0e4, -1000.0], [0.99, 0.99, 0.001, 0.5, 2]
        for name, x in (("X", -0.5), ("Y", 0.0)):
            body = world.add_body(name=name, pos=[x, 0, RADIUS])
            _slide(body, f"{name}_x", (1, 0, 0))
            geom = _sphere(body, contype=1, conaffinity=1)
            geom.friction = [0, 0, 0]
            geom.condim = 1
            geom.solref = solref
            geom.solimp = solimp
    else:  # pragma: no cover - SceneSpec validates the scene
        raise EmbodiedError(f"unknown scene {scene!r}")
    return s.compile()


@functools.lru_cache(maxsize=8)
def _cached_sim(key: tuple, num_worlds: int) -> BatchSim:
    return BatchSim(build_model(*key), num_worlds=num_worlds, backend="cpu")


def _dofs(model: mujoco.MjModel, name: str) -> dict[str, int]:
    out = {}
    for axis in ("x", "z"):
        jid = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT, f"{name}_{axis}")
        if jid >= 0:
            out[axis] = int(model.jnt_dofadr[jid])
    return out


# ----- sampling --------------------------------------------------------------------------------
def _pair(rng: np.random.Generator, n: int, base: tuple[float, float], ratio: tuple[float, float],
          varied: bool, greater: str | None) -> np.ndarray:
    """(n, 2) values for X, Y: equal when not varied, else one is `ratio` times the other."""
    low = rng.uniform(*base, size=n)
    out = np.stack([low, low], axis=1)
    if varied and greater is not None:
        out[:, 0 if greater == "X" else 1] = low * rng.uniform(*ratio, size=n)
    return out


def _angles(rng: np.random.Generator, n: int, low: tuple[float, float], gap: tuple[float, float],
            cap: float, varied: bool, greater: str | None) -> np.ndarray:
    a = rng.uniform(*low, size=n)
    out = np.stack([a, a], axis=1)
    if varied and greater is not None:
        out[:, 0 if greater == "X" else 1] = np.minimum(a + rng.uniform(*gap, size=n), cap)
    return np.radians(out)


def sample_values(spec: SceneSpec, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Absolute per-object values consistent with the spec's relations, each (n, 2)."""
    scene, attr, greater = spec.scene, spec.attribute, spec.greater

    def pair(name: str, base: tuple[float, float]) -> np.ndarray:
        return _pair(rng, n, base, RATIO.get(name, (1.5, 3.0)), attr == name, greater)

    v: dict[str, np.ndarray] = {}
    if scene == "free_fall":
        air = spec.condition("medium") == "air"
        v["mass"] = pair("mass", (0.02, 0.1) if air else (0.5, 5.0))
        v["height"] = pair("height", (5.0, 15.0) if air else (0.5, 3.0))
        if attr == "speed" or spec.quantity == "rises_higher":
            v["speed"] = pair("speed", (1.5, 4.0))
            v["height"][:] = 0.0
        else:
            v["speed"] = np.zeros((n, 2))
    elif scene == "projection":
        v["mass"] = pair("mass", (0.5, 5.0))
        if attr == "angle" or spec.quantity in ("rises_higher", "longer_in_air"):
            v["angle"] = _angles(rng, n, (15, 55), (8, 30), 80, attr == "angle", greater)
            v["speed"] = pair("speed", (3.0, 8.0))
            v["height"] = np.zeros((n, 2))
        else:
            v["angle"] = np.zeros((n, 2))
            v["speed"] = pair("speed", (1.0, 6.0))
            v["height"] = pair("height", (0.5, 3.0))
    elif scene == "motion":
        v["mass"] = pair("mass", (0.5, 5.0))
        push = spec.condition("push") or attr == "force"
        v["force"] = pair("force", (1.0, 10.0)) if push else np.zeros((n, 2))
        v["speed"] = pair("speed", (0.5, 3.0)) if (attr == "speed" or not push) else np.zeros((n, 2))
        v["duration"] = np.repeat(rng.uniform(1.0, 2.0, size=(n, 1)), 2, axis=1)
    elif scene == "friction":
        v["mass"] = pair("mass", (0.5, 5.0))
        v["friction"] = pair("friction", (0.3, 0.6))
        v["speed"] = _pair(rng, n, (1.0, 1.5), (1.3, 2.0), attr == "speed", greater)
    elif scene == "incline":
        v["mass"] = pair("mass", (0.5, 5.0))
        v["angle"] = _angles(rng, n, (25, 45), (8, 20), 70, attr == "angle", greater)
        v["height"] = _pair(rng, n, (0.2, 0.5), (1.3, 2.5), attr == "height", greater)
        if attr == "friction":  # shallow enough that friction changes the motion by more than 2%
            v["angle"][:] = np.radians(rng.uniform(30, 45, size=(n, 1)))
            v["friction"] = _pair(rng, n, (0.1, 0.2), (1.5, 2.5), True, greater)
            limit = 0.8 * np.tan(v["angle"])
            v["friction"] = np.minimum(v["friction"], limit)
        else:
            v["friction"] = np.zeros((n, 2))
    elif scene == "collision":
        ratio = (2.0, 6.0) if spec.quantity == "reverses_direction" else RATIO["mass"]
        v["mass"] = _pair(rng, n, (0.5, 3.0), ratio, attr == "mass", greater)
        mover = 0 if spec.condition("mover") == "X" else 1
        speed = np.zeros((n, 2))
        speed[:, mover] = rng.uniform(1.0, 3.0, size=n)
        if spec.quantity == "total_momentum_after":  # any speeds: the target may move too
            speed[:, 1 - mover] = -rng.uniform(0.0, 0.5, size=n) * speed[:, mover] * rng.integers(0, 2, size=n)
        v["speed"] = speed  # towards the other object
        v["gap"] = np.repeat(rng.uniform(0.02, 0.1, size=(n, 1)), 2, axis=1)
    return v


# ----- trajectories ----------------------------------------------------------------------------
def _run(sim: BatchSim, dofs: list[dict[str, int]], steps: int,
         done: Callable[[np.ndarray, np.ndarray], bool] | None = None,
         stride: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Step `steps` times, recording qpos/qvel of the listed dofs every `stride` steps.

    Returns arrays (records, N, nobj, 2); record k is the state after k * stride steps.
    Stepping in blocks saves the per-call cost; the events measured between records are
    located by Hermite interpolation, exact for the constant accelerations of those scenes.
    """
    cols = [[d.get("x", 0), d.get("z", d.get("x", 0))] for d in dofs]
    index = np.array(cols)  # (nobj, 2) dof ids (qpos == dof ids for slide joints here)
    pos = [sim.qpos[:, index].copy()]
    vel = [sim.qvel[:, index].copy()]
    taken = 0
    check_every = max(1, 20 // stride)
    while taken < steps:
        n = min(stride, steps - taken)
        sim.step(n)
        taken += n
        pos.append(sim.qpos[:, index].copy())
        vel.append(sim.qvel[:, index].copy())
        if done is not None and len(pos) % check_every == 0 and done(pos[-1], vel[-1]):
            break
    return np.stack(pos), np.stack(vel)


def _hermite_cross(p: np.ndarray, v: np.ndarray, dt: float, level: np.ndarray | float,
                   from_above: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First crossing of `level` by a trajectory p (T, N) with velocities v.

    Returns (time, interpolation step index n, fraction s in [0, 1]); NaN time if never.
    """
    d = p - level
    if from_above:
        hit = (d[:-1] > 0) & (d[1:] <= 0)
    else:
        hit = (d[:-1] < 0) & (d[1:] >= 0)
    any_hit = hit.any(axis=0)
    n = np.argmax(hit, axis=0)
    cols = np.arange(p.shape[1])
    p0, p1 = d[n, cols], d[n + 1, cols]
    m0, m1 = v[n, cols] * dt, v[n + 1, cols] * dt
    lo, hi = np.zeros_like(p0), np.ones_like(p0)
    for _ in range(40):
        s = 0.5 * (lo + hi)
        h = _hermite(p0, p1, m0, m1, s)
        above = h > 0 if from_above else h < 0
        lo = np.where(above, s, lo)
        hi = np.where(above, hi, s)
    s = 0.5 * (lo + hi)
    t = np.where(any_hit, (n + s) * dt, np.nan)
    return t, n, s


def _hermite(p0: np.ndarray, p1: np.ndarray, m0: np.ndarray, m1: np.ndarray, s: np.ndarray) -> np.ndarray:
    s2, s3 = s * s, s * s * s
    return ((2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1
            + (s3 - s2) * m1)


def _at(a: np.ndarray, n: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Linear interpolation of a (T, N) at step n + s."""
    cols = np.arange(a.shape[1])
    n1 = np.minimum(n + 1, a.shape[0] - 1)
    return a[n, cols] * (1 - s) + a[n1, cols] * s


def _hermite_at(p: np.ndarray, v: np.ndarray, dt: float, n: np.ndarray, s: np.ndarray) -> np.ndarray:
    cols = np.arange(p.shape[1])
    n1 = np.minimum(n + 1, p.shape[0] - 1)
    return _hermite(p[n, cols], p[n1, cols], v[n, cols] * dt, v[n1, cols] * dt, s)


# ----- per-scene simulation of a stack of sampled worlds ----------------------------------------
def _set_mass(sim: BatchSim, model: mujoco.MjModel, mass: np.ndarray) -> None:
    """Per-world masses (N, 2) of X and Y, with inertia scaled to keep the shape."""
    ids = [mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, n) for n in ("X", "Y")]
    body_mass = sim.param("body_mass").copy()
    inertia = sim.param("body_inertia").copy()
    for j, b in enumerate(ids):
        scale = mass[:, j] / model.body_mass[b]
        body_mass[:, b] = mass[:, j]
        inertia[:, b] = model.body_inertia[b] * scale[:, None]
    sim.set_param("body_inertia", inertia)
    sim.set_param("body_mass", body_mass)


def simulate_values(scene: str, key: tuple, v: dict[str, np.ndarray],
                    measures: Sequence[str] = ()) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Run the worlds described by stacked sampled values `v` (each (N, 2)).

    Returns every quantity the scene measures ((N, 2) each, or (N,) for flags) and the
    per-world divergence mask.
    """
    n = len(v["mass"])
    model = build_model(*key)
    sim = _cached_sim(key, n)
    dt = model.opt.timestep
    dofs = [_dofs(model, "X"), _dofs(model, "Y")]
    sim.reset()
    _set_mass(sim, model, v["mass"])
    qpos = np.zeros((n, model.nq))
    qvel = np.zeros((n, model.nv))
    out: dict[str, np.ndarray] = {}
    if scene in ("free_fall", "projection"):
        angle = v.get("angle", np.zeros((n, 2)))
        speed, height = v["speed"], v["height"]
        for j, d in enumerate(dofs):
            qpos[:, d["z"]] = height[:, j]
            if scene == "free_fall":
                qvel[:, d["z"]] = speed[:, j]
            else:
                qvel[:, d["x"]] = speed[:, j] * np.cos(angle[:, j])
                qvel[:, d["z"]] = speed[:, j] * np.sin(angle[:, j])
        vz0 = np.maximum(qvel[:, [dofs[0]["z"], dofs[1]["z"]]], 0)
        horizon = (vz0 + np.sqrt(vz0**2 + 2 * G * height)) / G
        slack = 1.2 if model.opt.density == 0 else 6.0  # drag makes falls slower
        steps = int(np.ceil(horizon.max() * slack / dt)) + 5
        sim.reset(qpos=qpos, qvel=qvel)
        # in vacuum the flight is exactly quadratic: Hermite interpolation is exact between records
        stride = 4 if model.opt.density == 0 else 1
        pos, vel = _run(sim, dofs, steps, done=lambda p, _v: bool((p[..., 1] < -0.01).all()), stride=stride)
        dt = dt * stride  # time between records
        for name in ("landing_time", "impact_speed", "range", "air_time", "apex_height"):
            out[name] = np.full((n, 2), np.nan)
        for j in range(2):
            z, vz, x, vx = pos[:, :, j, 1], vel[:, :, j, 1], pos[:, :, j, 0], vel[:, :, j, 0]
            t, k, s = _hermite_cross(z, vz, dt, 0.0)
            out["landing_time"][:, j] = t
            out["air_time"][:, j] = t
            out["impact_speed"][:, j] = np.hypot(_at(vx, k, s), _at(vz, k, s))
            out["range"][:, j] = _hermite_at(x, vx, dt, k, s)
            ta, ka, sa = _hermite_cross(vz, np.gradient(vz, dt, axis=0), dt, 0.0)
            apex = _hermite_at(z, vz, dt, ka, sa)
            out["apex_height"][:, j] = np.where(np.isnan(ta), z.max(axis=0), apex)
        out["impact_ke"] = 0.5 * v["mass"] * out["impact_speed"] ** 2
        out["impact_momentum"] = v["mass"] * out["impact_speed"]
    elif scene == "motion":
        stride = 4
        rec = stride * dt
        records_t = np.maximum(np.round(v["duration"][:, 0] / rec).astype(int), 1)
        v["duration"][:] = (records_t * rec)[:, None]  # the push lasts a whole number of records
        steps_t = records_t * stride
        for j, d in enumerate(dofs):
            qvel[:, d["x"]] = v["speed"][:, j]
        sim.reset(qpos=qpos, qvel=qvel)
        for j, d in enumerate(dofs):
            sim.qfrc_applied[:, d["x"]] = v["force"][:, j]
        pos, vel = _run(sim, dofs, int(steps_t.max()), stride=stride)
        sim.qfrc_applied[:] = 0
        cols = np.arange(n)
        t = records_t * rec
        for name in ("distance", "final_speed", "acceleration"):
            out[name] = np.zeros((n, 2))
        for j in range(2):
            x_end, v_end = pos[records_t, cols, j, 0], vel[records_t, cols, j, 0]
            out["distance"][:, j] = x_end - pos[0, :, j, 0]
            out["final_speed"][:, j] = np.abs(v_end)
            out["acceleration"][:, j] = (v_end - vel[0, :, j, 0]) / t
        out["momentum"] = v["mass"] * out["final_speed"]
    elif scene in ("friction", "incline"):
        incline = scene == "incline"
        if incline:
            ramp_ids = [mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, f"{o}_ramp") for o in "XY"]
            quat = sim.param("body_quat").copy()
            for j, b in enumerate(ramp_ids):  # rotate about y so local +x points up the slope
                half = -v["angle"][:, j] / 2
                quat[:, b] = np.stack([np.cos(half), np.zeros(n), np.sin(half), np.zeros(n)], 1)
            sim.set_param("body_quat", quat)
            start = v["height"] / np.sin(v["angle"])
        else:
            start = np.zeros((n, 2))
        # Coulomb friction of the sliding block: a dry-friction force mu * N on its slide joint,
        # N = m g cos(angle) being the normal force of a flat surface (the contact itself is
        # frictionless: MuJoCo's soft contact friction lifts a fast-sliding block).
        normal = v["mass"] * G * (np.cos(v["angle"]) if incline else 1.0)
        frictionloss = sim.param("dof_frictionloss").copy()
        for j, d in enumerate(dofs):
            frictionloss[:, d["x"]] = v["friction"][:, j] * normal[:, j]
        sim.set_param("dof_frictionloss", frictionloss)
        for j, d in enumerate(dofs):
            qpos[:, d["x"]] = start[:, j]
        sim.reset(qpos=qpos, qvel=qvel)
        xcols = [d["x"] for d in dofs]
        for _ in range(10 if incline else 0):  # let the contact settle, objects held in place
            sim.step(1)
            sim.qpos[:, xcols] = start
            sim.qvel[:, xcols] = 0.0
        if not incline:
            sim.qvel[:, xcols] = v["speed"]
        if incline:
            acc = G * (np.sin(v["angle"]) - v["friction"] * np.cos(v["angle"]))
            horizon = np.sqrt(2 * start / np.maximum(acc, 0.05))
        else:
            horizon = v["speed"] / (np.maximum(v["friction"], 0.02) * G)
        steps = int(np.ceil(horizon.max() * 1.1 / dt)) + 10
        if incline:
            def done(p: np.ndarray, _v: np.ndarray) -> bool:
                return bool((p[..., 0] < -0.01).all())
        else:
            def done(_p: np.ndarray, vv: np.ndarray) -> bool:
                return bool((vv[..., 0] < 1e-3 * vv[..., 0].max()).all() or (vv[..., 0] < 1e-4).all())
        stride = 5 if incline else 1  # the incline's constant acceleration is exact between records
        pos, vel = _run(sim, dofs, steps, done, stride)
        dt = dt * stride  # time between records
        k1 = max(1, int(round(0.05 / dt)))
        for name in ("distance", "stop_time", "deceleration", "bottom_time", "bottom_speed",
                     "acceleration"):
            out[name] = np.full((n, 2), np.nan)
        for j in range(2):
            x, vx = pos[:, :, j, 0], vel[:, :, j, 0]
            if incline:
                t, k, s = _hermite_cross(x, vx, dt, 0.0)
                out["bottom_time"][:, j] = t
                out["bottom_speed"][:, j] = np.abs(_at(vx, k, s))
                out["acceleration"][:, j] = -vx[k1] / (k1 * dt)
            else:
                # the stop: where the speed, extrapolated at the mean deceleration from the moment
                # it falls to 10% of the start speed, reaches zero (dry friction is soft at ~0)
                t, k, s = _hermite_cross(vx, np.gradient(vx, dt, axis=0), dt, 0.1 * vx[0])
                out["stop_time"][:, j] = t / 0.9
                out["distance"][:, j] = x[-1] - x[0]
                out["deceleration"][:, j] = (vx[0] - vx[k1]) / (k1 * dt)
    elif scene == "collision":
        # X starts left of Y; positive speed of X and negative speed of Y mean "towards"
        gap = v["gap"][:, 0]
        dx, dy = dofs[0]["x"], dofs[1]["x"]
        qpos[:, dx] = 0.5 - 2 * RADIUS - gap  # body X sits at x = -0.5 by default
        qvel[:, dx] = v["speed"][:, 0]
        qvel[:, dy] = -v["speed"][:, 1]
        closing = np.maximum(qvel[:, dx] - qvel[:, dy], 1e-3)
        steps = int(np.ceil((gap / closing).max() / dt + 0.12 / dt))
        sim.reset(qpos=qpos, qvel=qvel)
        pos, vel = _run(sim, dofs, steps, stride=steps)  # only the state after the collision is read
        before = qvel[:, [dx, dy]]
        after = vel[-1, :, :, 0]
        out["speed_after"] = np.abs(after)
        out["momentum_after"] = v["mass"] * np.abs(after)
        out["ke_after"] = 0.5 * v["mass"] * after**2
        out["total_momentum"] = np.stack([(v["mass"] * before).sum(1), (v["mass"] * after).sum(1)], 1)
        reversed_ = (np.sign(before) * after < -1e-3 * np.abs(before).max(1, keepdims=True)) & (
            np.abs(before) > 0)
        out["reverses"] = reversed_.astype(float)
        out["velocity_after"] = after
    diverged = sim.diverged.copy()
    if measures:
        out = {k: out[k] for k in measures}
    return out, diverged


# ----- outcomes --------------------------------------------------------------------------------
def outcomes_of(spec: SceneSpec, values: np.ndarray, tol: float = TOLERANCE) -> list[str]:
    """Per-sample outcome for the asked quantity: "X", "Y", "same" (or greater/smaller/same)."""
    a, b = values[:, 0], values[:, 1]
    pick = spec.pick
    if pick == "compare":  # (before, after)
        close = np.abs(b - a) <= tol * np.maximum(np.abs(a), np.abs(b))
        return ["same" if c else ("greater" if y > x else "smaller") for c, x, y in zip(close, a, b)]
    if pick == "flag":
        return ["same" if x == y else ("X" if x > y else "Y") for x, y in zip(a, b)]
    close = np.abs(a - b) <= tol * np.maximum(np.abs(a), np.abs(b))
    out = []
    for c, x, y in zip(close, a, b):
        if not (np.isfinite(x) and np.isfinite(y)):
            out.append("invalid")
        elif c:
            out.append("same")
        elif (x < y) == (pick == "min"):
            out.append("X")
        else:
            out.append("Y")
    return out


_PHRASES = {
    "landing_time": ("reached the ground after", "s"),
    "impact_speed": ("hit the ground at", "m/s"),
    "impact_ke": ("had a kinetic energy at impact of", "J"),
    "impact_momentum": ("had a momentum at impact of", "kg m/s"),
    "apex_height": ("rose to", "m"),
    "range": ("landed at a horizontal distance of", "m"),
    "air_time": ("stayed in the air for", "s"),
    "acceleration": ("accelerated at", "m/s^2"),
    "final_speed": ("ended at", "m/s"),
    "distance": ("travelled", "m"),
    "momentum": ("ended with a momentum of", "kg m/s"),
    "stop_time": ("stopped after", "s"),
    "deceleration": ("slowed at", "m/s^2"),
    "bottom_time": ("reached the bottom after", "s"),
    "bottom_speed": ("reached the bottom at", "m/s"),
    "speed_after": ("moved after the collision at", "m/s"),
    "momentum_after": ("had a momentum after the collision of", "kg m/s"),
    "ke_after": ("had a kinetic energy after the collision of", "J"),
}

_RELATION = {"mass": ("heavier", "lighter"), "height": ("higher", "lower"),
             "speed": ("faster", "slower"), "angle": ("steeper", "shallower"),
             "force": ("pushed harder", "pushed less hard"), "friction": ("rougher", "smoother")}


def rationale_of(spec: SceneSpec, values: np.ndarray, outcome: str, agree: int, n: int) -> str:
    """Words with the measured numbers (medians over the samples)."""
    x, y = spec.objects["X"], spec.objects["Y"]
    head = f"Simulated {n} times"
    if spec.greater is not None and spec.attribute in _RELATION:
        big, small = (x, y) if spec.greater == "X" else (y, x)
        head += f" with {big} {_RELATION[spec.attribute][0]} than {small}"
    med = np.nanmedian(values, axis=0)
    if spec.measure == "total_momentum":
        word = {"same": "the same as", "greater": "greater than", "smaller": "smaller than"}[outcome]
        body = (f"the total momentum after the collision ({med[1]:.2f} kg m/s) was {word} "
                f"before ({med[0]:.2f} kg m/s)")
    elif spec.measure == "reverses":
        who = {"X": f"{x} reversed direction", "Y": f"{y} reversed direction",
               "same": "neither or both reversed direction"}[outcome]
        body = who
    else:
        phrase, unit = _PHRASES[spec.measure]
        body = f"{x} {phrase} {med[0]:.2f} {unit} and {y} {med[1]:.2f} {unit} (median)"
        if outcome == "same":
            body += f"; they were the same within {TOLERANCE:.0%}"
        elif outcome in ("X", "Y"):
            body += f"; {spec.objects[outcome]} {_winner_phrase(spec)}"
    return f"{head}: {body} (in {agree} of {n} samples)."


def _winner_phrase(spec: SceneSpec) -> str:
    return {
        "lands_first": "landed first", "faster_at_impact": "was faster at impact",
        "more_ke_at_impact": "had more kinetic energy", "more_momentum_at_impact": "had more momentum",
        "rises_higher": "rose higher", "lands_farther": "landed farther",
        "longer_in_air": "stayed in the air longer", "accelerates_more": "accelerated more",
        "faster_at_end": "ended faster", "goes_farther": "went farther",
        "more_momentum": "had more momentum", "slides_farther": "slid farther",
        "stops_first": "stopped first", "decelerates_more": "slowed at the greater rate",
        "reaches_bottom_first": "reached the bottom first", "faster_at_bottom": "was faster at the bottom",
        "faster_after": "was faster after", "more_momentum_after": "had more momentum after",
        "more_ke_after": "had more kinetic energy after",
    }.get(spec.quantity, "won")


def summarise(spec: SceneSpec, values: np.ndarray, diverged: np.ndarray) -> SimResult:
    """Majority outcome, agreement and rationale from per-sample measured values."""
    outs = outcomes_of(spec, values)
    valid = [o for o, d in zip(outs, diverged) if o != "invalid" and not d]
    n = len(outs)
    if not valid:
        raise EmbodiedError(f"every simulation of this question failed ({n} samples)")
    counts: dict[str, int] = {}
    for o in valid:
        counts[o] = counts.get(o, 0) + 1
    outcome = max(counts, key=lambda o: counts[o])
    agree = counts[outcome]
    return SimResult(outcome, agree / n, n, values, outs, rationale_of(spec, values, outcome, agree, n),
                     int(diverged.sum()))


def simulate_many(specs: Sequence[SceneSpec], samples: int = DEFAULT_SAMPLES, seed: int = 0,
                  progress: Callable[[int], None] | None = None) -> list[SimResult]:
    """Simulate every spec with `samples` sampled worlds; specs of one structure share batches."""
    if samples < 1:
        raise EmbodiedError(f"samples must be at least 1, got {samples}")
    results: list[SimResult | None] = [None] * len(specs)
    groups: dict[tuple, list[int]] = {}
    for i, spec in enumerate(specs):
        # questions of one kind have similar durations: batch them together
        groups.setdefault((spec.structure_key(), spec.attribute, spec.quantity), []).append(i)
    per_chunk = max(1, MAX_WORLDS // samples)
    for key, members in groups.items():
        for start in range(0, len(members), per_chunk):
            chunk = members[start:start + per_chunk]
            sampled = []
            for i in chunk:
                rng = np.random.default_rng([seed, i, samples])
                sampled.append(sample_values(specs[i], samples, rng))
            keys = set().union(*(s.keys() for s in sampled))
            stacked = {k: np.concatenate([s.get(k, np.zeros((samples, 2))) for s in sampled])
                       for k in keys}
            measured, diverged = simulate_values(key[0][0], key[0], stacked)
            for c, i in enumerate(chunk):
                rows = slice(c * samples, (c + 1) * samples)
                values = measured[specs[i].measure][rows]
                results[i] = summarise(specs[i], values, diverged[rows])
            if progress is not None:
                progress(len(chunk))
    return [r for r in results if r is not None]


def simulate(spec: SceneSpec, samples: int = DEFAULT_SAMPLES, seed: int = 0) -> SimResult:
    """Simulate one spec (see `simulate_many`)."""
    return simulate_many([spec], samples, seed)[0]


def closed_form(spec: SceneSpec, v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Textbook values of the measured quantities for sampled values `v` (no air, exact)."""
    out: dict[str, np.ndarray] = {}
    m = v["mass"]
    if spec.scene in ("free_fall", "projection"):
        ang = v.get("angle", np.zeros_like(m))
        s, h = v["speed"], v["height"]
        vz0 = s if spec.scene == "free_fall" else s * np.sin(ang)
        vx0 = np.zeros_like(s) if spec.scene == "free_fall" else s * np.cos(ang)
        t = (vz0 + np.sqrt(vz0**2 + 2 * G * h)) / G
        out["landing_time"] = out["air_time"] = t
        out["impact_speed"] = np.hypot(vx0, vz0 - G * t)
        out["range"] = vx0 * t
        out["apex_height"] = h + np.maximum(vz0, 0) ** 2 / (2 * G)
        out["impact_ke"] = 0.5 * m * out["impact_speed"] ** 2
        out["impact_momentum"] = m * out["impact_speed"]
    elif spec.scene == "motion":
        a = v["force"] / m
        t = v["duration"]
        out["acceleration"] = a
        out["final_speed"] = v["speed"] + a * t
        out["distance"] = v["speed"] * t + 0.5 * a * t**2
        out["momentum"] = m * out["final_speed"]
    elif spec.scene == "friction":
        d = v["friction"] * G
        out["deceleration"] = d
        out["stop_time"] = v["speed"] / d
        out["distance"] = v["speed"] ** 2 / (2 * d)
    elif spec.scene == "incline":
        a = G * (np.sin(v["angle"]) - v["friction"] * np.cos(v["angle"]))
        length = v["height"] / np.sin(v["angle"])
        out["acceleration"] = a
        out["bottom_time"] = np.sqrt(2 * length / a)
        out["bottom_speed"] = np.sqrt(2 * a * length)
    elif spec.scene == "collision":
        u1, u2 = v["speed"][:, 0], -v["speed"][:, 1]
        m1, m2 = m[:, 0], m[:, 1]
        if spec.condition("collision") == "elastic":
            w1 = ((m1 - m2) * u1 + 2 * m2 * u2) / (m1 + m2)
            w2 = ((m2 - m1) * u2 + 2 * m1 * u1) / (m1 + m2)
        else:
            w1 = w2 = (m1 * u1 + m2 * u2) / (m1 + m2)
        after = np.stack([w1, w2], 1)
        out["velocity_after"] = after
        out["speed_after"] = np.abs(after)
        out["momentum_after"] = m * np.abs(after)
        out["ke_after"] = 0.5 * m * after**2
        p0 = m1 * u1 + m2 * u2
        out["total_momentum"] = np.stack([p0, (m * after).sum(1)], 1)
    return out


def physics_check(spec: SceneSpec, samples: int = 16, seed: int = 0) -> dict[str, float]:
    """Largest relative error of each simulated quantity against closed form (for tests)."""
    rng = np.random.default_rng(seed)
    v = sample_values(spec, samples, rng)
    sim, diverged = simulate_values(spec.scene, spec.structure_key(), v)
    ref = closed_form(spec, v)
    errors = {}
    for name, expected in ref.items():
        if name not in sim:
            continue
        got = sim[name]
        scale = np.maximum(np.abs(expected), 1e-9)
        if spec.scene == "collision":  # a body may end (nearly) at rest: compare to the pair's scale
            scale = np.maximum(scale, np.abs(expected).max(1, keepdims=True))
        errors[name] = float(np.nanmax(np.abs(got - expected) / scale))
    errors["diverged"] = float(diverged.sum())
    return errors


def check_speed_limits(values: dict[str, float]) -> None:
    """Reject absurd stated values (used by the converter when a question gives numbers)."""
    limits = {"speed": (0.0, 1000.0, "m/s"), "height": (0.0, 10000.0, "m"),
              "mass": (1e-6, 1e6, "kg"), "angle": (0.0, 90.0, "degrees"),
              "friction": (0.0, 5.0, "")}
    for name, value in values.items():
        low, high, unit = limits[name]
        if not (low <= value <= high) or math.isnan(value):
            raise EmbodiedError(
                f"{name} {value:g} {unit} is outside what this simulator models "
                f"({low:g} to {high:g} {unit}); state it in relative terms or a realistic value"
            )
