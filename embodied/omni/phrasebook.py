"""The training phrasebook of the built-in omnimodel: a compositional generator of commands
(verbs x constructions x politeness x remarks) and of the words that name a prop (colour and
shape synonyms, word orders), each with a train and a held-out split.

Why it exists: a handful of fixed templates per skill teaches the skill head and the pointing
head those templates, not the language; people who never saw them use other verbs, other
constructions and other words for the same prop. The patterns here are written as
alternatives, "(pick up|lift|grab) the {o}" and "[please ]" (optional), so a few lines stand
for thousands of phrasings. The held-out side stays apart: the held-out verbs and nouns below
never appear in a training pattern (tests/omni/test_phrasebook.py checks it), and the
built-in held-out templates of `language.TEMPLATES` are never generated for training.

Placeholders: {o} a prop (with its determiner: "the red cube", "that crimson block"), {p} a
destination prop, {d} a direction, {s} a side, {n} a number of centimetres.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

import numpy as np

# ----- the words naming a prop ----------------------------------------------------------
# colour synonyms (the simulator's colours are the canonical names); test: held out of training
COLOR_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "red": {"train": ("crimson", "scarlet", "cherry red", "rose red", "bright red"), "test": ("ruby",)},
    "green": {"train": ("lime", "emerald", "grass green", "forest green", "bright green"), "test": ("jade",)},
    "blue": {"train": ("navy", "azure", "cobalt", "sky blue", "royal blue"), "test": ("sapphire",)},
    "yellow": {"train": ("golden", "gold", "lemon yellow", "mustard", "sunny yellow"), "test": ("canary",)},
    "orange": {"train": ("tangerine", "amber", "carrot orange", "bright orange"), "test": ("apricot",)},
    "purple": {"train": ("violet", "lilac", "lavender", "magenta", "plum"), "test": ("mauve",)},
    "white": {"train": ("ivory", "snow white", "milky white", "off white", "pearl white"), "test": ("cream",)},
    "black": {"train": ("jet black", "ebony", "charcoal", "pitch black", "coal black"), "test": ("onyx",)},
}
# shape nouns: "base" are the words the held-out commands use (language.SHAPE_WORDS)
SHAPE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cube": {"base": ("cube", "block", "box"), "train": ("brick", "cuboid", "dice", "cubic block", "building block"),
             "test": ("crate",)},
    "ball": {"base": ("ball", "sphere"), "train": ("orb", "marble", "globe", "round ball"), "test": ("bead",)},
    "cylinder": {"base": ("cylinder", "can", "tube"), "train": ("puck", "tin", "canister", "pipe", "drum",
                                                                 "column"), "test": ("barrel",)},
}
SIZE_WORDS = ("small", "little", "tiny", "big", "large", "shiny", "plastic", "wooden", "toy", "solid", "smooth")
# things that are not props: the pointing head must answer "absent" for them
UNKNOWN_NOUNS_TRAIN = (
    "elephant", "banana", "car", "dog", "apple", "phone", "cup", "pen", "hat", "bottle", "duck", "book", "spoon",
    "key", "shoe", "plate", "cat", "horse", "cow", "pig", "sheep", "mouse", "rabbit", "frog", "lion", "tiger",
    "bear", "bird", "fish", "snake", "zebra", "monkey", "pear", "grape", "carrot", "tomato", "potato", "egg",
    "bread", "cake", "cookie", "pizza", "sandwich", "cheese", "glass", "bowl", "fork", "knife", "pencil",
    "eraser", "ruler", "scissors", "stapler", "laptop", "remote", "lamp", "chair", "clock", "watch", "ring", "coin",
    "wallet", "bag", "jar", "vase", "candle", "brush", "comb", "towel", "sponge", "notebook", "card", "envelope",
    "glove", "shirt", "doll", "teddy bear", "truck", "train", "boat", "plane", "kite", "balloon", "triangle",
    "heart", "diamond", "cross", "prism", "hexagon", "leaf", "flower", "rock", "stone", "stick", "feather",
    "shell", "battery", "bolt", "screw", "nail", "hammer", "wrench", "pillow", "blanket", "basket", "bucket",
    "helmet", "umbrella", "toaster", "bell", "crown", "whistle", "violin", "drumstick",
    "rocket", "dinosaur", "penguin", "owl", "turtle", "crab", "lobster", "octopus", "spider", "ant", "bee",
    "lollipop", "muffin", "pretzel", "cupcake", "melon", "peach", "cherry", "lemon", "onion", "pepper",
    "lid", "cork", "clip", "paperclip", "needle", "button", "sticker", "magnet", "light bulb", "plug", "cable",
    "rope", "chain", "padlock", "badge", "medal", "token", "pebble", "acorn", "walnut", "bean", "pea", "olive",
    "berry", "kiwi", "mango", "coconut", "avocado", "cucumber", "mushroom", "snail", "worm", "ladybug",
    "butterfly", "bat", "fox", "wolf", "deer", "goat", "chicken", "parrot", "seal", "whale", "shark", "dolphin",
    "squirrel", "hamster", "puppy", "kitten", "wheel", "tire", "gear", "lever", "knob", "handle",
    "tray", "pan", "pot", "sofa", "desk", "shelf", "door", "window", "plant", "cactus", "bone", "tooth",
    "trophy", "straw", "chopstick", "napkin", "tissue", "scarf", "belt", "boot", "slipper", "necktie", "jacket",
    "oval", "circle", "rectangle", "wedge", "arch", "ramp", "spiral", "crescent", "pentagon", "octagon",
    "arrow", "torus", "sponge cake", "toothbrush", "screwdriver", "headphones", "keyboard", "controller",
)
UNKNOWN_NOUNS_TEST = ("giraffe", "teapot", "pyramid", "cone", "mug", "star", "sock", "donut")

# how a prop is described around its colour {c} and shape noun {s}
OBJECT_FORMS = {
    "train": ("{c} {s}", "{c} {s}", "{c} {s}", "{c} {s}", "{z} {c} {s}", "{s} that is {c}", "{s} which is {c}",
              "{c} colored {s}", "{c} coloured {s}", "{c} {s} there", "{s} in {c}", "{c} {s} on the table"),
    "test": ("{c} {s}", "{c} {s}", "{s} that's {c}", "{z} {c} {s}", "{c}-colored {s}"),
}
# a prop named by its colour alone (only where that colour is unique in the scene) or its shape alone
COLOR_ONLY_FORMS = {"train": ("{c} one", "{c} thing", "{c} object", "{c} item", "{c} piece", "one that is {c}",
                              "{c}"),
                    "test": ("{c} one", "{c} prop")}
SHAPE_ONLY_FORMS = {"train": ("{s}", "{z} {s}", "only {s}"), "test": ("{s}",)}
DETERMINERS = {"train": ("the ", "the ", "the ", "the ", "that ", "this ", "", "a "), "test": ("the ",)}


def color_words(color: str, split: str) -> tuple[str, ...]:
    """The words for one colour in one split (the canonical name is in both)."""
    return (color,) * 3 + COLOR_SYNONYMS[color]["train" if split == "train" else "test"]


def shape_nouns(shape: str, split: str) -> tuple[str, ...]:
    words = SHAPE_SYNONYMS[shape]
    return words["base"] * 2 + words["train" if split == "train" else "test"]


def _pick(rng: np.random.Generator, options: tuple[str, ...] | list[str]) -> str:
    return options[int(rng.integers(len(options)))]


def object_words(rng: np.random.Generator, color: str, shape: str, split: str = "train") -> str:
    """The words naming a prop without determiner: "red cube", "crimson brick", "ball that is blue"."""
    form = _pick(rng, OBJECT_FORMS[split])
    return form.format(c=_pick(rng, color_words(color, split)), s=_pick(rng, shape_nouns(shape, split)),
                       z=_pick(rng, SIZE_WORDS))


def partial_words(rng: np.random.Generator, color: str | None, shape: str | None, split: str = "train") -> str:
    """A prop named by colour alone ("red one") or shape alone ("ball")."""
    if color is not None:
        return _pick(rng, COLOR_ONLY_FORMS[split]).format(c=_pick(rng, color_words(color, split)))
    return _pick(rng, SHAPE_ONLY_FORMS[split]).format(s=_pick(rng, shape_nouns(shape or "cube", split)),
                                                       z=_pick(rng, SIZE_WORDS))


def unknown_words(rng: np.random.Generator, split: str = "train") -> str:
    """Something that is not a prop: "purple elephant", "giraffe", "ball that is... " no: "red teddy bear"."""
    nouns = UNKNOWN_NOUNS_TRAIN if split == "train" else UNKNOWN_NOUNS_TEST
    noun = _pick(rng, nouns)
    roll = rng.random()
    if roll < 0.45:
        return f"{_pick(rng, color_words(_pick(rng, tuple(COLOR_SYNONYMS)), split))} {noun}"
    if roll < 0.55 and split == "train":
        return f"{noun} that is {_pick(rng, tuple(COLOR_SYNONYMS))}"
    return noun


def with_determiner(rng: np.random.Generator, words: str, split: str = "train") -> str:
    return _pick(rng, DETERMINERS[split]) + words


# ----- the patterns ------------------------------------------------------------------------
_POLITE_PREFIX = ("please ", "now ", "next ", "ok ", "okay ", "alright ", "right, ", "so ", "and now ", "first ",
                  "to start, ", "finally ", "could you ", "can you ", "would you ", "will you ", "would you please ",
                  "i'd like you to ", "i want you to ", "i need you to ", "try to ", "kindly ", "hey ", "hi robot, ",
                  "robot, ", "just ", "simply ", "if you could ", "do me a favour and ", "let's ", "time to ",
                  "you should ", "you can ", "you need to ", "your task is to ", "your job is to ",
                  "i'd appreciate it if you could ", "be so kind and ", "quickly ", "carefully ", "gently ",
                  "buddy, ", "okay robot, ", "next up, ", "alright then, ", "could you please ", "can you please ")
_POLITE_SUFFIX = (" please", " for me", " now", " right now", " thanks", " thank you", " if you can",
                  " when you're ready", " carefully", " gently", " slowly", " quickly", " asap", " real quick",
                  ", ok", ", okay", ", will you", ", would you", ", please and thank you", " if you don't mind",
                  " buddy", ", cheers", " when you get a chance", " for a second", " if possible")

# why the speaker asks, said inside the request ("put the X on the Y so the table is clear")
_REASON_SUFFIX = (" so i can see it better", " because i need it later", " to clear the table", " for my experiment",
                  " so the table is clear", " since it's in the middle", " as a test", " for the photo",
                  " so we can start", " because it looks nicer", " to make a tower", " so i can measure it",
                  " for the demo", " while i watch", " before we finish")

# {skill: patterns}. Every pattern is expanded in full for the held-out check; sampling picks a
# pattern, then one alternative per group.
PATTERNS: dict[str, tuple[str, ...]] = {
    "pick": (
        "(pick up|lift|lift up|grab|grasp|take|seize|collect|fetch|retrieve|raise|pluck|grip|clutch|snag|nab|"
        "capture|secure|get|take hold of|get hold of|scoop up|take up|hold|catch|clasp|elevate|pick|hold up|"
        "grab up|gather up|lay hands on|get ahold of) {o}",
        "(pick|lift|scoop|take|hold|raise|bring|grab|get) {o} up",
        "(lift|raise|take|pick|get|pluck|remove) {o} (off|from) the (table|surface|tabletop|ground|workspace)",
        "pick {o} up (off|from) the (table|surface|tabletop)",
        "(raise|lift|hold|elevate) {o} (into the air|up high|in the air|a few centimetres|"
        "above the table|off the surface)",
        "(i want|i need|i'd like|i would like|we need) {o} (in your hand|in your gripper|in your grip|in the claw|"
        "between your fingers|up in the air|lifted|picked up)",
        "(hold|have|get|keep) {o} in your (hand|gripper|grip|fingers|claw)",
        "get {o} into your (gripper|hand|claw)",
        "(bring|hand|pass|give) me {o}",
        "(can i have|i'll take|may i have) {o}",
        "(how about|try|start by|begin by) (picking up|grabbing|lifting|grasping|taking) {o}",
        "(it's|it is) time to (pick up|grab|lift|take) {o}",
        "{o} (should be|has to be) (lifted|picked up|raised|grabbed|in your hand)",
        "(lift|pick up|grab|take) {o} with (your|the) (gripper|fingers|claw|hand)",
        "close your (gripper|fingers|hand) (on|around) {o}",
        "(wrap your fingers around|get your fingers around|clamp onto|latch onto|grab onto) {o}",
        "(go|reach) (and|to) (pick up|grab|lift|take) {o}",
    ),
    "pick_it": (
        "(lift|raise|hold|elevate) it( up| high| in the air| off the table|)",
        "(pick|take|scoop|bring|get) it up",
        "(hold onto|keep hold of|keep|grab|take|grip|grasp|seize|hold) it",
        "get it off the (table|surface)",
        "(lift|pick|take) it up off the table",
        "keep it in your (hand|gripper|grip)",
        "(lift|pick) (that|this) [one ]up",
    ),
    "reach": (
        "(reach|reach for|reach out to|reach over to|go to|go near|move to|move toward|move towards|move near|"
        "move next to|move close to|get near|come close to|approach|travel to|hover above|"
        "hover near|hover by|point at|point to|touch|stretch to|stretch toward|extend toward|visit|"
        "go right up to|move over to|get next to|line up with|aim at|aim for|home in on|make your way to|"
        "get as close as you can to|approach and touch|touch the top of) {o}",
        "(move|send|take|hold|lower) (your|the) (gripper|hand|arm|end effector|claw|tool) (near|close to|over|"
        "above|toward|towards|beside|by|right above|just above|up to) {o}",
        "(i want|i'd like|i need) (your|the) (gripper|hand|claw|fingers) (near|next to|above|over|right by|beside) {o}",
        "(your|the) (gripper|hand) should be (near|above|over|next to|close to) {o}",
        "(go|move|reach) (to|toward|near) {o} (and hover|slowly|carefully|gently|and touch it lightly)",
        "just (touch|reach|approach|go to) {o}",
        "(touch|reach|approach) {o} (lightly|gently|with your fingertips|with the gripper|with your hand)",
        "(hover|stay|float|wait) (over|above|near|next to|by) {o}",
        "(show me|find and point at|find|locate and reach|go find) {o}",
    ),
    "reach_it": (
        "(reach|touch|approach|reach for|go to|move to|hover over|hover above|get close to|get near|point at) it",
        "(reach|go|move) [over ](to|toward|towards) it",
        "(reach|touch|approach)[ it] (now|gently|slowly|again|first)",
        "[just ](reach|touch)",
    ),
    "push": (
        "(push|shove|slide|nudge|move|shift|bump|poke|knock|scoot|roll|send|sweep|drive|budge|inch|displace|"
        "propel|jostle|edge|guide|steer|ease) {o} (to the {d}|{d}|toward the {d}|towards the {d}|{d} a bit|"
        "{d} a little|{n} cm {d}|{d} by {n} cm|{d} by {n} centimeters|a bit to the {d}|a little {d}|further {d}|"
        "a few centimetres {d}|over {d}|{d} slightly|slightly {d}|all the way {d}|{d} some|to your {d})",
        "give {o} a (push|shove|nudge|bump|poke|tap|little push|gentle shove|quick nudge) ({d}|towards the {d}|"
        "in the {d} direction|so it goes {d})",
        "(i want|i need|i'd like|we need) {o} (pushed|moved|shifted|slid|nudged|shoved|displaced) ({d}|to the {d}|"
        "a bit {d}|{n} cm {d}|further {d})",
        "(get|have) {o} (pushed|moved|shifted|slid|nudged) ({d}|to the {d}|a bit {d})",
        "{o} should be (further|more|a bit more|a little more) (to the {d}|{d})",
        "(could|can) {o} be (moved|pushed|shifted|slid) ({d}|to the {d}|a little {d})",
        "(make|let) {o} (slide|roll|move|scoot) ({d}|to the {d})",
        "(push|shove|slide|nudge|move|shift) {o} in the {d} direction",
        "(push|slide|nudge|shove|move) {o} (along the table|across the table) (to the {d}|{d})",
        "(move|shift|push|slide) {o} {d} (without lifting it|without picking it up|by sliding it|along the table|"
        "on the table|with the side of the gripper)",
        "(shove|push|nudge|slide) it {d}",
    ),
    "push_it": (
        "(push|shove|nudge|slide|bump|scoot|move) it",
        "(push|shove|nudge|slide|bump) it (gently|a bit|a little|softly|over)",
        "just (push|shove|nudge|slide) it",
    ),
    "place": (
        "(put|place|set|stack|pile|move|transfer|lower|deposit|balance|stand|perch|plop|pop|sit|mount|load|"
        "settle|put down|set down|place down|bring|carry|take|lift) {o} (on|onto|on top of|atop|upon|over onto) {p}",
        "(put|set|place|lower) {o} down (on|onto|on top of) {p}",
        "(i want|i need|i'd like|i would like|we need) {o} (on|on top of|atop|onto|stacked on|placed on|sitting on"
        "|set on) {p}",
        "(get|have) {o} (onto|on top of|stacked on|placed on) {p}",
        "{o} should (be|end up|sit|be stacked) on [top of ]{p}",
        "make a (stack|tower|pile) with {o} on [top of ]{p}",
        "(build|make) a tower: {o} on [top of ]{p}",
        "{o} on [top of ]{p}( please|, please|)",
        "(stack|pile|put|place) {o} and {p} (with|so) the first on top",
        "(move|transfer|carry|bring) {o} [over ](to|onto) {p} and (put|set|place) it [down ]on [top of ]it",
        "(lift|pick up|grab|take) {o} and (put|set|place|stack|lower) it (on|onto|on top of|atop) {p}",
        "(stack|put|place|set) {o} (on|onto|on top of|atop) {p} (gently|carefully|slowly|neatly|nicely)",
        "could {o} (go|sit|be) on [top of ]{p}",
    ),
    "place_it": (
        "(put|place|set|stack|lower|move|deposit|balance|stand|perch|plop|settle|release|bring|carry|pile|"
        "mount|put down|set down|place down|leave) it (on|onto|on top of|atop|upon|over) {p}",
        "(put|set|place|lower) it down (on|onto|on top of|atop) {p}",
        "(let it go|release it|open the gripper|let go) (above|over|on top of|on) {p}",
        "(put|place|set|stack) (that|this|that one|this one|the thing in your hand|what you picked up|"
        "what's in your gripper|what you've got|the one you have) (on|onto|on top of|atop) {p}",
        "[and ](on|onto|on top of) {p}( with it| please|)",
        "(now|then|next) (on|onto) {p}",
        "(i want|i'd like) it (on|on top of|atop) {p}",
        "(bring|carry|move|take) it [over ]to {p} and (put|set) it [down ]on top",
        "(stack|set|put) it (on|onto|on top of) {p} (gently|carefully|slowly)",
    ),
    "open_gripper": (
        "(open|release|loosen|unclench|relax|widen|part|unlock|undo) (the|your) (gripper|claw|hand|grip|jaws|"
        "fingers|grasp|pincers)",
        "(open up|open wide|let go|release it|let it go|let go of it|let it drop|let it fall|release|drop it|"
        "unclamp|ungrip|open|let loose|let go of the object|let it slip)",
        "(let go of|release|drop) {o}",
        "(spread|separate|pull apart|move apart) (your|the) (fingers|jaws|gripper fingers)",
        "(make|get) (the|your) (gripper|hand|claw) (open|wide open)",
        "(open|release) (the|your) (gripper|claw|hand) (all the way|fully|wide|completely|a bit)",
        "stop (holding|gripping|grasping) (it|that|{o})",
    ),
    "close_gripper": (
        "(close|shut|clench|tighten|clamp|lock|seal) (the|your) (gripper|claw|hand|jaws|fingers|grip|pincers)",
        "(close up|clamp down|clench|shut tight|close|clamp shut|grip tight|close tight)",
        "(bring|pull|draw|press|put|snap) (the|your) (fingers|jaws|gripper fingers) together",
        "make a fist",
        "(make|get) (the|your) (gripper|hand|claw) (closed|shut)",
        "(close|shut|clamp|clench) (the|your) (gripper|claw|hand) (all the way|fully|tight|completely|firmly)",
        "snap (the|your) (gripper|claw|jaws) shut",
    ),
    "home": (
        "(go|return|move|get|come|travel) [back ]to (the|your) (home|home position|home pose|start position|"
        "starting pose|initial position|initial pose|rest position|neutral pose|neutral position|default pose|"
        "default position|ready pose|ready position|start|starting point|original position|park position)",
        "(go|come|get) [back ]home",
        "(reset|park|retract|stow|tuck in|fold|withdraw|pull back) (the|your) arm",
        "back to (start|home|neutral|the start|the beginning|your start pose)",
        "(return|go back|come back|reset) to [the ](beginning|neutral|default|start)",
        "(reset|return|restore) (yourself|your pose|your position|the robot|the pose)",
        "(go|move|come) back to (how|where) you (were|began|started out) at the start",
        "(retract|withdraw|pull back) to (the|your) (home|default|start) (pose|position)",
        "(take|bring|move) (the|your) arm [back ](home|to its home position|to the start|to its default pose)",
    ),
    "walk": (
        "(walk|go|move|step|advance|proceed|wander|run|trot|travel|stride|scurry|amble|trek|pace) {d}",
        "(walk|go|move|run|trot|travel) {d} (for a while|a bit|a little|slowly|quickly|fast|for 2 meters|1 meter|"
        "a few meters|for a few seconds|some more|at a steady pace)",
        "(take|make) (a few|some|several|two|three) steps {d}",
        "(walk|go|move) {n} (meters|metres|m) {d}",
        "start (walking|moving|going) {d}",
        "(keep|continue) (walking|moving|going) {d}",
    ),
    "turn": (
        "(turn|rotate|spin|twist|swing|veer|wheel) ({s}|to the {s}|to your {s}|towards the {s}|around to the {s})",
        "(turn|rotate|spin) ({s}|to the {s}) [by ](30|45|60|90|120|180) degrees",
        "(turn|rotate|spin) (30|45|60|90|120|180) degrees [to the ]{s}",
        "(do|make) a {s} turn",
        "(face|look) [to the ]{s}",
        "turn around",
        "(turn|rotate) yourself [to the ]{s}",
    ),
    "stand": (
        "(don't move|be still|wait here|stay put|pause|hold your position|stand still|stop|halt|stay|hold still|"
        "freeze|stay where you are|stand|stand there|keep standing|wait|hold on|remain in place|stand your ground|"
        "stop walking|stay standing|stand in place|hold it right there|stay still)",
        "(stop|halt|pause) (right there|right now|for a moment|where you are|a second)",
        "[just ](stand|stay|wait) (still|here|there|in place|put)",
    ),
    "get_up": (
        "(get up|stand up|get back up|stand back up|get back on your feet|get on your feet|recover|right yourself|"
        "climb back up|get up off the ground|get up from the floor|stand up again|get yourself up|"
        "push yourself up|stand yourself up|get upright|back on your feet|up on your feet)",
        "(get|climb|scramble|struggle) (up|back up|to your feet|upright)( again| now| please|)",
        "recover from (the|your) (fall|tumble|slip)",
    ),
    "kick_ball": (
        "(kick|shoot|punt|strike|hit|boot it|whack|smack|knock) the (ball|soccer ball|football)( into the goal|"
        " at the goal| toward the goal| into the net| hard| away| far|)",
        "(score|score a goal|shoot at the goal|take a shot|take a shot at the goal|go for goal|"
        "put it in the goal|kick it in)",
        "give the (ball|football|soccer ball) a (kick|good kick|boot|punt|hard kick)",
        "(kick|hit|shoot) it (into the goal|toward the goal|at the net|hard)",
    ),
    "unsupported": (
        "(do my homework|vacuum the floor|open the door|turn on the tv|take out the trash|make coffee|make tea|"
        "brew some tea|iron my shirt|book a flight|translate this text|play some music|charge my phone|"
        "pour me a drink|hug me|write an email|sing a song|sing|fly to the moon|dance|make me a sandwich|"
        "cook dinner|paint the wall|jump over the table|swim|write a poem|play the piano|call my mom|"
        "do a backflip|bake a cake|read a book|drive the car|feed the cat|fly|whistle|order a pizza|"
        "clean the kitchen|laugh|sleep|teleport to paris|answer the phone|sew a dress|fold the laundry|"
        "build a house|mow the lawn|paint a picture|brush your teeth|mop the floor|walk the dog|feed the fish|"
        "paint the fence|sweep the porch|buy groceries|pay my bills|read my email|send a text|take a photo|"
        "solve this equation|tie my shoes|make the bed|open the window|close the curtains|turn off the lights|"
        "check the weather|set an alarm|play football with me|tell me a story|explain quantum physics|"
        "do a dance|clap your hands|jump|do a cartwheel|go shopping|fix the sink|change the tire|write code|"
        "draw a cat|count to ten|recite the alphabet|plant a tree|bake cookies|make pancakes|peel a banana|"
        "light a candle|open a bottle of wine|take my temperature|book a table|find my keys|read the news|"
        "wake me up at seven|make a phone call|print this page|shovel the snow|wrap a present)",
        "(lick|eat|bite|chew|smell|sniff|paint|melt|burn|crush|squash|shatter|dismantle|sell|hide|bury|throw|"
        "toss|juggle|swallow|cook|boil|freeze|fold|unscrew|polish|wash|dry|tickle|hug|love|sing to|talk to|"
        "name|bless|break|destroy|dissolve|inflate|deflate|photograph|weigh|measure|count|repair|open|unlock|"
        "sharpen|peel|slice|mail|wrap|shred|recycle|spray|water|feed) {o}",
        "paint {o} (green|red|blue|white|black|pink|gold)",
        "(throw|toss|fling|hurl) {o} (at the wall|across the room|out of the window|into the bin|at me|to me)",
        "(what|which) (colour|color|shape|size) is {o}",
        "(how many|how much) (props|blocks|things|objects) (are there|do you see|can you see)",
        "(where is|do you see|can you see|is there) {o}",
        "(put|place|hide) {o} (in|inside|under|into) (the drawer|the box|my pocket|the fridge|the oven|a bag)",
        "(make|build|draw|write) (a|me a) (castle|poem|song|picture|story|list)",
        "(fly|jump|swim|crawl) (to|over|across|up) (the|a) (roof|wall|river|moon|ceiling)",
        "(tell|give) me (the time|a fact|the news|the weather|directions|a recipe)",
    ),
    # an approach with nothing named, before the action that names the prop ("go over and grab the X")
    "approach": (
        "(go|come|move|head|get) (over|over there|closer|nearer|over here|across)",
        "(reach|stretch|lean) (out|over|across|forward)",
        "(go|come) (on over|along|ahead|on)",
    ),
    "foreign": (),
    # a clause that asks for no action: thanks, manner, the speaker's reasons, constraints,
    # confirmations, addresses, context ("you slipped"); a command made only of these is refused
    "remark": (
        "(thanks|thank you|thank you so much|cheers|great|nice|perfect|good job|well done|awesome|cool|okay|"
        "alright|excellent|lovely|brilliant|sweet|wonderful|fantastic|good|ok then|right then|great work)",
        "(carefully|gently|slowly|quickly|softly|fast|smoothly|precisely|neatly|calmly) (please|now|if you can|)",
        "(be careful|take your time|no rush|go slow|easy does it|watch out|mind the edges|steady now|"
        "not too fast|nice and slow|be gentle|don't rush)",
        "(it's|it is|that's|that is) (blocking the camera|too close to me|too far away|the one i need|"
        "my favourite|for a demo|heavy|very light|wobbly|important|for the test|needed later|"
        "easy|not hard)",
        "(i|we) (want|need|would like) to (check|inspect|photograph|measure|examine|study) it",
        "(i|we) (want|need) to (see|check|inspect|look at) (the|what's) (underneath|under it|behind it)",
        "so (i|we) can (see|reach|use|check|inspect|measure|grab) it",
        "so (it's|it is) (easier to reach|in view|visible|closer to me)",
        "because (i|we) (need|want|like) it",
        "(we're|we are|i'm) (almost there|testing you|curious|just checking)",
        "(that's|that is) (all|it|everything|all for now|enough|the last one)",
        "(just testing|just checking|just curious|only a test|this is a test)",
        "(if you can|when you're ready|whenever you like|in your own time|when you can|as before|"
        "like last time|like before|same as before|as usual)",
        "(can you do that|could you manage that|is that possible|can you|will you|would you|is that okay|"
        "got it|understood|you see it|you know the one|you see it there)",
        "(leave it alone|leave it be|let it be|don't disturb it|keep it in place|keep your distance|"
        "just look|only look)",
        "(keep|leave) (the others|the rest|everything else|the other props) (alone|where they are|untouched|as is)",
        "(buddy|pal|my friend|robot|little robot|mate)",
        "(i think|i guess|i believe|maybe|probably) (that's|it's) (the one|right|correct|fine)",
        "(the|that) (one|prop|thing) (i mean|i'm talking about|over there|near you|closest to you)",
        "(good luck|well done|good job|nicely done)",
        "(you got this|you can do it|almost|nearly|one more)",
    ),
}
# verbs and nouns of the built-in held-out templates (language.TEMPLATES "test"): never in a
# training pattern of that skill, so the held-out numbers measure generalisation
HELD_OUT_WORDS: dict[str, tuple[str, ...]] = {
    "pick": ("snatch", "hoist", "grab hold"),
    "pick_it": ("hoist",),
    "reach": ("position", "tap", "go over to", "reach toward", "reach towards"),
    "push": ("press",),
    "place": ("rest ", "drop", "lay "),
    "place_it": ("rest ", "drop", "lay "),
    "open_gripper": ("open your fingers", "spread the fingers"),
    "close_gripper": ("squeeze", "close your fingers", "shut your hand"),
    "home": ("resting", "where you started", "head home"),
    "walk": ("stroll", "head", "jog", "march"),
    "turn": ("pivot", "swivel"),
    "stand": ("remain still", "stop moving", "keep still"),
    "get_up": ("rise", "pick yourself up"),
    "kick_ball": ("boot the ball", "strike the ball", "ball in the net"),
    "unsupported": ("national anthem", "like a bird", "knit", "chess", "dishes", "climb the tree", "recite a poem",
                    "launch a rocket", "cut", "kiss", "water the plants"),
}


_GROUP = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")


def _parts(pattern: str) -> list[tuple[str, ...]]:
    """"(a|b) c [d]" -> [("a", "b"), (" c ",), ("d", "")]."""
    parts: list[tuple[str, ...]] = []
    position = 0
    for match in _GROUP.finditer(pattern):
        if match.start() > position:
            parts.append((pattern[position:match.start()],))
        if match.group(1) is not None:
            parts.append(tuple(match.group(1).split("|")))
        else:
            parts.append((match.group(2), ""))
        position = match.end()
    if position < len(pattern):
        parts.append((pattern[position:],))
    return parts


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\s+([,?])", r"\1", text)).strip(" ,")


@cache
def expand(pattern: str) -> tuple[str, ...]:
    """Every phrasing a pattern stands for."""
    return tuple(_clean("".join(combo)) for combo in itertools.product(*_parts(pattern)))


def sample(pattern: str, rng: np.random.Generator) -> str:
    return _clean("".join(_pick(rng, options) for options in _parts(pattern)))


def training_templates(key: str) -> frozenset[str]:
    """Every training phrasing of one key (with the determiner "the" before {o}/{p}), for leak checks."""
    out = set()
    for pattern in PATTERNS.get(key, ()):
        for text in expand(pattern):
            out.add(text.replace("{o}", "the {o}").replace("{p}", "the {p}"))
    return frozenset(out)


def core(key: str, rng: np.random.Generator) -> str:
    """One training phrasing of a skill (or "remark", "pick_it", ...), placeholders unfilled."""
    return sample(_pick(rng, PATTERNS[key]), rng)


def decorate(text: str, rng: np.random.Generator, p_prefix: float = 0.3, p_suffix: float = 0.25) -> str:
    """Politeness, hedges, reasons and addresses around a clause."""
    if rng.random() < p_prefix:
        text = _pick(rng, _POLITE_PREFIX) + text
    if rng.random() < 0.08:
        text = text + _pick(rng, _REASON_SUFFIX)
    if rng.random() < p_suffix:
        text = text + _pick(rng, _POLITE_SUFFIX)
    return text
