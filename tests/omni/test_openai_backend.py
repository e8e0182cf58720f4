"""The OpenAI-compatible backend against a small local chat-completions server."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest

from embodied.errors import EmbodiedError
from embodied.omni.openai_backend import OpenAIOmnimodel
from embodied.skills import skills_for


class FakeServer:
    """Answers POST /v1/chat/completions with the queued reply; keeps the requests it got."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
                status, reply = fake.replies.pop(0)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _tool_reply(*calls: tuple[str, object]) -> dict:
    return {"choices": [{"message": {"role": "assistant", "content": None, "tool_calls": [
        {"id": f"call_{i}", "type": "function",
         "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
        for i, (name, args) in enumerate(calls)]}}]}


@pytest.fixture()
def server():
    fake = FakeServer()
    yield fake
    fake.close()


@pytest.fixture(scope="module")
def schemas():
    return [s.describe() for s in skills_for("arm")]


FRAME = {"overview": np.full((24, 32, 3), 200, np.uint8)}
INFO = {"overview": {"intrinsics": np.eye(3).tolist(), "position": [1, 0, 1], "rotation": np.eye(3).tolist()}}


def test_tool_calls_become_a_validated_plan(server, schemas, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    server.replies.append((200, _tool_reply(("pick", {"target": "red_cube"}), ("place", {"target": "blue_cube"}))))
    plan = OpenAIOmnimodel("tiny-vlm").plan(FRAME, None, "put the red cube on the blue cube", "panda", schemas, INFO)
    assert plan.refused is None
    assert [(c.skill, c.args, c.target) for c in plan.calls] == [
        ("pick", {"target": "red_cube"}, "red_cube"), ("place", {"target": "blue_cube"}, "blue_cube")]
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "tiny-vlm"
    assert {t["function"]["name"] for t in body["tools"]} == {s["name"] for s in schemas}
    assert body["tools"][0]["type"] == "function" and "properties" in body["tools"][0]["function"]["parameters"]
    images = [c for c in body["messages"][1]["content"] if c["type"] == "image_url"]
    url = images[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "put the red cube" in json.dumps(body["messages"])


def test_invalid_tool_calls_and_refusals(server, schemas, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", server.url)
    model = OpenAIOmnimodel("tiny-vlm")
    server.replies.append((200, _tool_reply(("pick", {"target": "red_cube", "lift": 9.0}))))
    plan = model.plan(FRAME, None, "lift the red cube very high", "panda", schemas)
    assert plan.refused and "maximum" in plan.refused and not plan.calls
    server.replies.append((200, _tool_reply(("sing", {}))))
    assert "unknown skill" in model.plan(FRAME, None, "sing", "panda", schemas).refused
    server.replies.append((200, _tool_reply(("pick", "{not json"))))
    assert "not JSON" in model.plan(FRAME, None, "pick", "panda", schemas).refused
    server.replies.append((200, {"choices": [{"message": {"content": "REFUSE: I see no purple elephant"}}]}))
    assert model.plan(FRAME, None, "grab the purple elephant", "panda", schemas).refused == "I see no purple elephant"
    server.replies.append((500, {"error": "overloaded"}))
    with pytest.raises(EmbodiedError, match="HTTP 500"):
        model.plan(FRAME, None, "pick up the red cube", "panda", schemas)
    assert model.plan(FRAME, None, "  ", "panda", schemas).refused == "the command is empty"
    assert len(server.requests) == 5  # the empty command never reached the server


def test_unreachable_endpoint_is_a_user_error(monkeypatch, schemas):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    with pytest.raises(EmbodiedError, match="cannot reach"):
        OpenAIOmnimodel("m", timeout=5).plan(FRAME, None, "pick up the red cube", "panda", schemas)
