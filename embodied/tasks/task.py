"""`BatchedTask`: one task over N worlds; the single code path behind every environment.

Resets, actions, observations, rewards and terminations are computed over arrays shaped
(num_envs, ...). `embodied.envs.EmbodiedEnv` is this class with num_envs == 1 and
`EmbodiedVectorEnv` is it with num_envs == N: there is no second copy of task logic.
"""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Callable
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.scene import COLORS, Layout, Scene, build_scene, layout_qpos, prop_rgba
from embodied.sim import BatchSim
from embodied.sim.arrays import as_index, check_kind, concat_float32, is_torch, live, namespace, to_numpy, torch_dtype
from embodied.sim.arrays import copy as copy_array
from embodied.tasks import terms
from embodied.tasks.config import GOALS, TaskConfig


class InvalidActionError(EmbodiedError, ValueError):
    """An action of the wrong shape, or with NaN/inf in it."""


_SCENE_CACHE: dict[Any, Scene] = {}
_DOWN = np.array([0.0, 0.0, -1.0])  # gravity's direction in the world frame
# a foot this close to its standing height (m) counts as on the floor
FOOT_CONTACT_HEIGHT = 0.01


def scene_for(config: TaskConfig) -> Scene:
    """The compiled scene of a task (compiled once per process and task)."""
    if config.scene not in _SCENE_CACHE:
        _SCENE_CACHE[config.scene] = build_scene(config.scene)
    return _SCENE_CACHE[config.scene]


def actuated_ids(model: mujoco.MjModel, config: TaskConfig) -> np.ndarray:
    """Indices of the actuators a task's action drives (`control.joints`; all when not given)."""
    names = [model.actuator(i).name for i in range(model.nu)]
    if not config.actuated:
        return np.arange(model.nu)
    for pattern in config.actuated:
        if not fnmatch.filter(names, pattern):
            raise UnknownNameError(f"actuator (control.joints of {config.path or config.id})", pattern, names)
    return np.array([i for i, name in enumerate(names) if any(fnmatch.fnmatchcase(name, p) for p in config.actuated)])


def gait_reference(model: mujoco.MjModel, config: TaskConfig) -> np.ndarray:
    """(n_feet, nu) peak feed-forward offsets of each foot's swing (`gait.reference`), or (0, nu)."""
    names = [model.actuator(i).name for i in range(model.nu)]
    feet = config.gait.get("reference", [])
    amplitudes = np.zeros((len(feet), model.nu))
    for foot, mapping in enumerate(feet):
        for pattern, amplitude in mapping.items():
            matched = [i for i, name in enumerate(names) if fnmatch.fnmatchcase(name, pattern)]
            if not matched:
                raise UnknownNameError(f"actuator (gait.reference of {config.path or config.id})", pattern, names)
            amplitudes[foot, matched] = amplitude
    return amplitudes


