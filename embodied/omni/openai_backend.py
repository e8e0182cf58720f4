"""An omnimodel backed by any OpenAI-compatible chat-completions endpoint with image input.

`--omni openai:MODEL`: the frames go as base64 PNG data URLs, the skills as function tools
with their JSON schemas, and the returned tool calls are validated like the built-in
model's. Base URL from OPENAI_BASE_URL (default https://api.openai.com/v1), key from
OPENAI_API_KEY. Only the standard library's urllib is used.
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import numpy as np

from embodied.chat_api import endpoint_from_env, post_chat
from embodied.errors import EmbodiedError
from embodied.omni.plan import Plan, PlanValidationError, SkillCall, schemas_by_name, validate_call

SYSTEM = (
    "You plan actions for a {robot} robot in a simulation. Answer the user's command by calling the "
    "skills offered as tools, in the order to run them. Props on the table are named <color>_<shape> "
    "(for example red_cube); points are [x, y, z] in metres in the world frame (z up). Use only props you "
    "can see in the images. If the command cannot be done (an action no skill does, a prop you do not see, "
    "a contradictory, empty or non-English command), call no tool and answer with one line: "
    "REFUSE: <reason>.{camera}"
)


def png_data_url(rgb: np.ndarray) -> str:
    import imageio.v3 as iio

    buffer = io.BytesIO()
    iio.imwrite(buffer, np.asarray(rgb, dtype=np.uint8)[..., :3], extension=".png")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


class OpenAIOmnimodel:
    def __init__(self, model: str, base_url: str | None = None, api_key: str | None = None,
                 timeout: float = 120.0) -> None:
        if not model:
            raise EmbodiedError("--omni openai:MODEL needs a model name, e.g. openai:gpt-4o")
        self.model = model
        self.base_url, self.api_key = endpoint_from_env(base_url, api_key)
        self.timeout = timeout
        self.name = f"openai:{model}"

    def request(self, frames: dict[str, np.ndarray], command: str, robot: str, skills: list[Any],
                camera_info: dict[str, Any] | None) -> dict[str, Any]:
        table = schemas_by_name(skills)
        camera = ""
        if camera_info:
            camera = " Camera intrinsics and poses (rotation columns are the camera axes; it looks along -z): " + \
                json.dumps(_jsonable(camera_info))
        content: list[dict[str, Any]] = [{"type": "text", "text": command}]
        for name, rgb in (frames or {}).items():
            content.append({"type": "text", "text": f"camera {name}:"})
            content.append({"type": "image_url", "image_url": {"url": png_data_url(rgb)}})
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": SYSTEM.format(robot=robot, camera=camera)},
                         {"role": "user", "content": content}],
            "tools": [{"type": "function", "function": s} for s in table.values()],
            "tool_choice": "auto",
        }

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        return post_chat(self.base_url, self.api_key, body, self.timeout)

    def plan(self, frames: dict[str, np.ndarray], depth: dict[str, np.ndarray] | None, command: str, robot: str,
             skills: list[Any], camera_info: dict[str, Any] | None = None) -> Plan:
        table = schemas_by_name(skills)
        if not command.strip():
            return Plan.refuse("the command is empty")
        reply = self.post(self.request(frames, command, robot, skills, camera_info))
        try:
            message = reply["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            raise EmbodiedError(f"the endpoint's answer has no choices[0].message: {str(reply)[:200]}") from None
        tool_calls = message.get("tool_calls") or []
        if not tool_calls:
            text = (message.get("content") or "").strip()
            reason = text.split("REFUSE:", 1)[1].strip() if "REFUSE:" in text else (text or "the model called no skill")
            return Plan.refuse(reason)
        calls = []
        for tool_call in tool_calls:
            function = tool_call.get("function", {})
            name = function.get("name", "")
            try:
                args = json.loads(function.get("arguments") or "{}")
                args = validate_call(name, args, table)
            except json.JSONDecodeError:
                return Plan.refuse(f"the model's call of {name!r} has arguments that are not JSON")
            except PlanValidationError as error:
                return Plan.refuse(f"the model proposed an invalid call: {error}")
            target = args.get("target") if isinstance(args.get("target"), str) else None
            calls.append(SkillCall(name, args, target, 1.0))
        return Plan(calls, None, {"backend": self.name})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "to_json"):
        return value.to_json()
    if hasattr(value, "tolist"):
        return value.tolist()
    return value
