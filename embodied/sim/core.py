"""`BatchSim`: N worlds of one MuJoCo model, stepped together, on a chosen backend.

The backend is a constructor argument, never a different class for callers:

    sim = BatchSim(model, num_worlds=256, backend="cpu")
    sim.reset(keyframe="home")
    sim.ctrl[:] = targets            # live (num_worlds, nu) array
    sim.step(nstep=10)
    print(sim.qpos.shape, sim.diverged.sum())

Fields (qpos, qvel, ctrl, xpos, sensordata, ...) are live arrays shaped (num_worlds, ...).
State fields are writable; derived fields are refreshed by every step/forward. Per-world
model parameters (`set_param("body_mass", ...)`) make domain randomisation a write, not a
rebuild. Worlds that go unstable are reported in `diverged` and left for the caller to
reset, so one bad world never stops the others.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.sim.arrays import as_index, to_numpy

BACKENDS = ("cpu", "warp")

# A joint velocity this large (rad/s or m/s) means the integrator has blown up even when
# MuJoCo has not yet flagged it.
DIVERGENCE_QVEL = 1e4

_INSTABILITY_WARNINGS = (
    int(mujoco.mjtWarning.mjWARN_BADQPOS),
    int(mujoco.mjtWarning.mjWARN_BADQVEL),
    int(mujoco.mjtWarning.mjWARN_BADQACC),
)


def available_backends() -> dict[str, str]:
    """Map each backend name to "ok" or the reason it cannot run on this machine."""
    status = {"cpu": "ok"}
    try:
        from embodied.sim.warp import warp_device_status
    except ImportError as error:  # pragma: no cover - depends on the install
        status["warp"] = f"mujoco_warp is not importable ({error})"
    else:
        status["warp"] = warp_device_status()
    return status


def resolve_keyframe(model: mujoco.MjModel, keyframe: int | str | None) -> int:
    """Keyframe index for a name or index; -1 (model defaults) for None."""
    if keyframe is None:
        return -1
    if isinstance(keyframe, str):
        names = [model.key(i).name for i in range(model.nkey)]
        if keyframe not in names:
            raise UnknownNameError("keyframe", keyframe, names)
        return names.index(keyframe)
    if not -1 <= int(keyframe) < model.nkey:
        raise EmbodiedError(f"keyframe {keyframe} out of range: the model has {model.nkey}")
    return int(keyframe)


def _check_field(name: str) -> str:
    if not hasattr(mujoco.MjData, name):
        raise UnknownNameError("MjData field", name, [f for f in dir(mujoco.MjData) if not f.startswith("_")])
    return name


class BatchSim:
    """N worlds of one model stepped together; see the module docstring."""

    def __init__(
        self,
        model: mujoco.MjModel,
        num_worlds: int,
        backend: str = "cpu",
        nthread: int | None = None,
        device: str | None = None,
        **backend_options: Any,
    ) -> None:
        """`backend_options` go to the backend: nconmax=, njmax= for "warp" (see docs/warp_backend.md)."""
        if int(num_worlds) < 1:
            raise EmbodiedError(f"num_worlds must be at least 1, got {num_worlds}")
        if backend not in BACKENDS:
            raise UnknownNameError("backend", backend, BACKENDS)
        self.model = model
        self.num_worlds = int(num_worlds)
        self.backend = backend
        if backend == "cpu":
            if backend_options:
                raise EmbodiedError(
                    f"backend 'cpu' takes no options {sorted(backend_options)}; nconmax and njmax are for backend='warp'"
                )
            self._impl: Any = _CpuBackend(model, self.num_worlds, nthread)
        else:
            from embodied.sim.warp import WarpBackend

            self._impl = WarpBackend(model, self.num_worlds, device=device, **backend_options)
        self.device = self._impl.device
        self._diverged = np.zeros(self.num_worlds, dtype=bool)
        # flags a GPU backend raised on the device that the host has not read yet (None: none):
        # reading them waits for the step, so they are read only when asked for
        self._unread_divergence: Any = None
        # Counts the changes of the worlds' state: a reader that derives something from the
        # fields (the task's base-frame velocity, say) can keep it while the count stands.
        # Steps, forwards, resets, parameter writes and any `field()` handed out for writing
        # move it on; `numpy()` reads do not.
        self.state_version = 0
        # Host copies of GPU fields, one per field until the state changes: task code reads
        # qvel or xquat a dozen times per env step, and each read of a GPU field is a copy
        # and a synchronisation. None where numpy() is the live memory itself (no copy made).
        self._host_copies: dict[str, np.ndarray] | None = (
            {} if str(self.device).startswith("cuda") else None
        )

    # ----- fields -------------------------------------------------------------------
    def field(self, name: str) -> Any:
        """Live (num_worlds, ...) array of an MjData field (writable for state fields)."""
        _check_field(name)
        self.state_version += 1  # the caller may write through the live field
        if self._host_copies:
            self._host_copies.pop(name, None)
        return self._impl.field(name)

    def numpy(self, name: str) -> np.ndarray:
        """An MjData field as a NumPy array (num_worlds, ...), for host-side task code.

        On the cpu backend it is the live array itself; on warp's cpu device a zero-copy
        view. On a GPU it is a read-only copy, made once and reused until the next step,
        forward, reset, parameter change or `field(name)` (which may write).
        """
        if self._host_copies is None:
            return to_numpy(self._impl.field(_check_field(name)))
        copy = self._host_copies.get(name)
        if copy is None:
            copy = self._impl.field(_check_field(name)).detach().to("cpu", copy=True).numpy()
            copy.flags.writeable = False
            self._host_copies[name] = copy
        return copy

    def tensor(self, name: str) -> Any:
        """An MjData field as a torch tensor over the live memory, for reading (no copy).

        On the warp backend it is the field itself, on its device; on the cpu backend a
        tensor over the NumPy array. Task code that runs on torch reads fields this way.
        """
        import torch

        array = self._impl.field(_check_field(name))
        if not isinstance(array, np.ndarray):
            return array.as_subclass(torch.Tensor)
        with warnings.catch_warnings():  # derived fields are read-only arrays; the tensor is for reading
            warnings.simplefilter("ignore", UserWarning)
            return torch.from_numpy(array)

    def _state_changed(self) -> None:
        self.state_version += 1
        if self._host_copies:
            self._host_copies.clear()

    @property
    def diverged(self) -> np.ndarray:
        """Worlds that diverged since their last reset: a host array, writable to clear flags.

        On a GPU, reading it waits for the steps taken so far; `diverged_tensor()` does not."""
        return self.read_divergence()

    def read_divergence(self) -> np.ndarray:
        """Bring the flags a GPU backend raised to the host (warning of capacity overflows among
        them) and return `diverged`; torch code that has seen a flag on the device calls it so
        that the warning is not lost."""
        if self._unread_divergence is not None:
            self._diverged |= self._impl.read_divergence(self._unread_divergence)
            self._unread_divergence = None
        return self._diverged

    def diverged_tensor(self) -> Any:
        """`diverged` as a torch bool tensor on the backend's device, without waiting for the
        device (for task code that runs on torch)."""
        import torch

        flags = torch.as_tensor(self._diverged, device=self.device)  # a copy: the host array may change
        return flags if self._unread_divergence is None else flags | self._unread_divergence

    def __getattr__(self, name: str) -> Any:
        # only reached for names BatchSim lacks: expose MjData fields as attributes
        if name.startswith("_") or not hasattr(mujoco.MjData, name):
            raise AttributeError(name)
        return self.field(name)

    @property
    def nthread(self) -> int:
        return self._impl.nthread

    @property
    def time(self) -> Any:
        return self._impl.field("time")

    # ----- per-world model parameters ----------------------------------------------
    def param(self, name: str) -> Any:
        """Live per-world (num_worlds, ...) array of an MjModel field, e.g. "body_mass".

        Writing into it changes that world's physics from the next step on.
        """
        return self._impl.param(name)

    def set_param(self, name: str, values: Any, ids: Any = None) -> None:
        """Set a per-world model parameter for all worlds or the worlds in `ids`."""
        array = self.param(name)
        if ids is None:
            array[...] = values
        else:
            array[np.asarray(ids)] = values
        self._impl.params_changed(name)
        self._state_changed()

    # ----- stepping -----------------------------------------------------------------
    def step(self, nstep: int = 1) -> None:
        """Advance every world by `nstep` physics steps; flag worlds that diverged."""
        self._state_changed()
        self._impl.step(int(nstep))
        flags = self._impl.check_divergence()
        if isinstance(flags, np.ndarray):
            self._diverged |= flags
        elif self._unread_divergence is None:
            self._unread_divergence = flags
        else:
            self._unread_divergence = self._unread_divergence | flags

    def forward(self, ids: Any = None) -> None:
        """Recompute derived quantities (positions, sensors, ...) of all worlds or `ids`."""
        self._state_changed()
        self._impl.forward(None if ids is None else np.asarray(ids, dtype=np.int64).reshape(-1))

    def reset(
        self,
        ids: Any = None,
        keyframe: int | str | None = None,
        qpos: Any = None,
        qvel: Any = None,
    ) -> None:
        """Reset worlds (all, or `ids`) to a keyframe or the model defaults, then set state.

        `qpos`/`qvel` (shaped (len(ids), nq/nv) or broadcastable) overwrite the reset state,
        and forward() runs so that derived fields match the new state.
        """
        index = None if ids is None else np.asarray(ids, dtype=np.int64).reshape(-1)
        if index is not None and index.size == 0:
            return
        self._state_changed()
        state_follows = qpos is not None or qvel is not None
        # one forward, after the state is written: a forward of the reset state as well costs
        # as much again (on warp, of every world) and its results are thrown away at once
        self._impl.reset(index, resolve_keyframe(self.model, keyframe), forward=not state_follows)
        if state_follows:
            rows = slice(None) if index is None else index
            if qpos is not None:
                self._impl.write("qpos", rows, qpos)
            if qvel is not None:
                self._impl.write("qvel", rows, qvel)
            self._impl.forward(index)
        rows = slice(None) if index is None else index
        self._diverged[rows] = False
        if self._unread_divergence is not None:
            self._unread_divergence[rows if index is None else as_index(index, self._unread_divergence)] = False

    # ----- single worlds ------------------------------------------------------------
    def get_model(self, world: int) -> mujoco.MjModel:
        """World `world`'s model, with its per-world parameters."""
        return self._impl.get_model(int(world))

    def get_data(self, world: int, data: mujoco.MjData | None = None) -> mujoco.MjData:
        """World `world` as a standalone MjData with derived fields computed (for rendering)."""
        return self._impl.get_data(int(world), data)


