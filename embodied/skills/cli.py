"""The `embodied skills` and `embodied eval-skill` subcommands (registered by embodied.cli).

    embodied skills [--robot panda] [--json]
    embodied eval-skill --robot panda --skill reach --episodes 50 --seed 0 [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from embodied.errors import EmbodiedError


def register(subparsers: Any) -> None:
    """Add the `skills` and `eval-skill` subcommands to the CLI's subparsers."""
    listing = subparsers.add_parser("skills", help="list skills with their parameter schemas",
                                    description="List skills (all, or a robot's) with their JSON parameter schemas.")
    listing.add_argument("--robot", default=None, help="only this robot's skills (name, alias or kind)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=skills_handler)

    evaluate = subparsers.add_parser(
        "eval-skill", help="evaluate a skill over seeded episodes (success rate and skill metrics)",
        description="Run seeded episodes of a skill and print its success rate with skill-specific metrics: "
                    "final error and steps for arm skills; falls and velocity-tracking error for legged ones.",
        epilog="examples:\n  embodied eval-skill --robot panda --skill pick --episodes 50 --seed 0 --json\n"
               "  embodied eval-skill --robot go1 --skill walk --episodes 50 --seed 0 --json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("--robot", required=True, help="robot name or alias: panda, ur5e (reach, pick, place, "
                          "push) or go1 (walk, turn, stand, get_up, kick_ball)")
    evaluate.add_argument("--skill", required=True, help="the skill to evaluate (see `embodied skills --robot R`)")
    evaluate.add_argument("--episodes", type=int, default=50, help="number of seeded episodes (default 50)")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the first episode (default 0)")
    evaluate.add_argument("--policies", default=None, metavar="DIR",
                          help="load learned policies from DIR/<robot>/<skill>/ instead of policies/ "
                               "(e.g. the --out of `embodied train` is DIR/go1/walk)")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.set_defaults(func=eval_skill_handler)


def skills_handler(args: argparse.Namespace) -> int:
    from embodied.skills.base import all_skills, skills_for

    skills = skills_for(args.robot) if args.robot else list(all_skills().values())
    described = [s.describe() for s in skills]
    if args.json:
        print(json.dumps(described, indent=2))
        return 0
    for entry in described:
        params = entry["parameters"]["properties"]
        required = set(entry["parameters"]["required"])
        signature = ", ".join(f"{name}{'' if name in required else '?'}" for name in params)
        print(f"{entry['name']}({signature})  [{', '.join(entry['robot_kinds'])}]  {entry['description']}")
        for name, schema in params.items():
            print(f"    {name}: {_schema_text(schema)}")
    return 0


def _schema_text(schema: dict[str, Any]) -> str:
    parts = []
    if "anyOf" in schema:
        kinds = [("[x, y, z]" if s.get("minItems") == 3 else "[x, y]") if s["type"] == "array"
                 else ("|".join(s["enum"]) if "enum" in s else "name") for s in schema["anyOf"]]
        parts.append(" or ".join(kinds))
    else:
        kind = schema["type"]
        if "enum" in schema:
            kind = "|".join(schema["enum"])
        if "minimum" in schema or "maximum" in schema:
            kind += f" in [{schema.get('minimum', '')}, {schema.get('maximum', '')}]"
        parts.append(kind)
    if "default" in schema:
        parts.append(f"default {schema['default']}")
    return f"{'; '.join(parts)} - {schema.get('description', '')}"


def eval_skill_handler(args: argparse.Namespace) -> int:
    from embodied.robots import get_robot
    from embodied.skills.base import get_skill
    from embodied.skills.evaluate import ARM_SKILLS, evaluate_arm_skill

    robot = get_robot(args.robot)
    get_skill(args.skill, robot=robot.alias)  # unknown skill / wrong robot kind: a clear error
    if args.episodes < 1:
        raise EmbodiedError(f"--episodes must be at least 1, got {args.episodes}")
    if args.policies:
        import os
        from pathlib import Path

        from embodied.learn.policy import POLICIES_ENV

        if not Path(args.policies).is_dir():
            raise EmbodiedError(f"--policies {args.policies}: no such folder (it should hold <robot>/<skill>/policy.pt)")
        os.environ[POLICIES_ENV] = str(Path(args.policies).resolve())
    if robot.kind != "arm":
        from embodied.skills.legged import evaluate_legged_skill

        summary = evaluate_legged_skill(robot.alias, args.skill, args.episodes, args.seed, progress=not args.json)
        if args.json:
            print(json.dumps(summary, indent=2))
        else:
            extras = ", ".join(f"{key} {value:.3f}" for key, value in summary.items()
                               if key.startswith("mean_") and isinstance(value, float))
            print(f"{summary['robot']} {summary['skill']}: success {summary['success_rate']:.0%} over "
                  f"{summary['episodes']} episodes (seed {summary['seed']}), falls {summary['falls']:.0%}"
                  + (f", {extras}" if extras else ""))
        return 0
    if args.skill not in ARM_SKILLS:
        raise EmbodiedError(f"eval-skill evaluates the arm skills {', '.join(ARM_SKILLS)} on arms; "
                            f"got skill {args.skill!r} on {robot.alias!r}")

    def progress(k: int, result: Any) -> None:
        if not args.json:
            mark = "ok  " if result.success else "FAIL"
            error = "n/a" if result.final_error is None else f"{result.final_error:.4f}"
            print(f"  episode {k:3d} {mark} steps={result.steps:4d} error={error}"
                  + (f"  ({result.reason})" if result.reason else ""), file=sys.stderr)

    summary = evaluate_arm_skill(robot.alias, args.skill, args.episodes, args.seed, progress=progress)
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    error = summary["mean_final_error"]
    print(f"{summary['robot']} {summary['skill']}: success {summary['success_rate']:.0%} over "
          f"{summary['episodes']} episodes (seed {summary['seed']}), mean final error "
          f"{'n/a' if error is None else f'{error:.4f} m'}, mean steps {summary['mean_steps']:.0f}, "
          f"{summary['seconds']} s")
    if "success_rate_given_pick" in summary and summary["success_rate_given_pick"] is not None:
        print(f"  given a successful pick: {summary['success_rate_given_pick']:.0%} "
              f"({summary['pick_failures']} pick failures)")
    for failure in summary["failures"]:
        print(f"  episode {failure['episode']}: {failure['reason']}")
    return 0
