"""Question wording: many phrasings of every sub-task, split into training and held-out pools.

`phrase(subtask, rng, pool=...)` writes one question for a sub-task as (text, objects,
greater), where objects names X and Y and greater says which has more of the attribute. Every
wording component (scene set-up, relation, asked quantity, extra condition) has several
variants; every fourth variant of each list is held out ("eval" pool) so that generated
evaluation questions use wordings the converter never trained on. `negative(rng, pool)`
writes questions the simulator does not support (other physics, non-physics).
"""

from __future__ import annotations

import re

import numpy as np

from embodied.mindseye.spec import SUBTASKS

POOLS = ("train", "eval", "all")
NARRATIVE_SHARE = 0.45  # share of generated questions told as a story (see `narrative`)

NAMES = [
    ("the red ball", "the blue ball"), ("a steel marble", "a glass marble"), ("Box A", "Box B"),
    ("ball 1", "ball 2"), ("the wooden block", "the metal block"), ("cart P", "cart Q"),
    ("the bowling ball", "the tennis ball"), ("object A", "object B"), ("the brick", "the sponge"),
    ("the green cube", "the yellow cube"), ("sled 1", "sled 2"), ("the iron ball", "the rubber ball"),
    ("crate M", "crate N"), ("the small stone", "the large stone"), ("puck A", "puck B"),
    ("the first ball", "the second ball"), ("block 1", "block 2"), ("the orange", "the apple"),
    ("the lead sphere", "the plastic sphere"), ("the toy car", "the truck"),
]


def _pool(items: list[str], pool: str) -> list[str]:
    if pool == "all":
        return items
    keep = [t for i, t in enumerate(items) if (i % 4 == 3) == (pool == "eval")]
    return keep or items


def _pick(rng: np.random.Generator, items: list[str], pool: str) -> str:
    options = _pool(items, pool)
    return options[int(rng.integers(len(options)))]


# ----- relation sentences: {A} has more of the attribute than {B} ----------------------------
RELATIONS: dict[str, list[str]] = {
    "mass": [
        "{A} is heavier than {B}", "{B} is lighter than {A}", "{A} has more mass than {B}",
        "{A} is {k} times as heavy as {B}", "{A} weighs more than {B}",
        "{B} weighs less than {A}", "{A} is more massive than {B}", "{B} has less mass than {A}",
        "the mass of {A} is greater than that of {B}", "{B} is the lighter one and {A} the heavier",
        "{A} has {k} times the mass of {B}", "{B} is less massive than {A}",
    ],
    "height": [
        "{A} starts higher than {B}", "{B} starts lower than {A}", "{A} is released from a greater height than {B}",
        "{B} is released from a lower height than {A}", "{A} is {k} times as high up as {B}",
        "{A} begins higher up than {B}", "{B} begins closer to the ground than {A}",
        "the starting height of {A} is greater than that of {B}", "{A} starts from higher up than {B}",
        "{B} starts from a smaller height than {A}", "{A} is positioned higher than {B}",
        "{B}'s starting point is lower than {A}'s",
    ],
    "speed": [
        "{A} is launched faster than {B}", "{B} is launched more slowly than {A}", "{A} starts with a higher speed than {B}",
        "{B} starts with a lower speed than {A}", "{A} moves {k} times as fast as {B} at the start",
        "{A} is given a greater initial speed than {B}", "{B} is given a smaller initial speed than {A}",
        "the initial speed of {A} is greater than that of {B}", "{A} is faster than {B} at the start",
        "{B} is slower than {A} initially", "{A} gets a bigger starting velocity than {B}",
        "{B} begins with less speed than {A}",
    ],
    "angle": [
        "{A} is launched at a steeper angle than {B}", "{B} is launched at a shallower angle than {A}",
        "{A}'s angle above the horizontal is larger than {B}'s", "{B}'s angle is smaller than {A}'s",
        "{A} is aimed more steeply than {B}", "{B} is aimed at a lower angle than {A}",
        "the angle of {A} is greater than that of {B}", "{A} has the steeper angle and {B} the flatter one",
        "{A}'s slope is steeper than {B}'s", "{B}'s slope is gentler than {A}'s",
        "{A} is at a larger angle than {B}", "{B} is at a flatter angle than {A}",
    ],
    "force": [
        "{A} is pushed harder than {B}", "{B} is pushed more gently than {A}",
        "the force on {A} is larger than the force on {B}", "{B} feels a smaller force than {A}",
        "{A} is pushed with {k} times the force on {B}", "a stronger force acts on {A} than on {B}",
        "a weaker force acts on {B} than on {A}", "{A} receives a bigger push than {B}",
        "{A} is pulled with a greater force than {B}", "{B} is pulled with a smaller force than {A}",
        "the push on {A} is stronger than the push on {B}", "{B} gets the weaker push",
    ],
    "friction": [
        "{A}'s surface is rougher than {B}'s", "{B}'s surface is smoother than {A}'s",
        "{A} has a higher coefficient of friction than {B}", "{B} has a lower coefficient of friction than {A}",
        "there is more friction under {A} than under {B}", "{A} slides on a rougher surface than {B}",
        "{B} slides on a smoother surface than {A}", "the friction on {A} is greater than on {B}",
        "{A} experiences more friction than {B}", "{B} experiences less friction than {A}",
        "{A} is on a rougher patch than {B}", "the ground under {B} is slicker than under {A}",
    ],
}

SAME = {
    "mass": ["{X} and {Y} have the same mass", "the masses of {X} and {Y} are equal",
             "{X} and {Y} weigh the same", "{X} and {Y} are equally heavy"],
}

