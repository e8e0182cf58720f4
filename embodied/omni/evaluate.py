"""Evaluation of an omnimodel on held-out phrasings and unseen scenes (`embodied omni eval`).

Scenes come from seeds no training scene used (EVAL_SEED0...); commands from the held-out
phrasings of `language`. The model gets only the rendered frame, depth and camera; the
scene's true props are used to build the cases and to score them. Measured:
skill accuracy, target accuracy (the grounded 3-D point's nearest prop), refusals
(unsupported, foreign, absent props, props moved out of view, contradictions, empty and
too-long commands), false refusals, decision latency, and, optionally, executed pick and
reach commands run closed loop through the skills.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from embodied.omni import language as L
from embodied.omni.run import FRAME_SIZE, Session, name_targets, robot_skills
from embodied.scene import COLORS, SHAPES

EVAL_SEED0 = 950_000
PAIRS = [(c, s) for c in COLORS for s in SHAPES]


def _cases(rng: np.random.Generator, scene: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Commands for one scene with what a correct answer is."""
    cases: list[dict[str, Any]] = []
    props = [(p["color"], p["shape"], p["name"]) for p in scene]
    present = {(c, s) for c, s, _ in props}
    for k in rng.permutation(len(props))[:2]:
        color, shape, name = props[k]
        skill = L.PROP_SKILLS[int(rng.integers(3))]
        text = L.fill(L._pick(rng, L.TEMPLATES[skill]["test"]), rng, target=(color, shape))
        cases.append({"kind": "single", "text": text, "skills": [skill], "targets": [name]})
    if len(props) >= 2:
        a, b = rng.choice(len(props), 2, replace=False)
        if props[b][1] != "ball":
            text = L.fill(L._pick(rng, L.TEMPLATES["place"]["test"]), rng, target=props[a][:2], destination=props[b][:2])
            cases.append({"kind": "place", "text": text, "skills": ["pick", "place"], "targets": [props[a][2], props[b][2]]})
            first = L.fill(L._pick(rng, L.TEMPLATES["pick"]["test"]), rng, target=props[a][:2])
            second = L.fill(L._pick(rng, L.TEMPLATES["place_it"]["test"]), rng, destination=props[b][:2])
            connective = L._pick(rng, L.CONNECTIVES["test"])
            cases.append({"kind": "multi", "text": first + connective + second, "skills": ["pick", "place"],
                          "targets": [props[a][2], props[b][2]]})
    for skill in ("open_gripper", "close_gripper", "home"):
        if rng.random() < 0.34:
            cases.append({"kind": "simple", "text": L._pick(rng, L.TEMPLATES[skill]["test"]), "skills": [skill],
                          "targets": [None]})
    absent = [p for p in PAIRS if p not in present]
    near = [p for p in absent if any(p[0] == q[0] or p[1] == q[1] for q in present)] or absent
    pair = near[int(rng.integers(len(near)))]
    skill = L.PROP_SKILLS[int(rng.integers(3))]
    cases.append({"kind": "absent", "text": L.fill(L._pick(rng, L.TEMPLATES[skill]["test"]), rng, target=pair),
                  "refuse": True})
    cases.append({"kind": "absent_unknown", "text": L.unknown_query("test", rng), "refuse": True})
    cases.append({"kind": "unsupported", "text": L.step_text(L.UNSUPPORTED, "test", rng, target=props[0][:2]),
                  "refuse": True})
    cases.append({"kind": "foreign", "text": L.step_text(L.FOREIGN, "test", rng), "refuse": True})
    color, shape, _ = props[int(rng.integers(len(props)))]
    words = f"{color} {shape}"
    cases.append({"kind": "contradictory", "text": f"pick up the {words} and don't pick up the {words}", "refuse": True})
    if rng.random() < 0.2:
        cases.append({"kind": "empty", "text": L._pick(rng, ("", "   ", "...")), "refuse": True})
        cases.append({"kind": "too_long", "text": " and then ".join([f"touch the {words}"] * 12), "refuse": True})
    return cases


def _score(case: dict[str, Any], plan: Any) -> dict[str, Any]:
    out = {"kind": case["kind"], "text": case["text"], "refused": plan.refused,
           "plan": [(c.skill, c.target) for c in plan.calls]}
    if case.get("refuse"):
        out["correct_refusal"] = plan.refused is not None
        return out
    skills = [c.skill for c in plan.calls]
    out["false_refusal"] = plan.refused is not None
    out["skill_ok"] = skills == case["skills"]
    targets = [c.target for c in plan.calls]
    out["target_ok"] = out["skill_ok"] and all(t is None or t == g for t, g in zip(case["targets"], targets)) \
        and all((g is None) == (t is None) for t, g in zip(case["targets"], targets))
    out["grounded"] = any(t is not None for t in case["targets"])
    return out


