"""Evaluation of an answerer on a JSONL set of questions: accuracy overall, per scene, per sub-task.

`read_jsonl(path)` validates every line (a malformed one is an EmbodiedError naming its line
number); `evaluate(items, answerer)` answers them all (the built-in answerer batches the
simulations of all questions), and returns {"accuracy", "n", "correct", "failures",
"per_scene", "per_subtask", "questions_per_s", "seconds", "answerer"}; `table(result)` is the
human-readable summary, one row per scene and sub-task as in the Mind's Eye paper.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from embodied.errors import EmbodiedError
from embodied.mindseye.converter import UNSUPPORTED
from embodied.mindseye.spec import SCENES, SUBTASKS


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    if not path.exists():
        raise EmbodiedError(f"no such question file: {path}")
    items = []
    with open(path) as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                raise EmbodiedError(f"{where}: not valid JSON ({error.msg} at column {error.colno})") from error
            items.append(validate_item(item, where))
    if not items:
        raise EmbodiedError(f"{path} holds no questions")
    return items


def validate_item(item: Any, where: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise EmbodiedError(f"{where}: each line must be a JSON object, got {type(item).__name__}")
    for key in ("question", "choices", "answer"):
        if key not in item:
            raise EmbodiedError(f"{where}: missing field {key!r} (need question, choices, answer)")
    if not isinstance(item["question"], str) or not item["question"].strip():
        raise EmbodiedError(f"{where}: 'question' must be a non-empty string")
    choices = item["choices"]
    if not isinstance(choices, list) or len(choices) < 2 or not all(isinstance(c, str) for c in choices):
        raise EmbodiedError(f"{where}: 'choices' must be a list of at least two strings")
    if item["answer"] not in [*choices, UNSUPPORTED]:
        raise EmbodiedError(f"{where}: answer {item['answer']!r} is not one of the choices {choices} or 'unsupported'")
    # An unsupported question may be labelled with the scene "unsupported"; anything else must be a real scene.
    valid_scenes = (*SCENES, UNSUPPORTED) if item["answer"] == UNSUPPORTED else SCENES
    if "scene" in item and item["scene"] not in (*valid_scenes, None):
        raise EmbodiedError(f"{where}: unknown scene {item['scene']!r}; valid: {', '.join(valid_scenes)}")
    return item


def evaluate(items: list[dict[str, Any]], answerer: Any, progress: bool = True) -> dict[str, Any]:
    """Answer every item and score it (a reply off the choices counts as a wrong answer)."""
    from tqdm import tqdm

    bar = tqdm(total=len(items), desc="questions", unit="q", file=sys.stderr, disable=not progress,
               mininterval=1.0)
    start = time.perf_counter()
    answers = answerer.answer_many([it["question"] for it in items], [it["choices"] for it in items],
                                   progress=bar.update)
    seconds = time.perf_counter() - start
    bar.n = len(items)
    bar.close()
    correct = 0
    failures = 0
    per_scene: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_subtask: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for item, ans in zip(items, answers):
        ok = ans.answer == item["answer"]
        failures += int(bool(ans.extra.get("error")))
        correct += ok
        scene = item.get("scene") or ("unsupported" if item["answer"] == UNSUPPORTED else "unknown")
        sub = item.get("subtask") or scene
        for table, key in ((per_scene, scene), (per_subtask, sub)):
            table[key][0] += ok
            table[key][1] += 1
        if not ok and len(wrong) < 50:
            wrong.append({"id": item.get("id"), "question": item["question"], "expected": item["answer"],
                          "got": ans.answer, "label": ans.label, "error": ans.extra.get("error", "")})
    n = len(items)

    def acc(d: dict[str, list[int]]) -> dict[str, dict[str, float]]:
        return {k: {"accuracy": round(c / t, 4), "n": t} for k, (c, t) in sorted(d.items())}

    return {"accuracy": round(correct / n, 4), "n": n, "correct": correct, "failures": failures,
            "per_scene": acc(per_scene), "per_subtask": acc(per_subtask),
            "questions_per_s": round(n / seconds, 2), "seconds": round(seconds, 2),
            "answerer": getattr(answerer, "name", type(answerer).__name__), "wrong": wrong}


def table(result: dict[str, Any]) -> str:
    lines = [f"answerer: {result['answerer']}",
             f"accuracy: {result['accuracy']:.2%} ({result['correct']}/{result['n']}), "
             f"{result['questions_per_s']:.1f} questions/s, failures (replies off the choices): {result['failures']}",
             "", f"{'scene':<14}{'accuracy':>10}{'n':>7}"]
    for scene, row in result["per_scene"].items():
        lines.append(f"{scene:<14}{row['accuracy']:>10.1%}{row['n']:>7}")
    lines += ["", f"{'sub-task':<30}{'accuracy':>10}{'n':>7}"]
    for sub, row in result["per_subtask"].items():
        mark = " *" if sub in SUBTASKS and SUBTASKS[sub].extra else ""
        lines.append(f"{sub + mark:<30}{row['accuracy']:>10.1%}{row['n']:>7}")
    return "\n".join(lines)
