"""Scene composition with `mujoco.MjSpec`: a robot plus floor, light, table, props, cameras.

A scene is built once per task into one MjModel that every batched world shares. What
changes from episode to episode (which props are out, their colours, where they stand,
where a target marker is) is state, not model: props are free bodies that wait parked
off-stage until a layout puts them on the table, colours are applied when rendering, and
markers are mocap bodies. So `sample_layout(seed)` gives the same scene in `embodied
scene --seed S` and in `env.reset(seed=S)`, for one world or thousands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError, check_choice
from embodied.robots import RobotInfo, add_camera, get_robot, home_qpos, robot_spec

COLORS: dict[str, tuple[float, float, float, float]] = {
    "red": (0.85, 0.12, 0.12, 1.0),
    "green": (0.15, 0.70, 0.20, 1.0),
    "blue": (0.15, 0.30, 0.90, 1.0),
    "yellow": (0.95, 0.85, 0.10, 1.0),
    "orange": (1.00, 0.50, 0.05, 1.0),
    "purple": (0.55, 0.20, 0.75, 1.0),
    "white": (0.95, 0.95, 0.95, 1.0),
    "black": (0.08, 0.08, 0.08, 1.0),
}
SHAPES = ("cube", "ball", "cylinder")
TABLE_HEIGHT = 0.6
TABLE_HALF = (0.7, 0.75, 0.025)  # table top half-extents; its centre is at x = 0.45
TABLE_CENTER_X = 0.45
OVERVIEW_CAMERA = "overview"
PARK_X = -3.0  # parked props wait in a row here, out of every camera's view


@dataclass(frozen=True)
class PropSpec:
    """A prop slot in the model: shape, size (half-extent or radius, metres), mass (kg).

    `color` fixes the colour; None lets each episode draw one. `name` fixes the scene
    name; None names it "<color>_<shape>".
    """

    shape: str
    size: float = 0.025
    mass: float = 0.1
    color: str | None = None
    name: str | None = None

    def __post_init__(self) -> None:
        check_choice("prop shape", self.shape, SHAPES)
        if self.color is not None:
            check_choice("colour", self.color, COLORS)
        if not (0.005 <= self.size <= 0.5):
            raise EmbodiedError(f"prop size {self.size} m is outside 0.005..0.5")
        if not (0.001 <= self.mass <= 100):
            raise EmbodiedError(f"prop mass {self.mass} kg is outside 0.001..100")

    @property
    def half_height(self) -> float:
        return self.size * 1.2 if self.shape == "cylinder" else self.size

    @property
    def footprint(self) -> float:
        """Radius of the circle the prop covers on the table (for overlap checks)."""
        return self.size * (np.sqrt(2.0) if self.shape == "cube" else 1.0)


@dataclass(frozen=True)
class SceneConfig:
    """What a task's scene contains; built from the `scene:` section of a task file."""

    robot: str
    table: bool = False
    props: tuple[PropSpec, ...] = ()
    prop_count: tuple[int, int] | None = None  # active props per episode; None: all
    colors: tuple[str, ...] = tuple(COLORS)
    soccer_ball: bool = False
    goal: bool = False
    goal_position: tuple[float, float] = (4.0, 0.0)
    markers: tuple[str, ...] = ()  # names of flat target markers (mocap bodies)
    marker_distance: tuple[float, float] | None = None  # markers this far from the first prop (m); None: anywhere
    floor_props_radius: tuple[float, float] = (1.0, 2.5)  # legged robots: prop ring
    timestep: float | None = None  # physics step (s); None keeps the robot file's

    def __post_init__(self) -> None:
        for color in self.colors:
            check_choice("colour", color, COLORS)
        count = self.prop_count or (len(self.props), len(self.props))
        if not 0 <= count[0] <= count[1] <= len(self.props):
            raise EmbodiedError(
                f"prop_count {list(count)} must satisfy 0 <= min <= max <= {len(self.props)} (the props listed)"
            )


