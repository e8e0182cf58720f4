"""Task files: every shipped task loads; every mistake in one is reported with the file, the
field, the bad value and the valid choices; actions are checked; the batched task runs."""

from __future__ import annotations

import copy

import mujoco
import numpy as np
import pytest
import yaml

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.scene import COLORS, SHAPES
from embodied.sim import BatchSim
from embodied.tasks import BatchedTask, InvalidActionError, TaskFileError, all_tasks, get_task, load_task_file, terms
from embodied.tasks.config import ACTION_MODES, GOALS, TASKS_DIR, TOP_FIELDS
from embodied.tasks.task import scene_for

TASK_FILES = sorted(TASKS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", TASK_FILES, ids=lambda p: p.name)
def test_every_task_file_loads(path):
    config = load_task_file(path)
    assert config.id.startswith("embodied/") and config.id.endswith(("-v0", "-v1", "-v2"))
    assert config.description
    assert config.path == str(path)
    assert config.goal in GOALS and config.action_mode in ACTION_MODES
    assert config.max_steps > 0 and config.control_hz > 0
    assert config.state_terms and config.rewards
    for name in config.rewards:
        assert name in terms.REWARDS


def test_task_ids_are_unique_and_lookup_accepts_a_short_id():
    ids = [load_task_file(path).id for path in TASK_FILES]
    assert len(ids) == len(set(ids)) == len(all_tasks())
    config = get_task("embodied/Go1Walk-v0")
    assert get_task("Go1Walk-v0") is config


def test_unknown_task_names_the_choices():
    with pytest.raises(UnknownNameError) as caught:
        get_task("Go1Walkk-v0")
    message = str(caught.value)
    assert "unknown task 'Go1Walkk-v0'" in message
    for task_id in all_tasks():
        assert task_id in message
    assert "Did you mean 'embodied/Go1Walk-v0'" in message


# ----- mistakes in task files --------------------------------------------------------------
VALID = yaml.safe_load((TASKS_DIR / "panda_pick_place.yaml").read_text())


def _write(tmp_path, data, name="broken.yaml"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data))
    return path


def _error(tmp_path, data, error=TaskFileError, one_line=True) -> str:
    path = _write(tmp_path, data)
    with pytest.raises(error) as caught:
        load_task_file(path)
    message = str(caught.value)
    assert str(path) in message, f"the message does not name the file: {message}"
    if one_line:
        assert "\n" not in message.strip(), "errors are one line"
    return message


def _edit(change):
    data = copy.deepcopy(VALID)
    change(data)
    return data


def test_a_valid_copy_loads(tmp_path):
    assert load_task_file(_write(tmp_path, VALID)).id == VALID["id"]


@pytest.mark.parametrize("field", ["id", "robot", "goal", "control", "episode", "observations", "rewards"])
def test_missing_top_level_field(tmp_path, field):
    message = _error(tmp_path, _edit(lambda d: d.pop(field)))
    assert f"missing field {field!r}" in message


@pytest.mark.parametrize("path, field", [
    (("control", "frequency_hz"), "control.frequency_hz"),
    (("episode", "max_steps"), "episode.max_steps"),
    (("observations", "state"), "observations.state"),
])
def test_missing_nested_field(tmp_path, path, field):
    message = _error(tmp_path, _edit(lambda d: d[path[0]].pop(path[1])))
    assert f"missing field {field!r}" in message


def test_misspelt_top_level_field(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d.__setitem__("rewardz", d.pop("rewards"))))
    assert "'rewardz'" in message
    for field in TOP_FIELDS:
        assert field in message


def test_misspelt_nested_field(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["control"].__setitem__("frequency", 20)))
    assert "'control.frequency'" in message
    assert "frequency_hz" in message and "action_scale" in message


@pytest.mark.parametrize("section, key, value, expected_type", [
    ("episode", "max_steps", "ten", "int"),
    ("control", "frequency_hz", "fast", "float"),
    ("observations", "depth", "yes", "bool"),
    ("observations", "state", "joint_pos", "list"),
])
def test_field_of_the_wrong_type(tmp_path, section, key, value, expected_type):
    message = _error(tmp_path, _edit(lambda d: d[section].__setitem__(key, value)))
    assert f"'{section}.{key}'" in message
    assert repr(value) in message
    assert expected_type in message


def test_bool_is_not_a_number(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["episode"].__setitem__("max_steps", True)))
    assert "'episode.max_steps'" in message and "True" in message