# ----- scene set-ups ---------------------------------------------------------------------------
SETUPS: dict[str, list[str]] = {
    "drop": [
        "{X} and {Y} are dropped{same} at the same moment", "{X} and {Y} are released from rest{same}",
        "both {X} and {Y} fall freely from rest{same}", "we let go of {X} and {Y}{same}",
        "{X} and {Y} are let fall{same} with no initial speed", "{X} and {Y} fall straight down{same}",
        "someone drops {X} and {Y}{same}", "{X} and {Y} are released at the same time{same}",
    ],
    "throw_up": [
        "{X} and {Y} are thrown straight up from the ground", "{X} and {Y} are launched vertically upward",
        "{X} and {Y} are tossed straight upwards", "{X} and {Y} are fired straight up from ground level",
        "someone throws {X} and {Y} vertically upward", "{X} and {Y} are shot directly upward",
        "{X} and {Y} go straight up after being thrown", "{X} and {Y} are projected upward",
    ],
    "air": [
        "{X} and {Y} are the same size and shape and are dropped{same} through the air",
        "{X} and {Y}, equal in size, fall{same} through air", "two balls of the same size, {X} and {Y}, are dropped{same} in air",
        "{X} and {Y} have identical shapes and fall{same} through the atmosphere",
        "{X} and {Y} are identical in size and fall{same} in air",
        "{X} and {Y}, same size, are released{same} and fall through air",
        "{X} and {Y} are equally sized and dropped{same} in the air",
        "{X} and {Y} of equal size fall{same} through the air",
    ],
    "horizontal": [
        "{X} and {Y} are thrown horizontally off a cliff{same}", "{X} and {Y} roll off the edge of a table{same}",
        "{X} and {Y} are launched horizontally{same}", "{X} and {Y} leave a ledge moving horizontally{same}",
        "{X} and {Y} are fired horizontally{same}", "{X} and {Y} are kicked horizontally off a platform{same}",
        "{X} and {Y} slide off a horizontal shelf{same}", "{X} and {Y} are projected horizontally{same}",
    ],
    "angled": [
        "{X} and {Y} are launched from the ground{same} at different angles below 90 degrees",
        "{X} and {Y} are thrown from ground level{same} at angles above the horizontal",
        "{X} and {Y} are kicked from the ground{same} at different upward angles",
        "{X} and {Y} are fired as projectiles from the ground{same}",
        "{X} and {Y} are launched obliquely from the ground{same}",
        "{X} and {Y} are shot into the air from the ground{same} at different angles",
        "{X} and {Y} are tossed from ground level{same}, each at an angle",
        "{X} and {Y} are lobbed from the ground{same}",
    ],
    "push": [
        "{X} and {Y} rest on a frictionless surface and are pushed by constant forces{same} for the same time",
        "{X} and {Y} sit on frictionless ice and a steady force pushes each{same} for the same duration",
        "constant forces act{same} on {X} and {Y}, which start at rest on a frictionless floor, for the same time",
        "{X} and {Y} are pulled{same} across a frictionless table for the same amount of time",
        "{X} and {Y} start from rest on a smooth frictionless track and are pushed{same} for equal times",
        "{X} and {Y} are pushed{same} along a frictionless surface for the same time",
        "a constant force acts on each of {X} and {Y}{same} on frictionless ground for the same interval",
        "{X} and {Y} are shoved{same} on a frictionless floor for equal times",
    ],
    "coast": [
        "{X} and {Y} glide on a frictionless surface with no force acting on them{same}",
        "{X} and {Y} coast across frictionless ice{same}", "{X} and {Y} slide on a frictionless track with nothing pushing them{same}",
        "{X} and {Y} drift along a frictionless floor{same}", "{X} and {Y} move on a frictionless table with no forces{same}",
        "{X} and {Y} travel on frictionless ground without any push{same}",
        "{X} and {Y} keep moving on a frictionless surface{same}", "{X} and {Y} cruise on frictionless ice{same}",
    ],
    "slide": [
        "{X} and {Y} slide across a floor with friction{same} until they come to rest",
        "{X} and {Y} are slid along a rough floor{same} and slow down",
        "{X} and {Y} are given a shove{same} on a surface with friction",
        "{X} and {Y} skid along the ground{same} and friction slows them",
        "{X} and {Y} glide over a rough surface{same} until friction stops them",
        "{X} and {Y} are pushed once and then slide{same} on a rough table",
        "{X} and {Y} slide{same} across the carpet",
        "{X} and {Y} are sent sliding{same} along a floor with friction",
    ],
    "ramp": [
        "{X} and {Y} slide down frictionless ramps from rest{same}", "{X} and {Y} are released from rest on frictionless inclines{same}",
        "{X} and {Y} slide without friction down slopes{same}", "{X} and {Y} start at rest on smooth inclined planes{same}",
        "{X} and {Y} slide down frictionless slopes{same}", "{X} and {Y} are let go on frictionless ramps{same}",
        "{X} and {Y} slip down frictionless inclined planes{same}", "{X} and {Y} go down frictionless slides{same}",
    ],
    "rough_ramp": [
        "{X} and {Y} slide from rest down the same ramp{same}", "{X} and {Y} are released on the same incline{same}",
        "{X} and {Y} slide down one slope{same}", "{X} and {Y} start at rest on the same inclined plane{same}",
        "{X} and {Y} slide down the same hill{same}", "{X} and {Y} go down the same ramp{same}",
        "{X} and {Y} are let go on one incline{same}", "{X} and {Y} slip down the same slope{same}",
    ],
    "collide": [
        "{M} slides toward {T}, which is at rest, and hits it head-on",
        "{M} moves along a frictionless track and collides head-on with {T}, which is stationary",
        "{T} sits still on a frictionless surface and {M} runs into it",
        "{M} strikes {T}, which is initially at rest",
        "{M} crashes into {T}, which is not moving", "{M} rolls into {T}, which is motionless",
        "{M} is moving and hits {T}, which is standing still", "{M} bumps into {T}, initially at rest",
    ],
}

SAME_CLAUSE = {
    "height": [" from the same height", " from equal heights", " from the same level", " at the same height"],
    "speed": [" with the same speed", " at equal speeds", " with identical speeds", " at the same speed"],
    "force": [" by equal forces", " with the same force", " with identical forces", " by the same force"],
    "mass": [" (they have equal masses)", " (equal masses)", " (same mass)", " (the same mass)"],
    "angle": [" at the same angle", " with equal angles", " at identical angles", " at the same slope"],
}

