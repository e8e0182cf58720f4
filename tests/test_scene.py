"""Scenes: composition, seeded layouts, and the same layout in `reset(seed=S)` as in `sample_layout(S)`."""

from __future__ import annotations

import itertools

import mujoco
import numpy as np
import pytest
from conftest import state_only

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.scene import (
    COLORS,
    OVERVIEW_CAMERA,
    PARK_X,
    SHAPES,
    TABLE_CENTER_X,
    TABLE_HEIGHT,
    PropSpec,
    SceneConfig,
    build_scene,
)
from embodied.tasks import all_tasks, get_task
from embodied.tasks.task import scene_for

TASKS = sorted(all_tasks())
TASKS_WITH_PROPS = [t for t in TASKS if get_task(t).scene.props]
TABLETOP = "embodied/PandaTabletop-v0"
SEEDS = range(40)


@pytest.mark.parametrize("task_id", TASKS)
def test_task_scene(task_id):
    config = get_task(task_id)
    scene = scene_for(config)
    model = scene.model
    assert scene_for(config) is scene  # compiled once per process
    assert model.nkey == 1 and model.key(0).name == "home"
    assert OVERVIEW_CAMERA in scene.cameras and scene.robot.camera_name in scene.cameras
    for camera in config.cameras:
        assert camera in scene.cameras
    assert len(scene.prop_bodies) == len(config.scene.props)
    # parked props wait off-stage, apart, resting just above the floor
    for address in scene.prop_qpos:
        position = scene.home_qpos[address : address + 3]
        assert position[0] <= PARK_X and position[2] > 0
    parked = scene.park_positions[:, :2]
    for a, b in itertools.combinations(range(len(parked)), 2):
        assert np.linalg.norm(parked[a] - parked[b]) > 0.1
    if scene.robot.kind == "arm":
        assert scene.table_top == TABLE_HEIGHT
        assert model.body(scene.robot.base_body).pos[2] == pytest.approx(TABLE_HEIGHT)
    assert len(scene.marker_mocap) == len(config.scene.markers)
    assert (scene.ball_body is not None) == config.scene.soccer_ball


@pytest.mark.parametrize("task_id", ["embodied/PandaReach-v0", "embodied/UR5eReach-v0"])
def test_overview_camera_sees_the_table(task_id):
    scene = scene_for(get_task(task_id))
    model, data = scene.model, mujoco.MjData(scene.model)
    mujoco.mj_resetDataKeyframe(model, data, 0)
    mujoco.mj_forward(model, data)
    camera = model.camera(OVERVIEW_CAMERA).id
    axes = data.cam_xmat[camera].reshape(3, 3)
    forward, up = -axes[:, 2], axes[:, 1]  # cameras look along their -z axis, image up is +y
    half_fov = np.radians(model.cam_fovy[camera]) / 2
    for point in ([TABLE_CENTER_X, 0.0, TABLE_HEIGHT], [0.0, 0.0, TABLE_HEIGHT]):  # table centre, arm base
        direction = np.asarray(point) - data.cam_xpos[camera]
        angle = np.arccos(forward @ direction / np.linalg.norm(direction))
        assert angle < half_fov, f"{point} is outside the overview camera's view"
    assert up[2] > 0  # image up is world up


# ----- layouts ----------------------------------------------------------------------------
@pytest.mark.parametrize("task_id", TASKS_WITH_PROPS)
def test_layout_is_a_pure_function_of_the_seed(task_id):
    scene = scene_for(get_task(task_id))
    for seed in (0, 7, 123456789):
        a, b = scene.sample_layout(seed), scene.sample_layout(np.random.default_rng(seed))
        assert [p.to_json() for p in a.props] == [p.to_json() for p in b.props]
        assert [p.position for p in a.props] == [p.position for p in b.props]
        np.testing.assert_array_equal(a.prop_yaw, b.prop_yaw)
        assert a.markers == b.markers and a.ball == b.ball


def test_different_seeds_give_different_layouts():
    scene = scene_for(get_task(TABLETOP))
    layouts = {tuple(tuple(p.position) for p in scene.sample_layout(seed).props) for seed in SEEDS}
    assert len(layouts) == len(SEEDS)
    described = {tuple((p.name, p.slot) for p in scene.sample_layout(seed).props) for seed in SEEDS}
    assert len(described) > len(SEEDS) // 2  # which props and which colours change too


@pytest.mark.parametrize("task_id", ["embodied/PandaTabletop-v0", "embodied/UR5eTabletop-v0",
                                     "embodied/PandaPickPlace-v0"])