def test_unknown_robot(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d.__setitem__("robot", "pandaa")))
    assert "'robot'" in message and "'pandaa'" in message
    assert "franka_emika_panda" in message and "go1" in message


def test_unknown_goal(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d.__setitem__("goal", "fly")))
    assert "'goal'" in message and "'fly'" in message
    for goal in GOALS:
        assert goal in message


def test_unknown_action_mode(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["control"].__setitem__("action", "relative")))
    assert "'control.action'" in message and "'relative'" in message
    for mode in ACTION_MODES:
        assert mode in message


@pytest.mark.parametrize("kind, edit, bad", [
    ("reward", lambda d: d["rewards"].__setitem__("reach_tan", 1.0), "reach_tan"),
    ("observation", lambda d: d["observations"]["state"].append("joint_position"), "joint_position"),
    ("termination", lambda d: d["terminations"].__setitem__("fell", {}), "fell"),
])
def test_unknown_term(tmp_path, kind, edit, bad):
    message = _error(tmp_path, _edit(edit), error=EmbodiedError)
    assert f"unknown {kind} term {bad!r}" in message
    table = terms.TERMS[kind + "s"]
    for name in table:
        assert name in message


def test_unknown_term_is_a_task_file_error(tmp_path):
    _error(tmp_path, _edit(lambda d: d["rewards"].__setitem__("reach_tan", 1.0)), error=TaskFileError)


def test_unknown_term_parameter(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["rewards"]["lift"]["params"].__setitem__("hieght", 0.1)))
    assert "rewards.lift" in message and "'hieght'" in message and "height" in message


def test_reward_weight_of_the_wrong_type(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["rewards"]["lift"].__setitem__("weight", "big")))
    assert "'rewards.lift.weight'" in message and "'big'" in message


def test_unknown_prop_colour(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["scene"]["props"][0].__setitem__("color", "pink")))
    assert "scene.props[0]" in message and "'pink'" in message
    for colour in COLORS:
        assert colour in message


def test_unknown_prop_shape(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["scene"]["props"][0].__setitem__("shape", "cone")))
    assert "scene.props[0]" in message and "'cone'" in message
    for shape in SHAPES:
        assert shape in message


def test_unknown_colour_in_the_palette(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["scene"].__setitem__("colors", ["red", "mauve"])))
    assert "scene" in message and "'mauve'" in message and "purple" in message


def test_prop_count_out_of_range(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d["scene"].__setitem__("prop_count", [1, 5])))
    assert "prop_count" in message and "[1, 5]" in message


def test_bad_command_range(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d.__setitem__("commands", {"lin_vel_x": [1.0, -1.0]})))
    assert "'commands.lin_vel_x'" in message and "[1.0, -1.0]" in message


def test_unknown_reset_field(tmp_path):
    message = _error(tmp_path, _edit(lambda d: d.__setitem__("reset", {"joint_nosie": 0.1})))
    assert "'reset.joint_nosie'" in message and "joint_noise" in message


def test_not_a_mapping(tmp_path):
    message = _error(tmp_path, "- just\n- a list\n")
    assert "mapping" in message


def test_invalid_yaml(tmp_path):
    message = _error(tmp_path, "id: embodied/X-v0\nrobot: [panda\n", one_line=False)
    assert "not valid YAML at line 3" in message


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(TaskFileError, match="cannot read task file .*nowhere.yaml"):
        load_task_file(path)


# ----- actions ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def go1_task():
    task = BatchedTask(get_task("Go1Walk-v0"), num_envs=3, nthread=1)
    task.reset()
    return task


@pytest.mark.parametrize("shape", [(12,), (3, 11), (3, 13), (2, 12), (3, 12, 1), ()])
def test_action_of_the_wrong_shape(go1_task, shape):
    with pytest.raises(InvalidActionError) as caught:
        go1_task.step(np.zeros(shape))
    message = str(caught.value)
    assert str(shape) in message and "(3, 12)" in message
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, EmbodiedError)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_action_that_is_not_finite(go1_task, bad):
    action = np.zeros((3, 12))
    action[1, 4] = bad
    qpos = go1_task.sim.qpos.copy()
    with pytest.raises(InvalidActionError, match=r"\(1, 4\).*finite"):
        go1_task.step(action)
    np.testing.assert_array_equal(go1_task.sim.qpos, qpos)  # nothing was stepped


def test_single_world_accepts_a_flat_action():
    task = BatchedTask(get_task("PandaReach-v0"), num_envs=1, nthread=1)
    task.reset()
    task.step(np.zeros(task.model.nu))
    with pytest.raises(InvalidActionError, match=r"expects \(8,\)"):
        task.step(np.zeros(7))


