"""Task files (tasks/*.yaml): loading and validation into a `TaskConfig`.

A task file is data: the robot, the scene and its randomisation, observation, reward and
termination terms with their parameters and weights, control rate, episode length, and
for language tasks the command templates. Every mistake is reported with the file, the
field, the bad value and the valid choices.
"""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.robots import get_robot
from embodied.scene import PropSpec, SceneConfig
from embodied.tasks import terms

TASKS_DIR = Path(__file__).resolve().parent.parent.parent / "tasks"
ACTION_MODES = ("absolute", "offset")
GOALS = ("reach", "pick_place", "tabletop", "walk", "get_up", "kick")
RESET_FIELDS = ("joint_noise", "fallen", "base_yaw")
COMMAND_FIELDS = ("lin_vel_x", "lin_vel_y", "yaw_rate")
GAIT_FIELDS = ("frequency_hz", "swing_height", "reference")
TOP_FIELDS = {
    "id": "the Gymnasium id, embodied/Name-vN",
    "description": "one line for `embodied envs`",
    "robot": "robot name or alias",
    "goal": f"what the episode asks: {', '.join(GOALS)}",
    "skill": "the skill a policy trained on this task provides (policies/<robot>/<skill>/)",
    "control": "frequency_hz, action (absolute|offset), action_scale, joints (actuators the action drives; "
               "default all, the others hold their home targets)",
    "episode": "max_steps",
    "scene": "table, props, prop_count, colors, soccer_ball, goal, markers",
    "observations": "state: [terms]; cameras: [names]; image_size: [h, w]; depth: bool",
    "rewards": "term: weight, or term: {weight, params}",
    "terminations": "term: {} or term: {params}",
    "commands": "velocity command ranges for walking tasks, and zero_fraction (share of episodes told to stand)",
    "gait": "frequency_hz, swing_height, reference: the stepping clock, foot lift and feed-forward joint "
            "swing of a phase-driven gait (humanoids)",
    "reset": "joint_noise, fallen, base_yaw",
    "language": "command templates for language tasks",
    "ppo": "PPO settings this task trains with, overriding embodied.learn.ppo.PPOConfig's defaults",
}


class TaskFileError(EmbodiedError):
    """A task file that is missing a field or has one of the wrong type or value."""


@dataclass(frozen=True)
class TaskConfig:
    """One task, as validated from its YAML file."""

    id: str
    description: str
    robot: str
    goal: str
    scene: SceneConfig
    control_hz: float
    action_mode: str
    action_scale: float
    max_steps: int
    state_terms: tuple[str, ...]
    cameras: tuple[str, ...]
    image_size: tuple[int, int]
    depth: bool
    rewards: dict[str, tuple[float, dict[str, Any]]]
    terminations: dict[str, dict[str, Any]]
    commands: dict[str, tuple[float, float]] = field(default_factory=dict)
    zero_command_fraction: float = 0.0
    actuated: tuple[str, ...] = ()  # actuator name patterns the action drives; () = all
    gait: dict[str, Any] = field(default_factory=dict)
    ppo: dict[str, Any] = field(default_factory=dict)
    reset: dict[str, Any] = field(default_factory=dict)
    language: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skill: str = ""
    path: str = ""

    @property
    def name(self) -> str:
        return self.id.split("/", 1)[-1]


class _Reader:
    """Typed access to one YAML mapping, with errors that name the file and field."""

    def __init__(self, data: Any, path: str, where: str = "") -> None:
        if not isinstance(data, dict):
            raise TaskFileError(f"{path}: {where or 'the file'} must be a mapping, got {type(data).__name__}")
        self.data, self.path, self.where = data, path, where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def check_keys(self, allowed: Any) -> None:
        for key in self.data:
            if key not in allowed:
                raise TaskFileError(
                    f"{self.path}: unknown field {self._name(key)!r}; valid fields: {', '.join(allowed)}"
                )

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise TaskFileError(f"{self.path}: missing field {self._name(key)!r}")
            return default
        value = self.data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise TaskFileError(
                f"{self.path}: field {self._name(key)!r} must be {names}, got {value!r} ({type(value).__name__})"
            )
        return value

    def child(self, key: str, default: Any = ...) -> _Reader:
        return _Reader(self.get(key, dict, default), self.path, self._name(key))

    def range(self, key: str) -> tuple[float, float]:
        value = self.get(key, list)
        if len(value) != 2 or not all(isinstance(v, (int, float)) for v in value) or value[0] > value[1]:
            raise TaskFileError(f"{self.path}: field {self._name(key)!r} must be [low, high], got {value!r}")
        return float(value[0]), float(value[1])


