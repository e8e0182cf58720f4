"""The warp backend of BatchSim against the cpu backend, on warp's "cpu" device by default.

`EMBODIED_WARP_TEST_DEVICE=cuda:0 pytest tests/test_sim_warp.py` runs the same tests on a GPU.
On the CPU these run mujoco_warp's kernels on the host (no GPU needed): slow per step, so horizons are
short. The first run compiles the kernels for each model (tens of seconds per model, cached
by warp under ~/.cache/warp); later runs take seconds.

Tolerances of warp vs cpu trajectories: mujoco_warp computes in float32 (MuJoCo in float64)
and has its own constraint solver and collision code, so the two are equal only to about
float32 precision at first and drift apart slowly, faster through contact events. Over the
horizons here (0.2-0.3 s) the observed differences are 6e-6 in qpos and 1e-4 in qvel for a
Go1 making and breaking foot contacts (1.2e-5 and 3e-4 at 0.5 s), 4e-7 and 5e-6 for a Panda
in free motion; the tolerances below are about 100x those (room for a GPU's different
summation orders), and still tight enough to catch a wrong model field, actuator or
parameter, a missed contact or a world mix-up (all of which give errors of 1e-2 or more).
"""

from __future__ import annotations

import os

import mujoco
import numpy as np
import pytest

from embodied.errors import EmbodiedError
from embodied.sim import BatchSim

os.environ.setdefault("MENAGERIE_ROOT", "/work/shared/menagerie")
mm = pytest.importorskip("mujoco_menagerie")


def _warp_status():
    """(warp module or None, why the warp tests are skipped)."""
    try:
        import mujoco_warp  # noqa: F401
        import torch  # noqa: F401
        import warp

        from embodied.sim.warp import quiet_warp

        quiet_warp(warp)
        warp.init()
    except Exception as error:  # noqa: BLE001 - any failure to initialise means skip
        return None, f"mujoco_warp cannot initialise: {type(error).__name__}: {error}"
    return warp, ""


wp, _WARP_SKIP_REASON = _warp_status()
WARP_DEVICE = os.environ.get("EMBODIED_WARP_TEST_DEVICE", "cpu")
needs_warp = pytest.mark.skipif(wp is None, reason=_WARP_SKIP_REASON)
if wp is not None:
    import torch

GO1_QPOS_ATOL, GO1_QVEL_ATOL = 5e-4, 2e-2  # m or rad; m/s or rad/s, after 0.3 s
PANDA_QPOS_ATOL, PANDA_QVEL_ATOL = 1e-4, 1e-3


def _load(robot: str) -> mujoco.MjModel:
    try:
        return mm.load(robot, "scene")
    except Exception as error:  # noqa: BLE001
        pytest.skip(f"cannot load {robot}: {error}")


@pytest.fixture(scope="module")
def go1() -> mujoco.MjModel:
    return _load("unitree_go1")


@pytest.fixture(scope="module")
def panda() -> mujoco.MjModel:
    return _load("franka_emika_panda")


@pytest.fixture(scope="module")
def go1_warp(go1) -> BatchSim:
    if wp is None:
        pytest.skip(_WARP_SKIP_REASON)
    """One 3-world Go1 warp batch shared by the tests that only read or reset it."""
    return BatchSim(go1, 3, backend="warp", device=WARP_DEVICE)


def _np(array) -> np.ndarray:
    if hasattr(array, "detach"):  # a torch tensor
        return array.detach().cpu().numpy()
    return np.asarray(array)


def _compare(model, controls, qpos_atol, qvel_atol, every=50):
    """Run cpu and warp batches through the same controls; assert they stay close."""
    nworld = controls.shape[1]
    sims = [BatchSim(model, nworld, backend=b, **({"device": WARP_DEVICE} if b == "warp" else {})) for b in ("cpu", "warp")]
    for sim in sims:
        sim.reset(keyframe="home")
    worst = (0.0, 0.0)
    for k, ctrl in enumerate(controls):
        for sim in sims:
            sim.ctrl[:] = ctrl
            sim.step()
        if (k + 1) % every == 0 or k + 1 == len(controls):
            cpu, warp = sims
            dq = np.abs(_np(warp.qpos) - cpu.qpos).max()
            dv = np.abs(_np(warp.qvel) - cpu.qvel).max()
            worst = (max(worst[0], dq), max(worst[1], dv))
            assert dq < qpos_atol, f"step {k + 1}: qpos differs by {dq:.2e}"
            assert dv < qvel_atol, f"step {k + 1}: qvel differs by {dv:.2e}"
    np.testing.assert_allclose(_np(sims[1].time), sims[0].time, rtol=1e-5)
    assert not sims[0].diverged.any() and not sims[1].diverged.any()
    return worst


