"""Gymnasium environments: the API contract (check_env) for every registered id, seeded
determinism, camera images, errors, and the vector env (shapes, autoreset, per-env seeding,
torch tensors, and the same trajectories as the single env: the task code is written once)."""

from __future__ import annotations

import dataclasses
import warnings

import gymnasium as gym
import numpy as np
import pytest
from conftest import RENDER_SIZE, SMALL_IMAGE, assert_obs_equal, make_env, rollout, state_only
from gymnasium.utils.env_checker import check_env

from embodied.envs import task_ids
from embodied.envs.spaces import MAX_DEPTH
from embodied.envs.vector import EmbodiedVectorEnv
from embodied.errors import EmbodiedError, UnknownNameError
from embodied.tasks import InvalidActionError, all_tasks, get_task

IDS = task_ids()
TABLETOP = [i for i in IDS if get_task(i).cameras]
GO1 = "embodied/Go1Walk-v0"
KNOWN_CHECKER_WARNINGS = ("observation space minimum value is -infinity", "observation space maximum value is infinity")


@pytest.fixture(scope="module")
def envs():
    """Build each env once per module: envs(task_id, **kwargs)."""
    cache: dict = {}

    def get(task_id, **kwargs):
        key = (task_id, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = make_env(task_id, **kwargs)
        return cache[key]

    yield get
    for env in cache.values():
        env.close()


def test_every_task_is_registered():
    assert IDS, "no task registered"
    assert sorted(IDS) == sorted(all_tasks())
    for task_id in IDS:
        assert task_id in gym.registry
        assert gym.registry[task_id].vector_entry_point is not None


# ----- the Gymnasium contract ---------------------------------------------------------------
@pytest.mark.parametrize("task_id", IDS)
def test_check_env(envs, task_id):
    env = envs(task_id, render_mode="rgb_array")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env.unwrapped, skip_render_check=False)
    problems = [str(w.message) for w in caught
                if not any(known in str(w.message) for known in KNOWN_CHECKER_WARNINGS)]
    assert not problems, problems


@pytest.mark.parametrize("task_id", IDS)
def test_spaces_say_what_they_hold(envs, task_id):
    env = envs(task_id, render_mode="rgb_array")
    config = get_task(task_id)
    observation, info = env.reset(seed=0)
    assert env.observation_space.contains(observation)
    assert env.action_space.shape == (env.unwrapped.task.action_size,)
    assert env.action_space.low.min() == -1.0 and env.action_space.high.max() == 1.0
    width = sum(s.stop - s.start for s in env.unwrapped.task.state_layout().values())
    assert observation["state"].shape == (width,) and observation["state"].dtype == np.float32
    assert ("image" in observation) == bool(config.cameras)
    assert ("instruction" in observation) == (config.goal == "tabletop")
    if config.goal == "tabletop":
        assert observation["instruction"] == info["instruction"] and observation["instruction"]
    assert env.metadata["render_fps"] == round(config.control_hz)
    frame = env.render()
    assert frame.shape == (*RENDER_SIZE, 3) and frame.dtype == np.uint8


# ----- seeded determinism -----------------------------------------------------------------
@pytest.fixture(scope="module")
def twin_envs():
    """Two state-only instances of each env (no images: fast)."""
    cache: dict = {}

    def get(task_id):
        if task_id not in cache:
            cache[task_id] = (state_only(task_id), state_only(task_id))
        return cache[task_id]

    yield get
    for pair in cache.values():
        for env in pair:
            env.close()


def _assert_same(a, b):
    assert len(a["obs"]) == len(b["obs"])
    for x, y in zip(a["obs"], b["obs"]):
        assert_obs_equal(x, y)
    for key in ("qpos", "qvel"):
        for x, y in zip(a[key], b[key]):
            np.testing.assert_array_equal(x, y)
    assert a["reward"] == b["reward"]
    assert a["terminated"] == b["terminated"] and a["truncated"] == b["truncated"]


