"""Questions about the robot's own scene, answered by imagining them in its world model.

`embodied qa --task embodied/PandaPushRegion-v0 --seed 3 "if I push the red cube to the
left, will it fall off the table?"` finds the prop in the camera image (pixels and depth,
as the agent does), imagines the push in a batch of simulations of this very scene under
the agent's belief about the hidden parameters (the prior, or a belief an agent run
printed), and answers with how often the asked event happened, as Mind's Eye does for
textbook scenes.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from embodied.errors import EmbodiedError

_PUSH = re.compile(r"\b(?:push|shove|hit|strike|flick|nudge|slide|knock)\s+(the\s+\w+(?:\s+\w+)?)\b")
DIRECTION_VECTORS = {"left": (0.0, 1.0), "right": (0.0, -1.0), "forward": (1.0, 0.0), "away": (1.0, 0.0),
                     "back": (-1.0, 0.0), "backward": (-1.0, 0.0), "toward me": (-1.0, 0.0)}
STRENGTH = {"gently": (0.1, 0.3), "softly": (0.1, 0.3), "lightly": (0.1, 0.3), "hard": (0.6, 0.9),
            "firmly": (0.5, 0.9)}
DEFAULT_STRENGTH = (0.2, 0.9)  # hand speeds (m/s) when the question does not say how hard
SAMPLES = 48
SUPPORTED = ("'if I push the <prop> to the left/right/forward/back[, gently|hard], will it fall off the table?' "
             "or '... will it end up on the <colour> square?'")


def _parse(question: str) -> dict[str, Any] | str:
    text = question.lower().strip()
    match = _PUSH.search(text)
    if not match:
        return f"I can answer questions about pushing a prop in this scene, like {SUPPORTED}"
    prop = re.sub(r"\s+(to|toward|towards|in|at|off|onto|on)$", "", match.group(1))
    direction = next((name for name in DIRECTION_VECTORS if re.search(rf"\b{name}\b", text)), None)
    if direction is None:
        return f"which way should the push go? say left, right, forward or back ({SUPPORTED})"
    strength = next((STRENGTH[word] for word in STRENGTH if re.search(rf"\b{word}\b", text)), DEFAULT_STRENGTH)
    if re.search(r"\bfall (off|from)\b|\boff the table\b|\bdrop\b", text):
        event = {"kind": "falls_off"}
    else:
        region = re.search(r"\b(?:on|onto|in|into|reach)\s+(the\s+\w+\s+(?:square|marker|region|area|zone))", text)
        if not region:
            return f"what should I check after the push? ask {SUPPORTED}"
        event = {"kind": "lands_on", "region": region.group(1)}
    return {"prop": prop, "direction": direction, "speeds": strength, "event": event}


def answer_scene_question(question: str, task_id: str, seed: int, belief: dict[str, Any] | None = None,
                          samples: int = SAMPLES) -> dict[str, Any]:
    """{"answer": "yes"|"no"|"unsupported", "confidence", "rationale", "spec", "simulations"}."""
    from embodied.agent.arm import REGION_HALF, PushToRegion, marker_centre
    from embodied.agent.belief import Belief
    from embodied.agent.cli import make_env
    from embodied.agent.core import Plan, draw_hidden

    spec = _parse(question)
    if isinstance(spec, str):
        return {"answer": "unsupported", "confidence": 0.0, "rationale": spec, "spec": None, "simulations": 0}
    env = make_env(task_id)
    try:
        env.reset(seed=seed)
        task = env.unwrapped.task
        if task.robot.kind != "arm" or not task.scene.config.table:
            raise EmbodiedError(f"scene questions need an arm at a table; {task_id} has a {task.robot.kind} robot")
        region = spec["event"].get("region", "the green square")
        imagination = PushToRegion(spec["prop"], region)
        problem = imagination.setup(env)
        if problem:
            raise EmbodiedError(problem)
        imagination.apply_params(task, draw_hidden(imagination, seed)[None])  # reality as the agent meets it
        estimate = imagination.perceive(env)
        if estimate["prop"] is None:
            return {"answer": "unsupported", "confidence": 0.0, "rationale": estimate["why"], "spec": spec,
                    "simulations": 0}
        believed = Belief(imagination.priors)
        if belief:
            believed = _belief_from_summary(imagination.priors, belief)
        rng = np.random.default_rng(seed)
        direction = np.asarray(DIRECTION_VECTORS[spec["direction"]], float)
        if imagination._start_pose(estimate, direction) is None:
            return {"answer": "unsupported", "confidence": 0.0, "spec": spec, "simulations": 0,
                    "rationale": f"the arm cannot get behind {spec['prop']} to push it {spec['direction']}"}
        speeds = rng.uniform(*spec["speeds"], 4)
        plans = [Plan([{"skill": "push", "args": {"target": estimate["prop"].tolist(), "direction": direction.tolist(),
                                                  "speed": float(v)}}], f"push at {v:.2f} m/s") for v in speeds]
        per_plan = max(1, samples // len(plans))
        outcomes = imagination.imagine(estimate, plans, believed.sample(per_plan, rng), rng).reshape(-1, 3)
        outcomes = outcomes[np.all(np.isfinite(outcomes), axis=1)]
        if len(outcomes) == 0:
            raise EmbodiedError("the world model diverged in every simulation")
        final = estimate["prop"] + outcomes
        slid = np.linalg.norm(outcomes[:, :2], axis=1)
        table_top = imagination.table_top
        if spec["event"]["kind"] == "falls_off":
            happened = final[:, 2] < table_top - 0.05
            what = "fell off the table"
        else:
            rgb, depth, info = imagination.camera.render(depth=True)
            centre = marker_centre(rgb, depth, info, imagination.region_color or "", table_top)
            if centre is None:
                return {"answer": "unsupported", "confidence": 0.0, "spec": spec, "simulations": 0,
                        "rationale": f"I see no {region}"}
            happened = np.abs(final[:, :2] - centre[:2]).max(axis=1) <= REGION_HALF
            what = f"ended on {region}"
        fraction = float(happened.mean())
        answer = "yes" if fraction > 0.5 else "no"
        low, high = (believed.summary()["friction"][key] for key in ("low", "high"))
        rationale = (f"Simulated {len(outcomes)} pushes of {spec['prop']} {spec['direction']} in this scene "
                     f"(hand {spec['speeds'][0]:.1f}-{spec['speeds'][1]:.1f} m/s, table friction believed "
                     f"{low:.2f}-{high:.2f}): it {what} in {int(happened.sum())} of {len(outcomes)}; it slid "
                     f"{np.percentile(slid, 10):.2f}-{np.percentile(slid, 90):.2f} m (median {np.median(slid):.2f} m).")
        return {"answer": answer, "confidence": round(max(fraction, 1.0 - fraction), 3), "rationale": rationale,
                "spec": spec, "simulations": int(len(outcomes))}
    finally:
        env.close()


def _belief_from_summary(priors: Any, summary: dict[str, Any]) -> Any:
    """A belief from an agent log's `final_belief` (value and 90 % interval per parameter)."""
    from embodied.agent.belief import Belief

    belief = Belief(priors)
    for i, prior in enumerate(priors):
        entry = summary.get(prior.name)
        if entry is None:
            continue
        try:
            low, value, high = (float(prior.to_unit(entry[key])) for key in ("low", "value", "high"))
        except (KeyError, TypeError, ValueError):
            raise EmbodiedError(f"belief entry {prior.name!r} needs value, low and high; got {entry!r}") from None
        belief.mean[i], belief.std[i] = value, max((high - low) / 3.29, belief.min_std[i])
    return belief