def test_layouts_are_on_the_table_in_reach_and_apart(task_id):
    scene = scene_for(get_task(task_id))
    config, reach = scene.config, scene.robot.reach
    low, high = config.prop_count or (len(config.props),) * 2
    counts = set()
    for seed in SEEDS:
        layout = scene.sample_layout(seed)
        counts.add(len(layout.props))
        assert low <= len(layout.props) <= high
        names = [p.name for p in layout.props]
        assert len(set(names)) == len(names), f"seed {seed}: two props called the same: {names}"
        for prop in layout.props:
            spec = config.props[prop.slot]
            assert prop.shape == spec.shape and prop.color in config.colors
            x, y, z = prop.position
            radius, angle = np.hypot(x, y), np.degrees(np.arctan2(y, x))
            assert reach["min_radius"] - 1e-9 <= radius <= reach["max_radius"] + 1e-9
            assert abs(angle) <= reach["max_angle_deg"] + 1e-9
            assert z == pytest.approx(TABLE_HEIGHT + spec.half_height + 0.001)
        for a, b in itertools.combinations(layout.props, 2):
            gap = np.linalg.norm(np.subtract(a.position[:2], b.position[:2]))
            assert gap > config.props[a.slot].footprint + config.props[b.slot].footprint
        for marker in layout.markers.values():
            assert marker[2] == pytest.approx(TABLE_HEIGHT + 0.001)
    if low < high:
        assert counts == set(range(low, high + 1))


# ----- `embodied scene --seed S` and `env.reset(seed=S)` show the same scene --------------
@pytest.fixture(scope="module")
def prop_envs():
    envs = {task_id: state_only(task_id) for task_id in TASKS_WITH_PROPS + ["embodied/Go1KickBall-v0"]}
    yield envs
    for env in envs.values():
        env.close()


@pytest.mark.parametrize("task_id", TASKS_WITH_PROPS)
@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_reset_puts_props_where_the_layout_says(prop_envs, task_id, seed):
    env = prop_envs[task_id]
    scene = scene_for(get_task(task_id))
    layout = scene.sample_layout(seed)
    _, info = env.reset(seed=seed)
    described = env.unwrapped.task.scene_description(0)
    assert info["scene"] == described
    expected = [p.to_json() for p in layout.props]
    assert [{k: v for k, v in d.items() if k != "position"} for d in described] == \
           [{k: v for k, v in e.items() if k != "position"} for e in expected]
    for got, want in zip(described, expected):
        np.testing.assert_allclose(got["position"], want["position"], atol=2e-4)
    task = env.unwrapped.task
    for name, mocap in scene.marker_mocap.items():
        np.testing.assert_allclose(task.sim.mocap_pos[0, mocap], layout.markers[name])
    # parked props stay parked
    active = {p.slot for p in layout.props}
    for slot in set(range(len(scene.prop_bodies))) - active:
        np.testing.assert_allclose(task.prop_pos[0, slot], scene.park_positions[slot])


def test_reset_puts_the_ball_where_the_layout_says(prop_envs):
    task_id = "embodied/Go1KickBall-v0"
    env = prop_envs[task_id]
    layout = scene_for(get_task(task_id)).sample_layout(5)
    env.reset(seed=5)
    np.testing.assert_allclose(env.unwrapped.task.ball_pos[0], layout.ball)


# ----- mistakes ---------------------------------------------------------------------------
def test_unknown_colour():
    with pytest.raises(UnknownNameError) as caught:
        PropSpec(shape="cube", color="pink")
    message = str(caught.value)
    assert "unknown colour 'pink'" in message
    for colour in COLORS:
        assert colour in message
    with pytest.raises(UnknownNameError, match="unknown colour 'teal'"):
        SceneConfig(robot="panda", table=True, colors=("red", "teal"))


def test_unknown_shape():
    with pytest.raises(UnknownNameError) as caught:
        PropSpec(shape="pyramid")
    for shape in SHAPES:
        assert shape in str(caught.value)


@pytest.mark.parametrize("kwargs, words", [
    ({"size": 0.0}, "size"), ({"size": 2.0}, "size"), ({"mass": 0.0}, "mass"), ({"mass": 1e3}, "mass"),
])
def test_prop_size_and_mass_are_checked(kwargs, words):
    with pytest.raises(EmbodiedError, match=words):
        PropSpec(shape="cube", **kwargs)


def test_prop_count_is_checked():
    with pytest.raises(EmbodiedError, match="prop_count"):
        SceneConfig(robot="panda", table=True, props=(PropSpec("cube"),), prop_count=(0, 2))


def test_too_many_props_to_place():
    config = SceneConfig(robot="panda", table=True, props=tuple(PropSpec("cube", size=0.2) for _ in range(8)))
    scene = build_scene(config)
    with pytest.raises(EmbodiedError, match="could not place"):
        scene.sample_layout(0)