class _CpuBackend:
    """mujoco.batch.Batch on a C++ thread pool; bit-identical to a loop of mj_step.

    The batch is persistent (one MjData per world) and every step ends by computing the
    position and velocity stages at the new state, so poses, velocities and sensors always
    describe the current state, never the one a substep before. A persistent batch
    continues its next step from those stages, so this costs no extra physics.
    """

    def __init__(self, model: mujoco.MjModel, num_worlds: int, nthread: int | None) -> None:
        from mujoco.batch import Batch

        threads = nthread if nthread else (os.cpu_count() or 1)
        self.batch = Batch(model, num_worlds, nthread=min(threads, num_worlds), persistent=True)
        self.model = model
        self.device = "cpu"
        self.per_world_params = False
        self._warnings = self._instability_count()

    @property
    def nthread(self) -> int:
        return self.batch.nthread

    def field(self, name: str) -> np.ndarray:
        return self.batch.bind(name)

    def write(self, name: str, rows: Any, values: Any) -> None:
        self.batch.bind(name)[rows] = values

    def param(self, name: str) -> np.ndarray:
        self.per_world_params = True
        return self.batch.expand(name)

    def params_changed(self, name: str) -> None:
        if name in mujoco.MjModel._setconst_inputs:  # e.g. body_mass feeds derived constants
            self.batch.set_const()

    def step(self, nstep: int) -> None:
        self.batch.step(nstep=nstep, stage=mujoco.mjtStage.mjSTAGE_VEL)

    def forward(self, ids: np.ndarray | None = None) -> None:
        self.batch.forward(ids)

    def reset(self, ids: np.ndarray | None, keyframe: int, forward: bool = True) -> None:
        stage = mujoco.mjtStage.mjSTAGE_ACC if forward else mujoco.mjtStage.mjSTAGE_NONE
        self.batch.reset(ids, keyframe=keyframe, stage=stage)

    def _instability_count(self) -> np.ndarray:
        return self.batch.warning[:, list(_INSTABILITY_WARNINGS), 1].sum(axis=1)

    def check_divergence(self) -> np.ndarray:
        count = self._instability_count()
        flagged = count > self._warnings
        self._warnings = count
        # one pass: NaN fails the comparison as surely as inf and blown-up speeds do
        bad_state = ~(np.abs(self.batch.bind("qvel")) <= DIVERGENCE_QVEL).all(axis=1)
        return flagged | bad_state

    def get_model(self, world: int) -> mujoco.MjModel:
        # get_model copies the model: only worth it when worlds have parameters of their own
        return self.batch.get_model(world) if self.per_world_params else self.model

    def get_data(self, world: int, data: mujoco.MjData | None) -> mujoco.MjData:
        # a persistent batch hands over the whole MjData, derived fields included
        return self.batch.get_data(world, data)