def _check_params(kind: str, name: str, params: dict[str, Any], path: str) -> None:
    table = terms.TERMS[kind]
    if name not in table:
        raise TaskFileError(str(UnknownNameError(f"{kind[:-1]} term", name, table, path)))
    accepted = list(inspect.signature(table[name]).parameters)[1:]
    for param in params:
        if param not in accepted:
            raise TaskFileError(
                f"{path}: {kind}.{name} has no parameter {param!r}; it takes: {', '.join(accepted) or 'none'}"
            )


def _scene(reader: _Reader, robot: str) -> SceneConfig:
    reader.check_keys(["table", "props", "prop_count", "colors", "soccer_ball", "goal", "goal_position", "markers",
                       "marker_distance", "timestep"])
    props = []
    for index, raw in enumerate(reader.get("props", list, [])):
        prop = _Reader(raw, reader.path, f"scene.props[{index}]")
        prop.check_keys(["shape", "size", "mass", "color", "name", "count"])
        try:
            spec = PropSpec(shape=prop.get("shape", str), size=prop.get("size", float, 0.025),
                            mass=prop.get("mass", float, 0.1), color=prop.get("color", str, None),
                            name=prop.get("name", str, None))
        except EmbodiedError as error:
            raise TaskFileError(f"{reader.path}: scene.props[{index}]: {error}") from None
        props.extend([spec] * prop.get("count", int, 1))
    count = reader.range("prop_count") if "prop_count" in reader.data else None
    try:
        return SceneConfig(
            robot=robot,
            table=reader.get("table", bool, False),
            props=tuple(props),
            prop_count=None if count is None else (int(count[0]), int(count[1])),
            colors=tuple(reader.get("colors", list, list(SceneConfig.colors))),
            soccer_ball=reader.get("soccer_ball", bool, False),
            goal=reader.get("goal", bool, False),
            goal_position=tuple(reader.get("goal_position", list, [4.0, 0.0])),
            markers=tuple(reader.get("markers", list, [])),
            marker_distance=tuple(reader.range("marker_distance")) if "marker_distance" in reader.data else None,
            timestep=reader.get("timestep", float, None),
        )
    except EmbodiedError as error:
        raise TaskFileError(f"{reader.path}: scene: {error}") from None


