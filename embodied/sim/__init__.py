"""Batched physics: N worlds of one MuJoCo model behind one interface, several backends.

`BatchSim(model, num_worlds, backend="cpu" | "warp")` is the only thing the layers above
(`envs`, `mindseye`, `agent`) use to step physics. Fields are live arrays shaped
(num_worlds, ...): NumPy on the cpu backend, torch tensors on the warp backend's device.
"""

from embodied.sim.core import BACKENDS, BatchSim, available_backends

__all__ = ["BACKENDS", "BatchSim", "available_backends"]
