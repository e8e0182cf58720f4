"""Words for the omnimodel: the held-out phrasings and the generator of commands (its training
side comes from `phrasebook`), step splitting, the words that name a prop in a step
(`object_phrase`: what the pointing head is conditioned on), negation and contradiction checks,
and schema-driven argument extraction (directions, numbers).

What the learned model decides (which skill, whether a clause asks for anything, which prop) is
not here; this module only does what text rules do reliably: cut "A and then B" into steps,
find "don't", cut "the crimson block" out of "could you grab the crimson block", read "10 cm".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embodied.errors import EmbodiedError, UnknownNameError
from embodied.omni import phrasebook as P
from embodied.scene import COLORS, SHAPES

# ----- the classes the skill head predicts ------------------------------------------------
ARM_SKILLS = ("reach", "pick", "place", "push", "open_gripper", "close_gripper", "home")
LEGGED_SKILLS = ("walk", "turn", "stand", "get_up", "kick_ball")
UNSUPPORTED, FOREIGN, REMARK = "unsupported", "foreign", "remark"
# REMARK: a clause that asks for no action ("thanks", "it's in my way", "leave the rest alone")
SKILL_CLASSES = ARM_SKILLS + LEGGED_SKILLS + (UNSUPPORTED, FOREIGN, REMARK)
PROP_SKILLS = ("reach", "pick", "push")  # skills whose main argument is a prop seen in the image

COLOR_NAMES = tuple(COLORS)
SHAPE_WORDS = {"cube": ("cube", "block", "box"), "ball": ("ball", "sphere"), "cylinder": ("cylinder", "can", "tube")}
UNKNOWN_NOUNS = {"train": ("elephant", "banana", "car", "dog", "apple", "phone", "cup", "pen", "hat", "bottle",
                           "duck", "book", "spoon", "key", "shoe", "plate"),
                 "test": ("giraffe", "teapot", "pyramid", "cone", "mug", "star", "sock", "donut")}
# every word for a colour or a shape (synonyms of both splits: the rules must read them all)
COLOR_OF = {w: c for c, splits in P.COLOR_SYNONYMS.items() for w in (c,) + splits["train"] + splits["test"]}
SHAPE_OF = {w: s for s, splits in P.SHAPE_SYNONYMS.items() for w in splits["base"] + splits["train"] + splits["test"]}
DIRECTION_WORDS = {"left": ("left",), "right": ("right",), "forward": ("forward", "forwards", "ahead", "away"),
                   "back": ("back", "backward", "backwards", "towards me", "toward me")}

# ----- phrasings: {o} a prop, {p} a destination prop, {d} a direction ----------------------
TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "pick": {
        "train": ("i want the {o} in your hand", "hold the {o} up in the air", "hold the {o}", "take hold of the {o}", "grip the {o}", "get a grip on the {o}",
                  "lift the {o} off the table", "i need the {o} in your hand", "bring the {o} up", "pluck the {o}",
                  "scoop up the {o}", "pick the {o} off the table", "fetch the {o}", "retrieve the {o}",
                  "pick up the {o} and hold it", "pick up the {o}", "lift the {o}", "grab the {o}", "take the {o}",
                  "pick the {o} up",
                  "could you pick up the {o}", "please grab the {o}", "get the {o}", "raise the {o}",
                  "i want you to pick up the {o}", "lift up the {o} please", "seize the {o}", "grasp the {o}",
                  "pick up that {o}", "collect the {o}", "elevate the {o}",
                  "pick up the {o} off the table", "lift the {o} up high"),
        "test": ("can you lift the {o} for me", "snatch the {o}", "go ahead and pick up the {o}", "hoist the {o}",
                 "grab hold of the {o}", "please pick the {o} up off the table"),
    },
    "reach": {
        "train": ("hover above the {o}", "move close to the {o}", "go near the {o}", "move next to the {o}",
                  "bring your hand close to the {o}", "put the gripper over the {o}", "move toward the {o}",
                  "place your gripper beside the {o}", "extend your arm to the {o}", "stretch out to the {o}",
                  "go to the {o} without grabbing it", "move above the {o}", "reach the {o}", "touch the {o}",
                  "move your gripper to the {o}", "go to the {o}",
                  "point at the {o}", "move to the {o}", "reach for the {o}", "approach the {o}",
                  "move the arm to the {o}", "put your hand near the {o}", "please touch the {o}",
                  "move the end effector to the {o}", "reach out to the {o}"),
        "test": ("bring the gripper to the {o}", "position the gripper at the {o}", "go over to the {o}",
                 "tap the {o}", "could you reach toward the {o}"),
    },
    "push": {
        "train": ("have the {o} pushed {d}", "get the {o} moved to the {d}", "push the {o} {d} by 5 cm", "push the {o} 10 cm to the {d}", "slide the {o} {d} by 3 cm",
                  "nudge the {o} 2 cm {d}", "move the {o} 8 cm {d}", "shove the {o} to the {d} by 15 cm",
                  "move the {o} {d}", "move the {o} to the {d}", "bump the {o} to the {d}", "poke the {o} {d}",
                  "knock the {o} {d}", "scoot the {o} {d}", "roll the {o} {d}", "shift the {o} {d}",
                  "send the {o} {d}", "push the {o} a little to the {d}", "i want the {o} moved {d}",
                  "push the {o} to the {d}", "shove the {o} {d}", "slide the {o} {d}", "nudge the {o} to the {d}",
                  "push the {o} {d}", "please push the {o} to the {d}", "slide the {o} to the {d} a bit",
                  "give the {o} a shove to the {d}"),
        "test": ("give the {o} a push to the {d}", "press the {o} toward the {d}", "slide the {o} over to the {d}",
                 "could you shove the {o} {d}"),
    },
    "place": {
        "train": ("i want the {o} sitting on the {p}", "i want the {o} lying on top of the {p}", "set the {o} down on the {p}", "lower the {o} onto the {p}", "put the {o} down on top of the {p}",
                  "stack the {o} atop the {p}", "i want the {o} on the {p}", "balance the {o} on the {p}",
                  "position the {o} on top of the {p}", "transfer the {o} onto the {p}", "pile the {o} on the {p}",
                  "deposit the {o} on the {p}", "move the {o} so it sits on the {p}", "put the {o} on the {p}",
                  "stack the {o} on the {p}", "place the {o} on top of the {p}",
                  "set the {o} onto the {p}", "move the {o} onto the {p}", "put the {o} on top of the {p}",
                  "stack the {o} onto the {p}", "place the {o} on the {p}"),
        "test": ("rest the {o} upon the {p}", "drop the {o} onto the {p}", "lay the {o} on top of the {p}"),
    },
    "pick_it": {  # after a step that names the prop: the pick goes on ("grab the red cube and lift it")
        "train": ("lift it", "raise it up", "hold it up", "hold onto it", "pick it up", "keep it in your hand",
                  "lift it off the table", "take it"),
        "test": ("hoist it", "raise it"),
    },
    "place_it": {
        "train": ("release it above the {p}", "let it go over the {p}", "set it down on top of the {p}", "lower it onto the {p}", "put it down on the {p}",
                  "balance it on the {p}", "position it on the {p}", "stack it atop the {p}", "deposit it on the {p}",
                  "leave it on the {p}", "put it on the {p}", "place it on top of the {p}", "stack it on the {p}",
                  "set it down on the {p}",
                  "put it onto the {p}", "place it on the {p}"),
        "test": ("drop it onto the {p}", "rest it upon the {p}", "lay it on top of the {p}"),
    },
    "open_gripper": {
        "train": ("open the jaws", "spread the gripper", "unclamp", "separate the fingers", "loosen the grip",
                  "drop it", "open the gripper", "open your hand", "release", "let go", "open the claw",
                  "open up the gripper",
                  "release the gripper", "open your gripper please",
                  "open the fingers", "unclench the gripper", "widen the gripper", "relax your grip"),
        "test": ("open your fingers", "spread the fingers", "let it go"),
    },
    "close_gripper": {
        "train": ("clamp the gripper", "clamp your fingers shut", "pinch the fingers together",
                  "bring the fingers together", "grip tight", "close the jaws", "shut the claw", "close the gripper",
                  "close your hand", "shut the gripper", "clench the gripper", "close the claw",
                  "make a fist", "close your gripper please"),
        "test": ("close your fingers", "squeeze the fingers shut", "shut your hand"),
    },
    "home": {
        "train": ("return to neutral", "go to the neutral position", "return to the starting position", "go to your rest pose", "park the arm", "retract the arm",
                  "move back to the initial pose", "reset your position", "go home", "return to home position",
                  "go back to the start pose", "reset the arm",
                  "move to the home position", "go back home", "return to the home pose", "back to home"),
        "test": ("return to your resting pose", "go back to where you started", "head home"),
    },
    "walk": {
        "train": ("walk {d} 1 meter", "go {d} for 2 m", "walk 3 meters {d}", "step {d}", "walk {d} a little", "move {d} a bit", "go {d} for a while", "advance {d}",
                  "wander {d}", "proceed {d}", "make your way {d}", "walk {d}", "go {d}", "move {d}",
                  "walk {d} slowly", "run {d}", "trot {d}", "walk {d} quickly",
                  "please walk {d}", "take a few steps {d}", "go {d} fast"),
        "test": ("stroll {d}", "head {d}", "jog {d}", "march {d}"),
    },
    "turn": {
        "train": ("face {s}", "turn towards the {s}", "rotate to your {s}", "twist {s}", "do a {s} turn",
                  "rotate 30 degrees {s}", "turn 60 degrees to the {s}", "turn {s}", "turn {s} by 90 degrees",
                  "rotate {s}", "spin to the {s}", "turn to the {s}",
                  "rotate 45 degrees to the {s}", "turn around", "make a {s} turn"),
        "test": ("pivot {s}", "swivel to the {s}", "rotate yourself {s} by 30 degrees"),
    },
    "stand": {
        "train": ("don't move", "be still", "wait here", "stay put", "pause", "hold your position", "stand still",
                  "stop", "halt", "stay", "hold still", "freeze", "stay where you are", "stand"),
        "test": ("remain still", "stop moving", "keep still"),
    },
    "get_up": {
        "train": ("get back on your legs", "right yourself", "stand up again", "get up from the floor",
                  "climb back to your feet", "get up", "stand up", "get back on your feet", "recover",
                  "get up off the ground", "stand back up",
                  "get up please", "get yourself up", "get on your feet again", "recover from the fall",
                  "get back up", "stand yourself up"),
        "test": ("rise to your feet", "pick yourself up", "rise up"),
    },
    "kick_ball": {
        "train": ("kick the soccer ball", "give the ball a kick", "shoot the ball at the goal", "punt the ball",
                  "tap the ball with your foot", "take a shot at the goal", "kick the ball", "shoot the ball",
                  "kick the ball into the goal", "score a goal", "kick the ball away",
                  "shoot at the goal", "kick the ball into the net", "send the ball into the goal",
                  "hit the ball with your foot", "score"),
        "test": ("boot the ball", "strike the ball toward the goal", "put the ball in the net"),
    },
    UNSUPPORTED: {
        "train": ("do my homework", "vacuum the floor", "open the door", "turn on the tv", "take out the trash",
                  "make coffee", "iron my shirt", "book a flight", "translate this text", "play some music",
                  "charge my phone", "pour me a drink", "hug me", "lick the {o}", "hide the {o}", "melt the {o}",
                  "sell the {o}", "write an email", "what is the capital of france", "sing a song", "sing",
                  "fly to the moon", "dance", "make me a sandwich", "cook dinner",
                  "tell me a joke", "paint the wall", "jump over the table", "swim", "write a poem",
                  "play the piano", "call my mom", "do a backflip", "bake a cake", "read a book", "drive the car",
                  "feed the cat", "fly", "whistle", "eat the {o}", "paint the {o} green", "smell the {o}",
                  "sing to the {o}", "throw the {o} at the wall", "break the {o}", "what time is it",
                  "order a pizza", "clean the kitchen", "laugh", "sleep", "teleport to paris", "answer the phone", "sew a dress", "fold the laundry",
                  "build a house", "mow the lawn", "paint a picture", "brush your teeth"),
        "test": ("sing the national anthem", "fly like a bird", "knit a sweater", "play chess with me",
                 "wash the dishes", "climb the tree", "recite a poem", "launch a rocket", "cut the {o} in half",
                 "kiss the {o}", "water the plants"),
    },
}
TEMPLATES[REMARK] = {"train": (), "test": (  # training remarks come from the phrasebook
    "much appreciated", "nice and easy", "that's the one i want", "no hurry", "be careful with it",
    "it's for my project", "i'm watching", "good robot")}
FOREIGN_TEMPLATES = {
    "train": ("prends le {o}", "ramasse le {o}", "pousse le {o} à gauche", "chante une chanson", "touche le {o}",
              "recoge el {o}", "toma el {o}", "empuja el {o}", "canta una canción", "toca el {o}",
              "nimm den {o}", "heb den {o} auf", "schieb den {o} nach links", "sing ein lied", "berühre den {o}"),
    "test": ("prendi il {o}", "spingi il {o} a sinistra", "tocca il {o}", "pegue o {o}", "empurre o {o}",
             "pak de {o} op"),
}
FOREIGN_WORDS = {"red": ("rouge", "rojo", "roten", "rosso", "vermelho", "rode"),
                 "blue": ("bleu", "azul", "blauen", "blu", "azul", "blauwe"),
                 "green": ("vert", "verde", "grünen", "verde", "verde", "groene"),
                 "cube": ("cube", "cubo", "würfel", "cubo", "cubo", "kubus"),
                 "ball": ("balle", "pelota", "ball", "palla", "bola", "bal")}
NOUN_PHRASES = ("the {o}", "{o}", "that {o}", "the {o} please", "on the {p}", "onto the {p}", "on top of the {p}",
                "upon the {p}")
CONNECTIVES = {"train": (" and ", " and then ", ", then ", " then ", "; ", ", and then ", " after that "),
               "test": (". then ", ", after that ", " and afterwards ")}

# prepositions that start a place step's destination
_COLOR_FIRST_WORDS = sorted({w.split()[0] for w in COLOR_OF}, key=len, reverse=True)
_DESTINATION = re.compile(r"\s+(on top of|onto|on|upon|atop|over to|across to|over|on top)\s+(?=(the|a|an|that|this|"
                          + "|".join(_COLOR_FIRST_WORDS) + r")\b)")
_SPLIT = re.compile(r"\s*(?:,?\s*and then\b|,?\s*and afterwards\b|,?\s*after that\b|\bthen\b|;|[.?!]\s+|\s-+\s|"
                    r",?\s*\band\b|,?\s*\bbut\b|,|:)\s*")
_NEGATION = re.compile(r"\b(don'?t|do not|never|not|no)\b")
_NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)\s*(cm|centimet(?:er|re)s?|mm|m|meters?|metres?|degrees?|deg|°|m/s)?\b")
MAX_CHARS, MAX_WORDS, MAX_STEPS = 300, 45, 4


# slips of fast typing, and texting shorthand, that are never a word of their own here
_TYPOS = {"teh": "the", "hte": "the", "adn": "and", "nad": "and", "taht": "that", "thsi": "this", "u": "you",
          "ur": "your", "yuo": "you", "cna": "can", "pls": "please", "plz": "please", "plse": "please",
          "thx": "thanks", "onot": "onto"}
_TYPO = re.compile(r"\b(" + "|".join(_TYPOS) + r")\b(?!-)")
# the robot's hand by the names engineers give it; said "gripper" only in steps that name no
# prop (the skill head reads "close the end effector" as a prop skill; with a prop named, the
# prop already decides)
_HAND = re.compile(r"\b(?:end[- ]effector|effector|eef|pincers?|jaws)\b")


def normalize(text: str) -> str:
    text = text.strip().lower().replace("’", "'")
    text = _TYPO.sub(lambda m: _TYPOS[m.group(1)], text)
    text = re.sub(r"[!?]+$", "", text)
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(". ").strip()


def precheck(command: str) -> str | None:
    """A refusal reason for commands no model should try (empty, too long, non-Latin script)."""
    text = command.strip()
    if not text or not re.search(r"[a-zA-Z\u00c0-\u024f]", text) and not re.search(r"[^\x00-\x7f]", text):
        return "the command is empty"
    if len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS:
        return f"the command is too long ({len(text.split())} words); give at most {MAX_STEPS} short steps"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(ord(c) > 0x24F for c in letters) > 0.3 * len(letters):
        return "I only understand English commands"
    return None


_POLITE = re.compile(r"^(?:(?:please|kindly|now|just|ok|okay|hey|robot|could you|can you|would you|will you|"
                     r"i want you to|i'd like you to|i would like you to|i need you to|go ahead and|"
                     r"use (?:the|your) (?:gripper|hand|arm|fingers|claw) to)\s+)+")
_POLITE_END = re.compile(r"(?:\s+(?:please|for me|now))+$")


def strip_polite(step: str) -> str:
    """"go ahead and pick up the red cube please" -> "pick up the red cube" (never empties a step)."""
    stripped = _POLITE_END.sub("", _POLITE.sub("", step)).strip()
    return stripped or step


# someone addressing the robot ("hey robot, ...", "ok robot: ...") before the command
_NAMES = r"(?:robot|robo|buddy|arm|panda|dog|doggy|go1)"
# a part of the robot spoken to ("gripper, close") is an address too
_VOCATIVE = re.compile(rf"^(?:hey|hi|hello|ok|okay|yo)\b(?:\s+there)?(?:\s+{_NAMES}\b)?\s*[,:!]?\s*|"
                       rf"^(?:{_NAMES}|(?:the\s+)?(?:gripper|hand|claw|fingers))\s*[,:!]\s*")

# how-clauses that only say what not to do or how ("without picking it up", "by pushing it"):
# the main verb already names the skill, and their "it" is the named prop, not a new object
_MANNER = re.compile(r"(?:^|\s+)(?:without|by)\s+\w+ing\b(?:\s+(?:it|them|up|over|down|the\s+\w+))*")


# what the action is for ("... so it ends up clear of the other stuff"): no step, unless it
# names a prop or a direction ("tap the X so it slides forward": where the push goes)
_PURPOSE = re.compile(r"\s+so(?: that)? (?:it|they|the \w+|nothing|everything)\b.*?(?=[,;.]|\s+(?:and|then)\b|$)")
_DIRECTION_WORD = re.compile(r"\b(?:" + "|".join(w for words in DIRECTION_WORDS.values() for w in words) + r")\b")


def _drop_purpose(text: str) -> str:
    def keep(clause: str) -> bool:
        return any(said_attributes(clause)) or bool(_DIRECTION_WORD.search(clause))
    return _PURPOSE.sub(lambda m: m.group(0) if keep(m.group(0)) else "", text)


def split_steps(text: str) -> list[str]:
    """"pick up the red cube and put it on the blue ball" -> two steps (polite words dropped)."""
    text = re.sub(r"\bgo ahead and\s+", "", strip_polite(_VOCATIVE.sub("", normalize(text))))
    text = _drop_purpose(_MANNER.sub("", text))
    parts = [p.strip(" ,.;") for p in _SPLIT.split(text) if p and p.strip(" ,.;")]
    steps = consolidate([strip_polite(p) for p in parts])
    return [step if object_phrase(step) else _HAND.sub("gripper", step) for step in steps]


# segments that talk about the request instead of asking for an action: interjections,
# politeness, addresses ("..., doggy"), manner adverbs, the speaker's reasons ("i want to look
# at it"), question tags; the skill head's learned "remark" class catches the rest
_REMARK = re.compile(rf"^(?:(?:great|good|ok|okay|alright|all right|cool|nice|perfect|thanks|thank you|cheers|"
                     rf"please|pretty please|come on|{_NAMES}|pal|mate|my friend|"
                     r"carefully|gently|slowly|quickly|softly|right away|if you can|when you're ready|"
                     r"can you do that|could you do that|do that|do it|manage that|will you|ok\?|"
                     r"go|go ahead|go for it|let's go|proceed|make it so|execute|now)[\s,!]*)+$|"
                     r"^(?:i|we|i'm|we're|that's|it's|there's|nothing|so that|so i|because)\b"
                     r"(?!\s*(?:'d like|'d love| need| want| would like)\s+(?:the|a|an|that|this|you)\b)")
_INTERJECTION = re.compile(r"^(?:great|good|ok|okay|alright|cool|nice|perfect|so|now)\b[,!]?\s+")


# what need not be done is not forbidden: "no need to lift it" asks nothing (while "don't lift it"
# forbids, and is checked against the other steps)
_NOT_NEEDED = re.compile(r"^(?:there's |there is )?(?:no need|not necessary|needn't|you don't need|you don't have to|"
                         r"you do not need|don't need|don't have to|do not need|no reason)\b")


def is_remark(step: str) -> bool:
    """"carefully", "thanks", "we're done", "i want to look at it", "no need to hold it": no action asked."""
    step = step.strip(" ,.!?")
    return bool(_REMARK.search(step) or _NOT_NEEDED.search(step))


def is_topic(step: str) -> bool:
    """A bare noun phrase ("red block" in "red block: grab it"): it names the prop a later "it" means."""
    words = _words(step)
    phrase = object_phrase(step)
    fillers = {"the", "a", "an", "that", "this", "i", "need", "want", "'d", "i'd", "like", "here's", "now"}
    return bool(phrase) and bool(said_attributes(phrase)[1]) and \
        all(w in fillers or w in phrase.split() for w in words)


def consolidate(steps: list[str]) -> list[str]:
    """Drop remarks and interjections; a topic or a request naming a prop ("i need the blue tube")
    that is followed by a step about "it" names that "it"."""
    out: list[str] = []
    antecedent = ""
    for step in steps:
        step = _INTERJECTION.sub("", step).strip()
        named = object_phrase(step)
        if is_topic(step) or (is_remark(step) and named):
            antecedent = named or antecedent
            continue
        if is_remark(step) and len(steps) > 1:
            continue
        if antecedent and not named and has_pronoun_object(step) and _THERE_PUT.search(step):
            # "the blue block - put it there": the topic is where "it" (what is held) goes
            step = re.sub(r"\bthere\b", f"on the {antecedent}", step, count=1)
        elif antecedent and not named and has_pronoun_object(step):
            step = re.sub(r"\b(it|them)\b", f"the {antecedent}", step, count=1)
        elif antecedent and _APPROACH.match(step):
            step = f"{step} to the {antecedent}"  # "right by the X, just get close"
        elif antecedent and not named and _BARE_VERB.match(step):
            # "red block, push forwards", "black cylinder: pick": the topic is the verb's object
            verb, _, rest = step.partition(" ")
            step = f"{verb} the {antecedent} {rest}".strip()
        antecedent = ""
        out.append(step)
    return out or [s for s in steps if not is_remark(s)] or steps


# a place verb with "it ... there" ("put it there"), and a verb alone or with a particle or
# direction ("pick", "push forwards", "lift up"): steps whose prop a topic before them names
_THERE_PUT = re.compile(r"\b(put|place|set|drop|lay|rest|stack|leave|stick|pop|plop)\b.*\bthere\b")
_APPROACH = re.compile(r"^(?:get|come|go|move|stay)\s+(?:close|closer|near|nearer|over)$")
_BARE_VERB = re.compile(r"^[a-z]+(?:\s+(?:up|down|over|away|" + "|".join(
    w for words in DIRECTION_WORDS.values() for w in words if " " not in w) + r"))?$")


def is_negated(step: str) -> bool:
    return bool(_NEGATION.search(step))


def strip_negation(step: str) -> str:
    return re.sub(r"\s+", " ", _NEGATION.sub(" ", step)).strip()


_ON_IT = re.compile(r"\s+(?:on top of|onto|on|upon|atop)\s+(?:it|itself)$")


def split_destination(step: str) -> tuple[str, str | None]:
    """("put the red cube", "on the blue ball") for a place step; (step, None) if no destination.
    "the red box needs the green can on top of it": the first prop is where the second goes."""
    matches = list(_DESTINATION.finditer(step))
    match = matches[-1] if matches else None  # the last destination preposition
    if match is None:
        on_it = _ON_IT.search(step)
        first = object_phrase(step) if on_it else ""
        if on_it and first:
            second = object_phrase(step[:on_it.start()].replace(first, " ", 1))
            if second:
                return f"put the {second}", f"on the {first}"
        return step, None
    return step[: match.start()].strip(), step[match.start():].strip()


def has_pronoun_object(step: str) -> bool:
    words = step.split()
    return "it" in words or "them" in words


def noun_phrase(step: str) -> str:
    """The words naming the thing in a step ("grab the purple elephant" -> "purple elephant"); "" if none."""
    words = re.sub(r"[^a-z0-9' ]", " ", step.lower()).split()
    stops = {"to", "on", "onto", "by", "please", "for", "in", "into", "toward", "towards", "a", "off", "and", "up",
             "over", "with", "at", "upon", "the", "then", "down", "from"}
    directions = {w for ws in DIRECTION_WORDS.values() for w in ws} | {"table", "goal", "bit", "few"}
    for i, word in enumerate(words):
        if word in ("the", "a", "an", "that", "this"):
            rest = []
            for w in words[i + 1:]:
                # a direction or a participle ends the noun phrase: "the red cube back",
                # "the red cube sitting atop ..."
                if w in stops or (rest and (w in directions or w in ("without", "so") or
                                            (w.endswith(("ing", "ed")) and len(w) > 4))):
                    break
                rest.append(w)
            if rest and not set(rest) & directions:
                return " ".join(rest)
    for i, word in enumerate(words[:-1]):  # no article ("grab red ball"): a colour and its noun
        if word in COLORS and words[i + 1] not in stops | directions:
            return f"{word} {words[i + 1]}"
    return ""


# ----- the words that name a prop ------------------------------------------------------------
# nouns that are never a prop: the robot's own parts, places, and the nouns of light-verb
# constructions ("get a grip on", "give it a push")
NOT_PROPS = frozenset((
    "gripper", "grippers", "hand", "hands", "finger", "fingers", "claw", "claws", "arm", "jaw", "jaws", "effector",
    "tool", "pad", "pads", "side", "tip", "tips", "fingertips", "wrist", "leg", "legs", "foot", "feet", "body", "paw",
    "table", "tabletop", "surface", "floor", "ground", "edge", "air", "position", "pose", "spot", "way", "top",
    "bottom", "front", "bit", "little", "moment", "second", "goal", "net", "center", "centre", "middle", "corner",
    "start", "home", "neutral", "place", "direction", "distance", "couple", "few", "lot", "time", "while", "rest",
    "grip", "hold", "grasp", "push", "shove", "nudge", "kick", "tap", "poke", "bump", "look", "try", "go", "shot",
    "turn", "favour", "favor", "robot", "camera", "view", "task", "job", "others", "end", "someone", "something",
    "anything", "everything", "nothing", "meter", "meters", "metre", "metres", "cm", "centimeters", "centimetres",
    "degrees", "step", "steps", "problem", "thanks", "please", "sure", "question", "minute", "second"))
# words that end a description: prepositions, conjunctions, pronouns, adverbs of manner and place
_PHRASE_STOPS = frozenset((
    "to", "on", "onto", "by", "please", "for", "in", "into", "toward", "towards", "a", "an", "off", "and", "up", "over",
    "with", "at", "upon", "the", "then", "down", "from", "atop", "of", "so", "but", "or", "it", "its", "it's", "them",
    "that", "this", "you", "your", "me", "my", "i", "we", "there", "here", "now", "just", "again", "too", "slowly",
    "gently", "carefully", "quickly", "without", "while", "until", "near", "next", "beside", "above", "below",
    "under", "behind", "around", "across", "along", "is", "are", "be", "was", "so", "if", "thanks", "some", "all",
    "back", "sitting", "lying", "resting", "standing", "needs", "should", "must", "has", "have", "goes", "can",
    "could", "would", "will", "not", "don't", "no", "as", "than", "like", "toward", "away", "closer", "further",
    "more", "less", "slightly", "right", "left", "forward", "forwards", "backward", "backwards", "ahead", "aside",
    "apart", "together", "shut", "open", "closed", "wide", "completely", "fully", "firmly", "tight", "tightly",
    "still", "upright", "anywhere", "where", "loose", "high", "low", "hard", "strong", "strongly", "softly", "once",
    "twice", "about", "yourself", "itself", "i'm", "you're", "we're"))
_DETERMINER = frozenset(("the", "a", "an", "that", "this", "those", "these", "one"))
_HEADS = frozenset(("one", "thing", "object", "item", "piece", "prop", "toy"))
_MODIFIERS = frozenset(P.SIZE_WORDS) | {"colored", "coloured", "bright", "light", "pale", "deep", "only", "other"}
_RELATIVE = ("that is", "that's", "which is", "in", "painted", "colored", "coloured", "which's")
# "what you're holding", "whatever is in your hand", "the thing you picked up": the prop in hand
_HELD = re.compile(r"\b(?:what(?:ever)?|the (?:thing|object|one|prop|item))\s+(?:you|you're|you've|you are|you have|"
                   r"is in|'s in|is|was|i|we)\b[^,]*")


def _gerund(word: str) -> bool:
    return word.endswith("ing") and len(word) > 5


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split()


_PRONOUN = frozenset(("i", "you", "we", "they", "he", "she", "u"))
_SUBJECT = _PRONOUN | {"it", "who", "so", "that", "which"}


def _modal(words: list[str], i: int) -> bool:
    """"can" the verb ("so i can look", "can you ..."), not the can that is a cylinder."""
    return words[i] == "can" and ((i > 0 and words[i - 1] in _SUBJECT) or
                                  (i + 1 < len(words) and words[i + 1] in _PRONOUN | {"be", "do", "not"}))


def _vocab_at(words: list[str], i: int, table: dict[str, str]) -> int:
    """How many words at i form one entry of `table` (two-word entries first); 0 if none."""
    if i + 1 < len(words) and f"{words[i]} {words[i + 1]}" in table:
        return 2
    return 1 if words[i] in table and not _modal(words, i) else 0


def object_phrase(step: str) -> str:
    """The words that describe the prop a step is about, without determiner: "pick up the red
    cube please" -> "red cube", "push the cube that is crimson left" -> "cube that is crimson",
    "grab the purple elephant" -> "purple elephant", "the red one" -> "red one"; "" when the
    step names none ("pick it up", "open the gripper", "lay what you're holding on ...")."""
    words = _words(_HELD.sub(" it ", step.lower()))
    n = len(words)
    # 1. a description around a colour or shape word (synonyms included)
    for i in range(n):
        size = _vocab_at(words, i, COLOR_OF) or _vocab_at(words, i, SHAPE_OF)
        if not size:
            continue
        start = i
        while start > 0 and words[start - 1] in _MODIFIERS:
            start -= 1
        # "the elephant that is red": the noun before a relative clause belongs to the description
        for rel in _RELATIVE:
            k = len(rel.split())
            if start - k - 1 >= 0 and words[start - k:start] == rel.split() and \
                    words[start - k - 1] not in _PHRASE_STOPS | _DETERMINER | NOT_PROPS:
                start -= k + 1
                break
        end, head = i, False
        while end < n:
            c, sh = _vocab_at(words, end, COLOR_OF), _vocab_at(words, end, SHAPE_OF)
            if sh or words[end] in _HEADS:
                end, head = end + (sh or 1), True
                # "the cube that is red", "the block in crimson"
                for rel in _RELATIVE:
                    k = len(rel.split())
                    if words[end:end + k] == rel.split() and end + k < n and _vocab_at(words, end + k, COLOR_OF):
                        end += k + _vocab_at(words, end + k, COLOR_OF)
                        break
                break
            if c or words[end] in _MODIFIERS:
                end += c or 1
                continue
            break
        if not head:  # "the red elephant", "red teddy bear": an unknown noun after the colour
            extra = 0
            while end + extra < n and extra < 2 and words[end + extra] not in _PHRASE_STOPS \
                    and words[end + extra] not in _DETERMINER and not _gerund(words[end + extra]) \
                    and words[end + extra] not in NOT_PROPS and not words[end + extra].isdigit():
                extra += 1
            end += extra
        phrase = words[start:end]
        if phrase and not (len(phrase) == 1 and phrase[0] in _MODIFIERS):
            return " ".join(phrase)
    # 2. an unknown thing after a determiner ("snatch the giraffe", "grab a teapot")
    for i, word in enumerate(words):
        if word not in _DETERMINER or word == "one":
            continue
        phrase = []
        for w in words[i + 1:i + 4]:
            if w in _PHRASE_STOPS or w in _DETERMINER or w.isdigit() or (phrase and (_gerund(w) or w.endswith("ed"))):
                break
            phrase.append(w)
        if phrase and phrase[-1] not in NOT_PROPS and not set(phrase) & {"it", "them"}:
            return " ".join(phrase)
    # 3. a bare noun right after the verb ("lift giraffe please")
    if 1 < n <= 4 and words[1] not in _PHRASE_STOPS | NOT_PROPS | _DETERMINER and not _gerund(words[1]):
        rest = [w for w in words[1:] if w not in _PHRASE_STOPS and w not in NOT_PROPS]
        if rest and rest[0] == words[1]:
            return " ".join(rest[:2])
    return ""


def _singular(word: str) -> str:
    """"boxes" -> "box", "cubes" -> "cube" for shape words (other words unchanged)."""
    for cut in ("es", "s"):
        if word.endswith(cut) and word[: -len(cut)] in SHAPE_OF:
            return word[: -len(cut)]
    return word


def unknown_noun(phrase: str) -> str | None:
    """The head noun of a description when it is no prop noun: "red teapot" -> "teapot",
    "elephant that is red" -> "elephant"; None for "crimson brick", "red metal cube", "red one",
    "red" (a description by colour alone)."""
    words = [_singular(w) for w in _words(phrase)]
    for k, word in enumerate(words):  # the relative clause says the colour, not the thing
        if k and (word in ("that", "which", "in", "painted") or word.endswith(("colored", "coloured"))):
            words = words[:k]
            break
    if not words:
        return None
    head = words[-1]
    if head in SHAPE_OF or head in _HEADS or head in _MODIFIERS or _vocab_at(words, len(words) - 1, COLOR_OF) \
            or (len(words) > 1 and f"{words[-2]} {head}" in COLOR_OF):
        return None
    return head


def refers_back(step: str) -> bool:
    """The step's object is the prop already in play: "it", "that", "what you're holding"."""
    words = set(_words(step))
    return bool(words & {"it", "them", "that", "this"}) or bool(_HELD.search(step.lower()))