ELASTIC = ["The collision is perfectly elastic", "No kinetic energy is lost in the collision",
           "The collision is elastic", "They bounce off each other elastically"]
STICK = ["They stick together after the collision", "The two objects stick together and move as one",
         "The collision is perfectly inelastic and they stick", "After impact they lock together"]
NO_AIR = ["Ignore air resistance", "Neglect air resistance", "There is no air resistance", "Air resistance is negligible"]

# ----- asked quantities -------------------------------------------------------------------------
QUESTIONS: dict[str, list[str]] = {
    "lands_first": ["Which one hits the ground first?", "Which lands first?", "Which reaches the ground sooner?",
                    "Which of them strikes the ground earlier?", "Which one touches down first?",
                    "Which arrives at the ground first?", "Which one hits the floor first?", "Who lands first?"],
    "faster_at_impact": ["Which is moving faster when it hits the ground?", "Which has the greater speed at impact?",
                         "Which one hits the ground with more speed?", "Which is faster just before landing?",
                         "Which has the higher impact speed?", "Which lands moving faster?",
                         "Which one is quicker when it reaches the ground?", "Which hits the floor at the greater speed?"],
    "more_ke_at_impact": ["Which has more kinetic energy when it hits the ground?", "Which has the greater kinetic energy at impact?",
                          "Which carries more kinetic energy just before landing?", "Which one lands with more kinetic energy?",
                          "Which has the larger kinetic energy on reaching the ground?", "Which one has more energy of motion at impact?",
                          "Which has more KE when it lands?", "Which reaches the ground with the higher kinetic energy?"],
    "more_momentum_at_impact": ["Which has more momentum when it hits the ground?", "Which has the greater momentum at impact?",
                                "Which carries more momentum just before landing?", "Which one lands with more momentum?",
                                "Which has the larger momentum on reaching the ground?", "Which hits the ground with the bigger momentum?",
                                "Which has more momentum when it lands?", "Which reaches the ground with the higher momentum?"],
    "rises_higher": ["Which rises higher?", "Which reaches the greater maximum height?", "Which one goes higher?",
                     "Which gets to the higher peak?", "Which climbs higher before coming down?",
                     "Whose highest point is higher?", "Which one reaches a greater height?", "Which goes up farther?"],
    "lands_farther": ["Which lands farther away?", "Which travels the greater horizontal distance?", "Which one lands further out?",
                      "Which has the longer range?", "Which lands farther from the launch point?",
                      "Which covers more horizontal distance before landing?", "Which one lands at a greater distance?",
                      "Which goes farther horizontally?"],
    "longer_in_air": ["Which stays in the air longer?", "Which has the longer flight time?", "Which one is airborne longer?",
                      "Which spends more time in the air?", "Which takes longer to come back down?",
                      "Which is in flight for more time?", "Which remains in the air for longer?", "Which one flies for longer?"],
    "accelerates_more": ["Which accelerates more?", "Which has the greater acceleration?", "Which one speeds up at a higher rate?",
                         "Which has the larger acceleration?", "Which gains speed faster?",
                         "Which one has more acceleration?", "Which picks up speed more quickly?", "Whose acceleration is bigger?"],
    "faster_at_end": ["Which is moving faster at the end?", "Which ends up faster?", "Which has the greater final speed?",
                      "Which one is quicker when the push stops?", "Which has the higher speed afterwards?",
                      "Which is going faster when the force stops?", "Which reaches the higher final velocity?", "Which ends with more speed?"],
    "goes_farther": ["Which goes farther in that time?", "Which travels a greater distance?", "Which covers more ground?",
                     "Which one moves farther in the same time?", "Which ends up farther from where it started?",
                     "Which travels further?", "Which one has moved more distance by the end?", "Which gets farther?"],
    "more_momentum": ["Which has more momentum at the end?", "Which ends with the greater momentum?",
                      "Which has the larger momentum afterwards?", "Which one carries more momentum at the end?",
                      "Which has more momentum once the force stops?", "Which has the bigger final momentum?",
                      "Whose momentum is greater at the end?", "Which ends up with more momentum?"],
    "slides_farther": ["Which slides farther?", "Which travels farther before stopping?", "Which one slides the greater distance?",
                       "Which goes farther before coming to rest?", "Which skids further?",
                       "Which covers more distance before it stops?", "Which one slides further?", "Which stops farther away?"],
    "stops_first": ["Which stops first?", "Which comes to rest sooner?", "Which one stops earlier?",
                    "Which halts first?", "Which stops moving first?", "Which comes to a stop first?",
                    "Which one is first to come to rest?", "Which takes less time to stop?"],
    "decelerates_more": ["Which slows down at the greater rate?", "Which has the larger deceleration?",
                         "Which loses speed faster?", "Which one decelerates more?", "Which slows more quickly?",
                         "Whose deceleration is larger?", "Which has the bigger deceleration?", "Which one slows down faster?"],
    "reaches_bottom_first": ["Which reaches the bottom first?", "Which gets to the bottom sooner?", "Which one arrives at the bottom first?",
                             "Which takes less time to reach the bottom?", "Which gets down first?",
                             "Which arrives at the foot of the ramp first?", "Which one reaches the end of the slope first?",
                             "Which is first at the bottom?"],
    "faster_at_bottom": ["Which is faster at the bottom?", "Which has the greater speed at the bottom?",
                         "Which one is moving faster when it reaches the bottom?", "Which reaches the bottom with more speed?",
                         "Which has the higher speed at the foot of the slope?", "Which arrives at the bottom moving faster?",
                         "Which is quicker at the bottom?", "Which has more speed at the bottom?"],
    "faster_after": ["Which is moving faster after the collision?", "Which has the greater speed after the collision?",
                     "Which one moves faster afterwards?", "After the collision, which is faster?",
                     "Which has the higher speed after impact?", "Which ends up moving faster?",
                     "Which is quicker after they collide?", "Which one has more speed after the crash?"],
    "more_momentum_after": ["Which has more momentum after the collision?", "Which has the greater momentum afterwards?",
                            "After the collision, which carries more momentum?", "Which has the larger momentum (in magnitude) after impact?",
                            "Which one has more momentum after they collide?", "Whose momentum is larger after the collision?",
                            "Which ends up with more momentum?", "Which has the bigger momentum after the crash?"],
    "more_ke_after": ["Which has more kinetic energy after the collision?", "Which has the greater kinetic energy afterwards?",
                      "After the collision, which carries more kinetic energy?", "Which has the larger kinetic energy after impact?",
                      "Which one has more kinetic energy after they collide?", "Whose kinetic energy is larger after the collision?",
                      "Which ends up with more kinetic energy?", "Which has more KE after the crash?"],
    "total_momentum_after": ["Is the total momentum after the collision greater than, smaller than, or the same as before?",
                             "Compared with before the collision, is the total momentum afterwards greater, smaller or the same?",
                             "How does the total momentum of the two after the collision compare with before?",
                             "Is the combined momentum after the impact greater, smaller, or unchanged compared with before?",
                             "After the collision, is the system's total momentum greater, smaller, or the same as before?",
                             "Does the total momentum after the collision end up greater, smaller or the same as before?",
                             "What happens to the total momentum in the collision: greater, smaller or the same?",
                             "Is the sum of the momenta after the collision greater, smaller, or equal to before?"],
    "reverses_direction": ["Which one reverses direction after the collision?", "Which bounces back?",
                           "Which one ends up moving backwards?", "Which changes direction after the collision?",
                           "Which rebounds after the impact?", "Which one turns around after they collide?",
                           "Which moves back the way it came?", "Which one bounces backward after hitting the other?"],
}


