"""The `embodied` command: every capability of the platform, for a person at a terminal.

Each subcommand prints a readable table by default and JSON with `--json`. Mistakes in
the input (an unknown robot, task, camera, a bad file) print one line naming the bad value
and the valid choices, and exit with status 2; nothing ends in a bare traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from embodied.errors import EmbodiedError

# subsystems that add their own subcommands through `register(subparsers)`
PLUGIN_MODULES = ("embodied.bench", "embodied.skills.cli", "embodied.learn.cli", "embodied.omni.cli",
                  "embodied.mindseye.cli", "embodied.agent.cli")


def _print_json(value: Any) -> None:
    print(json.dumps(value, indent=2))


def _table(rows: list[list[Any]], header: list[str]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(*header)
    for row in rows:
        table.add_row(*["" if cell is None else str(cell) for cell in row])
    # piped output gets no terminal width: keep ids whole so `embodied envs | grep` works
    Console(width=None if sys.stdout.isatty() else 200).print(table)


# ----- robots -------------------------------------------------------------------------
def cmd_robots(args: argparse.Namespace) -> int:
    from embodied.robots import all_robots, describe

    summaries = [describe(name) for name in all_robots()]
    if args.json:
        _print_json(summaries)
    else:
        _table([[s["alias"], s["name"], s["kind"], s["joints"], s["actuators"], s["camera"],
                 "yes" if s["files_present"] else "no (set MENAGERIE_ROOT or go online)"] for s in summaries],
               ["alias", "menagerie name", "kind", "joints", "actuators", "camera", "files here"])
    return 0


# ----- envs ---------------------------------------------------------------------------
def cmd_envs(args: argparse.Namespace) -> int:
    from embodied.robots import get_robot
    from embodied.tasks import all_tasks
    from embodied.tasks.task import actuated_ids, scene_for

    entries = []
    for task_id, config in all_tasks().items():
        model = scene_for(config).model
        keys = ["state"]
        if config.cameras:
            keys += [f"image/{c}" for c in config.cameras]
            if config.depth:
                keys += [f"depth/{c}" for c in config.cameras]
        if config.goal == "tabletop":
            keys.append("instruction")
        entries.append({"id": task_id, "robot": get_robot(config.robot).alias, "action_size": int(actuated_ids(model, config).size),
                        "observation_keys": keys, "control_hz": config.control_hz,
                        "max_steps": config.max_steps, "description": config.description})
    if args.json:
        _print_json(entries)
    else:
        _table([[e["id"], e["robot"], e["action_size"], ", ".join(e["observation_keys"]), e["description"]]
                for e in entries], ["id", "robot", "actions", "observations", "description"])
    return 0


# ----- scene --------------------------------------------------------------------------
def cmd_scene(args: argparse.Namespace) -> int:
    from embodied.tasks import BatchedTask, get_task

    config = get_task(args.task)
    task = BatchedTask(config, num_envs=1, nthread=1)
    task.seed([0], [args.seed])
    task.reset([0])
    props = task.scene_description(0)
    result: dict[str, Any] = {"task": config.id, "seed": args.seed, "props": props}
    if config.goal == "tabletop":
        result["instruction"] = task.instructions[0]
    if args.png:
        import imageio.v3 as iio

        camera = args.camera or "overview"
        image = task.render(0, camera, args.height, args.width)
        Path(args.png).parent.mkdir(parents=True, exist_ok=True)
        iio.imwrite(args.png, image)
        result["png"] = str(args.png)
    task.close()
    if args.json:
        _print_json(result)
    else:
        print(f"{config.id}, seed {args.seed}")
        if "instruction" in result:
            print(f"instruction: {result['instruction']}")
        if props:
            _table([[p["name"], p["color"], p["shape"], ", ".join(f"{v:.3f}" for v in p["position"])] for p in props],
                   ["name", "colour", "shape", "position (m)"])
        else:
            print("no props")
        if args.png:
            print(f"wrote {args.png}")
    return 0


# ----- demo ---------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from embodied.demo import run_demo

    result = run_demo(task_id=args.task, seed=args.seed, seconds=args.seconds, out=Path(args.out))
    if args.json:
        _print_json(result)
    else:
        print(f"wrote {result['video']} ({result['frames']} frames) and {result['camera_png']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="embodied",
        description="Robots in MuJoCo simulation: environments, skills, language commands, physics QA.",
        epilog="examples:\n  embodied robots\n  embodied envs --json\n"
               "  embodied scene --task embodied/PandaTabletop-v0 --seed 3 --png out/scene.png\n"
               "  embodied demo --out out\n\nRun `embodied COMMAND --help` for a command's options.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    robots = sub.add_parser("robots", help="list the supported robots and whether their files are here")
    robots.add_argument("--json", action="store_true", help="print JSON instead of a table")
    robots.set_defaults(func=cmd_robots)

    envs = sub.add_parser("envs", help="list the registered Gymnasium environments")
    envs.add_argument("--json", action="store_true", help="print JSON instead of a table")
    envs.set_defaults(func=cmd_envs)

    scene = sub.add_parser(
        "scene", help="show a task's scene for a seed: props, positions, a camera image",
        description="Sample a task's scene exactly as env.reset(seed=SEED) does and print its props.",
        epilog="example: embodied scene --task embodied/PandaTabletop-v0 --seed 3 --json --png out/scene.png",
    )
    scene.add_argument("--task", required=True, help="task id, e.g. embodied/PandaTabletop-v0 (see `embodied envs`)")
    scene.add_argument("--seed", type=int, default=0, help="episode seed (default 0)")
    scene.add_argument("--json", action="store_true", help="print JSON")
    scene.add_argument("--png", help="write a camera image to this file")
    scene.add_argument("--camera", help="camera for --png (default: overview)")
    scene.add_argument("--width", type=int, default=640, help="image width in pixels (default 640)")
    scene.add_argument("--height", type=int, default=480, help="image height in pixels (default 480)")
    scene.set_defaults(func=cmd_scene)

    demo = sub.add_parser("demo", help="run a robot in a task; write an MP4 and a PNG of its camera",
                          description="Runs a short episode and records the overview camera to MP4 and "
                                      "the robot's own camera to PNG.")
    demo.add_argument("--task", default="embodied/PandaTabletop-v0", help="task id (default PandaTabletop-v0)")
    demo.add_argument("--seed", type=int, default=0, help="episode seed (default 0)")
    demo.add_argument("--seconds", type=float, default=4.0, help="simulated seconds to record (default 4)")
    demo.add_argument("--out", default="out", help="output folder (default out/)")
    demo.add_argument("--json", action="store_true", help="print JSON")
    demo.set_defaults(func=cmd_demo)

    for module_name in PLUGIN_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue  # that subsystem is not part of this build
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `embodied` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except EmbodiedError as error:
        print(f"embodied {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"embodied {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `embodied skills | head` closed the pipe: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