def canonical_color(word: str) -> str | None:
    return COLOR_OF.get(word)


def said_attributes(phrase: str) -> tuple[list[str], list[str]]:
    """The canonical colours and shapes a description names ("crimson brick" -> ["red"], ["cube"])."""
    words = [_singular(w) for w in _words(phrase)]
    colors, shapes = [], []
    for i in range(len(words)):
        for table, out in ((COLOR_OF, colors), (SHAPE_OF, shapes)):
            size = _vocab_at(words, i, table)
            if size:
                out.append(table[" ".join(words[i:i + size])])
    return sorted(set(colors)), sorted(set(shapes))


def find_direction(text: str, choices: tuple[str, ...]) -> str | None:
    """The direction word of `text` mapped onto one of a schema's choices (e.g. left/right/forward/back)."""
    text = f" {normalize(text)} "
    for canonical, words in DIRECTION_WORDS.items():
        for word in words:
            if re.search(rf"\b{word}\b", text):
                for choice in choices:
                    if choice == canonical or choice.startswith(canonical) or canonical.startswith(choice):
                        return choice
    return None


def find_number(text: str, units: tuple[str, ...]) -> tuple[float, str] | None:
    """The first number with one of `units` (or without unit when "" is in units)."""
    for value, unit in _NUMBER.findall(normalize(text)):
        unit = unit or ""
        unit = {"centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm", "meter": "m",
                "meters": "m", "metre": "m", "metres": "m", "degree": "deg", "degrees": "deg", "°": "deg"}.get(unit, unit)
        if unit in units:
            return float(value), unit
    return None