@dataclass
class PropPlacement:
    """One prop as it stands in one episode: what the `scene` command prints."""

    name: str
    color: str
    shape: str
    slot: int
    position: list[float]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "color": self.color, "shape": self.shape,
                "position": [round(float(v), 4) for v in self.position]}


@dataclass
class Layout:
    """Everything random about one episode's scene."""

    props: list[PropPlacement]
    prop_yaw: np.ndarray  # per slot
    markers: dict[str, list[float]] = field(default_factory=dict)
    ball: list[float] | None = None


@dataclass
class Scene:
    """A compiled scene: the model and the addresses task code needs."""

    config: SceneConfig
    robot: RobotInfo
    model: mujoco.MjModel
    prop_bodies: list[int]
    prop_geoms: list[int]
    prop_qpos: list[int]  # qpos address of each prop's free joint
    prop_dofs: list[int]
    park_positions: np.ndarray  # (nslot, 3)
    marker_mocap: dict[str, int]
    ball_body: int | None
    ball_qpos: int | None
    home_qpos: np.ndarray
    table_top: float

    @property
    def cameras(self) -> list[str]:
        return [self.model.camera(i).name for i in range(self.model.ncam)]

    def sample_layout(self, seed: int | np.random.Generator) -> Layout:
        """The episode's random layout, a pure function of the seed."""
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        return _sample_layout(self, rng)


def look_at(position: Any, target: Any) -> list[float]:
    """MJCF xyaxes for a camera at `position` looking at `target`, image up toward +z."""
    position, target = np.asarray(position, float), np.asarray(target, float)
    backward = position - target
    backward /= np.linalg.norm(backward)
    right = np.cross([0.0, 0.0, 1.0], backward)
    if np.linalg.norm(right) < 1e-6:
        right = np.array([1.0, 0.0, 0.0])
    right /= np.linalg.norm(right)
    up = np.cross(backward, right)
    return [*right, *up]


def _add_environment(spec: mujoco.MjSpec) -> None:
    spec.visual.headlight.ambient = [0.35, 0.35, 0.35]
    spec.visual.headlight.diffuse = [0.5, 0.5, 0.5]
    spec.visual.global_.offwidth = 640
    spec.visual.global_.offheight = 480
    # shadow maps make CPU (Mesa) rendering 5-15x slower; camera observations matter more
    spec.visual.quality.shadowsize = 0
    spec.add_texture(name="skybox", type=mujoco.mjtTexture.mjTEXTURE_SKYBOX,
                     builtin=mujoco.mjtBuiltin.mjBUILTIN_GRADIENT, rgb1=[0.55, 0.7, 0.9],
                     rgb2=[0.1, 0.15, 0.25], width=128, height=128)
    spec.add_texture(name="floor_checker", type=mujoco.mjtTexture.mjTEXTURE_2D,
                     builtin=mujoco.mjtBuiltin.mjBUILTIN_CHECKER, rgb1=[0.32, 0.36, 0.40],
                     rgb2=[0.22, 0.25, 0.28], width=256, height=256)
    floor_material = spec.add_material(name="floor")
    floor_material.textures[mujoco.mjtTextureRole.mjTEXROLE_RGB] = "floor_checker"
    floor_material.texrepeat = [8, 8]
    floor_material.reflectance = 0.1
    spec.worldbody.add_geom(name="floor", type=mujoco.mjtGeom.mjGEOM_PLANE, size=[0, 0, 0.05],
                            material="floor", condim=3)
    spec.worldbody.add_light(name="sun", pos=[0.5, -0.5, 3.0], dir=[-0.2, 0.2, -1.0],
                             diffuse=[0.7, 0.7, 0.7], castshadow=False)


