"""Training data for the built-in omnimodel, rendered from seeded tabletop scenes.

Each scene (a task reset with one seed) is rendered from the overview camera with the
camera pose and lights jittered; what is kept is the tabletop crop the CNN sees and, per
prop, its colour, shape and the pixel its centre projects to (labels from the simulator).
Train and test scenes use disjoint seed ranges. Commands are generated at training time
from `language` (train phrasings only); evaluation uses the held-out phrasings.
"""

from __future__ import annotations

import json
import time
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from embodied.scene import COLORS, SHAPES

TRAIN_SEED0, TEST_SEED0 = 100_000, 900_000
DEFAULT_TASK = "embodied/PandaTabletop-v0"
MAX_PROPS = 8


def _render_range(job: tuple[str, list[int], bool]) -> dict[str, np.ndarray]:
    from embodied.omni.camera import TaskCamera, project
    from embodied.omni.network import CROP, FRAME
    from embodied.tasks import BatchedTask, get_task

    task_id, seeds, jitter = job
    task = BatchedTask(get_task(task_id), 1, nthread=1)
    camera = TaskCamera(task, "overview", *FRAME)
    top, bottom, left, right = CROP
    images = np.zeros((len(seeds), bottom - top, right - left, 3), np.uint8)
    props = np.full((len(seeds), MAX_PROPS, 4), -1.0, np.float32)  # colour, shape, u, v (full frame)
    colors, shapes = list(COLORS), list(SHAPES)
    for row, seed in enumerate(seeds):
        task.rngs[0] = np.random.default_rng(seed)
        task.reset([0])
        camera.set_jitter(np.random.default_rng(seed + 7) if jitter else None)
        rgb, _, info = camera.render(depth=False)
        images[row] = rgb[top:bottom, left:right]
        for k, prop in enumerate(task.scene_description(0)[:MAX_PROPS]):
            uv, _ = project(info, prop["position"])
            props[row, k] = [colors.index(prop["color"]), shapes.index(prop["shape"]), uv[0, 0], uv[0, 1]]
    camera.close()
    task.close()
    return {"images": images, "props": props, "seeds": np.asarray(seeds)}


def generate(out: Path, train_scenes: int, test_scenes: int, task_id: str = DEFAULT_TASK, workers: int = 2,
             progress: Any = print) -> dict[str, Any]:
    """Render the train and test scenes into out/train.npz and out/test.npz."""
    out.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"task": task_id, "train_seed0": TRAIN_SEED0, "test_seed0": TEST_SEED0}
    for split, count, seed0 in (("train", train_scenes, TRAIN_SEED0), ("test", test_scenes, TEST_SEED0)):
        start = time.time()
        seeds = list(range(seed0, seed0 + count))
        chunks = [seeds[i::workers] for i in range(workers)] if workers > 1 else [seeds]
        jobs = [(task_id, chunk, True) for chunk in chunks if chunk]
        if len(jobs) > 1:
            with get_context("spawn").Pool(len(jobs)) as pool:
                parts = pool.map(_render_range, jobs)
        else:
            parts = [_render_range(job) for job in jobs]
        merged = {key: np.concatenate([p[key] for p in parts]) for key in ("images", "props", "seeds")}
        order = np.argsort(merged["seeds"])
        merged = {key: value[order] for key, value in merged.items()}
        np.savez_compressed(out / f"{split}.npz", **merged)
        summary[split] = {"scenes": count, "seconds": round(time.time() - start, 1)}
        progress(f"{split}: {count} scenes in {time.time() - start:.0f} s")
    (out / "data.json").write_text(json.dumps(summary, indent=2))
    return summary


def load(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as data:
        return {key: data[key] for key in data.files}