def test_action_mapping_round_trips(go1_task):
    ctrl = go1_task.home_ctrl + 0.1
    np.testing.assert_allclose(go1_task.ctrl_of_action(go1_task.action_of_ctrl(ctrl)), ctrl)
    # out-of-range actions are clipped to the actuators' control range
    ctrl = go1_task.ctrl_of_action(np.full((3, 12), 50.0))
    assert (ctrl <= go1_task.ctrl_high).all() and (ctrl >= go1_task.ctrl_low).all()


@pytest.mark.parametrize("task_id", sorted(all_tasks()))
def test_batched_task_steps_every_term(task_id):
    """Every reward, observation and termination term gives one finite value per world."""
    task = BatchedTask(get_task(task_id), num_envs=2, nthread=1)
    task.reset()
    rng = np.random.default_rng(0)
    for _ in range(3):
        reward, terminated, truncated, info = task.step(rng.uniform(-1, 1, (2, task.action_size)))
        assert reward.shape == terminated.shape == truncated.shape == (2,)
        assert np.isfinite(reward).all()
        assert terminated.dtype == truncated.dtype == bool
        assert info["success"].shape == (2,)
    state = task.state()
    assert state.dtype == np.float32 and state.shape[0] == 2 and np.isfinite(state).all()
    layout = task.state_layout()
    assert list(layout) == list(task.config.state_terms)
    assert max(s.stop for s in layout.values()) == state.shape[1]


@pytest.mark.parametrize("task_id", sorted(all_tasks()))
def test_a_view_of_some_envs_observes_what_the_whole_batch_does(task_id):
    """`rows(ids)` computes the observation terms over those rows only, bit for bit the rows of
    the whole batch's; and it takes rows of every per-env array the task holds."""
    num_envs = 5
    task = BatchedTask(get_task(task_id), num_envs=num_envs, nthread=1)
    task.reset()
    rng = np.random.default_rng(1)
    for _ in range(3):
        task.step(rng.uniform(-1, 1, (num_envs, task.action_size)))
    ids = np.array([3, 0, 4])
    view = task.rows(ids)
    assert view.num_envs == 3
    np.testing.assert_array_equal(view.state(), task.state()[ids])
    np.testing.assert_array_equal(view.steps, task.steps[ids])
    assert view.instructions == [task.instructions[i] for i in ids]
    per_env = {name for name, value in vars(task).items()
               if isinstance(value, (np.ndarray, list)) and len(value) == num_envs}
    assert per_env == set(BatchedTask.PER_ENV)


def _one_draw_at_a_time(task, rng):
    """A new episode's robot pose and command, drawn one `rng.uniform` call at a time in the
    order the task has always drawn them (the seeded episodes behind every evaluation figure)."""
    reset, joints = task.config.reset, task.joint_qadr
    task.scene.sample_layout(rng)
    qpos = task.scene.home_qpos.copy()
    if reset.get("joint_noise"):
        qpos[joints] += rng.uniform(-reset["joint_noise"], reset["joint_noise"], joints.size)
    yaw = rng.uniform(*reset["base_yaw"]) if "base_yaw" in reset else 0.0
    quat = np.array([np.cos(yaw / 2), 0.0, 0.0, np.sin(yaw / 2)])
    if reset.get("fallen"):
        heading, side, tilt = rng.uniform(-np.pi, np.pi), rng.uniform(-np.pi, np.pi), rng.uniform(np.pi / 3, np.pi)
        tilt_quat = np.r_[np.cos(tilt / 2), np.sin(tilt / 2) * np.array([np.cos(side), np.sin(side), 0.0])]
        mujoco.mju_mulQuat(quat, tilt_quat, np.array([np.cos(heading / 2), 0.0, 0.0, np.sin(heading / 2)]))
        qpos[joints] = rng.uniform(task.ctrl_low, task.ctrl_high)[: joints.size]
        qpos[task.base_qadr + 2] = task.robot.home_base_height + 0.15
    qpos[task.base_qadr + 3 : task.base_qadr + 7] = quat
    lo, hi = task.model.jnt_range[task.joint_ids].T
    limited = task.model.jnt_limited[task.joint_ids].astype(bool)
    qpos[joints] = np.where(limited, np.clip(qpos[joints], lo, hi), qpos[joints])
    command = np.zeros(3)
    if task.config.commands:
        command = np.array([rng.uniform(*task.config.commands.get(key, (0.0, 0.0)))
                            for key in ("lin_vel_x", "lin_vel_y", "yaw_rate")])
        if task.config.zero_command_fraction and rng.uniform() < task.config.zero_command_fraction:
            command[:] = 0.0
    return qpos, command