# ----- cpu backend ------------------------------------------------------------------
def test_cpu_backend_is_bit_identical_to_mj_step(go1):
    rng = np.random.default_rng(1)
    nworld, nstep = 3, 60
    controls = go1.key_ctrl[0] + rng.normal(0.0, 0.3, size=(nstep, nworld, go1.nu))
    sim = BatchSim(go1, nworld, backend="cpu", nthread=2)
    sim.reset(keyframe="home")
    datas = []
    for _ in range(nworld):
        data = mujoco.MjData(go1)
        mujoco.mj_resetDataKeyframe(go1, data, 0)
        mujoco.mj_forward(go1, data)
        datas.append(data)
    for ctrl in controls:
        sim.ctrl[:] = ctrl
        sim.step()
        for world, data in enumerate(datas):
            data.ctrl[:] = ctrl[world]
            mujoco.mj_step(go1, data)
    for world, data in enumerate(datas):
        np.testing.assert_array_equal(sim.qpos[world], data.qpos)
        np.testing.assert_array_equal(sim.qvel[world], data.qvel)
        assert sim.time[world] == data.time


# ----- warp vs cpu ------------------------------------------------------------------
@needs_warp
def test_go1_warp_matches_cpu_standing_with_perturbed_controls(go1):
    # 'home' position targets, perturbed per world after 0.05 s: the robot sags, shifts its
    # feet and the perturbed worlds start to fall
    rng = np.random.default_rng(0)
    nworld, nstep = 3, 150
    perturbation = rng.normal(0.0, 0.3, size=(nworld, go1.nu))
    perturbation[0] = 0.0
    controls = np.stack([go1.key_ctrl[0] + perturbation * (k >= 25) for k in range(nstep)])
    _compare(go1, controls, GO1_QPOS_ATOL, GO1_QVEL_ATOL)


@needs_warp
def test_go1_warp_matches_cpu_with_zero_controls(go1):
    # zero position targets straighten the legs: the body is pushed up, feet slip and lift off
    controls = np.zeros((150, 2, go1.nu))
    _compare(go1, controls, GO1_QPOS_ATOL, GO1_QVEL_ATOL)


@needs_warp
def test_panda_warp_matches_cpu_moving_to_target(panda):
    # two worlds move from 'home' toward targets on either side of it
    offset = np.array([0.4, -0.3, 0.3, 0.5, -0.3, 0.4, 0.3])
    target = np.tile(panda.key_ctrl[0], (2, 1))
    target[0, :7] += offset
    target[1, :7] -= offset
    controls = np.repeat(target[None], 120, axis=0)
    _compare(panda, controls, PANDA_QPOS_ATOL, PANDA_QVEL_ATOL, every=40)