def _setup_kind(row_id: str) -> str:
    row = SUBTASKS[row_id]
    if row.scene == "free_fall":
        if row.conditions.get("medium") == "air":
            return "air"
        return "throw_up" if row.attribute == "speed" else "drop"
    if row.scene == "projection":
        return "angled" if row.attribute == "angle" else "horizontal"
    if row.scene == "motion":
        return "push" if row.conditions.get("push") else "coast"
    if row.scene == "friction":
        return "slide"
    if row.scene == "incline":
        return "rough_ramp" if row.attribute in ("friction", "height") else "ramp"
    return "collide"


def _same_clause(row_id: str, rng: np.random.Generator, pool: str) -> str:
    row = SUBTASKS[row_id]
    shared = {
        "drop": "height", "air": "height", "horizontal": "height" if row.attribute != "height" else "speed",
        "angled": "speed", "push": "force" if row.attribute != "force" else "mass",
        "coast": "speed" if row.attribute != "speed" else "mass", "slide": "speed" if row.attribute != "speed" else "mass",
        "ramp": "height", "rough_ramp": "angle",
    }.get(_setup_kind(row_id))
    if shared is None or shared == row.attribute or rng.random() < 0.15:
        return ""
    clause = _pick(rng, SAME_CLAUSE[shared], pool)
    if _setup_kind(row_id) == "horizontal" and row.attribute not in ("height", "speed") and rng.random() < 0.5:
        clause += " " + _pick(rng, SAME_CLAUSE["speed"], pool).strip()
    return clause


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def phrase(subtask: str, rng: np.random.Generator, pool: str = "train", names: tuple[str, str] | None = None,
           greater: str | None = None) -> tuple[str, dict[str, str], str | None]:
    """One question for a sub-task: (text, {"X": name, "Y": name}, greater)."""
    row = SUBTASKS[subtask]
    if names is None and greater is None and rng.random() < NARRATIVE_SHARE:
        return narrative(subtask, rng, pool)
    if names is None:
        names = ("X", "Y") if rng.random() < 0.3 else NAMES[int(rng.integers(len(NAMES)))]
        if rng.random() < 0.5:
            names = (names[1], names[0])
    objects = {"X": names[0], "Y": names[1]}
    if greater is None:
        greater = row.greater
        if row.scene != "collision" and rng.random() < 0.5:
            greater = "Y" if greater == "X" else "X"
    if row.attribute == "none":
        greater = None
    kind = _setup_kind(subtask)
    mover = objects[row.conditions.get("mover", "X")]
    target = objects["Y" if row.conditions.get("mover", "X") == "X" else "X"]
    setup = _pick(rng, SETUPS[kind], pool).format(X=names[0], Y=names[1], M=mover, T=target,
                                                  same=_same_clause(subtask, rng, pool) if kind != "collide" else "")
    sentences = [setup]
    if greater is not None:
        a, b = objects[greater], objects["Y" if greater == "X" else "X"]
        k = ["twice", "three times", "four times", "2.5 times"][int(rng.integers(4))]
        relation = _pick(rng, RELATIONS[row.attribute], pool).replace("{k} times", k if k != "twice" else "twice")
        relation = relation.replace("twice as", "twice as").replace("twice the", "twice the")
        sentences.append(relation.format(A=a, B=b, k=k))
    elif row.attribute == "none":
        sentences.append(_pick(rng, SAME["mass"], pool).format(X=names[0], Y=names[1]))
    if row.scene == "collision":
        sentences.append(_pick(rng, STICK if row.conditions.get("collision") == "inelastic" else ELASTIC, pool))
    elif row.scene in ("free_fall", "projection") and row.conditions.get("medium") != "air" and rng.random() < 0.4:
        sentences.append(_pick(rng, NO_AIR, pool))
    question = _pick(rng, QUESTIONS[row.quantity], pool)
    statements = [_cap(s.strip()) + "." for s in sentences]
    if len(statements) > 2 and rng.random() < 0.3:  # relation first
        statements[0], statements[1] = statements[1], statements[0]
    style = rng.random()
    if style < 0.2 and greater is not None and "?" not in statements[-1]:
        # "If A is heavier than B, which ...?"
        body = " ".join(statements[:1] + statements[2:])
        rel = statements[1].rstrip(".")
        if re.match(r"(The|A|There) ", rel):
            rel = rel[0].lower() + rel[1:]
        text = f"{body} If {rel}, {question[0].lower() + question[1:]}"
    elif style < 0.3:
        text = " ".join(statements) + " " + question.rstrip("?") + f": {names[0]} or {names[1]}?"
    else:
        text = " ".join(statements) + " " + question
    return text, objects, greater