@pytest.mark.parametrize("task_id", ["Go1Walk-v0", "T1Walk-v0", "Go1GetUp-v0", "H1Walk-v0"])
def test_batched_resets_draw_what_one_draw_at_a_time_did(task_id):
    """Resets draw each env's numbers in one call and scale them for all envs at once: the
    same numbers, bit for bit, as drawing them one `uniform` at a time."""
    num_envs = 12
    task = BatchedTask(get_task(task_id), num_envs=num_envs, nthread=1)
    task.seed(np.arange(num_envs), [100 + env for env in range(num_envs)])
    task.reset()
    for env in range(num_envs):
        qpos, command = _one_draw_at_a_time(task, np.random.default_rng(100 + env))
        np.testing.assert_array_equal(task.sim.numpy("qpos")[env], qpos)
        np.testing.assert_array_equal(task.command[env], command)
    if task.config.zero_command_fraction:
        assert (task.command == 0).all(axis=1).any()  # some envs were told to stand


def test_derived_state_is_worked_out_once_per_state_and_follows_every_change(go1_task):
    task = go1_task
    task.reset()
    velocity = task.base_lin_vel
    assert task.base_lin_vel is velocity and not velocity.flags.writeable
    np.testing.assert_array_equal(velocity, terms.quat_rotate_inverse(task.base_quat, task.base_lin_vel_world))
    task.sim.qvel[:, task.base_dadr] = 0.7  # a write through a live field is a new state
    moved = task.base_lin_vel
    assert moved is not velocity
    np.testing.assert_array_equal(moved, terms.quat_rotate_inverse(task.base_quat, task.base_lin_vel_world))
    np.testing.assert_allclose(np.linalg.norm(moved, axis=1), 0.7)
    gravity = task.projected_gravity
    task.step(np.zeros((task.num_envs, task.action_size)))
    assert task.projected_gravity is not gravity
    down = np.broadcast_to([0.0, 0.0, -1.0], (task.num_envs, 3))
    np.testing.assert_array_equal(task.projected_gravity, terms.quat_rotate_inverse(task.base_quat, down))


def _episodes(task_id: str, arrays: str, num_envs: int = 4, steps: int = 12) -> list[np.ndarray]:
    """What a seeded batch computes over some steps with resets, as host arrays."""
    from embodied.sim.arrays import to_numpy

    task = BatchedTask(get_task(task_id), num_envs=num_envs, nthread=1, arrays=arrays)
    task.seed(np.arange(num_envs), list(range(num_envs)))
    task.reset()
    rng, seen = np.random.default_rng(0), []
    for step in range(steps):
        reward, terminated, truncated, info = task.step(rng.uniform(-1.0, 1.0, (num_envs, task.action_size)))
        seen += [task.sim.numpy("qpos").copy(), reward, terminated, truncated, task.state(), *info.values()]
        finished = np.flatnonzero(to_numpy(terminated | truncated))
        task.reset(np.union1d(finished, [step % num_envs]) if step % 4 == 0 else finished)
        seen += [task.state(), task.command, task.goal_pos, task.steps, task.feet_air_time]
    task.close()
    return [np.asarray(to_numpy(array), dtype=float) for array in seen]


@pytest.mark.parametrize("task_id", sorted(all_tasks()))
def test_the_task_on_torch_computes_what_it_computes_on_numpy(task_id):
    """The same terms on torch tensors (as on a GPU, here on the CPU) give the NumPy results:
    the same physics, rewards, flags and observations, to the last bits of float64 rounding."""
    torch = pytest.importorskip("torch")
    on_numpy, on_torch = _episodes(task_id, "numpy"), _episodes(task_id, "torch")
    assert len(on_numpy) == len(on_torch)
    for expected, got in zip(on_numpy, on_torch):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    task = BatchedTask(get_task(task_id), num_envs=2, arrays="torch")
    assert isinstance(task.state(), torch.Tensor) and task.state().dtype == torch.float32
    assert isinstance(task.command, torch.Tensor) and isinstance(task.base_pos, torch.Tensor)


def test_an_unknown_array_kind_names_the_kinds():
    with pytest.raises(UnknownNameError, match="cupy.*numpy.*torch"):
        BatchedTask(get_task("Go1Walk-v0"), num_envs=1, arrays="cupy")


