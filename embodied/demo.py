"""`embodied demo`: a short episode of a robot in a task, recorded to MP4 and PNG.

The robot sweeps its joints smoothly around its home pose, so the demo needs no trained
policy and shows every joint moving; the overview camera is recorded to video and the
robot's own camera (wrist or head) to a still image.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from embodied.tasks import BatchedTask, get_task

VIDEO_SIZE = (360, 480)
CAMERA_SIZE = (240, 320)


def run_demo(task_id: str = "embodied/PandaTabletop-v0", seed: int = 0, seconds: float = 4.0,
             out: Path = Path("out")) -> dict[str, Any]:
    """Run and record the demo; returns the files written."""
    import imageio.v2 as imageio
    import imageio.v3 as iio

    config = get_task(task_id)
    task = BatchedTask(config, num_envs=1, nthread=1)
    task.seed([0], [seed])
    task.reset([0])
    out.mkdir(parents=True, exist_ok=True)
    fps = int(round(1.0 / task.dt))
    steps = max(1, int(round(seconds / task.dt)))
    home = task.action_of_ctrl(task.home_ctrl)
    phases = np.random.default_rng(seed).uniform(0, 2 * np.pi, task.action_size)
    amplitude = 0.15 if config.action_mode == "absolute" else 0.3
    video = out / "demo.mp4"
    frames = 0
    with imageio.get_writer(video, fps=fps, macro_block_size=8) as writer:
        for step in tqdm(range(steps), desc=f"demo {config.name}", unit="step"):
            t = step * task.dt
            action = np.clip(home + amplitude * np.sin(2 * np.pi * 0.4 * t + phases), -1, 1)
            task.step(action[None])
            writer.append_data(task.render(0, "overview", *VIDEO_SIZE))
            frames += 1
    camera = task.robot.camera_name
    camera_png = out / f"{camera}_camera.png"
    iio.imwrite(camera_png, task.render(0, camera, *CAMERA_SIZE))
    task.close()
    return {"task": config.id, "seed": seed, "video": str(video), "frames": frames, "fps": fps,
            "camera_png": str(camera_png), "camera": camera}
