"""Menagerie robots and what embodied knows about each one.

The facts (kind, end effector, gripper, feet, home pose, position gains, mounted camera)
live in `assets/robots.yaml`; this module loads them, resolves names and aliases
("panda" or "franka_emika_panda"), and builds each robot as an editable `mujoco.MjSpec`
through `mujoco_menagerie`, which honours MENAGERIE_ROOT for offline checkouts.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mujoco
import yaml

from embodied.errors import EmbodiedError, UnknownNameError

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ROBOTS_YAML = ASSETS / "robots.yaml"
KINDS = ("arm", "quadruped", "humanoid")


class RobotFilesMissing(EmbodiedError):
    """The robot's Menagerie files are neither in MENAGERIE_ROOT nor downloadable."""


@dataclass(frozen=True)
class RobotInfo:
    """One supported robot, as described in assets/robots.yaml."""

    name: str
    alias: str
    entry: str
    kind: str
    base_body: str
    home_joints: dict[str, float]
    gains: dict[str, dict[str, float]]
    camera: dict[str, Any]
    home_base_height: float | None = None
    attach: dict[str, str] | None = None
    end_effector: dict[str, Any] | None = None
    gripper: dict[str, Any] | None = None
    feet: tuple[str, ...] = ()
    foot_sites: tuple[str, ...] = ()
    reach: dict[str, float] = field(default_factory=dict)
    contact: dict[str, Any] = field(default_factory=dict)

    @property
    def is_legged(self) -> bool:
        return self.kind in ("quadruped", "humanoid")

    @property
    def camera_name(self) -> str:
        return str(self.camera["name"])

    def gains_for(self, joint: str) -> dict[str, float] | None:
        """Position gains {kp, kd} for a joint, from the first matching pattern."""
        for pattern, gains in self.gains.items():
            if fnmatch.fnmatchcase(joint, pattern):
                return gains
        return None


def _parse(name: str, raw: dict[str, Any]) -> RobotInfo:
    where = f"{ROBOTS_YAML} (robot {name!r})"
    try:
        kind = raw["kind"]
        if kind not in KINDS:
            raise UnknownNameError("robot kind", kind, KINDS, where)
        home = raw["home"]
        return RobotInfo(
            name=name,
            alias=raw["alias"],
            entry=raw["entry"],
            kind=kind,
            base_body=raw["base_body"],
            home_joints={k: float(v) for k, v in home["joints"].items()},
            home_base_height=home.get("base_height"),
            gains=raw["gains"],
            camera=raw["camera"],
            attach=raw.get("attach"),
            end_effector=raw.get("end_effector"),
            gripper=raw.get("gripper"),
            feet=tuple(raw.get("feet", ())),
            foot_sites=tuple(raw.get("foot_sites", ())),
            reach=raw.get("reach", {}),
            contact=raw.get("contact", {}),
        )
    except KeyError as missing:
        raise EmbodiedError(f"{where}: missing field {missing}") from None


@functools.cache
def all_robots() -> dict[str, RobotInfo]:
    """Every supported robot by Menagerie name, in the order of robots.yaml."""
    with open(ROBOTS_YAML) as stream:
        raw = yaml.safe_load(stream)["robots"]
    return {name: _parse(name, entry) for name, entry in raw.items()}


def robot_choices() -> list[str]:
    """Every accepted robot name: Menagerie names and aliases."""
    return [n for info in all_robots().values() for n in (info.alias, info.name)]


def get_robot(name: str) -> RobotInfo:
    """The robot called `name` (Menagerie name or alias); raises naming the valid choices."""
    for info in all_robots().values():
        if name in (info.name, info.alias):
            return info
    raise UnknownNameError("robot", name, robot_choices())


def _menagerie_folders(info: RobotInfo) -> list[str]:
    return [info.name] + ([info.attach["robot"]] if info.attach else [])


def robot_files_present(name: str) -> bool:
    """Whether the robot's files (and its attached gripper's) are on this machine."""
    import mujoco_menagerie as mm

    cache = mm.Cache()
    for folder in _menagerie_folders(get_robot(name)):
        robot = mm.get(folder)
        present = (cache.root / folder).is_dir() if cache.root else cache.is_cached(robot)
        if not present:
            return False
    return True


def _menagerie_spec(folder: str, entry: str) -> mujoco.MjSpec:
    import mujoco_menagerie as mm

    try:
        return mm.get(folder).spec(entry)
    except mm.MenagerieError as error:
        root = os.environ.get("MENAGERIE_ROOT")
        where = f"MENAGERIE_ROOT={root} has no folder {folder!r}" if root else f"download failed ({error})"
        raise RobotFilesMissing(
            f"robot files for {folder!r} are missing: {where}. With internet access, unset "
            "MENAGERIE_ROOT and mujoco_menagerie downloads them on first use; offline, set "
            "MENAGERIE_ROOT to a MuJoCo Menagerie checkout that contains this folder."
        ) from None