def test_auto_arrays_are_numpy_off_a_gpu():
    task = BatchedTask(get_task("Go1Walk-v0"), num_envs=1, arrays="auto")
    assert task.arrays == "numpy" and isinstance(task.state(), np.ndarray)


# ----- the simulator's own checks ---------------------------------------------------------
def test_batch_sim_rejects_unknown_backend():
    model = scene_for(get_task("Go1Walk-v0")).model
    with pytest.raises(UnknownNameError) as caught:
        BatchSim(model, 2, backend="gpu")
    assert "'gpu'" in str(caught.value) and "cpu" in str(caught.value) and "warp" in str(caught.value)


@pytest.mark.parametrize("num_worlds", [0, -3])
def test_batch_sim_rejects_fewer_than_one_world(num_worlds):
    model = scene_for(get_task("Go1Walk-v0")).model
    with pytest.raises(EmbodiedError, match=f"at least 1, got {num_worlds}"):
        BatchSim(model, num_worlds)


def test_batch_sim_unknown_keyframe():
    sim = BatchSim(scene_for(get_task("Go1Walk-v0")).model, 1)
    with pytest.raises(UnknownNameError, match="'stand'.*home"):
        sim.reset(keyframe="stand")


# ----- what the terms say at a reset --------------------------------------------------------
@pytest.mark.parametrize("task_id", ["embodied/Go1Walk-v0", "embodied/T1Walk-v0", "embodied/H1Walk-v0"])
def test_legged_reset_terms(task_id):
    task = BatchedTask(get_task(task_id), num_envs=4, nthread=1)
    task.seed(range(4), [0, 1, 2, 3])
    task.reset()
    np.testing.assert_allclose(terms.projected_gravity(task), np.tile([0.0, 0.0, -1.0], (4, 1)), atol=1e-9)
    np.testing.assert_array_equal(terms.base_lin_vel(task), 0.0)
    np.testing.assert_array_equal(terms.base_ang_vel(task), 0.0)
    np.testing.assert_allclose(terms.base_height(task)[:, 0], task.robot.home_base_height)
    noise = task.config.reset.get("joint_noise", 0.0)
    assert np.abs(terms.joint_pos(task)).max() <= noise + 1e-12
    np.testing.assert_array_equal(terms.last_action(task), 0.0)  # offset actions: 0 is the home pose
    low, high = np.array(list(task.config.commands.values())).T
    assert ((task.command >= low) & (task.command <= high)).all()
    assert len({tuple(c) for c in task.command}) == 4  # each env draws its own command
    assert not terms.fallen(task).any()


@pytest.mark.parametrize("task_id", ["embodied/PandaReach-v0", "embodied/UR5eReach-v0"])
def test_arm_reset_terms(task_id):
    task = BatchedTask(get_task(task_id), num_envs=2, nthread=1)
    task.reset()
    np.testing.assert_allclose(terms.target_rel(task), task.target_pos - task.ee_pos)
    np.testing.assert_allclose(terms.ee_pos(task), task.ee_pos - task.base_pos)
    assert (task.ee_pos[:, 2] > task.scene.table_top).all()  # the home pose is above the table
    np.testing.assert_allclose(task.ctrl_of_action(terms.last_action(task)), np.tile(task.home_ctrl, (2, 1)))


@pytest.mark.parametrize("task_id", ["embodied/Go1Walk-v0", "embodied/T1Walk-v0", "embodied/PandaReach-v0",
                                     "embodied/UR5eReach-v0", "embodied/PandaPickPlace-v0"])
def test_the_home_action_holds_the_robot_up(task_id):
    """Commanding the home pose for 2 s: no termination, no divergence, joints near home.

    (The H1 needs a balance policy to stand; see test_robots.py.)"""
    task = BatchedTask(get_task(task_id), num_envs=2, nthread=1)
    task.seed([0, 1], [0, 1])
    task.reset()
    task.command[:] = 0.0  # a gait clock (T1) would otherwise step the legs in place
    home_action = np.tile(task.action_of_ctrl(task.home_ctrl), (2, 1))
    for _ in range(int(round(2.0 / task.dt))):
        _, terminated, _, info = task.step(home_action)
        assert not terminated.any() and not info["diverged"].any()
    assert np.abs(terms.joint_pos(task)).max() < 0.15 + task.config.reset.get("joint_noise", 0.0)
    if task.robot.is_legged:
        assert (terms.projected_gravity(task)[:, 2] < -0.99).all()