def parse_task(data: Any, path: str) -> TaskConfig:
    """Validate a task file's contents (already parsed YAML) into a TaskConfig."""
    top = _Reader(data, path)
    top.check_keys(TOP_FIELDS)
    robot_name = top.get("robot", str)
    try:
        robot = get_robot(robot_name)
    except UnknownNameError as error:
        raise TaskFileError(f"{path}: field 'robot': {error}") from None
    goal = top.get("goal", str)
    if goal not in GOALS:
        raise TaskFileError(f"{path}: field 'goal': unknown goal {goal!r}; valid choices: {', '.join(GOALS)}")

    control = top.child("control")
    control.check_keys(["frequency_hz", "action", "action_scale", "joints"])
    actuated = tuple(control.get("joints", list, []))
    if not all(isinstance(pattern, str) for pattern in actuated):
        raise TaskFileError(f"{path}: field 'control.joints' must be a list of actuator names or patterns, "
                            f"got {actuated!r}")
    action_mode = control.get("action", str, "absolute")
    if action_mode not in ACTION_MODES:
        raise TaskFileError(f"{path}: field 'control.action': unknown mode {action_mode!r}; valid choices: "
                            f"{', '.join(ACTION_MODES)}")
    episode = top.child("episode")
    episode.check_keys(["max_steps"])

    observations = top.child("observations")
    observations.check_keys(["state", "cameras", "image_size", "depth"])
    state_terms = tuple(observations.get("state", list))
    for term in state_terms:
        _check_params("observations", term, {}, path)
    image_size = observations.get("image_size", list, [96, 128])

    rewards: dict[str, tuple[float, dict[str, Any]]] = {}
    for name, value in top.get("rewards", dict).items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            weight, params = float(value), {}
        else:
            entry = _Reader(value, path, f"rewards.{name}")
            entry.check_keys(["weight", "params"])
            weight, params = entry.get("weight", float), entry.get("params", dict, {})
        _check_params("rewards", name, params, path)
        rewards[name] = (weight, params)

    terminations: dict[str, dict[str, Any]] = {}
    for name, params in (top.get("terminations", dict, {}) or {}).items():
        params = params or {}
        _check_params("terminations", name, params, path)
        terminations[name] = params

    commands, zero_fraction = {}, 0.0
    if "commands" in top.data:
        reader = top.child("commands")
        reader.check_keys([*COMMAND_FIELDS, "zero_fraction"])
        commands = {key: reader.range(key) for key in COMMAND_FIELDS if key in reader.data}
        zero_fraction = reader.get("zero_fraction", float, 0.0)
        if not 0.0 <= zero_fraction <= 1.0:
            raise TaskFileError(f"{path}: field 'commands.zero_fraction' must be in 0..1, got {zero_fraction}")
    gait: dict[str, Any] = {}
    if "gait" in top.data:
        reader = top.child("gait")
        reader.check_keys(GAIT_FIELDS)
        gait = {key: reader.get(key, float) for key in ("frequency_hz", "swing_height")}
        reference = reader.get("reference", list, [])
        if len(reference) not in (0, len(robot.feet)) or not all(
                isinstance(foot, dict) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                               for v in foot.values()) for foot in reference):
            raise TaskFileError(f"{path}: field 'gait.reference' must list, for each of the robot's feet "
                                f"({', '.join(robot.feet)}), a mapping of actuator name patterns to swing "
                                f"amplitudes in radians; got {reference!r}")
        gait["reference"] = [{str(k): float(v) for k, v in foot.items()} for foot in reference]
        if not 0.2 <= gait["frequency_hz"] <= 5.0 or not 0.0 < gait["swing_height"] <= 0.5:
            raise TaskFileError(f"{path}: field 'gait' needs frequency_hz in 0.2..5 and swing_height in 0..0.5 m, "
                                f"got {gait}")
    reset = top.get("reset", dict, {})
    _Reader(reset, path, "reset").check_keys(RESET_FIELDS)
    language = {}
    if "language" in top.data:
        reader = top.child("language")
        language = {kind: tuple(reader.get(kind, list)) for kind in reader.data}

    return TaskConfig(
        id=top.get("id", str),
        description=top.get("description", str, ""),
        robot=robot.name,
        goal=goal,
        scene=_scene(top.child("scene", {}), robot.name),
        control_hz=control.get("frequency_hz", float),
        action_mode=action_mode,
        action_scale=control.get("action_scale", float, 1.0),
        max_steps=episode.get("max_steps", int),
        state_terms=state_terms,
        cameras=tuple(observations.get("cameras", list, [])),
        image_size=(int(image_size[0]), int(image_size[1])),
        depth=observations.get("depth", bool, False),
        rewards=rewards,
        terminations=terminations,
        commands=commands,
        zero_command_fraction=zero_fraction,
        actuated=actuated,
        gait=gait,
        ppo=top.get("ppo", dict, {}),
        reset=reset,
        language=language,
        skill=top.get("skill", str, goal),
        path=path,
    )


def load_task_file(path: str | Path) -> TaskConfig:
    """Load and validate one task file."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as error:
        raise TaskFileError(f"cannot read task file {path}: {error.strerror}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise TaskFileError(f"{path}: not valid YAML{line}: {problem}") from None
    return parse_task(data, str(path))


@functools.cache
def all_tasks() -> dict[str, TaskConfig]:
    """Every task in tasks/*.yaml, by Gymnasium id."""
    tasks = {}
    for path in sorted(TASKS_DIR.glob("*.yaml")):
        config = load_task_file(path)
        tasks[config.id] = config
    return tasks


def get_task(task_id: str) -> TaskConfig:
    """A task by id ("embodied/Go1Walk-v0"; the "embodied/" prefix may be left out)."""
    tasks = all_tasks()
    full = task_id if task_id.startswith("embodied/") else f"embodied/{task_id}"
    if full not in tasks:
        raise UnknownNameError("task", task_id, tasks)
    return tasks[full]