# ----- fields -----------------------------------------------------------------------
@needs_warp
def test_fields_are_torch_tensors_sharing_warp_memory(go1_warp):
    sim = go1_warp
    sim.reset(keyframe="home")
    data = sim._impl.d
    for name in ("qpos", "qvel", "ctrl", "xpos", "xquat", "cvel", "subtree_com", "qfrc_applied", "time"):
        tensor = sim.field(name)
        assert isinstance(tensor, torch.Tensor) and str(tensor.device) == str(torch.device(WARP_DEVICE))
        assert tensor.data_ptr() == getattr(data, name).ptr, name
    assert sim.xpos.shape == (3, go1_warp.model.nbody, 3)
    assert sim.xmat.shape == (3, go1_warp.model.nbody, 9)  # MjData's shapes, per world
    assert sim.time.shape == (3,)

    sim.ctrl[:] = 0.25  # scalar write
    np.testing.assert_array_equal(data.ctrl.numpy(), 0.25)
    sim.ctrl[np.asarray([1])] = np.full((1, go1_warp.model.nu), 0.5)  # numpy rows and values
    assert (data.ctrl.numpy()[1] == 0.5).all() and (data.ctrl.numpy()[[0, 2]] == 0.25).all()
    data.qfrc_applied.fill_(1.0)  # a warp-side write shows through the tensor
    assert (sim.qfrc_applied == 1.0).all()
    sim.qfrc_applied[:] = 0.0

    # the write is what the next step uses: world 1 (different targets) moves differently
    sim.ctrl[:] = torch.as_tensor(go1_warp.model.key_ctrl[0], dtype=torch.float32)
    sim.ctrl[1] += 0.3
    sim.step(10)
    qpos = _np(sim.qpos)
    np.testing.assert_allclose(qpos[0], qpos[2], atol=1e-6)
    assert np.abs(qpos[1] - qpos[0]).max() > 1e-3

    with pytest.raises(EmbodiedError, match="not available per world"):
        sim.field("contact")


@needs_warp
def test_after_a_step_warp_poses_are_where_the_last_physics_step_began(go1):
    """As after `mujoco.mj_step`, warp's derived fields describe the state the last physics
    step started from (docs/warp_backend.md, Limitations); the cpu backend's describe the new
    state. `forward()` brings warp's up to the new state."""
    trunk = mujoco.mj_name2id(go1, mujoco.mjtObj.mjOBJ_BODY, "trunk")
    for backend in ("cpu", "warp"):
        sim = BatchSim(go1, 1, backend=backend, **({"device": WARP_DEVICE} if backend == "warp" else {}))
        sim.reset(keyframe="home")
        sim.qvel[:, 2] = 1.0  # the trunk rises at 1 m/s
        sim.forward()
        height_before = float(_np(sim.qpos)[0, 2])
        sim.step(1)
        height_after = float(_np(sim.qpos)[0, 2])
        assert height_after - height_before > 0.5 * go1.opt.timestep
        posed = float(_np(sim.numpy("xpos"))[0, trunk, 2])
        assert posed == pytest.approx(height_after if backend == "cpu" else height_before, abs=1e-6)
        sim.forward()
        assert float(_np(sim.numpy("xpos"))[0, trunk, 2]) == pytest.approx(height_after, abs=1e-6)


@needs_warp
def test_reset_only_given_worlds_and_get_data(go1_warp, go1):
    sim = go1_warp
    sim.reset(keyframe="home")
    sim.ctrl[:] = torch.as_tensor(go1.key_ctrl[0], dtype=torch.float32)
    sim.ctrl[2] = 0.0
    sim.step(20)
    before = _np(sim.qpos).copy()
    sim.reset(ids=[0], keyframe="home")
    after = _np(sim.qpos)
    np.testing.assert_allclose(after[0], go1.key_qpos[0], atol=1e-6)
    np.testing.assert_array_equal(after[1:], before[1:])
    assert float(sim.time[0]) == 0.0 and float(sim.time[1]) > 0.0

    sim.reset(ids=[1], keyframe=None, qpos=go1.key_qpos[0] + 0.01)
    np.testing.assert_allclose(_np(sim.qpos)[1], go1.key_qpos[0] + 0.01, atol=1e-6)
    assert (_np(sim.qvel)[1] == 0).all() and (_np(sim.ctrl)[1] == 0).all()

    data = sim.get_data(2)
    np.testing.assert_allclose(data.qpos, _np(sim.qpos)[2], atol=0)
    reference = mujoco.MjData(go1)
    reference.qpos[:] = data.qpos
    mujoco.mj_forward(go1, reference)
    np.testing.assert_allclose(data.xpos, reference.xpos)
    assert data.time == pytest.approx(float(sim.time[2]))


