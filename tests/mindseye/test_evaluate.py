"""JSONL reading (errors name the line), scoring, the generator's simulated ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from embodied.errors import EmbodiedError
from embodied.mindseye.answer import Answer
from embodied.mindseye.evaluate import evaluate, read_jsonl, table
from embodied.mindseye.spec import SUBTASKS
from embodied.mindseye.utopia import generate, write_jsonl

GOOD = {"question": "X is heavier than Y. Which lands first?", "choices": ["X", "Y", "the same"], "answer": "the same"}


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    "bad, message",
    [
        ("{not json", "not valid JSON"),
        ('["a list"]', "JSON object"),
        ('{"question": "q", "choices": ["X", "Y"]}', "missing field 'answer'"),
        ('{"question": "q", "choices": ["X"], "answer": "X"}', "at least two"),
        ('{"question": "q", "choices": ["X", "Y"], "answer": "Z"}', "not one of the choices"),
        ('{"question": "q", "choices": ["X", "Y"], "answer": "X", "scene": "optics"}', "unknown scene"),
        ('{"question": "q", "choices": ["X", "Y"], "answer": "X", "scene": "unsupported"}', "unknown scene"),
    ],
)
def test_malformed_line_names_its_number(tmp_path: Path, bad: str, message: str) -> None:
    path = _write(tmp_path, [json.dumps(GOOD), "", bad])
    with pytest.raises(EmbodiedError) as info:
        read_jsonl(path)
    assert f"{path}:3" in str(info.value) and message in str(info.value)


def test_unsupported_item_may_name_the_scene_unsupported(tmp_path: Path) -> None:
    item = {"question": "Which country is larger?", "choices": ["Canada", "Brazil"], "answer": "unsupported",
            "scene": "unsupported", "subtask": "unsupported"}
    assert read_jsonl(_write(tmp_path, [json.dumps(item)]))[0]["scene"] == "unsupported"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EmbodiedError, match="no such question file"):
        read_jsonl(tmp_path / "nope.jsonl")


class _Scripted:
    name = "scripted"

    def __init__(self, answers: list[str]) -> None:
        self.answers = answers

    def answer_many(self, questions, choices, progress=None):  # type: ignore[no-untyped-def]
        out = []
        for a in self.answers:
            error = "off the choices" if a == "" else ""
            out.append(Answer(a, 1.0, "", None, 0, extra={"error": error} if error else {}))
        return out


def test_scores_per_scene_and_subtask() -> None:
    items = [dict(GOOD, scene="free_fall", subtask="ff_mass_time"),
             dict(GOOD, scene="free_fall", subtask="ff_mass_time"),
             {"question": "Which river is longer?", "choices": ["Nile", "Amazon", "the same"], "answer": "unsupported"}]
    result = evaluate(items, _Scripted(["the same", "", "unsupported"]), progress=False)
    assert result["n"] == 3 and result["correct"] == 2 and result["failures"] == 1
    assert result["per_subtask"]["ff_mass_time"] == {"accuracy": 0.5, "n": 2}
    assert result["per_scene"]["unsupported"]["accuracy"] == 1.0
    assert result["questions_per_s"] > 0
    assert "ff_mass_time" in table(result)


def test_generated_items_have_simulated_answers(tmp_path: Path) -> None:
    items = generate(per_subtask=2, seed=5, samples=8)
    assert {it["subtask"] for it in items} == set(SUBTASKS)
    for it in items:
        row = SUBTASKS[it["subtask"]]
        assert it["answer"] in it["choices"]
        if row.expected == "the same":
            assert it["answer"] == "the same"
    path = tmp_path / "u.jsonl"
    write_jsonl(items, path)
    assert read_jsonl(path) == items
