"""`embodied omni generate|train|eval`, `embodied command "..."` and `embodied chat`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from embodied.errors import EmbodiedError

DEFAULT_TASK = "embodied/PandaTabletop-v0"
DATA_DIR = "out/omni/data"


def _omni_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--omni", default="builtin", help="builtin (policies/omni) or openai:MODEL")
    parser.add_argument("--model-dir", default=None, help="directory of a trained built-in model")


def cmd_generate(args: argparse.Namespace) -> int:
    from embodied.omni.data import generate

    if args.train_scenes < 1 or args.test_scenes < 1:
        raise EmbodiedError("--train-scenes and --test-scenes must be at least 1")
    summary = generate(Path(args.out), args.train_scenes, args.test_scenes, args.task, max(1, args.workers),
                       progress=lambda m: print(m, file=sys.stderr))
    print(json.dumps(summary, indent=2))
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from embodied.omni.train import train

    data = Path(args.data)
    if not (data / "train.npz").exists():
        raise EmbodiedError(f"no training data in {data}; run `embodied omni generate --out {data}` first")
    metrics = train(data, Path(args.out), steps=args.steps, batch_scenes=args.batch_scenes, seed=args.seed,
                    progress=lambda m: print(m, file=sys.stderr), init=Path(args.init) if args.init else None,
                    skill_only=args.skill_only, skill_examples=args.skill_examples, skill_steps=args.skill_steps)
    print(json.dumps(metrics, indent=2))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from embodied.omni import language as L
    from embodied.omni.evaluate import evaluate
    from embodied.omni.run import load_omnimodel

    phrasings, dropped = None, []
    if args.phrasings and args.keep_training_phrasings:
        phrasings = L.load_phrasings(args.phrasings)
    elif args.phrasings:
        phrasings, dropped = L.without_training_phrasings(L.load_phrasings(args.phrasings))
        if dropped:
            print(f"{len(dropped)} phrasings of {args.phrasings} are training phrasings and were left out: "
                  + "; ".join(dropped), file=sys.stderr)
    model = load_omnimodel(args.omni, args.model_dir)
    with L.held_out_phrasings(phrasings):
        metrics = evaluate(model, scenes=args.scenes, execute=args.execute, task_id=args.task,
                           progress=lambda m: print(m, file=sys.stderr))
    metrics["phrasings"] = args.phrasings or "built-in held-out split"
    if args.phrasings:
        metrics["phrasings_left_out_as_training"] = dropped
    text = json.dumps(metrics, indent=2)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    if args.json:
        print(text)
    else:
        for key in ("skill_accuracy", "target_accuracy", "refusal_unsupported_and_absent", "false_refusal_rate"):
            print(f"{key:34s} {metrics[key]:.3f}")
        for kind, value in metrics["refusal_by_kind"].items():
            print(f"  refusal {kind:26s} {value['rate']:.3f} (n={value['n']})")
        print(f"latency (ms) median {metrics['latency_ms']['median']:.1f}  p95 {metrics['latency_ms']['p95']:.1f}")
        for skill, value in metrics.get("executed", {}).items():
            print(f"executed {skill:25s} {value['success_rate']:.3f} (n={value['n']})")
    return 0


def _print_result(out: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(out, indent=2))
        return
    if out["refused"]:
        print(f"refused: {out['refused']}")
    for call in out["plan"]:
        target = f" -> {call['target']}" if call["target"] else ""
        print(f"{call['skill']}({json.dumps(call['args'])}){target}  confidence {call['confidence']:.2f}")
    if out["executed"]:
        print("success" if out["success"] else f"failed: {out.get('results', [{}])[-1].get('reason')}")


def cmd_command(args: argparse.Namespace) -> int:
    from embodied.omni.run import run_command

    out = run_command(args.text, args.task, args.seed, args.omni, args.execute, args.video, args.model_dir)
    _print_result(out, args.json)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    import imageio.v2 as imageio

    from embodied.omni.run import Session

    session = Session(args.task, args.seed, args.omni, args.model_dir)
    frame_path = Path(args.frame)
    frame_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        session.observe()
        imageio.imwrite(frame_path, session.latest)
        print(f"{args.task} seed {args.seed}; the latest frame is in {frame_path}. Type a command, or quit.",
              file=sys.stderr)
        for line in sys.stdin:
            text = line.strip()
            if text.lower() in ("quit", "exit", "q"):
                break
            if not text:
                continue
            plan, seconds = session.plan(text)
            success, results = session.execute(plan) if not args.plan_only else (None, [])
            out = {**plan.to_json(), "executed": bool(not args.plan_only and plan.refused is None and plan.calls),
                   "success": success, "decision_ms": round(seconds * 1000, 1)}
            if results:
                out["results"] = results
            session.observe()
            imageio.imwrite(frame_path, session.latest)
            _print_result(out, args.json)
            sys.stdout.flush()
    finally:
        session.close()
    return 0


def register(subparsers: Any) -> None:
    fmt = argparse.ArgumentDefaultsHelpFormatter
    omni = subparsers.add_parser(
        "omni", help="the omnimodel: generate data, train, evaluate",
        description="The built-in omnimodel (camera frames + command -> skill calls): render training "
                    "scenes, train it, and evaluate it on held-out phrasings and unseen scenes.",
        epilog="typical run:\n  embodied omni generate\n  embodied omni train\n"
               "  embodied omni eval --scenes 60 --execute 10 --out out/omni/eval.json",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = omni.add_subparsers(dest="omni_command", metavar="{generate,train,eval}")
    omni.set_defaults(func=lambda args: (omni.print_help(), 0)[1])

    p = sub.add_parser("generate", help="render seeded tabletop scenes for training", formatter_class=fmt,
                       description="Render seeded random tabletop scenes (props, colours, lighting, camera "
                                   "jitter) with their labels, split into training and held-out scenes.")
    p.add_argument("--out", default=DATA_DIR, help="folder for the rendered scenes")
    p.add_argument("--task", default=DEFAULT_TASK, help="tabletop task whose scenes are rendered")
    p.add_argument("--train-scenes", type=int, default=1200, help="scenes for training")
    p.add_argument("--test-scenes", type=int, default=200, help="held-out scenes (other seeds)")
    p.add_argument("--workers", type=int, default=2, help="rendering processes")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("train", help="train the built-in omnimodel", formatter_class=fmt,
                       description="Train the image encoder, the text-conditioned heatmap head that points at props and "
                                   "the skill head on the generated scenes and training phrasings only; the "
                                   "pretrained sentence encoder stays frozen.")
    p.add_argument("--data", default=DATA_DIR, help="folder written by `embodied omni generate`")
    p.add_argument("--out", default="policies/omni", help="folder for the trained model")
    p.add_argument("--steps", type=int, default=700, help="optimisation steps")
    p.add_argument("--batch-scenes", type=int, default=16, help="scenes per batch")
    p.add_argument("--seed", type=int, default=0, help="seed of initialisation and sampling")
    p.add_argument("--init", default=None, help="start from this trained model directory")
    p.add_argument("--skill-only", action="store_true", help="with --init: retrain only the skill head")
    p.add_argument("--skill-examples", type=int, default=40000, help="generated training steps for the skill head")
    p.add_argument("--skill-steps", type=int, default=3000, help="steps of the skill head alone after the joint ones")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("eval", help="evaluate on held-out phrasings and unseen scenes", formatter_class=fmt,
                       description="Skill, target and refusal accuracy and decision latency on held-out "
                                   "phrasings in unseen scenes; with --execute, closed-loop pick and reach.")
    p.add_argument("--task", default=DEFAULT_TASK, help="tabletop task the scenes come from")
    p.add_argument("--scenes", type=int, default=100, help="unseen scenes to evaluate on")
    p.add_argument("--execute", type=int, default=0, help="also run N pick and N reach commands closed loop")
    p.add_argument("--phrasings", default=None, metavar="FILE",
                   help="JSON {skill: [templates]} used instead of the built-in held-out phrasings for the skills "
                        "it names, e.g. data/omni/phrasings_blind1.json (written by someone who never saw ours)")
    p.add_argument("--keep-training-phrasings", action="store_true",
                   help="with --phrasings: keep its templates that are also training phrasings (by default they "
                        "are left out and listed, as they are not held out)")
    p.add_argument("--out", default=None, help="write the metrics JSON here")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    _omni_args(p)
    p.set_defaults(func=cmd_eval)

    p = subparsers.add_parser("command", help="plan (and run) one command in words", formatter_class=fmt,
                              description="Turn one command in words into skill calls from the robot's camera "
                                          "frames; with --execute, run them closed loop.",
                              epilog='example: embodied command "pick up the red cube" '
                                     "--task embodied/PandaTabletop-v0 --seed 3 --execute --json")
    p.add_argument("text", help="the command, e.g. 'pick up the red cube'")
    p.add_argument("--task", default=DEFAULT_TASK, help="task whose scene the robot is in")
    p.add_argument("--seed", type=int, default=0, help="seed of the scene")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--execute", action="store_true", help="run the plan closed loop through the skills")
    p.add_argument("--video", default=None, help="record the overview camera to this file (.mp4 or .gif)")
    _omni_args(p)
    p.set_defaults(func=cmd_command)

    p = subparsers.add_parser("chat", help="commands from stdin, one per line, until quit", formatter_class=fmt,
                              description="Type commands one per line; each is planned and run, and the "
                                          "latest camera frame is written to --frame. Type quit to stop.")
    p.add_argument("--task", default=DEFAULT_TASK, help="task whose scene the robot is in")
    p.add_argument("--seed", type=int, default=0, help="seed of the scene")
    p.add_argument("--frame", default="out/omni/chat.png", help="the latest frame is written here each turn")
    p.add_argument("--plan-only", action="store_true", help="plan without executing")
    p.add_argument("--json", action="store_true", help="print each turn as JSON")
    _omni_args(p)
    p.set_defaults(func=cmd_chat)