def test_get_up_starts_are_fallen_never_upright():
    task = BatchedTask(get_task("embodied/Go1GetUp-v0"), num_envs=64, nthread=1)
    task.seed(range(64), list(range(64)))
    task.reset()
    tilt = np.degrees(np.arccos(np.clip(terms.upright(task), -1.0, 1.0)))
    assert tilt.min() >= 60.0 - 1e-6 and tilt.max() <= 180.0
    assert tilt.max() > 150.0 and tilt.min() < 90.0  # backs and sides both occur


def test_get_up_rewards_pay_height_all_the_way_up_and_posture_only_once_up():
    task = BatchedTask(get_task("embodied/Go1GetUp-v0"), num_envs=2, nthread=1)
    task.seed(range(2), [0, 1])
    task.reset()
    fallen_height = terms.height_progress(task).copy()
    assert (terms.posture_when_up(task) == 0.0).all()  # reset drops it from a tilted pose
    # put env 0 at the home pose, standing
    qpos = task.sim.qpos
    qpos[0, task.base_qadr + 2] = task.robot.home_base_height
    qpos[0, task.base_qadr + 3:task.base_qadr + 7] = [1.0, 0.0, 0.0, 0.0]
    qpos[0, task.joint_qadr] = task.home_joint_qpos
    task.sim.forward()
    np.testing.assert_allclose(terms.height_progress(task)[0], 1.0)
    np.testing.assert_allclose(terms.posture_when_up(task)[0], 1.0)
    assert terms.posture_when_up(task)[1] == 0.0
    lower = task.base_pos[1, 2] / task.robot.home_base_height
    np.testing.assert_allclose(terms.height_progress(task)[1], min(lower, 1.0))
    assert fallen_height[1] == pytest.approx(terms.height_progress(task)[1])


# ----- a phase-driven humanoid gait (tasks/t1_walk.yaml) ---------------------------------------
T1_WALK = yaml.safe_load((TASKS_DIR / "t1_walk.yaml").read_text())


def _t1_error(tmp_path, edit):
    data = copy.deepcopy(T1_WALK)
    edit(data)
    with pytest.raises(EmbodiedError) as caught:
        BatchedTask(load_task_file(_write(tmp_path, data)), num_envs=1, nthread=1)
    return str(caught.value)


@pytest.fixture(scope="module")
def t1_task():
    task = BatchedTask(get_task("T1Walk-v0"), num_envs=4, nthread=1)
    task.seed(range(4), [0, 1, 2, 3])
    task.reset()
    return task


def test_the_action_drives_only_the_listed_actuators(t1_task):
    names = [t1_task.model.actuator(int(i)).name for i in t1_task.actuated]
    assert len(names) == 12 and all(("Hip" in n or "Knee" in n or "Ankle" in n) for n in names)
    assert t1_task.action_size == 12 and t1_task.last_action.shape == (4, 12)
    action = np.full((4, 12), 0.5)
    ctrl = t1_task.ctrl_of_action(action)
    held = np.setdiff1d(np.arange(t1_task.model.nu), t1_task.actuated)
    np.testing.assert_array_equal(ctrl[:, held], np.tile(t1_task.home_ctrl[held], (4, 1)))  # arms, head, waist
    np.testing.assert_allclose(ctrl[:, t1_task.actuated] - t1_task.home_ctrl[t1_task.actuated], 0.5 * 0.4)
    np.testing.assert_allclose(t1_task.action_of_ctrl(ctrl), action)
    with pytest.raises(InvalidActionError, match=r"\(4, 12\).*per driven actuator"):
        t1_task.step(np.zeros((4, t1_task.model.nu)))


def test_an_unknown_actuator_pattern_names_the_actuators(tmp_path):
    message = _t1_error(tmp_path, lambda d: d["control"].__setitem__("joints", ["*_Hip_*", "*_Kneee_*"]))
    assert "'*_Kneee_*'" in message and "Left_Knee_Pitch" in message


def test_bad_gait_and_ppo_fields_name_the_field(tmp_path):
    assert "'gait'" in _t1_error(tmp_path, lambda d: d["gait"].__setitem__("frequency_hz", 50.0))
    assert "'gait.period'" in _t1_error(tmp_path, lambda d: d["gait"].__setitem__("period", 1.0))
    assert "'commands.zero_fraction'" in _t1_error(tmp_path, lambda d: d["commands"].__setitem__("zero_fraction", 2))