# ----- unsupported questions ---------------------------------------------------------------------
NEGATIVES = [
    "Which bulb glows brighter in a series circuit, {X} with higher resistance or {Y}?",
    "{X} is a copper wire and {Y} is an iron wire of the same size. Which conducts electricity better?",
    "Which has the larger electric charge after rubbing, {X} or {Y}?",
    "{X} and {Y} are two resistors in parallel; {X} has the higher resistance. Which carries more current?",
    "Which lens bends light more, {X} which is thicker or {Y}?",
    "Light passes from {X} into {Y}. Which has the higher refractive index if the ray bends toward the normal?",
    "Which mirror makes a larger image, {X} (concave) or {Y} (flat)?",
    "{X} is a hot cup of coffee and {Y} is a warm cup. Which cools faster?",
    "Which melts first in the sun, {X} made of ice or {Y} made of butter?",
    "{X} holds boiling water and {Y} holds cold water. Which has more thermal energy?",
    "Which gas expands more when heated, {X} or {Y}?",
    "Which magnet is stronger, {X} or {Y}, if {X} picks up more paper clips?",
    "Which floats higher in water, {X} made of cork or {Y} made of wood?",
    "Which sound is louder, {X} at 60 dB or {Y} at 80 dB?",
    "Which pendulum swings with a longer period, {X} with the longer string or {Y}?",
    "Which spring stretches more under the same load, {X} (stiffer) or {Y}?",
    "Which planet has a longer year, {X} closer to the sun or {Y}?",
    "Which satellite orbits faster, {X} in low orbit or {Y} in high orbit?",
    "Which city has more people, {X} or {Y}?",
    "Which tastes sweeter, {X} or {Y}?",
    "Who wrote the better novel, {X} or {Y}?",
    "Which is the capital of France, {X} or {Y}?",
    "Which color is warmer, {X} or {Y}?",
    "Which animal is faster, {X} the cheetah or {Y} the turtle?",
    "Which stock will go up tomorrow, {X} or {Y}?",
    "Which language is older, {X} or {Y}?",
    "Which team will win the match, {X} or {Y}?",
    "Which is more expensive, {X} or {Y}?",
    "Which chemical reacts faster with acid, {X} (zinc) or {Y} (copper)?",
    "Which plant grows taller in the shade, {X} or {Y}?",
    "Which battery lasts longer in a flashlight, {X} or {Y}?",
    "Which radioactive sample decays faster, {X} with the shorter half-life or {Y}?",
    "Which wave has the higher frequency, {X} with the shorter wavelength or {Y}?",
    "Which is heavier on the Moon than on Earth, {X} or {Y}?",
    "Which rocket engine is more efficient, {X} or {Y}?",
    "Which material insulates heat better, {X} (wool) or {Y} (aluminium)?",
    "Which movie was released first, {X} or {Y}?",
    "Which song is more popular, {X} or {Y}?",
    "Which candle burns longer, {X} or {Y}?",
    "Which word comes first in the dictionary, {X} or {Y}?",
    "Which capacitor stores more energy at the same voltage, {X} with larger capacitance or {Y}?",
    "Which ice cube melts first, {X} in warm water or {Y} in cold water?",
    "Which balloon rises faster, {X} filled with helium or {Y} filled with hot air?",
    "Which prism separates colours more, {X} or {Y}?",
    "Which boils first, {X} at sea level or {Y} on a mountain?",
    "Which student is smarter, {X} or {Y}?",
    "Which has more calories, {X} or {Y}?",
    "Which wire heats up more when current flows, {X} or {Y}?",
]


def negative(rng: np.random.Generator, pool: str = "train") -> tuple[str, dict[str, str]]:
    """One unsupported question (other physics or not physics at all)."""
    if rng.random() < NARRATIVE_SHARE:
        return narrative_negative(rng, pool)
    names = ("X", "Y") if rng.random() < 0.3 else NAMES[int(rng.integers(len(NAMES)))]
    template = _pick(rng, NEGATIVES, pool)
    return template.format(X=names[0], Y=names[1]), {"X": names[0], "Y": names[1]}


# ----- narrative wordings: people, everyday objects, "one ..., the other ..." contrasts ----------
# Hand-written questions rarely say "X is heavier than Y": they tell a small story ("Grandpa
# slides two identical mugs along the bar, one at 4 m/s and the other at 1.5 m/s"), contrast
# the two objects by description ("one flicked gently, the other flicked hard"), and name the
# choices by that description ("the gently flicked block") or by their owners ("Mia's puck").
PEOPLE = ["Mia", "Noah", "Ava", "Ben", "Lena", "Sam", "Priya", "Leo", "Emma", "Jonas", "Omar", "Zoe", "Kenji",
          "Ana", "Grandpa", "Aunt Rosa", "Tom", "Chloe", "Ravi", "Ines", "Marco", "Yuki", "Felix", "Nora"]