class BatchedTask:
    """A task over `num_envs` worlds. Arrays are (num_envs, ...); see the module docstring."""

    GOAL_KINDS = ("reach", "pick", "push", "place")
    # the per-env state (arrays and lists along num_envs) that a view of some envs takes rows of
    PER_ENV = ("steps", "last_action", "previous_action", "command", "target_slot", "goal_kind", "goal_pos",
               "goal_start", "goal_direction", "target_rest_z", "place_on_slot", "success", "feet_air_time",
               "feet_touchdown", "rngs", "layouts", "instructions")
    PUSH_DIRECTIONS = {"left": (0.0, 1.0), "right": (0.0, -1.0), "forward": (1.0, 0.0), "back": (-1.0, 0.0)}

    def __init__(self, config: TaskConfig, num_envs: int = 1, backend: str = "cpu",
                 nthread: int | None = None, device: str | None = None, arrays: str = "numpy") -> None:
        """`arrays` is the kind of array the task computes with: "numpy" on the host, "torch"
        on the simulator's device (the GPU's for the warp backend, so nothing is copied to
        the host to work out rewards and observations), or "auto": torch where the
        simulator runs on a CUDA device, else numpy."""
        self.config = config
        self.scene = scene_for(config)
        self.model = self.scene.model
        self.num_envs = int(num_envs)
        self.sim = BatchSim(self.model, self.num_envs, backend=backend, nthread=nthread, device=device)
        on_gpu = str(self.sim.device).startswith("cuda")
        self.arrays = check_kind(("torch" if on_gpu else "numpy") if arrays == "auto" else arrays)
        self.xp = namespace(self.arrays)
        self.array_device = str(self.sim.device) if self.arrays == "torch" else "cpu"
        self._constants: dict[int, tuple[np.ndarray, Any]] = {}
        self.robot = self.scene.robot
        m = self.model
        timestep = m.opt.timestep
        self.substeps = max(1, int(round(1.0 / (config.control_hz * timestep))))
        self.dt = self.substeps * timestep

        # actuators and the joints they drive
        self.joint_ids = np.array([m.actuator_trnid[i, 0] for i in range(m.nu)
                                   if m.actuator_trntype[i] == mujoco.mjtTrn.mjTRN_JOINT])
        self.joint_qadr = m.jnt_qposadr[self.joint_ids]
        self.joint_vadr = m.jnt_dofadr[self.joint_ids]
        self.ctrl_low, self.ctrl_high = m.actuator_ctrlrange[:, 0].copy(), m.actuator_ctrlrange[:, 1].copy()
        self.home_ctrl = m.key_ctrl[0].copy()
        self.actuated = actuated_ids(m, config)
        self._home_action = self.action_of_ctrl(self.home_ctrl)
        # the columns of ctrl the action drives: a slice when it drives all (no fancy-index copies)
        self._action_columns: Any = (slice(None) if np.array_equal(self.actuated, np.arange(m.nu))
                                     else self.actuated)
        self.gait_reference = self.to_array(gait_reference(m, config))
        self.action_size = int(self.actuated.size)
        self.home_joint_qpos = self.to_array(self.scene.home_qpos[self.joint_qadr])
        self._joint_range = tuple(m.jnt_range[self.joint_ids].T.copy())
        self._joint_limited = m.jnt_limited[self.joint_ids].astype(bool)
        self.gripper_id = m.actuator(self.robot.gripper["actuator"]).id if self.robot.gripper else None
        self.grip_scale = 1.0  # world 0's gripper servo gain over the model's (a firm grasp raises it)
        self.ee_site = m.site(self.robot.end_effector["site"]).id if self.robot.end_effector else None
        self.base_body = m.body(self.robot.base_body).id
        self.base_qadr = self.base_dadr = None
        if self.robot.is_legged:
            joint = m.body_jntadr[self.base_body]
            self.base_qadr, self.base_dadr = int(m.jnt_qposadr[joint]), int(m.jnt_dofadr[joint])
        self.goal_site = m.site("goal").id if config.scene.goal else None
        self.feet_bodies = np.array([m.body(name).id for name in self.robot.feet], dtype=np.int64)
        # foot heights at the home pose, standing: the zero of a foot's lift above the floor
        home = mujoco.MjData(m)
        home.qpos[:] = self.scene.home_qpos
        mujoco.mj_kinematics(m, home)
        self.feet_rest_z = self.to_array(home.xpos[self.feet_bodies, 2].copy())
        feet = (self.num_envs, self.feet_bodies.size)
        self.feet_air_time = self._per_env(feet)  # s since each foot left the floor
        self.feet_touchdown = self._per_env(feet, bool)  # landed this step

        # per-env episode state
        self.rngs = [np.random.default_rng(i) for i in range(self.num_envs)]
        self.layouts: list[Layout | None] = [None] * self.num_envs
        n = self.num_envs
        self.steps = self._per_env(n, np.int64)
        self.last_action = self._per_env((n, self.action_size))
        self.previous_action = self._per_env((n, self.action_size))
        self.command = self._per_env((n, 3))
        self._command_low, self._command_high = np.array([config.commands.get(key, (0.0, 0.0))
                                                          for key in ("lin_vel_x", "lin_vel_y", "yaw_rate")]).T
        self.target_slot = self._per_env(n, np.int64)
        self.goal_kind = self._per_env(n, np.int64)
        self.goal_pos = self._per_env((n, 3))
        self.goal_start = self._per_env((n, 3))
        self.goal_direction = self._per_env((n, 2))
        self.target_rest_z = self._per_env(n)
        self.place_on_slot = self._per_env(n, np.int64)
        self.instructions = [""] * self.num_envs
        self.success = self._per_env(n, bool)
        self.cache: dict[Any, Any] = {}  # what terms derive once from the model (e.g. joint weights)
        self._draw_columns = self._uniform_draw_columns()
        self._uniform_draws = max((columns.stop for columns in self._draw_columns.values()), default=0)
        self._derived: dict[str, Any] = {}  # what terms derive from the current state
        self._derived_version = -1
        self._renderers: dict[tuple[str, int, int, bool], mujoco.Renderer] = {}
        self._render_data = mujoco.MjData(m)

    # ----- arrays of the task's kind -------------------------------------------------
    def field(self, name: str) -> Any:
        """An MjData field of every world, as an array of the task's kind, for reading."""
        return self.sim.numpy(name) if self.arrays == "numpy" else self.sim.tensor(name)

    def to_array(self, values: Any, dtype: Any = None) -> Any:
        """`values` as an array of the task's kind (on its device), of NumPy dtype `dtype`
        (the values' own when None); on NumPy, an array already of that dtype is not copied."""
        if self.arrays == "numpy":
            return np.asarray(values, dtype=dtype)
        if is_torch(values):
            return values.to(device=self.array_device, dtype=values.dtype if dtype is None else torch_dtype(dtype))
        import torch

        return torch.as_tensor(np.asarray(values, dtype=dtype), device=self.array_device)

    def constant(self, values: Any) -> Any:
        """A model-derived NumPy constant (control limits, say) as an array of the task's kind,
        converted once: host-side reset code keeps using the NumPy original."""
        if self.arrays == "numpy":
            return values
        cached = self._constants.get(id(values))
        if cached is None or cached[0] is not values:
            cached = self._constants[id(values)] = (values, self.to_array(values))
        return cached[1]

    def _per_env(self, shape: Any, dtype: Any = float) -> Any:
        """Zeros for per-env state; on torch they take NumPy values in item assignment, as resets write."""
        if self.arrays == "numpy":
            return np.zeros(shape, dtype=dtype)
        return live(self.xp.zeros(shape, dtype=torch_dtype(dtype), device=self.array_device))

    # ----- state views ----------------------------------------------------------------
    @property
    def joint_qpos(self) -> Any:
        return self.field("qpos")[:, self.constant(self.joint_qadr)]

    @property
    def joint_qvel(self) -> np.ndarray:
        return self.field("qvel")[:, self.constant(self.joint_vadr)]

    @property
    def ee_pos(self) -> np.ndarray:
        return self.field("site_xpos")[:, self.ee_site]

    @property
    def base_pos(self) -> np.ndarray:
        return self.field("xpos")[:, self.base_body]

    @property
    def base_quat(self) -> np.ndarray:
        return self.field("xquat")[:, self.base_body]

    @property
    def base_lin_vel_world(self) -> np.ndarray:
        return self.field("qvel")[:, self.base_dadr : self.base_dadr + 3]

    @property
    def base_lin_vel(self) -> np.ndarray:
        """Base linear velocity in the base frame."""
        return self.once_per_state("base_lin_vel", lambda: terms.quat_rotate_inverse(
            self.base_quat, self.base_lin_vel_world))

    @property
    def projected_gravity(self) -> np.ndarray:
        """Gravity direction seen from the base: (0, 0, -1) when upright."""
        down = self.constant(_DOWN)
        return self.once_per_state("projected_gravity", lambda: terms.quat_rotate_inverse(
            self.base_quat, self.xp.broadcast_to(down, (self.num_envs, 3))))

    def once_per_state(self, name: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, worked out once per state of the worlds and shared (read-only) until
        the simulator's state changes: observations, rewards, terminations and success all
        ask for the base-frame velocity and gravity of the same state, each of them a dozen
        passes over every env."""
        if self._derived_version != self.sim.state_version:
            self._derived.clear()
            self._derived_version = self.sim.state_version
        value = self._derived.get(name)
        if value is None:
            value = compute()
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            self._derived[name] = value
        return value

    def rows(self, ids: Any) -> BatchedTask:
        """A read-only view of the envs `ids`: the same terms, computed over those rows only.

        The vector env observes just the envs it has reset this way. The view reads the
        simulator's rows and copies of the per-env state; writing to it changes nothing.
        """
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        rows = as_index(ids, self.steps)
        view = copy.copy(self)
        view.num_envs = int(ids.size)
        view.sim = _SimRows(self.sim, ids)
        view._derived, view._derived_version = {}, -1
        for name in self.PER_ENV:
            value = getattr(self, name)
            setattr(view, name, [value[i] for i in ids] if isinstance(value, list) else value[rows])
        return view

    @property
    def base_ang_vel(self) -> np.ndarray:
        return self.field("qvel")[:, self.base_dadr + 3 : self.base_dadr + 6]

    @property
    def feet_pos(self) -> np.ndarray:
        """(num_envs, n_feet, 3) positions of the robot's feet bodies."""
        return self.field("xpos")[:, self.constant(self.feet_bodies)]

    @property
    def feet_lift(self) -> np.ndarray:
        """(num_envs, n_feet) height of each foot above where it rests when standing at home."""
        return self.feet_pos[:, :, 2] - self.feet_rest_z

    @property
    def walking(self) -> np.ndarray:
        """Envs told to move (a command of at least 0.1 m/s or rad/s): their gait clock runs."""
        return self.xp.linalg.vector_norm(self.command, axis=1) >= 0.1

    @property
    def gait_phase(self) -> np.ndarray:
        """(num_envs, 2) gait phase of the left and right foot in radians, half a cycle apart.

        The clock runs from the episode's start at the task's gait frequency; an env told to
        stand has both feet at phase pi, the stance half, so the clock asks for no step.
        """
        xp, frequency = self.xp, self.config.gait.get("frequency_hz", 1.0)
        left = xp.remainder(2.0 * np.pi * frequency * xp.astype(self.steps, xp.float64) * self.dt, 2.0 * np.pi)
        phase = xp.stack([left, xp.remainder(left + np.pi, 2.0 * np.pi)], axis=1)
        return xp.where(self.walking[:, None], phase, np.pi)

    @property
    def gripper_closed(self) -> np.ndarray:
        g = self.robot.gripper
        ctrl = self.field("ctrl")[:, self.gripper_id]
        return (ctrl - g["open"]) / (g["closed"] - g["open"])

    @property
    def prop_pos(self) -> np.ndarray:
        return self.field("xpos")[:, self.constant(self.scene.prop_bodies)]

    @property
    def target_pos(self) -> np.ndarray:
        return self.prop_pos[self.xp.arange(self.num_envs, device=self.array_device), self.target_slot]

    @property
    def ball_pos(self) -> np.ndarray:
        return self.field("xpos")[:, self.scene.ball_body]

    @property
    def ball_vel(self) -> np.ndarray:
        address = self.model.jnt_dofadr[self.model.body_jntadr[self.scene.ball_body]]
        return self.field("qvel")[:, address : address + 3]

    # ----- reset --------------------------------------------------------------------
    def seed(self, ids: np.ndarray, seeds: list[int | None]) -> None:
        """Give env ids[k] a fresh generator from seeds[k] (None keeps the current one)."""
        for env, seed in zip(ids, seeds):
            if seed is not None:
                self.rngs[env] = np.random.default_rng(seed)

    def scale_grip(self, scales: np.ndarray, ids: Any = None) -> None:
        """Scale the gripper servo's gain (stiffness and damping) over the model's own, per world.

        `scales` has one entry per world of `ids` (every world when None); world 0's scale is
        kept in `grip_scale`, since the skill that opens the hand is often not the one that closed it.
        """
        actuator, sim, model = self.gripper_id, self.sim, self.model
        worlds = np.arange(self.num_envs) if ids is None else np.asarray(ids).reshape(-1)
        scales = np.asarray(scales, float).reshape(-1, 1)
        gains = sim.param("actuator_gainprm")[worlds].copy()
        biases = sim.param("actuator_biasprm")[worlds].copy()
        gains[:, actuator, 0] = model.actuator_gainprm[actuator, 0] * scales[:, 0]
        biases[:, actuator, 1:3] = model.actuator_biasprm[actuator, 1:3] * scales
        sim.set_param("actuator_gainprm", gains, ids=worlds)
        sim.set_param("actuator_biasprm", biases, ids=worlds)
        if 0 in worlds:
            self.grip_scale = float(scales[int(np.flatnonzero(worlds == 0)[0]), 0])

    def reset(self, ids: Any = None, instruction: str | None = None) -> None:
        """Start new episodes in the worlds `ids` (all when None)."""
        ids = np.arange(self.num_envs) if ids is None else np.asarray(ids, dtype=np.int64).reshape(-1)
        if ids.size == 0:
            return
        qpos = np.repeat(self.scene.home_qpos[None], ids.size, axis=0)
        qvel = np.zeros((ids.size, self.model.nv))
        # Each env's generator makes the same draws in the same order as ever; the uniform
        # ones of the robot's pose and the command come as one `random(k)` call per env and
        # are scaled for all new episodes at once (per env, the scaling cost more than the draws).
        draws = np.empty((ids.size, self._uniform_draws))
        for row, env in enumerate(ids):
            rng = self.rngs[env]
            layout = self.scene.sample_layout(rng)  # first draw: `embodied scene --seed` sees the same
            self.layouts[env] = layout
            layout_qpos(self.scene, layout, qpos[row])
            draws[row] = rng.random(self._uniform_draws)
            self._sample_goal(env, rng, layout, instruction)
        self._randomize_robots(qpos, draws)
        self._set_commands(ids, draws)
        self.sim.reset(ids, keyframe="home", qpos=qpos, qvel=qvel)
        if self.scene.marker_mocap:
            for name, mocap in self.scene.marker_mocap.items():
                for env in ids:
                    position = self.layouts[env].markers.get(name)
                    if position is not None:
                        self.sim.mocap_pos[env, mocap] = position
            self.sim.forward(ids)
        if self.scene.prop_bodies:
            self.target_rest_z[ids] = self.target_pos[ids, 2]
            self.goal_start[ids] = self.target_pos[ids]
        if self.config.goal == "tabletop":
            self._set_goal_positions(ids)
        if self.grip_scale != 1.0 and 0 in ids:  # a new episode grips with the model's own servo
            self.scale_grip(np.ones(1), ids=[0])
        rows = as_index(ids, self.steps)  # on a GPU, the ids copied over once, not once per write
        self.steps[rows] = 0
        self.feet_air_time[rows] = 0.0
        self.feet_touchdown[rows] = False
        self.last_action[rows] = self.constant(self._home_action)
        self.previous_action[rows] = self.last_action[rows]
        self.success[rows] = False

    def _uniform_draw_columns(self) -> dict[str, slice]:
        """Where each uniform draw of a new episode lies in its row of `random(k)`: the order in
        which the robot's pose and then the command were always drawn, one call each."""
        reset, widths = self.config.reset, {}
        if float(reset.get("joint_noise", 0.0)):
            widths["joint_noise"] = self.joint_qadr.size
        if self.base_qadr is not None:
            if "base_yaw" in reset:
                widths["yaw"] = 1
            if reset.get("fallen"):
                widths |= {"heading": 1, "side": 1, "tilt": 1, "fallen_ctrl": self.model.nu}
        if self.config.commands:
            widths["command"] = 3
            if self.config.zero_command_fraction:
                widths["stand"] = 1
        columns, start = {}, 0
        for name, width in widths.items():
            columns[name] = slice(start, start + width)
            start += width
        return columns

    def _uniform(self, draws: np.ndarray, name: str, low: Any, high: Any) -> np.ndarray:
        """`rng.uniform(low, high)` of the draws in column `name`: bit for bit the same numbers
        (NumPy scales a draw u in [0, 1) as low + (high - low) * u)."""
        values = draws[:, self._draw_columns[name]]
        return np.asarray(low) + (np.asarray(high) - np.asarray(low)) * values

    def _randomize_robots(self, qpos: np.ndarray, draws: np.ndarray) -> None:
        """Joint noise, heading (or a fallen start) and the joint limits of new episodes' qpos."""
        reset, columns = self.config.reset, self._draw_columns
        joints = self.joint_qadr
        if "joint_noise" in columns:
            noise = float(reset["joint_noise"])
            qpos[:, joints] += self._uniform(draws, "joint_noise", -noise, noise)
        if self.base_qadr is not None:
            rows = qpos.shape[0]
            if "heading" in columns:
                # dropped from a height at a random heading, tilted 60 to 180 degrees about a
                # horizontal axis: on its side, back or belly, never upright (a tilt about a
                # random 3-D axis can be mostly a turn about the vertical)
                heading = self._uniform(draws, "heading", -np.pi, np.pi)[:, 0]
                side = self._uniform(draws, "side", -np.pi, np.pi)[:, 0]
                tilt = self._uniform(draws, "tilt", np.pi / 3, np.pi)[:, 0]
                sin_half_tilt = np.sin(tilt / 2)
                tilt_quats = np.stack([np.cos(tilt / 2), sin_half_tilt * np.cos(side),
                                       sin_half_tilt * np.sin(side), sin_half_tilt * 0.0], axis=1)
                heading_quats = np.stack([np.cos(heading / 2), np.zeros(rows), np.zeros(rows), np.sin(heading / 2)],
                                         axis=1)
                quats = np.empty((rows, 4))
                for row in range(rows):
                    mujoco.mju_mulQuat(quats[row], tilt_quats[row], heading_quats[row])
                qpos[:, self.base_qadr + 2] = self.robot.home_base_height + 0.15
                qpos[:, joints] = self._uniform(draws, "fallen_ctrl", self.ctrl_low, self.ctrl_high)[:, : joints.size]
            else:  # a fallen start still draws `base_yaw` (the draws keep their order) but turns by `heading`
                yaw = self._uniform(draws, "yaw", *reset["base_yaw"])[:, 0] if "yaw" in columns else np.zeros(rows)
                quats = np.stack([np.cos(yaw / 2), np.zeros(rows), np.zeros(rows), np.sin(yaw / 2)], axis=1)
            qpos[:, self.base_qadr + 3 : self.base_qadr + 7] = quats
        values = qpos[:, joints]
        qpos[:, joints] = np.where(self._joint_limited, np.clip(values, *self._joint_range), values)

    def _set_commands(self, ids: np.ndarray, draws: np.ndarray) -> None:
        """Velocity commands of new episodes, a share of them told to stand."""
        if "command" not in self._draw_columns:
            return
        command = self._uniform(draws, "command", self._command_low, self._command_high)
        if "stand" in self._draw_columns:
            command[draws[:, self._draw_columns["stand"]][:, 0] < self.config.zero_command_fraction] = 0.0
        self.command[ids] = command

    def _sample_goal(self, env: int, rng: np.random.Generator, layout: Layout, instruction: str | None) -> None:
        """The episode's target and goal (its velocity command comes from `_set_commands`)."""
        config = self.config
        if layout.props:
            self.target_slot[env] = layout.props[int(rng.integers(len(layout.props)))].slot
        if config.goal == "tabletop":
            self._sample_language_goal(env, rng, layout, instruction)
        elif config.goal == "pick_place":
            self.goal_pos[env] = layout.markers[config.scene.markers[0]]
        elif config.goal == "kick":
            self.goal_pos[env] = [*config.scene.goal_position, 0.1]

    def _sample_language_goal(self, env: int, rng: np.random.Generator, layout: Layout,
                              instruction: str | None) -> None:
        kinds = [k for k in self.GOAL_KINDS if k in self.config.language]
        if len(layout.props) < 2:
            kinds = [k for k in kinds if k != "place"]
        kind = kinds[int(rng.integers(len(kinds)))]
        target = next(p for p in layout.props if p.slot == self.target_slot[env])
        template = self.config.language[kind][int(rng.integers(len(self.config.language[kind])))]
        words = {"target": f"{target.color} {target.shape}"}
        self.goal_direction[env] = 0.0
        if kind == "push":
            direction = list(self.PUSH_DIRECTIONS)[int(rng.integers(len(self.PUSH_DIRECTIONS)))]
            words["direction"] = direction
            self.goal_direction[env] = self.PUSH_DIRECTIONS[direction]
        if kind == "place":
            others = [p for p in layout.props if p.slot != target.slot]
            destination = others[int(rng.integers(len(others)))]
            words["destination"] = f"{destination.color} {destination.shape}"
            self.place_on_slot[env] = destination.slot
        self.goal_kind[env] = self.GOAL_KINDS.index(kind)
        self.instructions[env] = instruction if instruction is not None else template.format(**words)

    def _set_goal_positions(self, ids: np.ndarray) -> None:
        kinds, starts = to_numpy(self.goal_kind[ids]), to_numpy(self.goal_start[ids])
        directions, below = to_numpy(self.goal_direction[ids]), to_numpy(self.prop_pos[ids, self.place_on_slot[ids]])
        goals = np.empty((ids.size, 3))
        for row in range(ids.size):
            kind = self.GOAL_KINDS[kinds[row]]
            if kind == "reach":
                goals[row] = starts[row]
            elif kind == "pick":
                goals[row] = starts[row] + [0.0, 0.0, 0.1]
            elif kind == "push":
                goals[row] = starts[row] + np.r_[0.15 * directions[row], 0.0]
            else:
                goals[row] = below[row] + [0.0, 0.0, 0.06]
        self.goal_pos[ids] = goals

    # ----- actions ------------------------------------------------------------------
    def action_of_ctrl(self, ctrl: np.ndarray) -> np.ndarray:
        """The action in [-1, 1] that commands actuator controls `ctrl` (of every actuator)."""
        ctrl, low, high, home = (np.asarray(ctrl)[..., self.actuated], self.ctrl_low[self.actuated],
                                 self.ctrl_high[self.actuated], self.home_ctrl[self.actuated])
        if self.config.action_mode == "absolute":
            return 2.0 * (ctrl - low) / (high - low) - 1.0
        return np.clip((ctrl - home) / self.config.action_scale, -1.0, 1.0)

    def ctrl_of_action(self, action: Any) -> Any:
        """Controls of every actuator for actions in [-1, 1] (values outside are clipped);
        actuators the action does not drive hold their home targets. Torch actions (of the
        task's device) give torch controls."""
        xp, low, high, home, index = np, self.ctrl_low, self.ctrl_high, self.home_ctrl, self._action_columns
        if is_torch(action):
            xp, low, high, home = self.xp, self.constant(low), self.constant(high), self.constant(home)
            index = index if isinstance(index, slice) else self.constant(index)
        action = xp.clip(action, -1.0, 1.0)
        ctrl = copy_array(xp.broadcast_to(home, (*action.shape[:-1], self.model.nu)))
        if self.config.action_mode == "absolute":
            ctrl[..., index] = low[index] + (action + 1.0) * 0.5 * (high[index] - low[index])
        else:
            ctrl[..., index] = home[index] + self.config.action_scale * action
        return xp.clip(ctrl, low, high)

    def reference_ctrl(self) -> np.ndarray:
        """(num_envs, nu) feed-forward offsets of the gait clock: each foot's swing joints follow the
        swing profile while it is in swing, so the action is a correction around stepping in
        place; zero for tasks without a `gait.reference` and for envs told to stand."""
        if not self.gait_reference.shape[0]:
            return self.xp.zeros((self.num_envs, self.model.nu), dtype=self.xp.float64, device=self.array_device)
        from embodied.tasks.terms import swing_height

        return swing_height(self.gait_phase, 1.0) @ self.gait_reference

    def check_action(self, action: Any) -> Any:
        """`action` as a float64 array of the task's kind, or an InvalidActionError that says what is wrong."""
        array = self.to_array(action, np.float64)
        expected = (self.num_envs, self.action_size)
        if array.shape != expected:
            if self.num_envs == 1 and array.shape == (self.action_size,):
                array = array[None]
            else:
                what = "per actuator" if self.action_size == self.model.nu else "per driven actuator"
                raise InvalidActionError(
                    f"action has shape {array.shape}; {self.config.id} expects "
                    f"{expected if self.num_envs > 1 else (self.action_size,)} (one value {what})"
                )
        if not bool(self.xp.all(self.xp.isfinite(array))):
            host = to_numpy(array)
            bad = np.argwhere(~np.isfinite(host))[0]
            raise InvalidActionError(
                f"action contains {host[tuple(bad)]} at index {tuple(int(i) for i in bad)}; actions must be finite"
            )
        return array

    # ----- stepping -------------------------------------------------------------------
    def step(self, action: Any) -> tuple[Any, Any, Any, dict[str, Any]]:
        """Apply actions, advance physics one control period; (reward, terminated, truncated, info),
        arrays of the task's kind."""
        xp = self.xp
        action = self.check_action(action)
        self.previous_action[:] = self.last_action
        self.last_action[:] = xp.clip(action, -1.0, 1.0)
        ctrl = self.ctrl_of_action(self.last_action)
        if self.gait_reference.shape[0]:  # ctrl_of_action's own controls are in range already
            ctrl = xp.clip(ctrl + self.reference_ctrl(), self.constant(self.ctrl_low), self.constant(self.ctrl_high))
        self.sim.ctrl[:] = ctrl
        self.sim.step(self.substeps)
        self.steps += 1
        self.success[:] = self.compute_success()
        touching = self._update_feet_contact()
        reward = self.compute_reward()
        self.feet_air_time[touching] = 0.0
        terminated = xp.zeros(self.num_envs, dtype=xp.bool, device=self.array_device)
        for name, params in self.config.terminations.items():
            terminated |= terms.TERMINATIONS[name](self, **params)
        diverged = self.sim.diverged.copy() if self.arrays == "numpy" else self.sim.diverged_tensor()
        terminated |= diverged
        reward[diverged] = 0.0
        truncated = (self.steps >= self.config.max_steps) & ~terminated
        info = {"success": copy_array(self.success), "diverged": diverged}
        if self.config.goal in ("walk",):
            info["velocity_error"] = xp.linalg.vector_norm(self.base_lin_vel[:, :2] - self.command[:, :2], axis=1)
        return reward, terminated, truncated, info

    def _update_feet_contact(self) -> np.ndarray:
        """Advance the feet's air time by one control period and mark the feet that landed;
        returns which feet touch the floor (their air time is cleared once rewards are in)."""
        touching = self.feet_lift < FOOT_CONTACT_HEIGHT
        self.feet_air_time += self.dt
        self.feet_touchdown[:] = touching & (self.feet_air_time > self.dt + 1e-9)
        return touching

    def compute_reward(self) -> Any:
        total = self.xp.zeros(self.num_envs, dtype=self.xp.float64, device=self.array_device)
        for name, (weight, params) in self.config.rewards.items():
            total += weight * terms.REWARDS[name](self, **params)
        return total * self.dt

    def compute_success(self) -> Any:
        goal, norm = self.config.goal, self.xp.linalg.vector_norm
        if goal == "reach":
            return norm(self.target_pos - self.ee_pos, axis=1) < 0.02
        if goal == "pick_place":
            return norm(self.goal_pos[:, :2] - self.target_pos[:, :2], axis=1) < 0.04
        if goal == "tabletop":
            return self.goal_progress() >= 1.0
        if goal == "walk":
            velocity = self.base_lin_vel[:, :2]
            return norm(velocity - self.command[:, :2], axis=1) < 0.1
        if goal == "get_up":
            return (terms.upright(self) > 0.9) & (self.base_pos[:, 2] > 0.8 * self.robot.home_base_height)
        if goal == "kick":
            goal_xy = np.asarray(self.config.scene.goal_position)
            inside = (self.ball_pos[:, 0] > goal_xy[0]) & (self.xp.abs(self.ball_pos[:, 1] - goal_xy[1]) < 0.7)
            return inside
        raise UnknownNameError("goal", goal, GOALS)

    def goal_progress(self) -> Any:
        """Language-goal progress in [0, 1] per env."""
        xp = self.xp
        progress = xp.zeros(self.num_envs, dtype=xp.float64, device=self.array_device)
        kind = self.goal_kind
        reach_error = xp.linalg.vector_norm(self.target_pos - self.ee_pos, axis=1)
        progress = xp.where(kind == 0, xp.clip(1.0 - (reach_error - 0.02) / 0.3, 0.0, 1.0), progress)
        lifted = (self.target_pos[:, 2] - self.target_rest_z) / 0.05
        progress = xp.where(kind == 1, xp.clip(lifted, 0.0, 1.0), progress)
        moved = xp.sum((self.target_pos[:, :2] - self.goal_start[:, :2]) * self.goal_direction, axis=1) / 0.1
        progress = xp.where(kind == 2, xp.clip(moved, 0.0, 1.0), progress)
        place_error = xp.linalg.vector_norm(self.goal_pos - self.target_pos, axis=1)
        progress = xp.where(kind == 3, xp.clip(1.0 - (place_error - 0.03) / 0.3, 0.0, 1.0), progress)
        return progress

    # ----- observations ---------------------------------------------------------------
    def state_layout(self) -> dict[str, slice]:
        """Where each state term lies in the `state` vector."""
        layout, start = {}, 0
        for name in self.config.state_terms:
            width = terms.OBSERVATIONS[name](self).shape[1]
            layout[name] = slice(start, start + width)
            start += width
        return layout

    def state(self) -> Any:
        return concat_float32([terms.OBSERVATIONS[name](self) for name in self.config.state_terms])

    # ----- rendering ------------------------------------------------------------------
    def render(self, env: int, camera: str, height: int, width: int, depth: bool = False) -> np.ndarray:
        """An RGB (uint8, HxWx3) or depth (float32 metres, HxW) image of one world."""
        if camera not in self.scene.cameras:
            raise UnknownNameError("camera", camera, self.scene.cameras)
        # One renderer per camera and mode: under Mesa a frame differs slightly depending on what
        # the same renderer drew before it, so a renderer that always draws the same view is
        # what makes camera observations reproducible bit for bit.
        key = (camera, height, width, depth)
        fresh = key not in self._renderers
        if fresh:
            self.model.vis.global_.offwidth = max(self.model.vis.global_.offwidth, width)
            self.model.vis.global_.offheight = max(self.model.vis.global_.offheight, height)
            self._renderers[key] = mujoco.Renderer(self.model, height, width)
            if depth:
                self._renderers[key].enable_depth_rendering()
        renderer = self._renderers[key]
        data = self.sim.get_data(env, self._render_data)
        layout = self.layouts[env]
        if layout is not None and self.scene.prop_geoms:
            self.model.geom_rgba[self.scene.prop_geoms] = prop_rgba(self.scene, layout)
        if fresh:  # and its first frame differs from the later ones of the same state
            renderer.update_scene(data, camera=camera)
            renderer.render()
        renderer.update_scene(data, camera=camera)
        image = renderer.render()
        return image.astype(np.float32) if depth else image

    def camera_intrinsics(self, camera: str, height: int, width: int) -> np.ndarray:
        """3x3 pinhole intrinsics of a camera rendered at height x width."""
        fovy = np.deg2rad(self.model.cam_fovy[self.model.camera(camera).id])
        focal = 0.5 * height / np.tan(fovy / 2)
        return np.array([[focal, 0, width / 2], [0, focal, height / 2], [0, 0, 1.0]])

    def scene_description(self, env: int) -> list[dict[str, Any]]:
        """The props of one world as they stand now: name, colour, shape, position."""
        layout = self.layouts[env]
        if layout is None:
            return []
        positions = self.prop_pos[env]
        described = []
        for prop in layout.props:
            entry = prop.to_json()
            entry["position"] = [round(float(v), 4) for v in positions[prop.slot]]
            described.append(entry)
        return described

    def close(self) -> None:
        for renderer in self._renderers.values():
            renderer.close()
        self._renderers.clear()


class _SimRows:
    """Reads of some worlds of a `BatchSim`: the simulator of a view of some envs."""

    def __init__(self, sim: BatchSim, rows: np.ndarray) -> None:
        self._sim, self._rows = sim, rows
        self._tensor_rows: Any = None  # the rows on the device, for torch reads

    @property
    def state_version(self) -> int:
        return self._sim.state_version

    def numpy(self, name: str) -> np.ndarray:
        return self._sim.numpy(name)[self._rows]

    def tensor(self, name: str) -> Any:
        if self._tensor_rows is None:
            self._tensor_rows = as_index(self._rows, self._sim.tensor("qpos"))
        return self._sim.tensor(name)[self._tensor_rows]


__all__ = ["BatchedTask", "COLORS", "InvalidActionError", "scene_for"]