@pytest.mark.parametrize("backend", ["cpu", pytest.param("warp", marks=needs_warp)])
def test_a_reset_that_writes_the_state_computes_the_derived_fields_once(go1, backend):
    """A reset with qpos/qvel runs one forward, after the writes (on warp, a forward is of
    every world); a reset to a keyframe alone runs its own. Either way the poses are right."""
    sim = BatchSim(go1, 2, backend=backend, **({"device": WARP_DEVICE} if backend == "warp" else {}))
    forwards = []
    if backend == "cpu":
        batch = sim._impl.batch
        real_reset, real_forward = batch.reset, batch.forward

        def reset(ids=None, keyframe=-1, stage=mujoco.mjtStage.mjSTAGE_ACC):
            if stage != mujoco.mjtStage.mjSTAGE_NONE:
                forwards.append("reset")
            real_reset(ids, keyframe=keyframe, stage=stage)

        def forward(ids=None, stage=mujoco.mjtStage.mjSTAGE_ACC):
            forwards.append("forward")
            real_forward(ids, stage=stage)

        sim._impl.batch = type("Counted", (), {"reset": staticmethod(reset), "forward": staticmethod(forward),
                                               "__getattr__": lambda self, name: getattr(batch, name)})()
    else:
        mjw = sim._impl._mjw
        sim._impl._mjw = type("Counted", (), {
            "forward": staticmethod(lambda m, d: (forwards.append("forward"), mjw.forward(m, d))),
            "__getattr__": lambda self, name: getattr(mjw, name)})()
    qpos = go1.key_qpos[0].copy()
    qpos[2] += 0.1
    sim.reset([1], keyframe="home", qpos=qpos)
    assert forwards == ["forward"]
    trunk = mujoco.mj_name2id(go1, mujoco.mjtObj.mjOBJ_BODY, "trunk")
    assert float(_np(sim.numpy("xpos"))[1, trunk, 2]) == pytest.approx(qpos[2], abs=1e-6)
    forwards.clear()
    sim.reset([0], keyframe="home")
    assert len(forwards) == 1
    assert float(_np(sim.numpy("xpos"))[0, trunk, 2]) == pytest.approx(go1.key_qpos[0, 2], abs=1e-6)


@needs_warp
def test_host_copies_of_gpu_fields_last_until_the_state_changes(go1_warp, go1):
    """On a GPU `numpy(name)` copies once per state: forced here on warp's cpu device."""
    sim = go1_warp
    sim.reset(keyframe="home")
    sim._host_copies = {}  # what a CUDA device gets
    try:
        qpos = sim.numpy("qpos")
        assert sim.numpy("qpos") is qpos and not qpos.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            qpos[0, 0] = 1.0
        held = qpos.copy()
        sim.ctrl[:] = torch.as_tensor(go1.key_ctrl[0], dtype=torch.float32)
        sim.step(5)
        fresh = sim.numpy("qpos")
        assert fresh is not qpos and not np.array_equal(fresh, held)  # a step is a new state
        np.testing.assert_array_equal(fresh, _np(sim.field("qpos")))
        sim.numpy("ctrl")
        sim.ctrl[1] = 0.5  # a write through the live field is seen by the next read
        assert (sim.numpy("ctrl")[1] == 0.5).all()
        sim.numpy("xpos")
        sim.reset(ids=[0], keyframe="home")
        np.testing.assert_allclose(sim.numpy("qpos")[0], go1.key_qpos[0], atol=1e-6)
        np.testing.assert_array_equal(sim.numpy("xpos"), _np(sim.field("xpos")))
        with pytest.raises(EmbodiedError, match="MjData field"):
            sim.numpy("no_such_field")
    finally:
        sim._host_copies = None


@needs_warp
@pytest.mark.parametrize("arrays", ["numpy", "torch"])
def test_go1walk_vector_env_on_warp_matches_cpu(arrays):
    """The task code (observations, rewards, terminations) gives on the warp backend what it
    gives on the cpu backend, whether it reads the warp fields through read-only host copies
    (numpy, with the copies a CUDA device gets) or works on them where they are (torch)."""
    import gymnasium as gym

    import embodied.envs  # noqa: F401

    envs = {backend: gym.make_vec("embodied/Go1Walk-v0", num_envs=2, backend=backend,
                                  **({"device": WARP_DEVICE, "arrays": arrays} if backend == "warp" else {}))
            for backend in ("cpu", "warp")}
    if arrays == "numpy":
        envs["warp"].unwrapped.task.sim._host_copies = {}  # what a CUDA device gets
    assert envs["warp"].unwrapped.task.arrays == arrays
    first = {backend: env.reset(seed=3)[0]["state"] for backend, env in envs.items()}
    np.testing.assert_allclose(first["warp"], first["cpu"], atol=1e-4)
    actions = np.random.default_rng(0).uniform(-0.3, 0.3, (10, *envs["cpu"].action_space.shape))
    # observed on warp's cpu device: states within 8e-3 (joint velocities, float32 physics), rewards 1.5e-5
    for action in actions:
        results = {backend: env.step(action) for backend, env in envs.items()}
        (obs_cpu, reward_cpu, *_), (obs_warp, reward_warp, *_) = results["cpu"], results["warp"]
        np.testing.assert_allclose(obs_warp["state"], obs_cpu["state"], atol=5e-2)
        np.testing.assert_allclose(reward_warp, reward_cpu, atol=5e-4)
    for env in envs.values():
        env.close()


