"""UTOPIA-style dataset generator: relative physics questions with simulated ground truth.

`generate(per_subtask, seed)` writes, for each of the 39 UTOPIA-style sub-tasks and the two
extra ones, questions worded from the HELD-OUT phrasing pool (never used to train the
converter), objects called X and Y, relations drawn either way round. The answer of every item
comes from simulating its scene spec (not from the table's expected column); an item whose
simulated outcome differs between samples is dropped as ambiguous.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError
from embodied.mindseye.answer import pick_choice
from embodied.mindseye.phrasing import NAMES, POOLS, phrase
from embodied.mindseye.simulate import DEFAULT_SAMPLES, simulate_many
from embodied.mindseye.spec import SUBTASKS, spec_for_subtask


def generate(per_subtask: int = 100, seed: int = 0, samples: int = DEFAULT_SAMPLES, pool: str = "eval",
             names: bool = False, subtasks: list[str] | None = None,
             progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Items {"id", "scene", "subtask", "question", "choices", "answer"} (ambiguous ones dropped)."""
    if per_subtask < 1:
        raise EmbodiedError(f"--per-subtask must be at least 1, got {per_subtask}")
    if pool not in POOLS:
        raise EmbodiedError(f"unknown phrasing pool {pool!r}; valid: {', '.join(POOLS)}")
    chosen = subtasks or list(SUBTASKS)
    rng = np.random.default_rng([seed, 7919])
    drafts = []
    for sid in chosen:
        if sid not in SUBTASKS:
            raise EmbodiedError(f"unknown sub-task {sid!r}; valid: {', '.join(SUBTASKS)}")
        for k in range(per_subtask + max(2, per_subtask // 5)):  # spares for dropped items
            pair = NAMES[int(rng.integers(len(NAMES)))] if names else ("X", "Y")
            text, objects, greater = phrase(sid, rng, pool, names=pair)
            spec = spec_for_subtask(sid, greater=greater, objects=objects)
            if names and spec.pick != "compare":
                spec.choices = [objects["X"], objects["Y"], "the same"]
            drafts.append((sid, k, text, spec))
    results = simulate_many([d[3] for d in drafts], samples, seed, progress)
    items, counts = [], {sid: 0 for sid in chosen}
    for (sid, _k, text, spec), res in zip(drafts, results):
        if counts[sid] >= per_subtask or res.confidence < 1.0:
            continue
        counts[sid] += 1
        items.append({"id": f"{sid}-{counts[sid]:04d}", "scene": spec.scene, "subtask": sid, "question": text,
                      "choices": list(spec.choices), "answer": pick_choice(spec, res.outcome)})
    return items


def write_jsonl(items: list[dict[str, Any]], path: str | Path) -> None:
    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        for item in items:
            f.write(json.dumps(item) + "\n")
