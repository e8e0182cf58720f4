"""`embodied agent "OBJECTIVE"` and `embodied eval-agent`: the plan-act-observe-update cycle from a terminal."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from embodied.errors import EmbodiedError

# the objectives `eval-agent` measures: (task, objective in words)
EVAL_OBJECTIVES = {
    "push": ("embodied/PandaPushRegion-v0", "push the red cube onto the green square"),
    "kick": ("embodied/Go1KickBall-v0", "kick the ball into the goal"),
    "walk_to": ("embodied/Go1Fetch-v0", "walk to a prop of the scene (one per episode) and stop beside it"),
    "stack": ("embodied/PandaTabletop-v0", "stack a prop of the scene on another with a flat top (one pair per episode)"),
}


def make_env(task_id: str) -> Any:
    import gymnasium as gym

    import embodied.envs  # noqa: F401  (registers the envs)

    try:
        return gym.make(task_id, cameras=[])
    except gym.error.Error as error:
        raise EmbodiedError(f"cannot make task {task_id!r}: {error}") from None


def build_objective(text: str, env: Any, omni: Any = None) -> Any:
    """The objective for `text` in `env` (reset first), or the refusal string."""
    from embodied.agent.objectives import parse_objective
    from embodied.omni.run import load_omnimodel

    return parse_objective(text, env.unwrapped.task, omni if omni is not None else load_omnimodel("builtin"))


def run_agent(text: str, task_id: str, seed: int, mode: str = "closed", video: str | None = None,
              max_cycles: int | None = None) -> dict[str, Any]:
    """What `embodied agent --json` prints."""
    from embodied.agent.core import run_episode

    env = make_env(task_id)
    try:
        env.reset(seed=seed)
        objective = build_objective(text, env)
        if isinstance(objective, str):
            return {"objective": text, "task": task_id, "seed": seed, "refused": objective, "success": False,
                    "cycles": []}
        if max_cycles is not None:
            if max_cycles < 1:
                raise EmbodiedError(f"--max-cycles must be at least 1, got {max_cycles}")
            objective.max_cycles = max_cycles
        log = run_episode(env, objective, seed, mode, video=video)
        return {"objective": text, "task": task_id, "seed": seed, "refused": None, **log.to_json()}
    finally:
        env.close()


def _print_log(out: dict[str, Any]) -> None:
    if out.get("refused"):
        print(f"refused: {out['refused']}")
        return
    for cycle in out["cycles"]:
        print(f"cycle {cycle['cycle']}: {cycle['plan']['label']}")
        print(f"  predicted {cycle['predicted']}  observed {cycle['observed']}  error {cycle['prediction_error']}")
        beliefs = ", ".join(f"{k} {v['value']} [{v['low']}, {v['high']}]" for k, v in cycle["belief_after"].items())
        print(f"  belief: {beliefs}")
    print(f"{'success' if out['success'] else 'failed'}: {out['stopped']} ({out['seconds']} s)")
    print("hidden: " + ", ".join(f"{k} {v}" for k, v in out["hidden_parameters"].items()))


def cmd_agent(args: argparse.Namespace) -> int:
    out = run_agent(args.objective, args.task, args.seed, args.mode, args.video, args.max_cycles)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        _print_log(out)
    return 0


def cmd_eval_agent(args: argparse.Namespace) -> int:
    from embodied.agent.evaluate import evaluate_objective
    from embodied.errors import UnknownNameError

    names = list(EVAL_OBJECTIVES) if args.objective == "all" else [args.objective]
    for name in names:
        if name not in EVAL_OBJECTIVES:
            raise UnknownNameError("objective", name, [*EVAL_OBJECTIVES, "all"])
    if args.episodes < 1:
        raise EmbodiedError(f"--episodes must be at least 1, got {args.episodes}")
    from embodied.omni.run import load_omnimodel

    omni = load_omnimodel("builtin")  # once: every episode's objective grounds its words with it
    modes = tuple(args.modes)
    # each episode is kept as it ends, and a rerun with the same --out skips those already done
    episodes_log = Path(args.out).with_suffix(".episodes.jsonl") if args.out else None
    results = {}
    for name in names:
        task_id, text = EVAL_OBJECTIVES[name]
        if name == "walk_to":  # the prop to walk to is one of those in each episode's scene
            from embodied.agent.legged import walk_to_prop_factory

            factory: Any = walk_to_prop_factory
        else:
            def factory(env: Any, seed: int, text: str = text, name: str = name) -> Any:
                if name == "stack":  # the pair to stack is two props of each episode's scene
                    from embodied.agent.stack import stack_text_for_scene

                    text = stack_text_for_scene(env, seed)
                made = build_objective(text, env, omni)
                if isinstance(made, str):
                    raise EmbodiedError(f"objective {text!r} was refused (seed {seed}): {made}")
                return made

        results[name] = {"task": task_id, "objective": text,
                         **evaluate_objective(factory, task_id, args.episodes, args.seed, modes=modes,
                                              episodes_log=episodes_log)}
    text_out = json.dumps(results, indent=2)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text_out)
    if args.json:
        print(text_out)
    else:
        for name, result in results.items():
            print(f"{name}: {result['objective']} on {result['task']}")
            for mode, value in result["modes"].items():
                print(f"  {mode:10s} success {value['success_rate']:.2f}  (n={result['episodes']})")
    return 0


def register(subparsers: Any) -> None:
    from embodied.agent.core import MODES

    p = subparsers.add_parser(
        "agent", help="pursue an objective: plan in imagination, act, observe, update beliefs, repeat",
        description="Reality has hidden physical parameters (friction, masses, actuator strength); the agent "
                    "imagines candidate plans in a batch of simulations under its beliefs, acts, compares what "
                    "happened with what it predicted, refits its beliefs, and replans. Prints a per-cycle log.")
    p.add_argument("objective", help="e.g. \"push the red cube onto the green square\"")
    p.add_argument("--task", default="embodied/PandaPushRegion-v0",
                   help="task whose scene is reality (default embodied/PandaPushRegion-v0; Go1KickBall-v0 for kicking)")
    p.add_argument("--seed", type=int, default=0, help="scene and hidden parameters")
    p.add_argument("--mode", default="closed", choices=MODES,
                   help="closed: replan with belief updates; no-update: replan with nominal beliefs; "
                        "open: plan once with nominal beliefs and execute blind")
    p.add_argument("--max-cycles", type=int, default=None, help="step budget (plan-act cycles)")
    p.add_argument("--video", default=None, help="record reality from the overview camera (.mp4 or .gif)")
    p.add_argument("--json", action="store_true", help="print the per-cycle log as JSON")
    p.set_defaults(func=cmd_agent)

    p = subparsers.add_parser("eval-agent", help="success of the agent over seeded episodes, closed vs open loop")
    p.add_argument("--objective", default="all", help=f"one of {', '.join(EVAL_OBJECTIVES)}, or all")
    p.add_argument("--episodes", type=int, default=50, help="seeded episodes per objective (default 50)")
    p.add_argument("--seed", type=int, default=0, help="first episode seed")
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES,
                   help="modes to compare (default all): closed (belief updates), no-update (replan with nominal "
                        "beliefs), open (plan once with nominal beliefs, execute blind)")
    p.add_argument("--out", default=None,
                   help="write the metrics JSON here; each episode is also appended to OUT's stem + "
                        ".episodes.jsonl as it ends, and rerunning with the same --out resumes")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_eval_agent)