# ----- per-world parameters ---------------------------------------------------------
@needs_warp
def test_per_world_params_change_only_their_world(go1):
    # the same per-world changes on the cpu backend (whose per-world parameters are
    # MuJoCo's own) and on the warp backend must give the same, per-world, trajectories
    trunk = mujoco.mj_name2id(go1, mujoco.mjtObj.mjOBJ_BODY, "trunk")
    heavier = go1.body_mass.copy()
    heavier[trunk] *= 3.0
    gain = go1.actuator_gainprm.copy()
    bias = go1.actuator_biasprm.copy()
    gain[:, 0] *= 0.3  # weaker position actuators: kp and the matching -kp bias
    bias[:, 1] *= 0.3
    sims = {
        "cpu": BatchSim(go1, 3, backend="cpu"),
        "warp": BatchSim(go1, 3, backend="warp", device=WARP_DEVICE),
    }
    for sim in sims.values():
        sim.reset(keyframe="home")
        sim.set_param("body_mass", heavier, ids=[1])
        sim.set_param("actuator_gainprm", gain, ids=[2])
        sim.set_param("actuator_biasprm", bias[None], ids=np.asarray([2]))
        sim.ctrl[:] = go1.key_ctrl[0]
        sim.step(100)

    warp = sims["warp"]
    mass = warp.param("body_mass")
    assert isinstance(mass, torch.Tensor) and mass.shape == (3, go1.nbody)
    assert mass.data_ptr() == warp._impl.m.body_mass.ptr  # live, per world
    # set_const followed the change, in world 1 only
    subtree = warp._impl.m.body_subtreemass.numpy()
    assert subtree[1, 0] == pytest.approx(go1.body_subtreemass[0] + 2 * go1.body_mass[trunk], rel=1e-5)
    assert subtree[0, 0] == subtree[2, 0] == pytest.approx(go1.body_subtreemass[0], rel=1e-5)

    qpos_cpu, qpos_warp = sims["cpu"].qpos, _np(warp.qpos)
    np.testing.assert_allclose(qpos_warp, qpos_cpu, atol=GO1_QPOS_ATOL)
    # worlds 1 and 2 moved differently from world 0, far beyond the tolerance
    assert np.abs(qpos_cpu[1] - qpos_cpu[0]).max() > 20 * GO1_QPOS_ATOL
    assert np.abs(qpos_cpu[2] - qpos_cpu[0]).max() > 20 * GO1_QPOS_ATOL
    reference = BatchSim(go1, 1, backend="cpu")
    reference.reset(keyframe="home")
    reference.ctrl[:] = go1.key_ctrl[0]
    reference.step(100)
    np.testing.assert_allclose(qpos_warp[0], reference.qpos[0], atol=GO1_QPOS_ATOL)  # world 0 untouched

    model1 = warp.get_model(1)
    assert model1.body_mass[trunk] == pytest.approx(heavier[trunk], rel=1e-6)
    assert model1.body_subtreemass[0] == pytest.approx(subtree[1, 0], rel=1e-5)
    np.testing.assert_allclose(warp.get_model(2).actuator_gainprm, gain, rtol=1e-6)
    np.testing.assert_array_equal(warp.get_model(0).body_mass, go1.body_mass)  # float64 kept where unchanged
    assert go1.body_mass[trunk] == pytest.approx(heavier[trunk] / 3.0)  # caller's model unchanged

    with pytest.raises(EmbodiedError, match="per-world model field"):
        warp.param("body_parentid")


