"""Grounding math: pixels + depth + intrinsics + camera pose <-> world points."""

from __future__ import annotations

import numpy as np
import pytest

from embodied.omni.camera import CameraInfo, TaskCamera, depth_at, project, ray_direction, unproject
from embodied.scene import look_at


def _camera() -> CameraInfo:
    position = np.array([1.75, 0.1, 1.5])
    xyaxes = np.array(look_at(position, [0.35, 0.0, 0.75])).reshape(2, 3)
    rotation = np.stack([xyaxes[0], xyaxes[1], np.cross(xyaxes[0], xyaxes[1])], axis=1)
    k = np.array([[200.0, 0, 160], [0, 200.0, 120], [0, 0, 1]])
    return CameraInfo(k, position, rotation)


def test_project_unproject_round_trip():
    info = _camera()
    points = np.array([[0.4, 0.1, 0.62], [0.3, -0.3, 0.7], [0.6, 0.25, 0.6]])
    pixels, depths = project(info, points)
    for point, pixel, depth in zip(points, pixels, depths):
        assert np.allclose(unproject(info, pixel, depth), point, atol=1e-9)
    # the look-at target projects to the image centre, in front of the camera
    centre, depth = project(info, [0.35, 0.0, 0.75])
    assert np.allclose(centre, [[160, 120]], atol=1e-6) and depth[0] > 0
    assert np.allclose(np.linalg.norm(ray_direction(info, (10, 20))), 1.0)


def test_unproject_rendered_prop_with_depth(tabletop_task):
    task = tabletop_task
    camera = TaskCamera(task, "overview", 240, 320)
    try:
        rgb, depth, info = camera.render(depth=True)
        assert rgb.shape == (240, 320, 3) and depth.shape == (240, 320)
        # the same picture as the task's own renderer (up to rasteriser noise)
        reference = task.render(0, "overview", 240, 320).astype(int)
        assert np.mean(np.abs(rgb.astype(int) - reference) > 8) < 0.01
        for prop in task.scene_description(0):
            pixel, z = project(info, prop["position"])
            surface = unproject(info, pixel[0], depth_at(depth, pixel[0]))
            # the depth image hits the prop's near surface: within its size of the centre
            assert np.linalg.norm(surface - prop["position"]) < 0.035, prop
            assert depth_at(depth, pixel[0]) < z[0]
    finally:
        camera.close()


@pytest.fixture(scope="module")
def tabletop_task():
    from embodied.tasks import BatchedTask, get_task

    task = BatchedTask(get_task("embodied/PandaTabletop-v0"), 1, nthread=1)
    task.rngs[0] = np.random.default_rng(3)
    task.reset([0])
    yield task
    task.close()