@pytest.mark.parametrize("task_id", IDS)
def test_seeded_episodes_are_identical(twin_envs, task_id):
    first, second = twin_envs(task_id)
    steps = 15
    reference = rollout(first, seed=3, steps=steps)
    other = rollout(first, seed=4, steps=steps)
    assert not np.array_equal(reference["qpos"][0], other["qpos"][0]), "seeds 3 and 4 start the same"
    assert not np.array_equal(reference["qpos"][-1], other["qpos"][-1])
    again = rollout(first, seed=3, steps=steps)  # the same instance, after another episode
    fresh = rollout(second, seed=3, steps=steps)  # another instance
    _assert_same(reference, again)
    _assert_same(reference, fresh)


@pytest.mark.parametrize("task_id", [GO1, "embodied/PandaReach-v0"])
def test_observed_poses_are_those_of_the_current_state(task_id):
    env = state_only(task_id)
    env.reset(seed=0)
    env.action_space.seed(0)
    task = env.unwrapped.task
    for _ in range(3):
        env.step(env.action_space.sample())
        current = task.sim.get_data(0)  # mj_forward at the state the step left
        np.testing.assert_array_equal(task.sim.xpos[0], current.xpos)
        np.testing.assert_array_equal(task.sim.xquat[0], current.xquat)
        np.testing.assert_array_equal(task.sim.site_xpos[0], current.site_xpos)
    env.close()


def test_first_episode_equals_a_later_one_with_the_same_seed():
    env = state_only(GO1)
    reference = rollout(env, seed=3, steps=3)
    rollout(env, seed=4, steps=3)
    _assert_same(reference, rollout(env, seed=3, steps=3))
    env.close()


def test_seeded_camera_images_are_identical(envs):
    env = envs(TABLETOP[0])
    first, _ = env.reset(seed=11)
    env.reset(seed=12)
    second, _ = env.reset(seed=11)
    assert_obs_equal(first, second)
    other, _ = env.reset(seed=12)
    for camera in first["image"]:
        if camera != env.unwrapped.task.robot.camera_name:  # the wrist camera may see no prop
            assert not np.array_equal(first["image"][camera], other["image"][camera])


def test_first_camera_image_equals_a_later_one_of_the_same_seed():
    env = make_env(TABLETOP[0], cameras=["overview"], depth=False)
    first, _ = env.reset(seed=11)
    second, _ = env.reset(seed=11)
    env.close()
    np.testing.assert_array_equal(first["image"]["overview"], second["image"]["overview"])


def test_reset_without_seed_continues_the_generator():
    env = state_only(GO1)
    a, _ = env.reset(seed=1)
    b, _ = env.reset()
    c, _ = env.reset(seed=1)
    assert_obs_equal(a, c)
    assert not np.array_equal(a["state"], b["state"])


# ----- camera images ------------------------------------------------------------------------
def _check_rgb(image, shape, what):
    assert image.shape == (*shape, 3) and image.dtype == np.uint8, what
    assert image.std() > 10, f"{what} is blank (pixel std {image.std():.1f})"
    colours = np.unique(image.reshape(-1, 3), axis=0)
    assert len(colours) > 20, f"{what} has only {len(colours)} colours"


def _check_depth(depth, shape, what, max_depth=MAX_DEPTH):
    assert depth.shape == shape and depth.dtype == np.float32, what
    assert np.isfinite(depth).all() and (depth > 0).all(), f"{what}: depth not finite and positive"
    assert (depth <= max_depth).all()
    assert depth.std() > 1e-3, f"{what}: depth is flat"


@pytest.mark.parametrize("task_id", TABLETOP)
def test_camera_observations(envs, task_id):
    env = envs(task_id, render_mode="rgb_array")
    config = get_task(task_id)
    assert config.depth and set(config.cameras) == {"overview", "wrist"}
    space = env.observation_space
    assert set(space["image"].spaces) == set(config.cameras) == set(space["depth"].spaces)
    observation, _ = env.reset(seed=0)
    assert set(observation["image"]) == set(observation["depth"]) == set(config.cameras)
    for camera in config.cameras:
        assert space["image"][camera].shape == (*SMALL_IMAGE, 3)
        _check_rgb(observation["image"][camera], SMALL_IMAGE, f"{task_id} {camera}")
        _check_depth(observation["depth"][camera], SMALL_IMAGE, f"{task_id} {camera} depth")
    assert not np.array_equal(observation["image"]["overview"], observation["image"]["wrist"])
    # the table is nearer the wrist camera than the overview camera
    assert np.median(observation["depth"]["wrist"]) < np.median(observation["depth"]["overview"])