def _use_position_control(spec: mujoco.MjSpec, info: RobotInfo) -> None:
    """Make every joint actuator a position servo with the robot's gains.

    Motor actuators (torque in, as on the H1) keep their torque limits as force limits and
    take joint angles as controls, so every robot's action means the same thing.
    """
    for actuator in spec.actuators:
        if actuator.trntype != mujoco.mjtTrn.mjTRN_JOINT:
            continue  # tendon-driven grippers keep their own mapping
        joint = spec.joint(actuator.target)
        gains = info.gains_for(joint.name)
        if gains is None:
            continue
        kp, kd = float(gains["kp"]), float(gains.get("kd", 0.0))
        if actuator.biastype == mujoco.mjtBias.mjBIAS_NONE:  # a motor: torque limits become force limits
            actuator.forcelimited = mujoco.mjtLimited.mjLIMITED_TRUE
            actuator.forcerange = list(actuator.ctrlrange)
            actuator.ctrlrange = list(joint.range)
            actuator.ctrllimited = mujoco.mjtLimited.mjLIMITED_TRUE
        actuator.gaintype = mujoco.mjtGain.mjGAIN_FIXED
        actuator.biastype = mujoco.mjtBias.mjBIAS_AFFINE
        actuator.gainprm[0] = kp
        actuator.biasprm[0:3] = [0.0, -kp, -kd]


def add_camera(body: mujoco.MjsBody, name: str, pos: Any, xyaxes: Any, fovy: float) -> mujoco.MjsCamera:
    """Add a camera on `body` looking along the frame given by `xyaxes` (MJCF convention)."""
    camera = body.add_camera(name=name, pos=list(pos), fovy=float(fovy))
    camera.alt.type = mujoco.mjtOrientation.mjORIENTATION_XYAXES
    camera.alt.xyaxes = list(xyaxes)
    return camera


FRICTION_CONES = {"pyramidal": mujoco.mjtCone.mjCONE_PYRAMIDAL, "elliptic": mujoco.mjtCone.mjCONE_ELLIPTIC}


def _friction_cone(info: RobotInfo, cone: str) -> mujoco.mjtCone:
    if cone not in FRICTION_CONES:
        raise EmbodiedError(f"robots.yaml, {info.name}: contact cone {cone!r} is not one of "
                            f"{', '.join(FRICTION_CONES)}")
    return FRICTION_CONES[cone]


def robot_spec(name: str) -> mujoco.MjSpec:
    """The robot as an MjSpec: gripper attached, end-effector site, position servos, camera.

    Menagerie keyframes are removed: the scene adds one "home" keyframe for the whole world.
    """
    info = get_robot(name)
    spec = _menagerie_spec(info.name, info.entry)
    if info.attach:
        child = _menagerie_spec(info.attach["robot"], info.attach["entry"])
        # take the gripper's contact options (it grasps poorly on pyramidal cones) before
        # attaching, so MuJoCo has no conflict to report
        spec.option.cone = child.option.cone
        spec.option.impratio = child.option.impratio
        spec.attach(child, site=spec.site(info.attach["site"]), prefix=info.attach["prefix"])
    if "cone" in info.contact:
        spec.option.cone = _friction_cone(info, info.contact["cone"])
    if "impratio" in info.contact:
        spec.option.impratio = float(info.contact["impratio"])
    if info.end_effector:
        ee = info.end_effector
        spec.body(ee["body"]).add_site(name=ee["site"], pos=list(ee["pos"]), size=[0.005, 0, 0], group=5)
    _use_position_control(spec, info)
    cam = info.camera
    add_camera(spec.body(cam["body"]), cam["name"], cam["pos"], cam["xyaxes"], cam.get("fovy", 60))
    for key in list(spec.keys):
        spec.delete(key)
    return spec


def home_qpos(model: mujoco.MjModel, info: RobotInfo, qpos: Any) -> None:
    """Write the robot's home pose into `qpos` (a length-nq array) of a composed model."""
    for joint, angle in info.home_joints.items():
        qpos[model.joint(joint).qposadr[0]] = angle
    if info.is_legged:
        free = model.body(info.base_body).jntadr[0]
        address = model.jnt_qposadr[free]
        qpos[address : address + 3] = [0.0, 0.0, info.home_base_height]
        qpos[address + 3 : address + 7] = [1.0, 0.0, 0.0, 0.0]


def actuated_joints(model: mujoco.MjModel) -> list[int | None]:
    """For each actuator, the joint it drives (None for tendon-driven ones)."""
    return [
        int(model.actuator_trnid[i, 0]) if model.actuator_trntype[i] == mujoco.mjtTrn.mjTRN_JOINT else None
        for i in range(model.nu)
    ]


def describe(name: str) -> dict[str, Any]:
    """Summary for `embodied robots`: kind, joints, actuators, files present locally."""
    info = get_robot(name)
    summary: dict[str, Any] = {
        "name": info.name,
        "alias": info.alias,
        "kind": info.kind,
        "files_present": robot_files_present(name),
    }
    if summary["files_present"]:
        model = robot_spec(name).compile()
        summary["joints"] = int(model.njnt - (1 if info.is_legged else 0))
        summary["actuators"] = int(model.nu)
    else:
        summary["joints"] = summary["actuators"] = None
    summary["camera"] = info.camera_name
    if info.end_effector:
        summary["end_effector"] = info.end_effector["site"]
    if info.gripper:
        summary["gripper"] = info.gripper["actuator"]
    if info.feet:
        summary["feet"] = list(info.feet)
    return summary
