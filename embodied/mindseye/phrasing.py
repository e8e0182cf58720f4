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
    names = ("X", "Y") if rng.random() < 0.3 else NAMES[int(rng.integers(len(NAMES)))]
    template = _pick(rng, NEGATIVES, pool)
    return template.format(X=names[0], Y=names[1]), {"X": names[0], "Y": names[1]}