def test_cameras_image_size_and_render_size_are_honoured():
    env = make_env(GO1, cameras=["head", "overview"], image_size=(40, 56), depth=True,
                   render_mode="depth_array", render_size=(36, 52))
    assert set(env.observation_space["image"].spaces) == {"head", "overview"}
    observation, _ = env.reset(seed=0)
    assert env.observation_space.contains(observation)
    _check_rgb(observation["image"]["overview"], (40, 56), "go1 overview")
    _check_rgb(observation["image"]["head"], (40, 56), "go1 head")
    _check_depth(observation["depth"]["overview"], (40, 56), "go1 overview depth")
    depth = env.render()
    _check_depth(depth, (36, 52), "go1 render depth", max_depth=1e3)  # render() is not clipped: the sky is far
    env.close()


# ----- mistakes -----------------------------------------------------------------------------
def test_unknown_env_id():
    with pytest.raises(gym.error.NameNotFound, match="Go1Wlak"):
        gym.make("embodied/Go1Wlak-v0")


@pytest.mark.parametrize("kwargs", [{"cameras": ["nose"]}, {"render_camera": "nose"}])
def test_unknown_camera(kwargs):
    with pytest.raises(UnknownNameError) as caught:
        gym.make(GO1, **kwargs)
    message = str(caught.value)
    assert "unknown camera 'nose'" in message and GO1 in message
    assert "head" in message and "overview" in message


def test_unknown_camera_when_rendering(envs):
    task = envs(GO1).unwrapped.task
    with pytest.raises(UnknownNameError, match="unknown camera 'nose'.*overview"):
        task.render(0, "nose", 32, 32)


@pytest.mark.filterwarnings("ignore:.*render_mode='ansi'")
def test_unknown_render_mode():
    with pytest.raises(EmbodiedError, match="render_mode 'ansi'.*rgb_array"):
        gym.make(GO1, render_mode="ansi")
    with pytest.raises(EmbodiedError, match="render_mode 'ansi'"):
        gym.make_vec(GO1, num_envs=2, render_mode="ansi")


def test_unknown_backend():
    with pytest.raises(UnknownNameError, match="unknown backend 'tpu'.*cpu.*warp"):
        gym.make(GO1, backend="tpu")
    with pytest.raises(UnknownNameError, match="unknown backend 'tpu'"):
        gym.make_vec(GO1, num_envs=2, backend="tpu")


@pytest.mark.parametrize("num_envs", [0, -1, 2.5])
def test_make_vec_needs_at_least_one_env(num_envs):
    with pytest.raises(EmbodiedError, match="num_envs must be .*at least 1"):
        gym.make_vec(GO1, num_envs=num_envs, backend="cpu")


def test_single_env_checks_actions(envs):
    env = envs(GO1)
    env.reset(seed=0)
    with pytest.raises(InvalidActionError, match=r"expects \(12,\)"):
        env.step(np.zeros(11))
    with pytest.raises(InvalidActionError, match=r"expects \(12,\)"):
        env.step(np.zeros((2, 12)))
    action = np.zeros(12)
    action[3] = np.nan
    with pytest.raises(InvalidActionError, match="nan.*finite"):
        env.step(action)


# ----- the vector env --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def vec():
    envs = gym.make_vec(GO1, num_envs=4, backend="cpu")
    yield envs
    envs.close()


def test_single_env_reports_the_shape_it_was_given(envs):
    env = envs(GO1)
    env.reset(seed=0)
    with pytest.raises(InvalidActionError, match=r"action has shape \(11,\)"):
        env.step(np.zeros(11))