def _add_table(spec: mujoco.MjSpec) -> None:
    top = TABLE_HEIGHT
    spec.worldbody.add_geom(
        name="table", type=mujoco.mjtGeom.mjGEOM_BOX, size=list(TABLE_HALF),
        pos=[TABLE_CENTER_X, 0.0, top - TABLE_HALF[2]], rgba=[0.62, 0.48, 0.34, 1.0],
    )
    for sx in (-1, 1):
        for sy in (-1, 1):
            spec.worldbody.add_geom(
                type=mujoco.mjtGeom.mjGEOM_BOX, size=[0.03, 0.03, (top - 2 * TABLE_HALF[2]) / 2],
                pos=[TABLE_CENTER_X + sx * (TABLE_HALF[0] - 0.05), sy * (TABLE_HALF[1] - 0.05),
                     (top - 2 * TABLE_HALF[2]) / 2],
                rgba=[0.45, 0.35, 0.25, 1.0], contype=0, conaffinity=0,
            )


def _add_prop(spec: mujoco.MjSpec, slot: int, prop: PropSpec, park: np.ndarray) -> None:
    body = spec.worldbody.add_body(name=f"prop{slot}", pos=list(park))
    body.add_freejoint(name=f"prop{slot}_joint")
    geom_type = {"cube": mujoco.mjtGeom.mjGEOM_BOX, "ball": mujoco.mjtGeom.mjGEOM_SPHERE,
                 "cylinder": mujoco.mjtGeom.mjGEOM_CYLINDER}[prop.shape]
    size = {"cube": [prop.size] * 3, "ball": [prop.size, 0, 0],
            "cylinder": [prop.size, prop.half_height, 0]}[prop.shape]
    body.add_geom(
        name=f"prop{slot}_geom", type=geom_type, size=size, mass=prop.mass,
        # torsional friction 0.03: a prop held by two finger contacts does not spin between them;
        # rolling friction 0.001 m: a pushed ball slows down and stops on the table
        rgba=list(COLORS[prop.color or "white"]), condim=6 if prop.shape == "ball" else 4,
        friction=[1.0, 0.03, 0.001],
        solref=[0.01, 1.0],
    )


def _add_soccer(spec: mujoco.MjSpec, config: SceneConfig) -> None:
    if config.soccer_ball:
        ball = spec.worldbody.add_body(name="soccer_ball", pos=[1.0, 0.0, 0.1])
        ball.add_freejoint(name="soccer_ball_joint")
        ball.add_geom(name="soccer_ball_geom", type=mujoco.mjtGeom.mjGEOM_SPHERE, size=[0.1, 0, 0],
                      mass=0.3, rgba=[0.95, 0.95, 0.95, 1.0], condim=6, friction=[0.7, 0.02, 0.01],
                      solref=[0.01, 0.5])
    if config.goal:
        gx, gy = config.goal_position
        post = dict(type=mujoco.mjtGeom.mjGEOM_CYLINDER, rgba=[0.95, 0.95, 0.95, 1.0])
        for side in (-1, 1):
            spec.worldbody.add_geom(name=f"goal_post_{'left' if side > 0 else 'right'}",
                                    size=[0.04, 0.35, 0], pos=[gx, gy + side * 0.75, 0.35], **post)
        spec.worldbody.add_geom(name="goal_bar", size=[0.04, 0.75, 0], pos=[gx, gy, 0.7],
                                quat=[0.7071068, 0.7071068, 0, 0], **post)
        spec.worldbody.add_site(name="goal", pos=[gx, gy, 0.01], size=[0.75, 0.3, 0.005],
                                type=mujoco.mjtGeom.mjGEOM_BOX, rgba=[1, 1, 1, 0.15])


def _add_markers(spec: mujoco.MjSpec, config: SceneConfig) -> None:
    for index, name in enumerate(config.markers):
        body = spec.worldbody.add_body(name=f"marker_{name}", mocap=True, pos=[PARK_X, -1.0 - index, 0.001])
        color = COLORS.get(name.split("_")[0], (0.2, 0.8, 0.2, 1.0))
        body.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=[0.05, 0.05, 0.001],
                      rgba=[color[0], color[1], color[2], 0.6], contype=0, conaffinity=0)


