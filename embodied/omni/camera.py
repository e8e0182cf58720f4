"""Cameras for the omnimodel: rendering a task's world with its camera pose (optionally
jittered, for training), and the pinhole math between pixels, depth and world points.

Conventions (MuJoCo's): a camera looks along its -z axis, +y is image up, +x image right;
`rotation` is the 3x3 matrix whose columns are the camera axes in the world frame (cam_xmat);
pixel (u, v) counts from the top-left corner, u to the right, v down; pixel centres lie at
half-integers; depth is the distance along the optical axis in metres (MuJoCo's depth image).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import mujoco
import numpy as np

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.scene import prop_rgba


@dataclass
class CameraInfo:
    """Intrinsics (3x3) and pose (position, rotation: camera-to-world) of one rendered camera."""

    intrinsics: np.ndarray
    position: np.ndarray
    rotation: np.ndarray

    def to_json(self) -> dict[str, Any]:
        return {"intrinsics": np.asarray(self.intrinsics).tolist(), "position": np.asarray(self.position).tolist(),
                "rotation": np.asarray(self.rotation).tolist()}

    @classmethod
    def from_any(cls, value: Any) -> CameraInfo:
        if isinstance(value, CameraInfo):
            return value
        try:
            return cls(np.asarray(value["intrinsics"], float).reshape(3, 3), np.asarray(value["position"], float).reshape(3),
                       np.asarray(value["rotation"], float).reshape(3, 3))
        except (KeyError, TypeError, ValueError) as error:
            raise EmbodiedError(f"camera_info needs intrinsics (3x3), position (3) and rotation (3x3): {error}") from None

    def scaled(self, sy: float, sx: float) -> CameraInfo:
        """The same camera for an image resized by (sy, sx)."""
        k = np.asarray(self.intrinsics, float).copy()
        k[0] *= sx
        k[1] *= sy
        return CameraInfo(k, self.position, self.rotation)


def project(info: CameraInfo, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """World points (n, 3) -> pixel coordinates (n, 2) as (u, v) and depths (n,)."""
    points = np.atleast_2d(np.asarray(points, float))
    local = (points - info.position) @ np.asarray(info.rotation)  # world -> camera frame
    depth = -local[:, 2]
    k = np.asarray(info.intrinsics)
    u = k[0, 0] * local[:, 0] / depth + k[0, 2]
    v = -k[1, 1] * local[:, 1] / depth + k[1, 2]
    return np.stack([u, v], axis=1), depth


def unproject(info: CameraInfo, pixel: Any, depth: Any) -> np.ndarray:
    """Pixel coordinates (..., 2) as (u, v) at optical-axis depths (...) in metres -> world points (..., 3).

    The pixel in row v, column u of an image has its centre at (u + 0.5, v + 0.5).
    """
    pixel, depth = np.asarray(pixel, float), np.asarray(depth, float)
    k = np.asarray(info.intrinsics)
    local = np.stack([(pixel[..., 0] - k[0, 2]) / k[0, 0] * depth, -(pixel[..., 1] - k[1, 2]) / k[1, 1] * depth,
                      -depth], axis=-1)
    return local @ np.asarray(info.rotation).T + np.asarray(info.position)


def depth_at(depth: np.ndarray, pixel: Any, radius: int = 1) -> float:
    """A robust depth at a pixel: the median of a small window (ignores the far plane)."""
    h, w = depth.shape
    u, v = int(np.clip(np.floor(pixel[0]), 0, w - 1)), int(np.clip(np.floor(pixel[1]), 0, h - 1))
    window = depth[max(0, v - radius): v + radius + 1, max(0, u - radius): u + radius + 1].ravel()
    window = window[np.isfinite(window) & (window > 0)]
    if window.size == 0:
        raise EmbodiedError(f"no valid depth at pixel ({u}, {v})")
    return float(np.median(window))


def ray_direction(info: CameraInfo, pixel: Any) -> np.ndarray:
    point = unproject(info, pixel, 1.0) - np.asarray(info.position)
    return point / np.linalg.norm(point)


class TaskCamera:
    """Renders world 0 of a BatchedTask from one of its cameras, returning RGB, depth and CameraInfo.

    Uses its own copy of the model, so training can jitter the camera and the lights
    (`jitter`) without touching the task; with no jitter the images equal `task.render`.
    """

    def __init__(self, task: Any, camera: str = "overview", height: int = 240, width: int = 320) -> None:
        if camera not in task.scene.cameras:
            raise UnknownNameError("camera", camera, task.scene.cameras)
        self.task, self.camera, self.height, self.width = task, camera, height, width
        self.model = copy.deepcopy(task.model)
        self.model.vis.global_.offwidth = max(self.model.vis.global_.offwidth, width)
        self.model.vis.global_.offheight = max(self.model.vis.global_.offheight, height)
        self.cam_id = self.model.camera(camera).id
        self.base_pos = self.model.cam_pos[self.cam_id].copy()
        self.base_quat = self.model.cam_quat[self.cam_id].copy()
        self.base_light = self.model.light_diffuse.copy()
        self.base_ambient = np.array(self.model.vis.headlight.ambient)
        self.renderer = mujoco.Renderer(self.model, height, width)
        self.data = mujoco.MjData(self.model)

    def set_jitter(self, rng: np.random.Generator | None, position: float = 0.03, angle_deg: float = 1.5,
                   light: float = 0.15) -> None:
        """Move the camera by up to `position` m, turn it by up to `angle_deg`, scale the lights."""
        m = self.model
        m.cam_pos[self.cam_id] = self.base_pos
        m.cam_quat[self.cam_id] = self.base_quat
        m.light_diffuse[:] = self.base_light
        m.vis.headlight.ambient[:] = self.base_ambient
        if rng is None:
            return
        m.cam_pos[self.cam_id] = self.base_pos + rng.uniform(-position, position, 3)
        axis = rng.normal(size=3)
        axis /= np.linalg.norm(axis)
        turn = np.zeros(4)
        mujoco.mju_axisAngle2Quat(turn, axis, np.deg2rad(rng.uniform(-angle_deg, angle_deg)))
        quat = np.zeros(4)
        mujoco.mju_mulQuat(quat, self.base_quat, turn)
        m.cam_quat[self.cam_id] = quat
        m.light_diffuse[:] = np.clip(self.base_light * rng.uniform(1 - light, 1 + light), 0, 1)
        m.vis.headlight.ambient[:] = np.clip(self.base_ambient * rng.uniform(1 - light, 1 + light), 0, 1)

    def info(self) -> CameraInfo:
        fovy = np.deg2rad(self.model.cam_fovy[self.cam_id])
        focal = 0.5 * self.height / np.tan(fovy / 2)
        k = np.array([[focal, 0, self.width / 2], [0, focal, self.height / 2], [0, 0, 1.0]])
        return CameraInfo(k, self.data.cam_xpos[self.cam_id].copy(), self.data.cam_xmat[self.cam_id].reshape(3, 3).copy())

    def render(self, depth: bool = True) -> tuple[np.ndarray, np.ndarray | None, CameraInfo]:
        task = self.task
        task.sim.get_data(0, self.data)
        mujoco.mj_kinematics(self.model, self.data)
        mujoco.mj_camlight(self.model, self.data)
        layout = task.layouts[0]
        if layout is not None and task.scene.prop_geoms:
            self.model.geom_rgba[task.scene.prop_geoms] = prop_rgba(task.scene, layout)
        self.renderer.update_scene(self.data, camera=self.camera)
        rgb = self.renderer.render().copy()
        depth_image = None
        if depth:
            self.renderer.enable_depth_rendering()
            self.renderer.update_scene(self.data, camera=self.camera)
            depth_image = self.renderer.render().astype(np.float32)
            self.renderer.disable_depth_rendering()
        return rgb, depth_image, self.info()

    def close(self) -> None:
        self.renderer.close()
