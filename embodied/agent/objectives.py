"""From an objective in words to an `Objective` the agent can pursue, through the omnimodel.

The omnimodel's language head names the skill the objective calls for ("push the red cube
onto the green square" -> push); the words after a destination preposition name where: a
marked region (a square, a marker, ...) makes it a push, a prop makes it a stack.
Objectives the agent cannot pursue get a refusal that says why and what it can do.
"""

from __future__ import annotations

import re
from typing import Any

from embodied.agent.core import Objective

SUPPORTED = ("push a prop onto a marked square (Panda/UR5e at a table), e.g. 'push the red cube onto the green "
             "square'; stack one prop on another (Panda/UR5e), e.g. 'stack the red cube on the blue cube'; "
             "kick the ball into the goal (Go1); walk to a prop and stop beside it (Go1)")
REGION_WORDS = ("square", "marker", "region", "area", "zone", "pad", "target")
_INTO_GOAL = re.compile(r"\b(goal|net)\b")
_WALK_TO = re.compile(r"\b(?:to|toward|towards|up to|over to|next to|beside)\s+(the\s+.+?)(?:\s+and\b.*)?$")


def parse_objective(text: str, task: Any, omni: Any) -> Objective | str:
    """The objective for `text` on `task`'s robot, or the reason the agent cannot pursue it."""
    from embodied.omni import language as L

    command = L.normalize(text)
    reason = L.precheck(command)
    if reason:
        return reason
    (skill, _), = omni.classify([command])
    kind = task.robot.kind
    if kind == "arm":
        obj, destination = L.split_destination(command)
        if skill in ("push", "place", "reach", "pick") and destination:
            region = re.sub(r"^(on top of|onto|on|upon|atop|over)\s+", "", destination)
            if any(word in region.split() for word in REGION_WORDS):
                from embodied.agent.arm import PushToRegion

                phrase = L.noun_phrase(obj)
                if not phrase:
                    return f"which prop should I push? name it ({text!r})"
                return PushToRegion(f"the {phrase}", region, omni=omni)
            return _stack(obj, region, text, skill, task, omni)
    elif kind == "quadruped":
        if skill == "kick_ball" or ("ball" in command and _INTO_GOAL.search(command)):
            from embodied.agent.legged import KickIntoGoal

            return KickIntoGoal(command)
        match = _WALK_TO.search(command)
        if skill in ("walk", "reach") and match:
            from embodied.agent.legged import WalkToProp

            return WalkToProp(match.group(1))
    if skill in (L.UNSUPPORTED, L.FOREIGN):
        return f"I don't know how to {text.strip()}; the agent can: {SUPPORTED}"
    return f"the agent has no objective for {text!r} with a {kind} robot; it can: {SUPPORTED}"


def _stack(obj: str, destination: str, text: str, skill: str, task: Any, omni: Any) -> Objective | str:
    """'stack/put/place X on/onto/on top of Y', Y a prop: a StackOnProp, or why it cannot be tried."""
    from embodied.agent.stack import StackOnProp, stack_problem
    from embodied.omni import language as L

    top, bottom = _canonical(L.noun_phrase(obj)), _canonical(L.noun_phrase(destination))
    if skill not in ("place", "pick"):
        return f"to put one prop on another, say 'stack the red cube on the blue cube' ({text!r}); it can: {SUPPORTED}"
    if not top:
        return f"which prop should I stack? name it ({text!r})"
    if not bottom or not _names_a_prop(bottom):
        return f"on which prop? name it by colour and shape, like 'the blue cube' ({text!r}); it can: {SUPPORTED}"
    problem = stack_problem(f"the {top}", f"the {bottom}", task)
    if problem:
        return problem
    return StackOnProp(f"the {top}", f"the {bottom}", omni=omni)


def _names_a_prop(phrase: str) -> bool:
    from embodied.omni import language as L

    words = phrase.split()
    return any(w in L.COLOR_NAMES for w in words) or any(w in forms for forms in L.SHAPE_WORDS.values()
                                                         for w in words)


def _canonical(phrase: str) -> str:
    """Shape words in the scene's own names ("red block" -> "red cube"): what perception and the judge match."""
    from embodied.omni import language as L

    forms = {w: shape for shape, words in L.SHAPE_WORDS.items() for w in words}
    return " ".join(forms.get(w, w) for w in phrase.split())