def test_vector_shapes(vec):
    assert isinstance(vec, EmbodiedVectorEnv) and vec.num_envs == 4
    observation, info = vec.reset(seed=0)
    width = vec.single_observation_space["state"].shape[0]
    assert observation["state"].shape == (4, width) and observation["state"].dtype == np.float32
    assert vec.observation_space.contains(observation)
    assert vec.action_space.shape == (4, 12)
    vec.action_space.seed(0)
    observation, reward, terminated, truncated, info = vec.step(vec.action_space.sample())
    assert observation["state"].shape == (4, width)
    assert reward.shape == terminated.shape == truncated.shape == (4,)
    assert reward.dtype == np.float32 and terminated.dtype == truncated.dtype == bool
    assert info["success"].shape == (4,)
    assert vec.metadata["autoreset_mode"] == gym.vector.AutoresetMode.SAME_STEP


def test_vector_checks_actions(vec):
    vec.reset(seed=0)
    with pytest.raises(InvalidActionError, match=r"\(4, 11\).*\(4, 12\)"):
        vec.step(np.zeros((4, 11)))
    with pytest.raises(InvalidActionError):
        vec.step(np.zeros(12))  # one action for four envs
    with pytest.raises(EmbodiedError, match="3 seeds for 4 envs"):
        vec.reset(seed=[1, 2, 3])


def test_vector_env_i_is_the_single_env_seeded_s_plus_i(vec):
    """reset(seed=S) seeds env i with S + i, and each world then runs as the single env would."""
    single = state_only(GO1)
    seed, steps = 100, 10
    observation, _ = vec.reset(seed=seed)
    actions = np.random.default_rng(0).uniform(-1, 1, (steps, 4, 12)).astype(np.float32)
    trajectory = [observation["state"]]
    for action in actions:
        observation, *_ = vec.step(action)
        trajectory.append(observation["state"])
    for i in range(4):
        alone, _ = single.reset(seed=seed + i)
        np.testing.assert_array_equal(alone["state"], trajectory[0][i])
        for t, action in enumerate(actions):
            alone, *_ = single.step(action[i])
            np.testing.assert_array_equal(alone["state"], trajectory[t + 1][i], err_msg=f"env {i}, step {t}")
    assert not np.array_equal(trajectory[0][0], trajectory[0][1])
    single.close()


def test_vector_env_with_one_world_is_the_single_env():
    """N = 1: the same observations, rewards, flags and physics state, bit for bit."""
    single = state_only(GO1)
    vector = gym.make_vec(GO1, num_envs=1, backend="cpu")
    seed, steps = 7, 40
    a, _ = single.reset(seed=seed)
    b, _ = vector.reset(seed=seed)
    np.testing.assert_array_equal(a["state"], b["state"][0])
    for action in np.random.default_rng(1).uniform(-1, 1, (steps, 12)).astype(np.float32):
        a, reward_a, terminated_a, truncated_a, _ = single.step(action)
        b, reward_b, terminated_b, truncated_b, info_b = vector.step(action[None])
        if "_final_obs" in info_b:  # autoreset: compare with the episode's last observation
            b = {"state": info_b["final_obs"][0]["state"][None]}
        np.testing.assert_array_equal(a["state"], b["state"][0])
        assert np.float32(reward_a) == reward_b[0]
        assert (terminated_a, truncated_a) == (terminated_b[0], truncated_b[0])
        np.testing.assert_array_equal(single.unwrapped.task.sim.qpos[0], vector.task.sim.qpos[0])
        if terminated_a or truncated_a:
            break
    single.close()
    vector.close()


