"""Answer mapping (built-in) and the language-model answerer against a local fake endpoint."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from embodied.errors import EmbodiedError
from embodied.mindseye.answer import (
    BuiltinAnswerer,
    LMAnswerer,
    LMReplyError,
    choice_map,
    parse_lm_spec,
    parse_reply,
    pick_choice,
)
from embodied.mindseye.converter import Conversion
from embodied.mindseye.spec import spec_for_subtask


def test_outcomes_map_onto_named_choices() -> None:
    spec = spec_for_subtask("ff_height_time", objects={"X": "the red ball", "Y": "the blue ball"},
                            choices=["The Blue Ball", "the red ball", "they land together"])
    assert pick_choice(spec, "X") == "the red ball"
    assert pick_choice(spec, "Y") == "The Blue Ball"
    assert pick_choice(spec, "same") == "they land together"


def test_letter_names_map_onto_their_own_letters_whatever_the_choice_order() -> None:
    # the object called "Q" under label X is the choice "Q"; the choice spelling the label does not count first
    spec = spec_for_subtask("fr_coef_time", objects={"X": "Y", "Y": "X"}, choices=["X", "Y", "together"])
    assert pick_choice(spec, "X") == "Y" and pick_choice(spec, "Y") == "X"
    spec = spec_for_subtask("fr_coef_time", objects={"X": "X", "Y": "Y"}, choices=["Y", "X", "together"])
    assert pick_choice(spec, "X") == "X" and pick_choice(spec, "Y") == "Y"


def test_comparison_choices() -> None:
    spec = spec_for_subtask("co_momentum_total")
    assert spec.choices == ["greater", "smaller", "the same"]
    assert pick_choice(spec, "same") == "the same"
    assert pick_choice(spec, "greater") == "greater"


def test_choices_that_do_not_fit_the_quantity() -> None:
    with pytest.raises(EmbodiedError, match="do not fit"):
        choice_map(spec_for_subtask("ff_mass_time", choices=["greater", "smaller", "the same"]))
    with pytest.raises(EmbodiedError, match="comparison words"):
        choice_map(spec_for_subtask("co_momentum_total", choices=["X", "Y", "the same"]))


def test_same_outcome_without_a_same_choice_is_an_error() -> None:
    spec = spec_for_subtask("ff_mass_time", choices=["X", "Y"])
    with pytest.raises(EmbodiedError, match="the same"):
        pick_choice(spec, "same")


def test_builtin_answers_from_simulation() -> None:
    answerer = BuiltinAnswerer(samples=8)
    spec = spec_for_subtask("co_elastic_heavy_into_light", objects={"X": "the truck", "Y": "the car"},
                            choices=["the truck", "the car", "the same"])
    [ans] = answerer.answer_conversions([Conversion(spec, spec.subtask, 0.99)])
    assert ans.answer == "the car"
    assert ans.confidence == 1.0
    assert "Simulated 8 times" in ans.rationale and "m/s" in ans.rationale
    assert ans.simulations == 8


def test_unstated_relation_that_matters_is_unsupported() -> None:
    spec = spec_for_subtask("ff_height_time")
    [ans] = BuiltinAnswerer(samples=4).answer_conversions([Conversion(spec, spec.subtask, 0.9, relation_found=False)])
    assert ans.answer == "unsupported"
    [ans] = BuiltinAnswerer(samples=4).answer_conversions(
        [Conversion(spec_for_subtask("ff_mass_time"), "ff_mass_time", 0.9, relation_found=False)])
    assert ans.answer == "the same"  # does not depend on which is heavier


def test_parse_reply() -> None:
    choices = ["the red ball", "the blue ball", "the same"]
    assert parse_reply("The red ball.", choices) == "the red ball"
    assert parse_reply("Reasoning...\nAnswer: the same", choices) == "the same"
    assert parse_reply("unsupported", choices) == "unsupported"
    with pytest.raises(LMReplyError):
        parse_reply("I think it is the green ball", choices)
    with pytest.raises(EmbodiedError, match="provider"):
        parse_lm_spec("anthropic:claude")


# ----- fake chat-completions endpoint -------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    replies: list[str] = []
    requests: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        reply = type(self).replies.pop(0) if type(self).replies else "X"
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    _Handler.replies, _Handler.requests = [], []
    httpd = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


class _FixedBuiltin(BuiltinAnswerer):
    """The built-in answerer with a known conversion (no trained model needed)."""

    def answer_many(self, questions, choices, progress=None, conversions=None):  # type: ignore[override]
        spec = spec_for_subtask("ff_height_time", greater="X", choices=list(choices[0]))
        return self.answer_conversions([Conversion(spec, spec.subtask, 0.99)] * len(questions))


QUESTION = "X is dropped from higher up than Y. Which lands first?"


def test_vanilla_mode(server: str) -> None:
    _Handler.replies = ["Y"]
    lm = LMAnswerer("fake-model", "vanilla", base_url=server, api_key="k", builtin=_FixedBuiltin(samples=4))
    ans = lm.answer(QUESTION, ["X", "Y", "the same"])
    assert ans.answer == "Y"
    req = _Handler.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer k"
    assert req["body"]["model"] == "fake-model"
    assert "Hint" not in req["body"]["messages"][-1]["content"]


def test_grounded_mode_injects_the_simulation_hint(server: str) -> None:
    _Handler.replies = ["Answer: Y"]
    lm = LMAnswerer("fake-model", "grounded", base_url=server, builtin=_FixedBuiltin(samples=4))
    ans = lm.answer(QUESTION, ["X", "Y", "the same"])
    assert ans.answer == "Y"
    prompt = _Handler.requests[0]["body"]["messages"][-1]["content"]
    assert "Hint (from a physics simulation): Simulated 4 times" in prompt
    assert prompt.index("Hint") < prompt.index("Answer:")


def test_few_shot_adds_examples(server: str) -> None:
    _Handler.replies = ["X"]
    lm = LMAnswerer("m", "vanilla", shots=2, base_url=server, builtin=_FixedBuiltin(samples=4))
    lm.answer(QUESTION, ["X", "Y", "the same"])
    roles = [m["role"] for m in _Handler.requests[0]["body"]["messages"]]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user"]


def test_off_choice_reply_is_a_counted_failure(server: str) -> None:
    _Handler.replies = ["Probably the heavier one, Z."]
    lm = LMAnswerer("m", "vanilla", base_url=server, builtin=_FixedBuiltin(samples=4))
    [ans] = lm.answer_many([QUESTION], [["X", "Y", "the same"]])
    assert ans.answer == "" and "names none of the choices" in ans.extra["error"]


def test_endpoint_down_is_a_clear_error() -> None:
    lm = LMAnswerer("m", "vanilla", base_url="http://127.0.0.1:9/v1", builtin=_FixedBuiltin(samples=4), timeout=2)
    with pytest.raises(EmbodiedError, match="cannot reach the language model endpoint"):
        lm.answer(QUESTION, ["X", "Y", "the same"])