def _add_overview_camera(spec: mujoco.MjSpec, robot: RobotInfo, table_top: float) -> None:
    if robot.kind == "arm":
        position, target = [1.75, 0.0, table_top + 0.9], [0.35, 0.0, table_top + 0.15]
        add_camera(spec.worldbody, OVERVIEW_CAMERA, position, look_at(position, target), 50)
    else:
        height = (robot.home_base_height or 0.5)
        position = [-1.6 * height - 1.0, -1.6 * height - 1.0, 1.2 * height + 0.6]
        camera = add_camera(spec.body(robot.base_body), OVERVIEW_CAMERA,
                            [position[0], position[1], position[2] - height],
                            look_at(position, [0.0, 0.0, height * 0.6]), 50)
        camera.mode = mujoco.mjtCamLight.mjCAMLIGHT_TRACKCOM


def build_scene(config: SceneConfig) -> Scene:
    """Compose and compile the scene described by `config`."""
    robot = get_robot(config.robot)
    spec = robot_spec(robot.name)
    if config.timestep is not None:
        if not 0.0001 <= config.timestep <= 0.01:
            raise EmbodiedError(f"timestep {config.timestep} s is outside 0.0001..0.01")
        spec.option.timestep = config.timestep
    _add_environment(spec)
    table_top = 0.0
    if config.table:
        _add_table(spec)
        table_top = TABLE_HEIGHT
        if robot.kind == "arm":
            spec.body(robot.base_body).pos = [0.0, 0.0, table_top]
    elif robot.kind == "arm":
        raise EmbodiedError(f"robot {robot.alias!r} is an arm: its scene needs `table: true`")
    park = np.array([[PARK_X - 0.25 * (slot // 8), 1.0 + 0.25 * (slot % 8), p.half_height + 0.001]
                     for slot, p in enumerate(config.props)]).reshape(-1, 3)
    for slot, prop in enumerate(config.props):
        _add_prop(spec, slot, prop, park[slot])
    _add_soccer(spec, config)
    _add_markers(spec, config)
    _add_overview_camera(spec, robot, table_top)
    spec.add_key(name="home")
    model = spec.compile()

    home = model.qpos0.copy()
    home_qpos(model, robot, home)
    model.key_qpos[0] = home
    ctrl = np.zeros(model.nu)
    for i in range(model.nu):
        if model.actuator_trntype[i] == mujoco.mjtTrn.mjTRN_JOINT:
            ctrl[i] = home[model.jnt_qposadr[model.actuator_trnid[i, 0]]]
    if robot.gripper:
        ctrl[model.actuator(robot.gripper["actuator"]).id] = robot.gripper["open"]
    model.key_ctrl[0] = ctrl

    bodies = [model.body(f"prop{i}").id for i in range(len(config.props))]
    ball = model.body("soccer_ball").id if config.soccer_ball else None
    return Scene(
        config=config,
        robot=robot,
        model=model,
        prop_bodies=bodies,
        prop_geoms=[model.geom(f"prop{i}_geom").id for i in range(len(config.props))],
        prop_qpos=[int(model.jnt_qposadr[model.body_jntadr[b]]) for b in bodies],
        prop_dofs=[int(model.jnt_dofadr[model.body_jntadr[b]]) for b in bodies],
        park_positions=park,
        marker_mocap={name: int(model.body_mocapid[model.body(f"marker_{name}").id]) for name in config.markers},
        ball_body=ball,
        ball_qpos=None if ball is None else int(model.jnt_qposadr[model.body_jntadr[ball]]),
        home_qpos=home,
        table_top=table_top,
    )


def _placement_region(scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """A random (x, y) where a prop may stand: in the arm's reach, or around a legged robot."""
    robot = scene.robot
    if robot.kind == "arm":
        reach = robot.reach
        radius = rng.uniform(reach["min_radius"], reach["max_radius"])
        angle = np.deg2rad(rng.uniform(-reach["max_angle_deg"], reach["max_angle_deg"]))
    else:
        radius = rng.uniform(*scene.config.floor_props_radius)
        angle = rng.uniform(-np.pi / 2, np.pi / 2)  # in front of the robot
    return np.array([radius * np.cos(angle), radius * np.sin(angle)])


def _in_reach(scene: Scene, xy: np.ndarray) -> bool:
    reach = scene.robot.reach
    angle = np.degrees(np.arctan2(xy[1], xy[0]))
    return bool(reach["min_radius"] <= np.hypot(*xy) <= reach["max_radius"] and abs(angle) <= reach["max_angle_deg"])


def _sample_layout(scene: Scene, rng: np.random.Generator) -> Layout:
    config = scene.config
    if not (config.props or config.markers or config.soccer_ball):
        # nothing random in the scene (a legged robot on an empty floor), and no draws made:
        # the general path below would draw none either, at twenty times the cost per reset
        return Layout(props=[], prop_yaw=np.zeros(0))
    low, high = config.prop_count or (len(config.props), len(config.props))
    count = int(rng.integers(low, high + 1))
    slots = sorted(rng.choice(len(config.props), size=count, replace=False).tolist()) if count else []
    free_colors = [c for c in config.colors]
    placed: list[tuple[np.ndarray, float]] = []
    props: list[PropPlacement] = []
    used_names: set[str] = set()
    for slot in slots:
        spec = config.props[slot]
        color = spec.color
        if color is None:
            options = [c for c in free_colors if f"{c}_{spec.shape}" not in used_names] or free_colors
            color = str(rng.choice(options))
        name = spec.name or f"{color}_{spec.shape}"
        used_names.add(name)
        for _ in range(200):
            xy = _placement_region(scene, rng)
            if all(np.linalg.norm(xy - other) > spec.footprint + radius + 0.03 for other, radius in placed):
                break
        else:
            raise EmbodiedError(f"could not place {count} props without overlap; lower prop_count")
        placed.append((xy, spec.footprint))
        z = scene.table_top + spec.half_height + 0.001
        props.append(PropPlacement(name=name, color=color, shape=spec.shape, slot=slot,
                                   position=[float(xy[0]), float(xy[1]), z]))
    markers = {}
    for name in config.markers:
        for _ in range(200):
            xy = _placement_region(scene, rng)
            if config.marker_distance and placed:
                radius, angle = rng.uniform(*config.marker_distance), rng.uniform(-np.pi, np.pi)
                xy = placed[0][0] + radius * np.array([np.cos(angle), np.sin(angle)])
                if not _in_reach(scene, xy):
                    continue
            if all(np.linalg.norm(xy - other) > 0.07 + radius + 0.03 for other, radius in placed):
                break
        placed.append((xy, 0.07))
        markers[name] = [float(xy[0]), float(xy[1]), scene.table_top + 0.001]
    ball = None
    if config.soccer_ball:
        ball = [float(rng.uniform(0.6, 1.2)), float(rng.uniform(-0.4, 0.4)), 0.1]
    return Layout(props=props, prop_yaw=rng.uniform(-np.pi, np.pi, len(config.props)), markers=markers, ball=ball)


def layout_qpos(scene: Scene, layout: Layout, qpos: np.ndarray) -> None:
    """Write a layout's prop and ball poses into one world's qpos (length nq)."""
    for slot, address in enumerate(scene.prop_qpos):
        qpos[address : address + 3] = scene.park_positions[slot]
        qpos[address + 3 : address + 7] = [1.0, 0.0, 0.0, 0.0]
    for prop in layout.props:
        address = scene.prop_qpos[prop.slot]
        yaw = layout.prop_yaw[prop.slot]
        qpos[address : address + 3] = prop.position
        qpos[address + 3 : address + 7] = [np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)]
    if scene.ball_qpos is not None and layout.ball is not None:
        qpos[scene.ball_qpos : scene.ball_qpos + 3] = layout.ball
        qpos[scene.ball_qpos + 3 : scene.ball_qpos + 7] = [1.0, 0.0, 0.0, 0.0]


def prop_rgba(scene: Scene, layout: Layout) -> np.ndarray:
    """(nslot, 4) colours for rendering this layout."""
    rgba = np.array([COLORS[p.color or "white"] for p in scene.config.props]).reshape(-1, 4)
    for prop in layout.props:
        rgba[prop.slot] = COLORS[prop.color]
    return rgba