# ----- divergence -------------------------------------------------------------------
@needs_warp
def test_divergent_world_is_flagged_without_stopping_others(go1_warp, go1):
    sim = go1_warp
    sim.reset(keyframe="home")
    sim.ctrl[:] = torch.as_tensor(go1.key_ctrl[0], dtype=torch.float32)
    sim.qvel[1, 6:] = float("nan")
    sim.step(5)
    np.testing.assert_array_equal(_np(sim.diverged_tensor()), [False, True, False])  # read on the device
    np.testing.assert_array_equal(sim.diverged, [False, True, False])
    qpos = _np(sim.qpos)
    assert np.isfinite(qpos[[0, 2]]).all()
    np.testing.assert_allclose(qpos[0], qpos[2], atol=1e-6)
    assert (_np(sim.time) > 0).all()

    sim.qvel[2, 0] = 1e6  # finite but exploding
    sim.step(1)
    np.testing.assert_array_equal(sim.diverged, [False, True, True])
    sim.reset(ids=[1, 2], keyframe="home")
    assert not sim.diverged.any()
    sim.step(5)
    assert not sim.diverged.any() and np.isfinite(_np(sim.qpos)).all()
    sim.qvel[0, 0] = 1e6
    sim.step(1)
    sim.reset(ids=[0], keyframe="home")  # flagged on the device, and reset before the host read it
    assert not sim.diverged.any() and not _np(sim.diverged_tensor()).any()


@needs_warp
def test_a_world_diverging_under_a_task_on_torch_is_flagged_reset_and_read_by_the_host(monkeypatch):
    import gymnasium as gym

    import embodied.envs  # noqa: F401

    envs = gym.make_vec("embodied/Go1Walk-v0", num_envs=3, backend="warp", device=WARP_DEVICE, arrays="torch")
    envs.reset(seed=0)
    sim = envs.unwrapped.task.sim
    reads = []
    read = sim.read_divergence
    monkeypatch.setattr(sim, "read_divergence", lambda: reads.append(1) or read())
    zero = np.zeros((3, 12), dtype=np.float32)
    envs.step(zero)
    assert not reads  # nothing diverged: the flags stay on the device
    sim.qvel[1, 6:] = float("nan")
    _, reward, terminated, _, info = envs.step(zero)
    np.testing.assert_array_equal(info["diverged"], [False, True, False])
    assert terminated[1] and reward[1] == 0.0 and info["_final_obs"][1]
    assert reads  # the host read the flags (and would have warned of overflows)
    assert not sim.diverged.any() and np.isfinite(_np(sim.qvel)).all()  # the world was reset
    envs.close()


@needs_warp
def test_constraint_overflow_flags_the_world(go1):
    from embodied.sim.warp import WarpBackend

    # the Go1 standing needs 36 constraint rows (4 feet x 6 + 12 joint friction rows)
    backend = WarpBackend(go1, 2, device=WARP_DEVICE, njmax=16)
    backend.reset(None, 0)
    backend.write("ctrl", slice(None), go1.key_ctrl[0])
    backend.step(1)
    flags = backend.check_divergence()  # on the device: nothing waits for the step
    assert isinstance(flags, torch.Tensor) and flags.device.type == torch.device(backend.device).type
    with pytest.warns(UserWarning, match="raise nconmax .* or njmax"):
        flagged = backend.read_divergence(flags)
    assert flagged.all()
    assert not backend.read_divergence(backend.check_divergence()).any()  # reported once, not at every step


# ----- device selection -------------------------------------------------------------
@needs_warp
def test_warp_without_cuda_raises_a_clear_error(go1):
    if wp.is_cuda_available():
        pytest.skip("this machine has a CUDA device")
    from embodied.sim import available_backends

    with pytest.raises(EmbodiedError) as error:
        BatchSim(go1, 4, backend="warp")
    message = str(error.value)
    assert "no CUDA device is available" in message
    assert "device='cpu'" in message and "cpu: ok" in message
    assert available_backends()["warp"].startswith("no CUDA device")
    with pytest.raises(EmbodiedError, match="unknown warp device"):
        BatchSim(go1, 1, backend="warp", device="cuda:3")