# ----- the generator ----------------------------------------------------------------------
@dataclass
class GeneratedCommand:
    text: str
    steps: list[tuple[str, str]]  # (skill class, step text)
    target: tuple[str, str] | None = None  # (colour, shape) of the first step's prop
    destination: tuple[str, str] | None = None


# the placeholders each phrasing file key must use (exactly once each); others take none
PLACEHOLDERS = {"pick": ("o",), "reach": ("o",), "push": ("o", "d"), "place": ("o", "p"), "place_it": ("p",),
                "walk": ("d",), "turn": ("s",)}


def load_phrasings(path: str | Path) -> dict[str, tuple[str, ...]]:
    """Test phrasings from a JSON file {skill: [template, ...]} (e.g. written by people who
    never saw the built-in ones), checked against the placeholders each skill needs."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise EmbodiedError(f"phrasings file {path}: {error}") from None
    if not isinstance(data, dict) or not data:
        raise EmbodiedError(f"phrasings file {path}: expected a JSON object {{skill: [templates]}}")
    out: dict[str, tuple[str, ...]] = {}
    for key, templates in data.items():
        if key not in TEMPLATES:
            raise UnknownNameError("phrasing key", key, tuple(TEMPLATES))
        if not isinstance(templates, list) or not templates or not all(isinstance(t, str) for t in templates):
            raise EmbodiedError(f"phrasings file {path}: {key!r} needs a non-empty list of strings")
        needed = PLACEHOLDERS.get(key, ())
        for template in templates:
            used = re.findall(r"{(\w*)}", template)
            ok = sorted(used) == sorted(needed) or (key == UNSUPPORTED and used in ([], ["o"]))
            if not ok:
                raise EmbodiedError(f"phrasings file {path}: {key!r} template {template!r} uses placeholders "
                                    f"{used}; it needs {list(needed)}, each once")
        out[key] = tuple(normalize(t) for t in templates)
    return out


def without_training_phrasings(phrasings: dict[str, tuple[str, ...]]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """The phrasings less any the model trained on verbatim (those would not be held out), and the dropped ones."""
    kept, dropped = {}, []
    for key, templates in phrasings.items():
        seen = set(TEMPLATES[key]["train"]) | training_phrasings(key)
        if key == "pick":  # "hold it up" after a named prop: the pick_it family
            seen |= training_phrasings("pick_it")
        verbatim = [t for t in templates if t in seen or t.replace("{o}", "the {o}").replace("the the", "the")
                    .replace("{p}", "the {p}").replace("the the", "the") in seen]
        dropped += [f"{key}: {t}" for t in verbatim]
        remaining = tuple(t for t in templates if t not in verbatim)
        if remaining:
            kept[key] = remaining
    return kept, dropped


@contextmanager
def held_out_phrasings(phrasings: dict[str, tuple[str, ...]] | None) -> Iterator[None]:
    """Evaluate with these test phrasings in place of the built-in held-out ones (restored after)."""
    saved = {key: TEMPLATES[key]["test"] for key in phrasings or {}}
    try:
        for key, templates in (phrasings or {}).items():
            TEMPLATES[key]["test"] = templates
        yield
    finally:
        for key, templates in saved.items():
            TEMPLATES[key]["test"] = templates


def prop_words(rng: np.random.Generator, color: str, shape: str) -> str:
    words = SHAPE_WORDS[shape]
    return f"{color} {words[int(rng.integers(len(words)))]}"


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def fill(template: str, rng: np.random.Generator, target: tuple[str, str] | None = None,
         destination: tuple[str, str] | None = None, direction: str | None = None) -> str:
    words = {}
    if "{o}" in template:
        target = target or (_pick(rng, COLOR_NAMES), _pick(rng, SHAPES))
        words["o"] = prop_words(rng, *target)
    if "{p}" in template:
        destination = destination or (_pick(rng, COLOR_NAMES), _pick(rng, SHAPES))
        words["p"] = prop_words(rng, *destination)
    if "{d}" in template:
        words["d"] = direction or _pick(rng, ("left", "right", "forward", "back", "backward", "forwards"))
    if "{s}" in template:
        words["s"] = _pick(rng, ("left", "right"))
    return template.format(**words)


def step_text(skill: str, split: str, rng: np.random.Generator, target: tuple[str, str] | None = None,
              destination: tuple[str, str] | None = None) -> str:
    if skill == FOREIGN:
        template = _pick(rng, FOREIGN_TEMPLATES[split])
        lang = int(rng.integers(6))
        color, shape = _pick(rng, ("red", "blue", "green")), _pick(rng, ("cube", "ball"))
        return template.replace("{o}", f"{FOREIGN_WORDS[shape][lang]} {FOREIGN_WORDS[color][lang]}")
    return fill(_pick(rng, TEMPLATES[skill][split]), rng, target, destination)


def skill_examples(split: str, count: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    """(step text, skill class) pairs for training or testing the skill head. The training side
    comes from the phrasebook and the legacy training templates, passed through the same step
    splitting as a command at run time; the held-out side from the held-out templates."""
    if split == "train":
        return training_steps(count, rng)
    out = []
    weights = {s: 1.0 for s in SKILL_CLASSES}
    weights.update({"place": 1.5, UNSUPPORTED: 2.5, FOREIGN: 1.0})
    names = list(weights)
    p = np.array([weights[n] for n in names])
    p /= p.sum()
    for _ in range(count):
        skill = names[int(rng.choice(len(names), p=p))]
        if skill == "place" and rng.random() < 0.4:
            out.append((fill(_pick(rng, TEMPLATES["place_it"][split]), rng), "place"))
        elif skill == "pick" and rng.random() < 0.2:
            out.append((fill(_pick(rng, TEMPLATES["pick_it"][split]), rng), "pick"))
        else:
            out.append((step_text(skill, split, rng), skill))
    return out


# ----- the training side of the generator ----------------------------------------------------
# the class each phrasebook key teaches ("pick_it" is a pick about the prop already named)
KEY_CLASS = {"pick_it": "pick", "place_it": "place", "push_it": "push", "reach_it": "reach", "approach": "reach"}
_TRAIN_WEIGHTS = {"pick": 1.3, "reach": 1.3, "push": 1.3, "place": 1.8, "open_gripper": 0.8, "close_gripper": 0.8,
                  "home": 0.8, "walk": 0.7, "turn": 0.6, "stand": 0.6, "get_up": 0.6, "kick_ball": 0.6,
                  UNSUPPORTED: 2.5, FOREIGN: 0.6, REMARK: 1.6}
_DIRECTIONS_TRAIN = ("left", "right", "forward", "back", "backward", "forwards", "backwards")


def _held_out(key: str, text: str) -> bool:
    """A training phrasing that uses a held-out verb or noun of its skill, or is a held-out template."""
    skill = KEY_CLASS.get(key, key)
    return any(re.search(rf"\b{re.escape(word.strip())}\b", text)
               for word in P.HELD_OUT_WORDS.get(key, ()) + P.HELD_OUT_WORDS.get(skill, ())) or \
        text in TEMPLATES.get(key, {}).get("test", ())


def training_phrasings(key: str) -> frozenset[str]:
    """Every phrasebook training phrasing of a key (undecorated, "the" before each prop)."""
    return frozenset(t for t in P.training_templates(key) if not _held_out(key, t))


def training_template(key: str, rng: np.random.Generator) -> str:
    """One training phrasing of a phrasebook key, from the phrasebook (mostly) or the legacy
    training templates; never one that uses a held-out word."""
    for _ in range(50):
        legacy = TEMPLATES.get(key, {}).get("train", ())
        if legacy and (not P.PATTERNS.get(key) or rng.random() < 0.3):
            text = _pick(rng, legacy).replace("the {o}", "{o}").replace("the {p}", "{p}")
        else:
            text = P.core(key, rng)
        if not _held_out(key, text.replace("{o}", "the {o}").replace("{p}", "the {p}")):
            return text
    raise EmbodiedError(f"no training phrasing of {key!r} avoids the held-out words")


def fill_train(template: str, rng: np.random.Generator, target: tuple[str, str] | None = None,
               destination: tuple[str, str] | None = None, unknown: bool = False) -> str:
    """Fill a training phrasing: props named with synonyms, word orders and determiners."""
    def prop(pair: tuple[str, str] | None) -> str:
        if unknown:
            return P.with_determiner(rng, P.unknown_words(rng))
        pair = pair or (_pick(rng, COLOR_NAMES), _pick(rng, SHAPES))
        words = P.object_words(rng, *pair) if rng.random() < 0.92 else P.partial_words(
            rng, pair[0] if rng.random() < 0.6 else None, pair[1])
        return P.with_determiner(rng, words)

    words = {"o": prop(target) if "{o}" in template else "", "p": prop(destination) if "{p}" in template else "",
             "d": _pick(rng, _DIRECTIONS_TRAIN), "s": _pick(rng, ("left", "right")), "n": str(int(rng.integers(1, 25)))}
    return template.format(**words)


def training_clause(key: str, rng: np.random.Generator) -> str:
    """One decorated clause of a key (a skill, "remark", "pick_it", ...), filled."""
    if key == FOREIGN:
        return step_text(FOREIGN, "train", rng)
    unknown = key in ("pick", "reach", "push") and rng.random() < 0.05
    return P.decorate(fill_train(training_template(key, rng), rng, unknown=unknown), rng)


def _class_key(skill: str, rng: np.random.Generator) -> str:
    if skill == "pick" and rng.random() < 0.15:
        return "pick_it"
    if skill == "place" and rng.random() < 0.35:
        return "place_it"
    if skill == "push" and rng.random() < 0.06:
        return "push_it"
    if skill == "reach" and rng.random() < 0.06:
        return "reach_it"
    return skill


def training_command(rng: np.random.Generator) -> tuple[str, list[str]]:
    """A command of several clauses with the class of each clause: an action with remarks
    around it, or two actions in sequence ("grab the X, then set it on the Y")."""
    names = list(_TRAIN_WEIGHTS)
    p = np.array([_TRAIN_WEIGHTS[n] for n in names])
    p /= p.sum()
    first = names[int(rng.choice(len(names), p=p))]
    if first == REMARK:
        first = _pick(rng, ("pick", "reach", "push", "place", "open_gripper", "home"))
    keys = [_class_key(first, rng)]
    roll = rng.random()
    if roll < 0.35 and first in ("pick", "reach"):
        keys.append(_pick(rng, ("place_it", "pick_it", "place_it", "open_gripper", "home", "reach_it")))
    elif roll < 0.45:
        keys.append(_pick(rng, ("open_gripper", "close_gripper", "home", "reach", "pick")))
    if first in ("pick", "reach", "push") and rng.random() < 0.12:
        keys.insert(0, "approach")
    if rng.random() < 0.6:
        keys.insert(len(keys) if rng.random() < 0.7 else 0, REMARK)
    clauses = [training_clause(k, rng) for k in keys]
    text = clauses[0]
    for clause in clauses[1:]:
        text += _pick(rng, CONNECTIVES["train"] + (", ", ". ", " - ", ", and ", "; then "))
        text += clause
    return text, [KEY_CLASS.get(k, k) for k in keys]


def training_steps(count: int, rng: np.random.Generator, multi: float = 0.3) -> list[tuple[str, str]]:
    """(step, class) pairs as the skill head sees them: clauses and commands passed through
    `split_steps`, each resulting step labelled with the clause it came from (commands whose
    steps do not line up with their clauses are skipped)."""
    names = list(_TRAIN_WEIGHTS)
    p = np.array([_TRAIN_WEIGHTS[n] for n in names])
    p /= p.sum()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        if rng.random() < multi:
            text, labels = training_command(rng)
        else:
            skill = names[int(rng.choice(len(names), p=p))]
            key = _class_key(skill, rng)
            text, labels = training_clause(key, rng), [KEY_CLASS.get(key, key)]
        steps = split_steps(text)
        if len(labels) == 1:
            # one clause split into an action and remarks: the remarks are remarks
            actions = [s for s in steps if not is_remark(s)]
            if len(actions) == 1 or len(steps) == 1:
                out += [(s, labels[0] if s in actions or len(steps) == 1 else REMARK) for s in steps]
            continue
        if len(steps) == len(labels):
            out += list(zip(steps, labels))
    return out[:count]


def object_query(rng: np.random.Generator, color: str | None, shape: str | None, split: str = "train") -> str:
    """The words of a step naming a prop, as `object_phrase` extracts them at run time ("crimson
    brick", "ball that is blue"); colour or shape alone with one of them None."""
    if color is not None and shape is not None:
        words = P.object_words(rng, color, shape, split)
    else:
        words = P.partial_words(rng, color, shape, split)
    text = P.with_determiner(rng, words, split)
    return object_phrase(f"grab {text}") or words


def unknown_object_query(rng: np.random.Generator, split: str = "train") -> str:
    """The words naming something that is not a prop ("purple elephant", "giraffe")."""
    words = P.unknown_words(rng, split)
    return object_phrase(f"grab {P.with_determiner(rng, words, split)}") or words


def grounding_queries(split: str, rng: np.random.Generator, color: str, shape: str) -> str:
    """A phrase naming the prop (color, shape) as the grounding head sees it."""
    kind = _pick(rng, ("pick", "reach", "push", "place_object", "destination", "noun"))
    target = (color, shape)
    if kind in ("pick", "reach", "push"):
        return fill(_pick(rng, TEMPLATES[kind][split]), rng, target=target)
    if kind == "place_object":
        return split_destination(fill(_pick(rng, TEMPLATES["place"][split]), rng, target=target))[0]
    if kind == "destination":
        return split_destination(fill(_pick(rng, TEMPLATES["place_it"][split]), rng, destination=target))[1] or ""
    return fill(_pick(rng, NOUN_PHRASES[:4]), rng, target=target)


def unknown_query(split: str, rng: np.random.Generator) -> str:
    """A phrase naming something that is not a prop ("grab the purple elephant")."""
    noun = f"{_pick(rng, COLOR_NAMES)} {_pick(rng, UNKNOWN_NOUNS[split])}"
    if rng.random() < 0.5:
        noun = _pick(rng, UNKNOWN_NOUNS[split])
    template = _pick(rng, TEMPLATES[_pick(rng, ("pick", "reach", "push"))][split])
    return template.replace("{o}", noun).replace("{d}", "left")