def evaluate(model: Any, scenes: int = 100, execute: int = 0, task_id: str = "embodied/PandaTabletop-v0",
             seed0: int = EVAL_SEED0, progress: Any = print) -> dict[str, Any]:
    session = Session(task_id, seed0, model=model)
    task = session.task
    rng = np.random.default_rng(seed0)
    rows, latencies = [], []
    try:
        for index in range(scenes):
            seed = seed0 + index
            session.env.reset(seed=seed)
            scene = session.scene()
            frames, depth, info = session.observe()
            for case in _cases(rng, scene):
                start, cpu = time.perf_counter(), time.process_time()
                plan = model.plan(frames, depth, case["text"], task.robot.alias, session.schemas, info)
                latencies.append((time.perf_counter() - start, time.process_time() - cpu))
                name_targets(plan, scene)
                rows.append(_score(case, plan))
            # a prop moved out of the camera's view (still in the scene list): must be refused
            hidden = scene[int(rng.integers(len(scene)))]
            slot = next(p.slot for p in task.layouts[0].props if p.name == hidden["name"])
            address = task.scene.prop_qpos[slot]
            task.sim.qpos[0, address:address + 3] = task.scene.park_positions[slot]
            task.sim.forward()
            frames, depth, info = session.observe()
            text = L.fill(L._pick(rng, L.TEMPLATES["pick"]["test"]), rng, target=(hidden["color"], hidden["shape"]))
            plan = model.plan(frames, depth, text, task.robot.alias, session.schemas, info)
            rows.append(_score({"kind": "out_of_view", "text": text, "refuse": True}, plan))
            if (index + 1) % 20 == 0:
                progress(f"{index + 1}/{scenes} scenes")
        metrics = summarize(rows, latencies)
        if execute:
            metrics["executed"] = evaluate_execution(session, model, execute, seed0 + scenes, rng, progress)
    finally:
        session.close()
    metrics["failures"] = [r for r in rows if r.get("false_refusal") or r.get("skill_ok") is False
                           or r.get("target_ok") is False or r.get("correct_refusal") is False][:40]
    return metrics


def summarize(rows: list[dict[str, Any]], latencies: list[float]) -> dict[str, Any]:
    positives = [r for r in rows if "skill_ok" in r]
    grounded = [r for r in positives if r["grounded"]]
    refusals = [r for r in rows if "correct_refusal" in r]
    by_kind: dict[str, list[bool]] = {}
    for r in refusals:
        by_kind.setdefault(r["kind"], []).append(r["correct_refusal"])
    unsupported_absent = [r["correct_refusal"] for r in refusals
                          if r["kind"] in ("unsupported", "foreign", "absent", "absent_unknown", "out_of_view")]
    ms = np.array([wall for wall, _ in latencies]) * 1000
    cpu_ms = np.array([cpu for _, cpu in latencies]) * 1000
    return {
        "cases": len(rows),
        "skill_accuracy": float(np.mean([r["skill_ok"] for r in positives])),
        "target_accuracy": float(np.mean([r["target_ok"] for r in grounded])),
        "false_refusal_rate": float(np.mean([r["false_refusal"] for r in positives])),
        "refusal_unsupported_and_absent": float(np.mean(unsupported_absent)),
        "refusal_by_kind": {k: {"rate": float(np.mean(v)), "n": len(v)} for k, v in sorted(by_kind.items())},
        "positive_cases": len(positives), "grounded_cases": len(grounded),
        "latency_ms": {"median": float(np.median(ms)), "p95": float(np.percentile(ms, 95)), "n": len(ms),
                       "cpu_median": float(np.median(cpu_ms)), "cpu_p95": float(np.percentile(cpu_ms, 95))},
    }


def evaluate_execution(session: Session, model: Any, count: int, seed0: int, rng: np.random.Generator,
                       progress: Any = print) -> dict[str, Any]:
    """Run `count` pick and `count` reach commands (held-out phrasings) closed loop."""
    task = session.task
    out: dict[str, Any] = {}
    for skill in ("pick", "reach"):
        results = []
        for k in range(count):
            session.env.reset(seed=seed0 + k + (0 if skill == "pick" else 10_000))
            scene = session.scene()
            prop = scene[int(rng.integers(len(scene)))]
            text = L.fill(L._pick(rng, L.TEMPLATES[skill]["test"]), rng, target=(prop["color"], prop["shape"]))
            plan, _ = session.plan(text)
            success, details = session.execute(plan)
            ok = bool(success)
            if ok and skill == "reach":
                now = {p["name"]: p for p in session.scene()}[prop["name"]]["position"]
                ok = float(np.linalg.norm(task.ee_pos[0] - np.asarray(now))) < 0.03
            if ok and skill == "pick":
                ok = details[-1].get("info", {}).get("prop") == prop["name"]
            results.append({"text": text, "target": prop["name"], "ok": ok, "refused": plan.refused,
                            "details": [d.get("reason") for d in details]})
            progress(f"{skill} {k + 1}/{count}: {'ok' if ok else 'FAIL'} {text!r} {plan.refused or ''}")
        out[skill] = {"success_rate": float(np.mean([r["ok"] for r in results])), "n": count,
                      "failures": [r for r in results if not r["ok"]]}
    return out


__all__ = ["EVAL_SEED0", "FRAME_SIZE", "evaluate", "robot_skills"]