OBJECTS = {
    "drop": ["key", "coin", "tennis ball", "apple", "water balloon", "stone", "bottle", "book", "marble", "pinecone",
             "sphere", "egg", "spoon", "ball", "toy", "shoe"],
    "throw_up": ["tennis ball", "baseball", "pebble", "beanbag", "ball", "stone", "coin", "rock"],
    "horizontal": ["dart", "ball", "marble", "toy car", "pebble", "stone", "package", "coin", "skateboard"],
    "angled": ["football", "soccer ball", "water balloon", "arrow", "golf ball", "ball", "rock", "javelin"],
    "push": ["crate", "cart", "hockey puck", "sled", "trolley", "toy train", "box", "wagon", "glider"],
    "coast": ["puck", "cart", "sled", "glider", "skater", "trolley", "boat", "ball"],
    "slide": ["mug", "book", "block", "coin", "puck", "box", "suitcase", "sled", "glass", "curling stone"],
    "ramp": ["block", "toy car", "box", "crate", "cube", "package", "sled", "skier"],
    "rough_ramp": ["block", "toy car", "box", "crate", "cube", "package", "sled", "brick"],
    "collide": ["wagon", "cart", "glider", "ball", "curling stone", "bumper car", "puck", "railcar", "billiard ball"],
}
ACTIONS = {  # what a person does with the objects ({o}: the objects)
    "drop": ["drops {o}", "lets go of {o}", "releases {o}", "lets {o} fall"],
    "throw_up": ["tosses {o} straight up", "throws {o} straight up", "launches {o} vertically", "flings {o} straight upward"],
    "horizontal": ["throws {o} horizontally", "rolls {o} off the edge of a table", "kicks {o} horizontally",
                   "pushes {o} off a flat roof, leaving horizontally", "fires {o} horizontally"],
    "angled": ["kicks {o} off the grass", "launches {o} from the ground", "throws {o} from ground level",
               "lobs {o} from the ground", "shoots {o} from flat ground"],
    "push": ["pushes {o}", "pulls {o}", "shoves {o}", "drags {o}"],
    "coast": ["sends {o} gliding", "gives {o} a start", "sets {o} moving", "launches {o}"],
    "slide": ["slides {o}", "flicks {o}", "shoves {o}", "sends {o}"],
    "ramp": ["lets go of {o}", "releases {o}", "sets down {o}", "lets {o} slide"],
    "rough_ramp": ["lets go of {o}", "releases {o}", "sets down {o}", "lets {o} slide"],
}
PARTICIPLE = {"drop": "dropped", "throw_up": "thrown", "horizontal": "launched", "angled": "kicked", "push": "pushed",
              "coast": "sent", "slide": "sent", "ramp": "released", "rough_ramp": "released"}
SETTINGS = {
    "drop": ["from the balcony", "off the bridge", "from the top of the climbing frame", "from a window",
             "off the roof", "from the tower", "over the railing", "from a tree house"],
    "throw_up": ["in the back yard", "on the beach", "in the park", "from the same spot on the ground"],
    "horizontal": ["off the same ledge", "from the same balcony", "off a cliff", "off the garage roof",
                   "from the same tower", "off the same table"],
    "angled": ["on the field", "at the park", "on flat ground", "from the same spot"],
    "push": ["across the frictionless ice", "on a frictionless air track", "over frictionless ice",
             "along a frictionless floor", "on a perfectly smooth, frictionless rink"],
    "coast": ["across frictionless ice", "on a frictionless track", "through deep space", "on an air hockey table"],
    "slide": ["along the bar counter", "across the tabletop", "along the floor", "across the desk",
              "down the corridor", "over the ice"],
    "ramp": ["on frictionless ramps", "on a frictionless slide", "on frictionless slopes", "down frictionless chutes"],
    "rough_ramp": ["on a ramp", "on the slide", "down the slope", "on an incline"],
}
# (more, less) descriptions of one object each; {a} > {b} numbers filled in per attribute
CONTRASTS = {
    "mass": [("full", "empty"), ("solid", "hollow"), ("{a} kg", "{b} kg"), ("loaded", "empty"), ("heavier", "lighter"),
             ("heavily loaded", "lightly loaded"), ("much heavier", "much lighter"), ("{a} kg", "{b} kg"), ("solid lead", "light plastic"),
             ("heavy", "light"), ("fully loaded", "unloaded"), ("heavy steel", "hollow aluminium")],
    "height": [("from the {oa} floor", "from the {ob} floor"), ("from {a} m up", "from {b} m up"),
               ("from the very top", "from halfway up"), ("from a high branch", "from a low branch"),
               ("from high up", "from low down"), ("from a {a} m high ledge", "from a {b} m high ledge"),
               ("from the top", "from near the bottom"), ("from the roof", "from the first step"),
               ("from a tall tower", "from a short wall"), ("from the upper deck", "from the lower deck"),
               ("from a height of {a} m", "from a height of {b} m"), ("from the higher shelf", "from the lower shelf")],
    "speed": [("flicked hard", "flicked gently"), ("fast", "slowly"), ("at {a} m/s", "at {b} m/s"),
              ("with a hard throw", "with a gentle toss"), ("zipping along", "barely moving"), ("quickly", "slowly"),
              ("at high speed", "at low speed"), ("as hard as possible", "with a light tap"), ("at {a} km/h", "at {b} km/h"),
              ("with a strong shove", "with a soft nudge"), ("twice as fast", "at normal speed"), ("moving fast", "moving slowly")],
    "angle": [("at a steep angle", "at a low, flat angle"), ("at {a} degrees", "at {b} degrees"),
              ("aimed steeply", "aimed almost flat"), ("at a sharp upward angle", "at a shallow angle"),
              ("nearly vertical", "nearly horizontal"), ("on a steep ramp", "on a gentle ramp"),
              ("at {a} degrees above the ground", "at {b} degrees above the ground"), ("steeply", "gradually"),
              ("tilted at {a} degrees", "tilted at {b} degrees"), ("on the steep slope", "on the shallow slope"),
              ("at a high angle", "at a low angle"), ("lofted high", "kept low and flat")],
    "force": [("with a hard shove", "with a gentle push"), ("with {a} N", "with {b} N"), ("hard", "gently"),
              ("with a much larger force", "with a small force"), ("with a strong pull", "with a weak pull"),
              ("with twice the force", "with the usual force"), ("firmly", "lightly"), ("with a force of {a} N", "with a force of {b} N"),
              ("with all their strength", "with a light touch"), ("strongly", "weakly"), ("with a big force", "with a tiny force"),
              ("with a heavy push", "with a soft push")],
    "friction": [("on rough wood", "on polished glass"), ("on carpet", "on a tiled floor"), ("left rough", "sanded smooth"),
                 ("with friction coefficient {ca}", "with friction coefficient {cb}"), ("on concrete", "on ice"),
                 ("on sandpaper", "on waxed wood"), ("on a rubber mat", "on a slick plastic sheet"),
                 ("on gravel", "on an icy path"), ("with a felt pad underneath", "with a slick plastic base"),
                 ("on a sticky surface", "on a slippery surface"), ("(coefficient of friction {ca})", "(coefficient of friction {cb})"),
                 ("on a rough board", "on a smooth board")],
}
ORDINAL = ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "twelfth"]
FILLERS = [
    "My son insists this is obvious.", "This came up at dinner.", "Here is a quick physics puzzle.",
    "Exam question.", "It is for a school project.", "We tried this in the garden.", "Think carefully.",
    "This is a thought experiment.", "It is a calm day.", "This is from a physics lab.", "Just for fun:",
    "My friend and I argued about this.", "We saw this in class today.", "Imagine this.", "Here is the set-up.",
    "At the science fair, we set this up.",
]
STICK_INFORMAL = ["the couplers latch and the two roll on together", "they hook together and move off as one",
                  "the putty makes them stick together", "they stay stuck together afterwards",
                  "the velcro pads grab and they move on together", "they latch and keep rolling as one"]