def test_task_ppo_settings_override_the_defaults(tmp_path):
    from embodied.learn.ppo import PPOConfig

    config = PPOConfig.for_task(get_task("T1Walk-v0").ppo, "t1_walk.yaml")
    assert config.init_std == 0.3 and config.steps_per_rollout == PPOConfig().steps_per_rollout
    with pytest.raises(EmbodiedError, match=r"t1_walk.yaml: unknown field 'ppo.init_sdt'.*init_std"):
        PPOConfig.for_task({"init_sdt": 0.3}, "t1_walk.yaml")
    with pytest.raises(EmbodiedError, match=r"'ppo.hidden' must be a list"):
        PPOConfig.for_task({"hidden": 128}, "t1_walk.yaml")
    for path in TASK_FILES:  # every shipped task's settings are valid
        PPOConfig.for_task(load_task_file(path).ppo, str(path))


def test_the_gait_clock_alternates_the_feet_and_stops_for_a_stand(t1_task):
    task = t1_task
    task.command[:] = [[0.5, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.05, 0.0, 0.0]]
    task.steps[:] = 5  # 0.1 s into a 1.5 Hz cycle
    left = 2 * np.pi * 1.5 * 0.1
    np.testing.assert_allclose(task.gait_phase[0], [left, left + np.pi])
    np.testing.assert_allclose(task.gait_phase[2:], np.pi)  # told to stand (or nearly): both feet in stance
    observed = terms.gait_phase(task)
    np.testing.assert_allclose(observed[0], [np.cos(left), np.sin(left), np.cos(left + np.pi), np.sin(left + np.pi)])
    # the swing profile: up over the first half-cycle, peak at a quarter, on the floor over the second
    np.testing.assert_allclose(terms.swing_height(np.array([0.0, np.pi / 2, np.pi, 1.5 * np.pi]), 0.08),
                               [0.0, 0.08, 0.0, 0.0], atol=1e-12)


def test_feet_terms_at_home_and_lifted(t1_task):
    task = t1_task
    task.reset()
    np.testing.assert_allclose(task.feet_lift, 0.0, atol=0.01)  # standing at home: both feet down
    task.command[:] = 0.0
    assert (terms.feet_phase(task) > 0.95).all()  # a stand asks for both feet down
    assert (terms.feet_slip(task) == 0.0).all() and (terms.feet_too_close(task) == 0.0).all()
    # lift the whole robot 5 cm and slide it sideways: no foot touches, so nothing slips
    task.sim.qpos[:, task.base_qadr + 2] += 0.05
    task.sim.qvel[:, task.base_dadr + 1] = 1.0
    task.sim.forward()
    np.testing.assert_allclose(task.feet_lift, 0.05, atol=0.01)
    np.testing.assert_allclose(terms.feet_velocity(task)[:, :, 1], 1.0, atol=1e-9)
    assert (terms.feet_slip(task) == 0.0).all() and (terms.feet_phase(task) < 0.8).all()
    task.sim.qpos[:, task.base_qadr + 2] -= 0.05  # back down, still sliding: both feet slip at 1 m/s
    task.sim.forward()
    np.testing.assert_allclose(terms.feet_slip(task), 2.0, atol=1e-6)


def test_joint_deviation_weighs_the_named_joints(t1_task):
    task = t1_task
    task.reset()
    qpos = task.sim.qpos
    roll = task.joint_qadr[[task.model.joint(int(j)).name == "Left_Hip_Roll" for j in task.joint_ids]][0]
    base = terms.joint_deviation(task, joints={"*_Hip_Roll": 2.0}).copy()
    qpos[:, roll] += 0.1
    task.sim.forward()
    np.testing.assert_allclose(terms.joint_deviation(task, joints={"*_Hip_Roll": 2.0}) - base,
                               2.0 * ((task.joint_qpos[:, 0] * 0 + 0.1) ** 2) + 0.4 * (
                                   task.joint_qpos[:, list(task.joint_qadr).index(roll)] - 0.1
                                   - task.home_joint_qpos[list(task.joint_qadr).index(roll)]), atol=1e-9)
    with pytest.raises(UnknownNameError, match="'\\*_Elbo'"):
        terms.joint_deviation(task, joints={"*_Elbo": 1.0})


def test_a_zero_command_fraction_tells_some_episodes_to_stand():
    task = BatchedTask(get_task("T1Walk-v0"), num_envs=200, nthread=1)
    task.seed(range(200), list(range(200)))
    task.reset()
    standing = np.mean(np.all(task.command == 0.0, axis=1))
    assert 0.03 < standing < 0.2  # zero_fraction 0.1


