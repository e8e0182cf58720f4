"""Running a command in a task: render the frames, ask an omnimodel for a plan, optionally run
the plan closed loop through the skills, record a video; what `embodied command` and
`embodied chat` do.

The props' simulator positions are used here only to report which scene prop a grounded
3-D point is nearest to (`target`) and to list the scene; the model never sees them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.omni.camera import TaskCamera
from embodied.omni.plan import Plan

FRAME_SIZE = (240, 320)
TARGET_RADIUS = 0.06  # a grounded point names the nearest prop within this distance

# schemas of the legged skills as the skills issue describes them; used to PLAN for legged
# robots until `embodied.skills.legged` registers the real ones (then those are used)
LEGGED_FALLBACK = [
    {"name": "walk", "description": "Walk in a direction at a speed.",
     "parameters": {"type": "object", "additionalProperties": False, "required": [], "properties": {
         "direction": {"anyOf": [{"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                                 {"type": "string", "enum": ["forward", "back", "left", "right"]}],
                       "default": "forward", "description": "body-frame direction"},
         "speed": {"type": "number", "minimum": 0.1, "maximum": 1.0, "default": 0.5, "description": "m/s"},
         "duration": {"type": "number", "minimum": 0.5, "maximum": 20.0, "default": 3.0,
                      "description": "seconds"}}}},
    {"name": "turn", "description": "Turn in place.",
     "parameters": {"type": "object", "additionalProperties": False, "required": ["direction"], "properties": {
         "direction": {"type": "string", "enum": ["left", "right"], "description": "which way"},
         "angle": {"type": "number", "minimum": 5.0, "maximum": 360.0, "default": 90.0,
                   "description": "angle in degrees"}}}},
    {"name": "stand", "description": "Stand still.", "parameters": {"type": "object", "properties": {}}},
    {"name": "get_up", "description": "Get up after a fall.", "parameters": {"type": "object", "properties": {}}},
    {"name": "kick_ball", "description": "Walk to the ball and kick it toward the goal.",
     "parameters": {"type": "object", "properties": {}}},
]


def load_omnimodel(spec: str = "builtin", model_dir: str | Path | None = None) -> Any:
    """"builtin" (the model in policies/omni/) or "openai:MODEL"."""
    if spec == "builtin":
        from embodied.omni.builtin import BuiltinOmnimodel

        return BuiltinOmnimodel(model_dir)
    if spec.startswith("openai:"):
        from embodied.omni.openai_backend import OpenAIOmnimodel

        return OpenAIOmnimodel(spec.split(":", 1)[1])
    raise EmbodiedError(f"unknown omnimodel {spec!r}; valid choices: builtin, openai:MODEL")


def robot_skills(task: Any) -> tuple[list[Any], dict[str, Any]]:
    """(schemas offered to the model, runnable skills by name) for the task's robot."""
    from embodied.skills import skills_for

    runnable = {s.name: s for s in skills_for(task.robot.kind)}
    schemas: list[Any] = [s.describe() for s in runnable.values()]
    if task.robot.is_legged:
        schemas += [s for s in LEGGED_FALLBACK if s["name"] not in runnable]
    return schemas, runnable


class Session:
    """One env of a task with an omnimodel: observe, plan, execute."""

    def __init__(self, task_id: str, seed: int | None = 0, omni: str = "builtin", model_dir: str | None = None,
                 model: Any = None) -> None:
        import gymnasium as gym

        import embodied.envs  # noqa: F401  (registers the envs)

        try:
            self.env = gym.make(task_id, cameras=[], render_mode="rgb_array")
        except gym.error.Error as error:
            raise EmbodiedError(f"cannot make task {task_id!r}: {error}") from None
        self.env.reset(seed=seed)
        self.task = self.env.unwrapped.task
        self.camera = TaskCamera(self.task, "overview", *FRAME_SIZE)
        self.model = model if model is not None else load_omnimodel(omni, model_dir)
        self.schemas, self.runnable = robot_skills(self.task)
        self.frames: list[np.ndarray] = []
        self.latest: np.ndarray | None = None

    def observe(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, Any]]:
        rgb, depth, info = self.camera.render(depth=True)
        self.latest = rgb
        return {"overview": rgb}, {"overview": depth}, {"overview": info}

    def scene(self) -> list[dict[str, Any]]:
        return self.task.scene_description(0)

    def plan(self, command: str) -> tuple[Plan, float]:
        frames, depth, info = self.observe()
        start = time.perf_counter()
        plan = self.model.plan(frames, depth, command, self.task.robot.alias, self.schemas, info)
        seconds = time.perf_counter() - start
        name_targets(plan, self.scene())
        return plan, seconds

    def execute(self, plan: Plan, record: bool = False) -> tuple[bool | None, list[dict[str, Any]]]:
        """Run the calls in order, stopping at the first failure; (success, per-call results)."""
        if plan.refused is not None or not plan.calls:
            return None, []
        on_step = self._record if record else None
        if record and not self.frames:
            self.frames.append(self.task.render(0, "overview", *FRAME_SIZE))
        results = []
        for call in plan.calls:
            skill = self.runnable.get(call.skill)
            if skill is None:
                results.append({"skill": call.skill, "success": False,
                                "reason": f"skill {call.skill!r} is not implemented for {self.task.robot.alias} yet"})
                return False, results
            try:
                result = skill.run(self.env, on_step=on_step, **call.args)
            except EmbodiedError as error:
                results.append({"skill": call.skill, "success": False, "reason": str(error)})
                return False, results
            results.append({"skill": call.skill, **result.to_json()})
            if not result.success:
                return False, results
        self.latest = self.task.render(0, "overview", *FRAME_SIZE)
        return True, results

    def _record(self, env: Any) -> None:
        self.frames.append(self.task.render(0, "overview", *FRAME_SIZE))

    def write_video(self, path: str | Path) -> None:
        import imageio.v2 as imageio

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        frames = self.frames or [self.task.render(0, "overview", *FRAME_SIZE)]
        fps = int(round(1.0 / self.task.dt))
        imageio.mimsave(path, frames, fps=fps) if path.suffix == ".gif" else \
            imageio.mimsave(path, frames, fps=fps, macro_block_size=8)

    def close(self) -> None:
        self.camera.close()
        self.env.close()


def name_targets(plan: Plan, scene: list[dict[str, Any]]) -> None:
    """Set each call's `target` to the scene prop nearest its grounded point (for reporting)."""
    names = {p["name"] for p in scene}
    for call in plan.calls:
        if call.point is not None and scene:
            distances = [np.linalg.norm(np.asarray(p["position"]) - call.point) for p in scene]
            best = int(np.argmin(distances))
            call.target = scene[best]["name"] if distances[best] < TARGET_RADIUS else None
        elif isinstance(call.args.get("target"), str) and call.args["target"] in names:
            call.target = call.args["target"]


def run_command(command: str, task_id: str, seed: int | None = 0, omni: str = "builtin", execute: bool = False,
                video: str | None = None, model_dir: str | None = None, model: Any = None) -> dict[str, Any]:
    """What `embodied command --json` prints."""
    session = Session(task_id, seed, omni, model_dir, model)
    try:
        scene = session.scene()
        plan, seconds = session.plan(command)
        success, results = (None, [])
        if execute:
            success, results = session.execute(plan, record=bool(video))
        if video:
            session.write_video(video)
        out = {**plan.to_json(), "executed": bool(execute and plan.refused is None and plan.calls),
               "success": success, "scene": scene, "decision_ms": round(seconds * 1000, 1)}
        if results:
            out["results"] = results
        return out
    finally:
        session.close()