ELASTIC_INFORMAL = ["they bounce apart with no energy lost", "the bounce is perfectly elastic",
                    "it is a perfectly elastic, head-on hit", "they bounce off each other like ideal billiard balls",
                    "the collision loses no kinetic energy", "they spring apart elastically"]
NO_AIR_INFORMAL = ["No air resistance.", "Ignore the air.", "Neglect air drag.", "Pretend there is no air.",
                   "Air drag can be ignored.", "It happens in a vacuum."]


def _numbers(attribute: str, rng: np.random.Generator) -> dict[str, str]:
    lo = {"mass": (0.5, 12), "height": (1, 40), "speed": (1, 30), "angle": (15, 75), "force": (2, 400)}.get(attribute, (1, 10))
    a = float(rng.uniform(*lo))
    b = a / float(rng.uniform(1.4, 4.0))
    if attribute == "angle":
        b = max(5.0, a - float(rng.uniform(15, 40)))
    fmt = (lambda v: f"{v:.0f}") if a >= 10 else (lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
    ia = int(rng.integers(3, len(ORDINAL)))
    ib = int(rng.integers(0, ia))
    ca = float(rng.uniform(0.3, 0.8))
    return {"a": fmt(a), "b": fmt(b) if fmt(b) != fmt(a) else fmt(b * 0.5), "oa": ORDINAL[ia], "ob": ORDINAL[ib],
            "ca": f"{ca:.1f}", "cb": f"{ca / float(rng.uniform(2, 5)):.2f}".rstrip("0")}


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _choice_from(desc: str, obj: str, kind: str, attribute: str) -> str:
    """A choice naming an object by its description: "flicked gently" -> "the block flicked gently"."""
    if attribute == "mass":
        return f"the {desc} {obj}"
    if re.match(r"(at|with|on|from|in|to|tilted|aimed|flicked|moving|nearly|left|sanded|lofted|kept|zipping|barely|as|twice|"
                r"\()\b", desc):
        return f"the {obj} {desc.strip(' ()')}"
    return f"the {obj} {PARTICIPLE[kind]} {desc}"


def narrative(subtask: str, rng: np.random.Generator, pool: str = "train") -> tuple[str, dict[str, str], str | None]:
    """One story-like question for a sub-task: (text, {"X": choice, "Y": choice}, greater)."""
    row = SUBTASKS[subtask]
    kind = _setup_kind(subtask)
    kind = "drop" if kind == "air" else kind
    obj = _pick(rng, OBJECTS[kind], pool)
    plural = obj + ("es" if obj.endswith(("s", "sh", "ch")) else "s")
    people = [PEOPLE[i] for i in rng.choice(len(PEOPLE), 2, replace=False)]
    question = _pick(rng, QUESTIONS[row.quantity], pool)
    if rng.random() < 0.5:
        question = re.sub(r"^Which( one| of them)?\b", _pick(rng, [f"Which {obj}", "Which one", f"Which of the two {plural}",
                                                                   "Which", f"Whose {obj}", "Which of them"], pool), question)
    if kind == "collide":
        return _collision_story(subtask, rng, pool, obj, question)
    attribute = row.attribute
    nums = _numbers(attribute, rng)
    more, less = _pick(rng, CONTRASTS[attribute], pool)
    more, less = more.format(**nums), less.format(**nums)
    greater = "X" if rng.random() < 0.5 else "Y"
    first_more = rng.random() < 0.5
    action = _pick(rng, ACTIONS[kind], pool)
    setting = _pick(rng, SETTINGS[kind], pool)
    same = _same_clause(subtask, rng, pool)
    alike = "same-sized" if attribute == "mass" else "identical"
    d1, d2 = (more, less) if first_more else (less, more)
    if attribute == "mass":  # adjectives: "one is full, the other empty"; "Mia drops a full bottle"
        pred = [("weighs " + d if "kg" in d else "is " + d) for d in (d1, d2)]
    else:
        pred = [d1, d2]
    if rng.random() < 0.45:  # "one ..., the other ..."
        joint = _pick(rng, ["{d1}, the other {d2}", "{d1} and the other {d2}", "{d1} and one {d2}",
                            "{d1}, while the other {d2}", "{d1}; the other {d2}", "{d1}, another {d2}"], pool)
        who = _pick(rng, [f"{people[0]} " + action.format(o=f"two {alike} {plural}"),
                          f"Two {alike} {plural} are used by {people[0]}",
                          f"{people[0]} and {people[1]} each take " + ("an" if alike[0] == "i" else "a") + f" {alike} {obj}",
                          f"There are two {alike} {plural}, and {people[0]} " + action.format(o="them")], pool)
        body = f"{who} {setting}{same}: one " + joint.format(d1=pred[0], d2=pred[1]) + "."
        names = (_choice_from(more, obj, kind, attribute), _choice_from(less, obj, kind, attribute))
        greater_first = True
    else:  # per person: "Mia pushes hers with ... while Noah pushes his ..."
        one, two = people
        if attribute == "mass":
            o1, o2 = _article(d1) + f" {d1} {obj}", _article(d2) + f" {d2} one"
            body = _pick(rng, [f"{one} {action.format(o=o1)} while {two} {action.format(o=o2)}",
                               f"{one} {action.format(o=o1)}, and {two} {action.format(o=o2)}",
                               f"{one} {action.format(o=o1)}; {two} {action.format(o=o2)}"], pool)
        else:
            body = _pick(rng, [f"{one} {action.format(o=f'a {obj}')} {d1} while {two} {action.format(o='an identical one')} {d2}",
                               f"{one} {action.format(o='hers')} {d1}, and {two} {action.format(o='his')} {d2}",
                               f"{one} {action.format(o=f'one {obj}')} {d1}; {two} {action.format(o='another')} {d2}",
                               f"{one} and {two} each have an identical {obj}: {one} {action.format(o='hers')} {d1}, "
                               f"{two} {action.format(o='his')} {d2}"], pool)
        body += f" {setting}{same}."
        names = (f"{one}'s {obj}", f"{two}'s {obj}")
        greater_first = first_more
    sentences = []
    if rng.random() < 0.3:
        sentences.append(_pick(rng, FILLERS, pool))
    sentences.append(_cap(body.replace(" .", ".")))
    if row.scene in ("free_fall", "projection") and row.conditions.get("medium") != "air" and rng.random() < 0.5:
        sentences.append(_pick(rng, NO_AIR_INFORMAL, pool))
    if row.conditions.get("medium") == "air":
        sentences.append(_pick(rng, ["Air resistance matters here.", "They fall through ordinary air.",
                                     "Take air drag into account.", "Both are the same size and shape, and air resistance counts."],
                               pool))
    text = " ".join(sentences) + " " + question
    if not greater_first:
        names = (names[1], names[0])  # names[0] is now the one with less
    if greater == "Y":
        names = (names[1], names[0])
    return text, {"X": names[0], "Y": names[1]}, greater


def _collision_story(subtask: str, rng: np.random.Generator, pool: str, obj: str,
                     question: str) -> tuple[str, dict[str, str], str | None]:
    row = SUBTASKS[subtask]
    heavy, light = _pick(rng, [("loaded", "empty"), ("heavy", "light"), ("big", "small"), ("full", "empty"),
                               ("{a} kg", "{b} kg"), ("massive", "light")], pool)
    nums = _numbers("mass", rng)
    heavy, light = heavy.format(**nums), light.format(**nums)
    if row.attribute == "none":
        mover_adj = target_adj = ""
    elif row.greater == "X" or row.quantity == "total_momentum_after" and rng.random() < 0.5:
        mover_adj, target_adj = heavy + " ", light + " "
    else:
        mover_adj, target_adj = light + " ", heavy + " "
    still = _pick(rng, ["standing still", "at rest", "parked", "sitting still", "that is not moving", "waiting motionless"], pool)
    motion = _pick(rng, ["rolls into", "slides into", "crashes into", "runs into", "bumps into", "smacks into"], pool)
    how = _pick(rng, STICK_INFORMAL if row.conditions.get("collision") == "inelastic" else ELASTIC_INFORMAL, pool)
    target = "an identical" if row.attribute == "none" else ("an" if target_adj[:1] in "aeiou" else "a") + f" {target_adj.strip()}"
    text = (f"A {mover_adj}{obj} {motion} {target} {obj} {still}; {how}. " + question).replace("  ", " ")
    if rng.random() < 0.3:
        text = _pick(rng, FILLERS, pool) + " " + text
    if row.quantity == "total_momentum_after":
        return text, {"X": f"the {mover_adj.strip()} {obj}".replace("  ", " "), "Y": f"the {target_adj.strip()} {obj}"}, None
    names = {"X": f"the {mover_adj.strip()} {obj}" if mover_adj else f"the moving {obj}",
             "Y": f"the {target_adj.strip()} {obj}" if target_adj else f"the {obj} that was at rest"}
    return text, names, None if row.attribute == "none" else row.greater


NARRATIVE_NEGATIVES = [
    "{P} pours hot tea into one mug and lukewarm tea into another. Which mug cools down faster?",
    "{P} and {Q} each build a circuit; {P}'s bulb has the higher resistance. Whose bulb glows brighter?",
    "{P} holds two magnets, one twice as strong as the other. Which one picks up more paper clips?",
    "Two identical balloons are filled, one with helium and one with air, by {P}. Which one floats up?",
    "{P} strikes two tuning forks, one gently and one hard. Which one has the higher pitch?",
    "{P} swings two pendulums, one with a long string and the other with a short one. Which swings back and forth faster?",
    "{P} puts an ice cube in warm water and another in cold water. Which melts first?",
    "{P} looks through two lenses, one thick and one thin. Which bends light more?",
    "{P} plants two seeds, one in the sun and the other in the shade. Which grows taller?",
    "{P} and {Q} run a race; {P} trained harder. Who wins?",
    "{P} charges two phones, one with a fast charger and one with a slow one. Which one is full first?",
    "{P} drops a stone into a pond and {Q} drops a pebble. Which makes the louder sound?",
    "Two satellites orbit the Earth, one high and the other low. Which one goes around faster?",
    "{P} heats two pots of water, one full and the other half full. Which boils first?",
    "{P} stretches two springs, one stiff and one soft, with the same weight. Which stretches more?",
    "{P} floats two blocks in water, one of cork and the other of oak. Which floats higher?",
    "{P} bakes two cakes, one at 180 degrees and the other at 200 degrees. Which one is tastier?",
    "{P} rubs two balloons on a sweater, one for longer than the other. Which one gets more charge?",
    "{P} and {Q} each buy a car; {P}'s is cheaper. Whose car is more reliable?",
    "{P} shines a torch through two prisms, one of glass and the other of plastic. Which spreads the colours more?",
]


def narrative_negative(rng: np.random.Generator, pool: str = "train") -> tuple[str, dict[str, str]]:
    people = [PEOPLE[i] for i in rng.choice(len(PEOPLE), 2, replace=False)]
    text = _pick(rng, NARRATIVE_NEGATIVES, pool).format(P=people[0], Q=people[1])
    return text, {"X": f"{people[0]}'s", "Y": f"{people[1]}'s"}