def test_the_reference_swing_bends_only_the_swinging_leg(t1_task):
    task = t1_task
    task.reset()
    task.command[:] = [[0.5, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.5, 0.0, 0.0]]
    task.steps[:] = [0, 8, 8, 25]  # left foot: phase 0 (lift-off), ~pi/2 (mid-swing, t = 0.16 s); stand; right mid-swing
    reference = task.reference_ctrl()
    names = [task.model.actuator(i).name for i in range(task.model.nu)]
    knee = {side: names.index(f"{side}_Knee_Pitch") for side in ("Left", "Right")}
    np.testing.assert_allclose(reference[0], 0.0, atol=1e-12)  # lift-off: no offset yet
    assert reference[1, knee["Left"]] > 0.7 and reference[1, knee["Right"]] == 0.0  # left swings, right stands
    np.testing.assert_allclose(reference[2], 0.0)  # told to stand: no stepping
    assert reference[3, knee["Right"]] > 0.7 and reference[3, knee["Left"]] == 0.0
    bent = [i for i in range(task.model.nu) if reference[1, i] != 0.0]
    assert sorted(names[i] for i in bent) == ["Left_Ankle_Pitch", "Left_Hip_Pitch", "Left_Knee_Pitch"]


def test_the_step_applies_the_reference_on_top_of_the_action(t1_task):
    task = t1_task
    task.reset()
    task.command[:] = [0.5, 0.0, 0.0]
    task.steps[:] = 8
    expected = np.clip(task.ctrl_of_action(np.zeros((4, 12))) + task.reference_ctrl(), task.ctrl_low, task.ctrl_high)
    task.step(np.zeros((4, 12)))
    np.testing.assert_allclose(task.sim.ctrl, expected)


def test_a_bad_gait_reference_names_the_feet_and_the_actuators(tmp_path):
    one_foot = _t1_error(tmp_path, lambda d: d["gait"].__setitem__("reference", d["gait"]["reference"][:1]))
    assert "'gait.reference'" in one_foot and "left_foot_link" in one_foot
    unknown = _t1_error(tmp_path, lambda d: d["gait"]["reference"][0].__setitem__("Left_Shin", 0.3))
    assert "'Left_Shin'" in unknown and "Left_Knee_Pitch" in unknown


def test_a_reset_world_grips_with_the_models_own_servo_again():
    # a firm grasp scales world 0's gripper servo; an episode that ends holding a prop must not
    # hand the next one a 5x gripper
    task = BatchedTask(get_task("PandaTabletop-v0"), num_envs=2, nthread=1)
    task.reset()
    gripper, model = task.gripper_id, task.model
    task.scale_grip(np.array([5.0, 3.0]))
    assert task.grip_scale == 5.0
    assert task.sim.param("actuator_gainprm")[1, gripper, 0] == pytest.approx(3.0 * model.actuator_gainprm[gripper, 0])
    task.reset(ids=[0])
    assert task.grip_scale == 1.0
    assert task.sim.param("actuator_gainprm")[0, gripper, 0] == pytest.approx(model.actuator_gainprm[gripper, 0])
    assert np.allclose(task.sim.param("actuator_biasprm")[0, gripper], model.actuator_biasprm[gripper])


def test_quat_rotate_inverse_matches_mujoco_and_cross_matches_numpy():
    from embodied.tasks.terms import cross, quat_rotate_inverse

    rng = np.random.default_rng(0)
    fields = rng.normal(size=(64, 5, 4))  # one body's quaternion among others': strided rows
    quats = fields[:, 2] / np.linalg.norm(fields[:, 2], axis=1, keepdims=True)
    vectors = rng.normal(size=(64, 3))
    expected = np.empty_like(vectors)
    for i, (quat, vector) in enumerate(zip(quats, vectors)):
        inverse = np.empty(4)
        mujoco.mju_negQuat(inverse, quat)
        mujoco.mju_rotVecQuat(expected[i], vector, inverse)
    np.testing.assert_allclose(quat_rotate_inverse(quats, vectors), expected, atol=1e-12)
    down = np.broadcast_to([0.0, 0.0, -1.0], (64, 3))  # read-only and zero-strided, as terms pass it
    np.testing.assert_allclose(quat_rotate_inverse(quats, down)[:, 2], -(1 - 2 * (quats[:, 1] ** 2 + quats[:, 2] ** 2)),
                               atol=1e-12)
    a, b = rng.normal(size=(2, 64, 4, 3))
    np.testing.assert_array_equal(cross(a, b), np.cross(a, b))
