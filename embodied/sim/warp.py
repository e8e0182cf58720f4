"""The "warp" backend of `BatchSim`: N worlds of one model stepped by MuJoCo Warp.

    sim = BatchSim(model, num_worlds=4096, backend="warp")            # CUDA, cuda:0
    sim = BatchSim(model, num_worlds=4, backend="warp", device="cpu")  # slow, for tests

Everything lives on the warp device: the model (`mujoco_warp.put_model`), the batched
data (`mujoco_warp.make_data(nworld=num_worlds)`) and the per-world parameters. Fields are
torch tensors made with `warp.to_torch`, so they alias the warp arrays without copies:
`sim.ctrl[:] = u` is read by the next step, on CUDA without leaving the GPU. MuJoCo Warp
computes in float32, so fields and parameters are float32 tensors (the cpu backend is
float64) and trajectories agree with MuJoCo's only to float32 and solver tolerance.

On CUDA, `step(nstep)`, `forward()` and `reset()` replay CUDA graphs of their mujoco_warp
calls, captured on first use. On warp's "cpu" device the kernels run one after the other
on the host: correct but slow, meant for tests on machines without a GPU.

Limitations (see docs/warp_backend.md):
- contacts and constraint rows are preallocated: `nconmax` contacts and `njmax` constraint
  rows per world; a world that needs more is flagged as diverged (its physics dropped
  contacts or constraints), with a warning naming the size to raise;
- `forward()` and `reset(ids)` recompute derived fields of every world, not only `ids`
  (the state of other worlds is not changed);
- after `step`, derived fields (xpos, sensordata, ...) describe the state the last physics
  step began from, as after `mujoco.mj_step` (the cpu backend's describe the new state);
  `forward()` updates them;
- mujoco_warp specialises some kernels on the model at `put_model` time, so a parameter
  changed from zero to non-zero (e.g. a damping) may have no effect where the model had
  none; changes of non-zero values always apply.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import warnings
from collections.abc import Iterator
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.sim.arrays import live
from embodied.sim.core import DIVERGENCE_QVEL

# Constants that mujoco_warp's set_const recomputes from the parameters in
# mujoco.MjModel._setconst_inputs. set_const writes them with the leading dimension they
# already have, so they are made per-world before it runs on per-world inputs.
_SETCONST_OUTPUTS = (
    "body_subtreemass", "body_invweight0", "dof_invweight0", "tendon_length0", "tendon_invweight0",
    "actuator_acc0", "geom_aabb", "geom_rbound", "eq_data", "cam_pos0", "cam_poscom0", "cam_mat0",
    "light_pos0", "light_poscom0", "light_dir0",
)
# MjData state copied into a standalone MjData by get_data().
_STATE_COPY = (
    "time", "qpos", "qvel", "act", "ctrl", "qacc_warmstart", "qfrc_applied", "xfrc_applied",
    "mocap_pos", "mocap_quat",
)


def _import_warp() -> tuple[Any, Any]:
    import mujoco_warp as mjw
    import warp as wp

    quiet_warp(wp)
    wp.init()
    return wp, mjw


def quiet_warp(wp: Any) -> None:
    """No banner and no line per compiled or loaded kernel module on stdout (it would
    corrupt `--json` output); warnings and errors still show."""
    if hasattr(wp, "LOG_WARNING"):  # warp >= 1.19: messages are filtered by level
        wp.config.log_level = wp.LOG_WARNING
    wp.config.quiet = True  # older warp


def warp_device_status() -> str:
    """"ok" if mujoco_warp can run on a CUDA device here, else the reason it cannot."""
    try:
        wp, _ = _import_warp()
    except Exception as error:  # noqa: BLE001 - any import/init failure is the reason
        return f"mujoco_warp cannot initialise ({type(error).__name__}: {error})"
    if not wp.is_cuda_available():
        return (
            "no CUDA device is available to warp; device='cpu' runs mujoco_warp slowly on "
            "the CPU, for testing"
        )
    return "ok"


def _backends_line() -> str:
    from embodied.sim.core import available_backends

    return "; ".join(f"{name}: {status}" for name, status in available_backends().items())


def resolve_device(device: str | None) -> str:
    """The warp device name for `device` (None: "cuda:0"), or an EmbodiedError saying why not."""
    wp, _ = _import_warp()
    if device is None:
        if not wp.is_cuda_available():
            raise EmbodiedError(
                "the warp backend needs a CUDA device and no CUDA device is available. "
                "Pass device='cpu' to run mujoco_warp slowly on the CPU (for testing), or use "
                f"backend='cpu'. Available backends: {_backends_line()}"
            )
        device = "cuda:0"
    names = [str(d) for d in wp.get_devices()]
    try:
        resolved = str(wp.get_device(device))
    except Exception:  # noqa: BLE001 - warp raises RuntimeError/ValueError variants
        raise UnknownNameError("warp device", device, names) from None
    if resolved not in names:
        raise UnknownNameError("warp device", device, names)
    return resolved


class WarpBackend:
    """mujoco_warp Model/Data for `num_worlds` worlds on one warp device."""

    def __init__(
        self,
        model: mujoco.MjModel,
        num_worlds: int,
        device: str | None = None,
        nconmax: int | None = None,
        njmax: int | None = None,
    ) -> None:
        try:
            wp, mjw = _import_warp()
        except Exception as error:
            raise EmbodiedError(
                f"the warp backend cannot start: mujoco_warp cannot initialise ({error}). "
                f"Available backends: {_backends_line()}"
            ) from error
        self._wp, self._mjw = wp, mjw
        self.device = resolve_device(device)
        self.model = model
        self.num_worlds = int(num_worlds)
        self._is_cuda = self.device.startswith("cuda")
        self._template = mujoco.MjData(model)  # MjData shapes; scratch for get_data
        self.nconmax = int(nconmax) if nconmax else default_nconmax(model)
        self.njmax = int(njmax) if njmax else default_njmax(model, self.nconmax)
        import torch

        if self._is_cuda and not torch.cuda.is_available():
            raise EmbodiedError(
                f"the warp backend on {self.device} needs a CUDA build of torch to share its "
                f"arrays, but torch {torch.__version__} has no CUDA; use device='cpu' or install a "
                "CUDA build of torch"
            )
        self._torch = torch
        with self._scope():
            try:
                self.m = mjw.put_model(model)
            except (NotImplementedError, ValueError) as error:
                raise EmbodiedError(f"mujoco_warp does not support this model: {error}") from error
            # overflows are reported by check_divergence(), once, not printed from every kernel
            self.m.opt.warn_overflow = 0
            self.d = mjw.make_data(model, nworld=self.num_worlds, nconmax=self.nconmax, njmax=self.njmax)
            mjw.reset_data(self.m, self.d)
            mjw.forward(self.m, self.d)
        self._fields: dict[str, Any] = {}
        self._params: dict[str, Any] = {}  # names expanded by the caller
        self._derived: set[str] = set()  # set_const outputs expanded for set_const
        self._graphs: dict[tuple, Any] = {}  # see _run: CUDA graph, or False: capture failed
        self._capture_failures: dict[tuple, int] = {}
        # which worlds a reset applies to, at fixed addresses so that resets replay as graphs
        with self._scope():
            self._reset_mask = wp.zeros(self.num_worlds, dtype=bool, device=self.device)
            self._reset_keys = wp.zeros(self.num_worlds, dtype=int, device=self.device)
        self._reset_mask_tensor = wp.to_torch(self._reset_mask, requires_grad=False)
        self._reset_keys_tensor = wp.to_torch(self._reset_keys, requires_grad=False)
        # overflow bits per world: as mujoco_warp keeps them, as last seen, and those new since
        # the host last read the divergence flags; all on the device, so that checking them
        # after each step does not make the host wait for the step
        self._overflow = wp.to_torch(self.d.overflow, requires_grad=False)
        self._overflow_seen = self._overflow.clone()
        self._overflow_unread = torch.zeros_like(self._overflow)
        self._overflow_baseline_pending = False
        self._warned = 0
        kinds = mjw.OverflowType
        self._capacity_bits = int(kinds.NEFC | kinds.NJMAX_NNZ | kinds.BROADPHASE | kinds.NARROWPHASE | kinds.CCD)
        if self._is_cuda:
            # compile every kernel of a step now, so that graph capture does not load modules;
            # then put the state back
            with self._scope():
                mjw.step(self.m, self.d)
                mjw.reset_data(self.m, self.d)
                mjw.forward(self.m, self.d)

    # ----- helpers ------------------------------------------------------------------
    @contextlib.contextmanager
    def _scope(self) -> Iterator[None]:
        wp = self._wp
        with wp.ScopedDevice(self.device):
            if not self._is_cuda:
                yield
                return
            # warp runs on its own stream (graphs cannot be captured on torch's legacy default
            # stream); GPU-side waits order it after torch's pending writes to the fields, and
            # torch's later work after it, without synchronising the host
            torch_stream, warp_stream = wp.stream_from_torch(self.device), wp.get_stream(self.device)
            warp_stream.wait_stream(torch_stream)
            try:
                yield
            finally:
                torch_stream.wait_stream(warp_stream)

    def _tensor(self, array: Any, shape: tuple[int, ...]) -> Any:
        wp = self._wp
        if array.size == 0:  # nothing to share; warp may not even allocate it
            dtype = wp.dtype_to_torch(getattr(array.dtype, "_wp_scalar_type_", array.dtype))
            tensor = self._torch.zeros(shape, dtype=dtype, device=self.device)
        else:
            tensor = wp.to_torch(array, requires_grad=False)
        return live(tensor.view(shape))

    def _numel(self, array: Any) -> int:
        """Scalars in a warp array (a vec3 element counts 3)."""
        return array.size * self._wp.types.type_size(array.dtype)

    @property
    def nthread(self) -> int:
        return 1

    # ----- fields -------------------------------------------------------------------
    def field(self, name: str) -> Any:
        if name in self._fields:
            return self._fields[name]
        template = getattr(self._template, name, None)
        array = getattr(self.d, name, None)
        if name == "time":
            template = np.zeros(())
        if (
            not isinstance(template, np.ndarray)
            or not isinstance(array, self._wp.array)
            or array.shape[0] != self.num_worlds
            or self._numel(array) != self.num_worlds * template.size
        ):
            raise EmbodiedError(
                f"MjData field {name!r} is not available per world on the warp backend "
                "(mujoco_warp stores it differently or not at all); use get_data(world) for it"
            )
        tensor = self._tensor(array, (self.num_worlds, *template.shape))
        self._fields[name] = tensor
        return tensor

    def write(self, name: str, rows: Any, values: Any) -> None:
        self.field(name)[rows] = values

    # ----- per-world model parameters ----------------------------------------------
    def _model_array(self, name: str) -> tuple[Any, str, Any]:
        """(owner object, attribute, mujoco template) of a model field or 'opt.<name>'."""
        if name.startswith("opt."):
            owner, attr = self.m.opt, name[4:]
            template = getattr(self.model.opt, attr, None)
            template = None if template is None else np.asarray(template)
        else:
            owner, attr = self.m, name
            template = getattr(self.model, name, None)
        return owner, attr, template

    def _expand(self, name: str) -> Any:
        """Give model field `name` a leading num_worlds dimension; return the warp array."""
        wp = self._wp
        owner, attr, _ = self._model_array(name)
        array = getattr(owner, attr)
        if array.shape[0] != self.num_worlds:
            values = array.numpy()
            values = np.broadcast_to(values[:1], (self.num_worlds, *values.shape[1:])).copy()
            array = wp.array(values, dtype=array.dtype, device=self.device)
            setattr(owner, attr, array)
            self._graphs.clear()  # captured graphs hold the old array's address
        return array

    def param(self, name: str) -> Any:
        if name in self._params:
            return self._params[name]
        from mujoco_warp._src import types as mjw_types
        from mujoco_warp._src import warp_util

        _, attr, template = self._model_array(name)
        spec_class = mjw_types.Option if name.startswith("opt.") else mjw_types.Model
        specs = {f.name: f.type for f in dataclasses.fields(spec_class)}
        spec = specs.get(attr)
        batched = (
            spec is not None
            and warp_util.is_array_spec(spec)
            and getattr(spec, "shape", ("",))[0] == "*"
            and isinstance(template, np.ndarray)
        )
        if not batched:
            choices = [
                ("opt." if spec_class is mjw_types.Option else "") + n
                for n, t in specs.items()
                if warp_util.is_array_spec(t) and getattr(t, "shape", ("",))[0] == "*"
            ]
            raise UnknownNameError("per-world model field of the warp backend", name, choices)
        array = self._expand(name)
        if self._numel(array) != self.num_worlds * template.size:
            raise EmbodiedError(f"model field {name!r} has a layout on the warp backend that BatchSim cannot map")
        tensor = self._tensor(array, (self.num_worlds, *template.shape))
        self._params[name] = tensor
        return tensor

    def params_changed(self, name: str) -> None:
        if name not in mujoco.MjModel._setconst_inputs:
            return
        for derived in _SETCONST_OUTPUTS:
            array = getattr(self.m, derived, None)
            if array is not None and array.size and derived not in self._params:
                self._expand(derived)
                self._derived.add(derived)
        with self._scope():
            self._mjw.set_const(self.m, self.d)
            self._mjw.forward(self.m, self.d)

    # ----- stepping -----------------------------------------------------------------
    def _run(self, key: tuple, launches: Any) -> None:
        """Run `launches` (a fixed sequence of mujoco_warp calls) on the device.

        On CUDA it is captured as a CUDA graph the first time `key` is seen and replayed
        afterwards: one launch instead of hundreds of Python-side kernel launches, which at
        thousands of worlds cost far more than the kernels themselves. Everything the
        launches read must sit at a fixed address (the per-world arrays and the reset
        mask and keys below), since a graph replays the addresses it captured.
        """
        with self._scope():
            if not self._is_cuda:
                launches()
                return
            wp = self._wp
            graph = self._graphs.get(key)
            if graph is None:
                try:
                    with wp.ScopedCapture() as capture:
                        launches()
                except Exception as error:  # noqa: BLE001 - fall back to plain launches
                    # a capture records launches without running them, so the state is as it
                    # was. A kernel compiled during the capture (e.g. after a parameter was
                    # made per-world) can make it fail once: the plain run below compiles
                    # it and the next call captures again; a second failure is final.
                    failures = self._capture_failures.get(key, 0) + 1
                    self._capture_failures[key] = failures
                    if failures >= 2:
                        warnings.warn(f"CUDA graph capture failed ({error}); running without graphs", stacklevel=4)
                        self._graphs[key] = False
                    launches()
                    return
                graph = self._graphs[key] = capture.graph
            if graph is False:
                launches()
            else:
                wp.capture_launch(graph)

    def step(self, nstep: int) -> None:
        if nstep < 1:
            return
        mjw = self._mjw

        def launches() -> None:
            for _ in range(nstep):
                mjw.step(self.m, self.d)

        self._run(("step", nstep), launches)

    def forward(self, ids: np.ndarray | None = None) -> None:
        # mujoco_warp's forward has no world mask; it recomputes derived fields of every
        # world from its state, which it does not change.
        self._run(("forward",), lambda: self._mjw.forward(self.m, self.d))
        if self._overflow_baseline_pending:  # the forward that completes a reset
            self._overflow_seen.copy_(self._overflow)
            self._overflow_baseline_pending = False

    def reset(self, ids: np.ndarray | None, keyframe: int, forward: bool = True) -> None:
        """Reset the worlds `ids` (all when None); `forward=False` leaves the derived fields
        for a `forward()` after the caller has written the new state."""
        mjw = self._mjw
        mask = np.ones(self.num_worlds, dtype=bool)
        if ids is not None:
            mask[:] = False
            mask[np.asarray(ids, dtype=np.int64)] = True
        if keyframe < 0:
            self._reset_mask_tensor.copy_(self._torch.from_numpy(mask))
            launches = [lambda: mjw.reset_data(self.m, self.d, self._reset_mask)]
        else:
            keys = np.where(mask, keyframe, -1).astype(np.int32)
            self._reset_keys_tensor.copy_(self._torch.from_numpy(keys))
            launches = [lambda: mjw.reset_data_keyframe(self.m, self.d, self._reset_keys)]
        if forward:
            launches.append(lambda: mjw.forward(self.m, self.d))
        self._run(("reset", keyframe >= 0, forward), lambda: [launch() for launch in launches])
        # overflows up to the reset's forward are the reset state's, not news of a step
        self._overflow_baseline_pending = not forward
        if forward:
            self._overflow_seen.copy_(self._overflow)

    def overflow(self) -> np.ndarray:
        """Per-world mujoco_warp overflow bitmask (mujoco_warp.OverflowType), since reset."""
        return self.d.overflow.numpy().copy()

    def check_divergence(self) -> Any:
        """Worlds whose state blew up or whose contacts or constraint rows overflowed in the
        last step, as a bool tensor on the device: nothing is copied to the host, so the
        host goes on (launching the task's kernels) while the step runs. `read_divergence`
        brings flags to the host."""
        torch = self._torch
        qpos, qvel = self.field("qpos"), self.field("qvel")
        bad = ~torch.isfinite(qpos).all(dim=1) | ~torch.isfinite(qvel).all(dim=1)
        if qvel.shape[1]:
            bad |= qvel.abs().amax(dim=1) > DIVERGENCE_QVEL
        # capacity overflows: contacts or constraint rows were dropped, so the physics of
        # that world is wrong even when its state still looks finite
        new = (self._overflow & ~self._overflow_seen) & self._capacity_bits
        self._overflow_seen.copy_(self._overflow)
        self._overflow_unread |= new
        return (bad | (new != 0)).as_subclass(torch.Tensor)

    def read_divergence(self, flags: Any) -> np.ndarray:
        """Device flags from `check_divergence` as a host array; warns (once per kind) of the
        overflows among them, naming the worlds and the capacity to raise."""
        flagged = flags.to("cpu", copy=True).numpy()
        if not flagged.any():
            return flagged
        new = self._overflow_unread.to("cpu", copy=True).numpy()  # a copy: it is zeroed next
        self._overflow_unread.zero_()
        kinds_seen = int(np.bitwise_or.reduce(new))
        if kinds_seen & ~self._warned:
            self._warned |= kinds_seen
            kinds = self._mjw.OverflowType
            names = [k.name for k in kinds if k.value and not (k.value & (k.value - 1)) and kinds_seen & k.value]
            warnings.warn(
                f"mujoco_warp overflow ({', '.join(names)}) in worlds {np.flatnonzero(new).tolist()}: "
                f"raise nconmax (now {self.nconmax}) or njmax (now {self.njmax}); those worlds are "
                "flagged as diverged",
                stacklevel=3,
            )
        return flagged

    # ----- single worlds ------------------------------------------------------------
    def get_model(self, world: int) -> mujoco.MjModel:
        if not 0 <= world < self.num_worlds:
            raise EmbodiedError(f"world {world} out of range: the batch has {self.num_worlds}")
        model = copy.deepcopy(self.model)
        for name, tensor in self._params.items():
            values = tensor[world].detach().cpu().numpy()
            if tensor.is_floating_point():
                # keep the model's float64 value wherever the world still has it (to float32)
                host = np.asarray(self._model_array(name)[2], dtype=np.float64).reshape(values.shape)
                values = np.where(values == host.astype(values.dtype), host, values.astype(np.float64))
            if name.startswith("opt."):
                current = getattr(model.opt, name[4:])
                if isinstance(current, np.ndarray):
                    current[...] = values
                else:
                    setattr(model.opt, name[4:], type(current)(values))
            else:
                getattr(model, name)[...] = values
        if any(name in mujoco.MjModel._setconst_inputs for name in self._params):
            mujoco.mj_setConst(model, mujoco.MjData(model))
        return model

    def get_data(self, world: int, data: mujoco.MjData | None) -> mujoco.MjData:
        model = self.get_model(world) if self._params else self.model
        if data is None:
            data = mujoco.MjData(model)
        for name in _STATE_COPY:
            if name == "time":
                data.time = float(self.field("time")[world])
                continue
            template = getattr(data, name)
            if template.size:
                template[...] = self.field(name)[world].detach().cpu().numpy().reshape(template.shape)
        mujoco.mj_forward(model, data)
        return data


def _round_up(value: float, multiple: int = 16) -> int:
    return int(-(-int(np.ceil(value)) // multiple) * multiple)


def default_nconmax(model: mujoco.MjModel) -> int:
    """Contacts per world to allocate: 4 for each body that can collide, at least 48.

    A body resting on a plane makes up to 4 contacts (a box face). A Go1 (13 colliding
    bodies: 64) uses 4 standing and at most 15 when thrown on its side or back with random
    controls (measured in MuJoCo). mujoco_warp pools the contacts of all worlds, so a world
    may use more when others use fewer. Mesh-heavy models pressed into each other need more
    (a Panda flailing into the floor made 110): pass nconmax.
    """
    from mujoco_warp._src.io import _default_nconmax

    colliding = (model.geom_contype | model.geom_conaffinity) != 0
    bodies = np.unique(model.geom_bodyid[colliding & (model.geom_bodyid != 0)]).size
    return _round_up(max(_default_nconmax(model), 4 * bodies))


def default_njmax(model: mujoco.MjModel, nconmax: int) -> int:
    """Constraint rows per world: limits, friction loss, equalities and half of nconmax.

    Each contact takes condim rows with the elliptic cone, 2*(condim-1) with the pyramidal
    one; half of nconmax contacts at the model's largest condim are provisioned, since
    mujoco_warp's constraint arrays (unlike its contact pool) are strictly per world and
    their size costs solver time.
    """
    from mujoco_warp._src.io import _default_njmax

    colliding = (model.geom_contype | model.geom_conaffinity) != 0
    condim = int(model.geom_condim[colliding].max(initial=3))
    if model.npair:
        condim = max(condim, int(model.pair_dim.max()))
    elliptic = model.opt.cone == mujoco.mjtCone.mjCONE_ELLIPTIC
    rows = condim if (elliptic or condim == 1) else 2 * (condim - 1)
    eq_rows = 6 * model.neq
    fixed = int(model.jnt_limited.sum()) + int((model.dof_frictionloss > 0).sum()) + eq_rows
    fixed += int(model.tendon_limited.sum()) + int((model.tendon_frictionloss > 0).sum())
    return _round_up(max(_default_njmax(model), fixed + rows * nconmax // 2))