def test_vector_autoreset_same_step():
    config = dataclasses.replace(get_task(GO1), max_steps=5)
    vector = EmbodiedVectorEnv(config, num_envs=3)
    vector.reset(seed=0)
    zero = np.zeros((3, 12), dtype=np.float32)
    observation, *_ = vector.step(zero)
    # knock env 1 over: it terminates (fallen) on the next step, the others go on
    task = vector.task
    task.sim.qpos[1, task.base_qadr + 3 : task.base_qadr + 7] = [0.0, 1.0, 0.0, 0.0]
    task.sim.qpos[1, task.base_qadr + 2] = 0.5
    task.sim.forward()
    before = observation["state"].copy()
    observation, reward, terminated, truncated, info = vector.step(zero)
    np.testing.assert_array_equal(terminated, [False, True, False])
    assert not truncated.any()
    np.testing.assert_array_equal(info["_final_obs"], [False, True, False])
    assert info["final_obs"][0] is None and info["final_obs"][2] is None
    final = info["final_obs"][1]["state"]
    gravity = task.state_layout()["projected_gravity"]
    assert final[gravity][2] > 0.5  # the final observation is upside down
    assert observation["state"][1][gravity][2] < -0.9  # the returned one is the new episode's first
    np.testing.assert_array_equal(task.steps, [2, 0, 2])
    assert not np.array_equal(before[1], observation["state"][1])
    # only the reset env was observed again, and every row is what the batch observes now
    np.testing.assert_array_equal(observation["state"], task.state())
    assert final[gravity][2] > 0.5  # and the final observation was left as it was
    # truncation at max_steps: all but the restarted env finish at step 5
    for _ in range(3):
        observation, reward, terminated, truncated, info = vector.step(zero)
    np.testing.assert_array_equal(truncated, [True, False, True])
    np.testing.assert_array_equal(info["_final_obs"], [True, False, True])
    np.testing.assert_array_equal(task.steps, [0, 3, 0])
    vector.close()


def test_vector_torch_tensors():
    torch = pytest.importorskip("torch")
    vector = gym.make_vec(GO1, num_envs=2, backend="cpu", torch=True)
    observation, _ = vector.reset(seed=0)
    assert isinstance(observation["state"], torch.Tensor) and observation["state"].shape[0] == 2
    assert observation["state"].dtype == torch.float32
    actions = torch.zeros((2, 12))
    observation, reward, terminated, truncated, _ = vector.step(actions)
    assert isinstance(observation["state"], torch.Tensor)
    assert isinstance(reward, torch.Tensor) and reward.shape == (2,)
    assert terminated.dtype == torch.bool and truncated.dtype == torch.bool
    # the same numbers as without torch
    plain = gym.make_vec(GO1, num_envs=2, backend="cpu")
    plain.reset(seed=0)
    plain_observation, plain_reward, *_ = plain.step(np.zeros((2, 12), dtype=np.float32))
    np.testing.assert_array_equal(observation["state"].numpy(), plain_observation["state"])
    np.testing.assert_array_equal(reward.numpy(), plain_reward)
    vector.close()
    plain.close()


def test_vector_env_computing_on_torch_returns_what_it_returns_on_numpy():
    """arrays="torch" works the task out on torch tensors (on a GPU where the worlds are;
    here on the CPU): the same observations, rewards, flags, final observations and info,
    in the kinds asked for (info stays NumPy, as in Gymnasium's vector envs)."""
    torch = pytest.importorskip("torch")
    config = dataclasses.replace(get_task("embodied/H1Walk-v0"), max_steps=7)
    runs = {}
    for arrays, as_torch in (("numpy", False), ("torch", False), ("torch", True)):
        vector = EmbodiedVectorEnv(config, num_envs=3, arrays=arrays, torch=as_torch)
        assert vector.task.arrays == arrays
        observation, _ = vector.reset(seed=5)
        rng, steps = np.random.default_rng(0), []
        for _ in range(9):
            actions = rng.uniform(-1.0, 1.0, (3, vector.task.action_size)).astype(np.float32)
            observation, reward, terminated, truncated, info = vector.step(
                torch.as_tensor(actions) if as_torch else actions)
            kind = torch.Tensor if as_torch else np.ndarray
            assert all(isinstance(value, kind) for value in (observation["state"], reward, terminated, truncated))
            assert isinstance(info["success"], np.ndarray)
            finals = [final["state"] for final in info.get("final_obs", []) if final is not None]
            assert all(isinstance(final, np.ndarray) for final in finals)
            steps.append([np.asarray(observation["state"]), np.asarray(reward), np.asarray(terminated),
                          np.asarray(truncated), info["success"], info["velocity_error"], *finals])
        runs[arrays, as_torch] = steps
        vector.close()
    assert sum(len(step) for step in runs["numpy", False]) > 9 * 6  # some episodes ended
    for other in (runs["torch", False], runs["torch", True]):
        for expected_step, got_step in zip(runs["numpy", False], other):
            assert len(expected_step) == len(got_step)
            for expected, got in zip(expected_step, got_step):
                np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
