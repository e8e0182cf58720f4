"""Arrays of two kinds behind one set of operations: NumPy on the host, torch on a device.

Task code is written once over arrays shaped (num_worlds, ...). On the cpu backend those are
NumPy arrays; on a GPU they are torch tensors over the simulator's own memory, so rewards,
observations and terminations can be worked out where the physics lives, without copying
the fields to the host every step. Code takes its functions from `namespace(kind)` (NumPy
itself, or torch through `array_api_compat`: the Python array API standard, whose names
NumPy 2 has as its own) and the few operations the standard leaves out from here.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from embodied.errors import UnknownNameError

ARRAY_KINDS = ("numpy", "torch")


def check_kind(kind: str) -> str:
    if kind not in ARRAY_KINDS:
        raise UnknownNameError("array kind", kind, ARRAY_KINDS)
    return kind


def namespace(kind: str) -> Any:
    """The module of array functions for `kind`: `numpy`, or torch under the array API's names."""
    if check_kind(kind) == "numpy":
        return np
    import array_api_compat.torch

    return array_api_compat.torch


def is_torch(array: Any) -> bool:
    return not isinstance(array, np.ndarray) and hasattr(array, "detach")


def copy(array: Any) -> Any:
    """A copy that shares no memory with `array`."""
    return array.clone() if is_torch(array) else array.copy()


def to_numpy(array: Any) -> np.ndarray:
    """A host NumPy array of `array` (itself when it already is one)."""
    return array.detach().cpu().numpy() if is_torch(array) else np.asarray(array)


def as_index(indices: Any, like: Any) -> Any:
    """Integer indices as a tensor on the device of tensor `like` (NumPy indices stay as they are
    for NumPy arrays): a GPU tensor indexed with host indices copies them over each time."""
    if not is_torch(like):
        return indices
    import torch

    return torch.as_tensor(indices, device=like.device)


def torch_dtype(dtype: Any) -> Any:
    """The torch dtype of a NumPy dtype (or Python type: float is float64, as in NumPy)."""
    import torch

    return torch.from_numpy(np.empty(0, dtype=dtype)).dtype


def concat_float32(parts: list[Any], axis: int = 1) -> Any:
    """`parts` joined along `axis` as float32 (NumPy casts inside the join, without copies first)."""
    if parts and is_torch(parts[0]):
        import torch

        return torch.cat(parts, dim=axis).to(torch.float32)  # one cast, not one per part
    return np.concatenate(parts, axis=axis, dtype=np.float32)


@functools.cache
def live_tensor_class() -> type:
    import torch

    class LiveTensor(torch.Tensor):
        """A torch tensor whose item assignment also takes NumPy values and index arrays.

        torch refuses `tensor[rows] = ndarray`; generic code and NumPy users write exactly that,
        so such values (and index arrays) are converted to tensors on the tensor's device and
        dtype. Every operation returns plain torch tensors.
        """

        __torch_function__ = torch._C._disabled_torch_function_impl

        def __setitem__(self, key: Any, value: Any) -> None:
            if isinstance(key, np.ndarray):
                key = torch.as_tensor(key, device=self.device)
            elif isinstance(key, tuple):
                key = tuple(torch.as_tensor(k, device=self.device) if isinstance(k, np.ndarray) else k for k in key)
            if isinstance(value, torch.Tensor):
                value = value.to(device=self.device, dtype=self.dtype)
            elif not np.isscalar(value):
                value = torch.as_tensor(np.asarray(value), dtype=self.dtype, device=self.device)
            torch.Tensor.__setitem__(self, key, value)

        def __repr__(self, **kwargs: Any) -> str:
            return torch.Tensor.__repr__(self.as_subclass(torch.Tensor), **kwargs)

    return LiveTensor


def live(tensor: Any) -> Any:
    """`tensor` (the same memory) as a tensor that takes NumPy values in item assignment."""
    return tensor.as_subclass(live_tensor_class())
