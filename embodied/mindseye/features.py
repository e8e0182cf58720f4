"""Text analysis for the converter: object names, relations, cue-word features, stated numbers.

Rule-backed parts of question understanding: find the two objects (from the answer choices
or the text) and mask them as X and Y, split statements from the asked clause, read which
object has more of an attribute from comparatives ("X is heavier than Y", "Y is lighter than
X", "the force on X is larger than on Y"), find which object moves before a collision, and
compute cue-word indicator features that the trained classifier uses next to the sentence
embedding. Also rejects absurd stated numbers ("thrown at 1e9 m/s").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from embodied.errors import EmbodiedError
from embodied.mindseye.spec import SAME_WORDS

OX, OY = "objx", "objy"  # placeholders for the two objects while analysing text
_OBJ = r"(objx|objy)"

# what a container holds or a thing carries: "holds twice as much water as", "more sand than"
_LOAD = (r"water|sand|gravel|soil|dirt|earth|rice|flour|sugar|salt|grain|cargo|freight|load|stuff|ballast|lead|"
         r"liquid|fluid|juice|milk|oil|paint|fuel|coins|books|rocks|stones|bricks|luggage|groceries|shopping|"
         r"weights|concrete|cement|mud|snow|ice|food|gear|equipment|passengers|people|apples|potatoes|metal|iron")
# (pattern, polarity): +1 means the subject has more of the attribute
_LEX: dict[str, list[tuple[str, int]]] = {
    "mass": [(r"(?:twice|double|\w+ times|\d+(?:\.\d+)? times) as much (?:" + _LOAD + r")|"
              r"(?:far |much |a lot |lots )?more (?:" + _LOAD + r")(?= (?:\w+ ){0,3}?than\b)|"
              r"heavier|more massive|more mass|greater mass|larger mass|bigger mass|weighs? more|"
              r"times as heavy|twice as heavy|times the mass|times heavier|double the mass|twice the mass|"
              r"(?:outweighs?|outweighed)(?! by)|(?:dwarfs?|dwarfed)(?! by)(?![^.;]{0,30}\bin (?:height|speed|velocity))|"
              r"heavy one|heavier one|weighs (?:twice|\w+ times|\d+(?:\.\d+)? times)", 1),
             (r"lighter|less massive|less mass|smaller mass|weighs? less|half the mass|half as heavy|"
              r"(?:half|(?:a|one)[- ](?:third|quarter|fifth|tenth)) as much (?:" + _LOAD + r")|"
              r"(?:far |much )?less (?:" + _LOAD + r")(?= (?:\w+ ){0,3}?than\b)|"
              r"lower mass|light one|(?:a|one) (?:third|quarter) (?:of )?the mass|outweighed by|"
              r"dwarfed by(?![^.;]{0,30}\bin (?:height|speed|velocity))", -1)],
    "height": [(r"higher|greater height|taller|further up|farther up|greater starting height|"
                r"times as high|twice as high|bigger height|larger height|more height|up higher|above|farther up the|"
                r"further up the|times higher|times taller|(?:twice|\w+ times) as tall|"
                r"(?:dwarfs?|dwarfed)(?! by)(?=[^.;]{0,30}\bin height)", 1),
               (r"lower|smaller height|closer to the ground|nearer the ground|nearer to the ground|"
                r"less high|lesser height|shorter height|below|(?:half|(?:a|one) (?:third|quarter)) as (?:high|tall)|"
                r"half the height|dwarfed by(?=[^.;]{0,30}\bin height)", -1)],
    "speed": [(r"faster|greater speed|higher speed|more speed|quicker|greater (?:initial |starting )?velocity|"
               r"bigger (?:initial |starting )?velocity|higher (?:initial |starting )?velocity|times as fast|twice as fast|"
               r"larger speed|bigger speed|more quickly|greater initial speed|larger (?:initial )?velocity|"
               r"harder|(?:twice|\w+ times) as (?:quickly|rapidly)|"
               r"(?:outpaces?|outpaced|outruns?|outran|outraces?|outraced|outspeeds?|outstrips?|outstripped)(?! by)", 1),
              (r"slower|lower speed|less speed|smaller speed|more slowly|smaller (?:initial |starting )?velocity|"
               r"lower (?:initial |starting )?velocity|less velocity|gentler|softer|less quickly|more gently|"
               r"half as fast|half the speed|(?:outpaced|outrun|outraced|outstripped|outspeeded|outsped) by", -1)],
    "angle": [(r"steeper|larger angle|greater angle|higher angle|more steeply|bigger angle|more upwards?|more up|"
               r"(?:aimed|pointed|angled|tilted|tipped|directed|launched|thrown) (?:\w+ )?(?:higher|more skyward)|"
               r"closer to vertical|more vertical|(?:twice|\w+ times) as steep", 1),
              (r"shallower|flatter|smaller angle|lower angle|gentler|less steep|more gradual|"
               r"closer to horizontal|more horizontal|lesser angle|half as steep|more level|"
               r"(?:aimed|pointed|angled|tilted|tipped|directed|launched|thrown) (?:\w+ )?lower", -1)],
    "force": [(r"harder|larger force|greater force|stronger|bigger push|more force|times the force|twice the force|"
               r"bigger force|larger push|greater push|more strongly|heavier push|"
               r"(?:twice|\w+ times) as (?:hard|strongly|forcefully|much force)|\w+ times (?:harder|stronger|more force)", 1),
              (r"more gently|gentler|smaller force|weaker|less force|softer|smaller push|lighter push|"
               r"less strongly|less hard|half as (?:hard|strongly|much force)|half the force", -1)],
    "friction": [(r"rougher|more friction|higher (?:coefficient|friction)|greater friction|larger coefficient|"
                  r"greater coefficient|stickier|grippier|larger friction|bigger friction|coarser|"
                  r"higher (?:kinetic )?friction coefficient|grips? (?:much |far )?more|more grip|grippy", 1),
                 (r"smoother|less friction|lower (?:coefficient|friction)|slicker|more slippery|slipperier|"
                  r"smaller coefficient|icier|smaller friction|polished|lower (?:kinetic )?friction coefficient", -1)],
}
_NOUNS = {"mass": r"mass|weight", "height": r"height|level|elevation", "speed": r"speed|velocity",
          "angle": r"angle|slope|incline", "force": r"force|push|pull", "friction": r"friction|coefficient|roughness"}
_GENERIC = [(r"greater|larger|bigger|higher|more|stronger", 1), (r"smaller|less|lower|weaker|fewer", -1)]
_EQUAL = r"same|equal|identical|equally"

_WH = re.compile(r"\b(which|what|who|whose|how|is the total|does the total|is the combined|is the sum|will)\b")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip()


# a tie told without the words above: "they slid just as far as each other", "as far as the
# other", "it's a draw", "a dead heat", "nobody", "they match", "they're even", "alike"
_TIE = re.compile(
    r"\b(?:each other|one another|just as|as (?:\w+ ){1,3}as (?:the other|each other|one another|the rest)|alike|"
    r"(?:a|it'?s a|it is a|ends in a) (?:draw|dead heat)|dead heat|nobody|no one|no-one|neither one|"
    r"(?:it'?s|they'?re|they are|it is|comes? out|came out|break|breaks|broke) even|"
    r"match(?:es|ed)? (?:each other|exactly|up)|they match|evenly matched|indistinguishabl\w*|"
    r"no (?:difference|winner|one wins)|equally)\b")


def is_same_choice(choice: str) -> bool:
    """A choice saying the two objects tie ("the same", "they land together", "equal distance", "we
    tie", and, told otherwise, "they slid just as far as each other", "a dead heat")."""
    low = choice.lower().replace("’", "'")
    return any(w in low for w in SAME_WORDS) or _TIE.search(low) is not None


_STOP = {"the", "a", "an", "of", "on", "in", "at", "to", "one", "with", "and", "or", "s"}
# Answers that compare a quantity before and after ("greater", "it decreases", "the total goes
# up", "greater after the crash"), rather than name an object. A bare adjective counts only when
# no noun follows it ("larger" or "larger afterwards", not "larger cart").
_COMPARISON_CHOICE = re.compile(
    r"^(?:(?:it|they|the total(?: momentum)?|total momentum|the momentum|momentum|the sum|the combined momentum)\s+)?"
    r"(?:(?:is|gets|becomes|will be|would be|ends up|turns out)\s+)?"
    r"(?:(?:increases?|increased|decreases?|decreased|goes up|go up|went up|goes down|go down|went down|rises?|"
    r"rose|falls?|fell|drops?|dropped|grows?|shrinks?)\b"
    r"|(?:greater|smaller|larger|bigger|less|lesser|more|higher|lower)(?:\s+(?:after|afterwards|than|now|overall|"
    r"momentum|total|in total)\b.*)?$)")


def is_comparison_choice(choice: str) -> bool:
    """An answer that compares before with after ("greater", "it decreases"), see _COMPARISON_CHOICE."""
    low = choice.strip().lower().rstrip(".!")
    return not is_same_choice(low) and _COMPARISON_CHOICE.match(low) is not None


def comparison_choices(choices: list[str]) -> bool:
    """The choices are comparisons (two or more of them), not the objects."""
    return sum(is_comparison_choice(c) for c in choices if c.strip()) >= 2


def about_collision_momentum(masked: str) -> bool:
    """The question is about momentum in a collision."""
    rx = dict((n, r) for n, _, r in _CUES)["collide"]
    return re.search(r"\bmoment(?:um|a)\b", masked) is not None and re.search(rx, masked) is not None


def asks_deceleration(asked: str) -> bool:
    """The asked clause wants the rate of slowing ("slowing down at the greater rate", "loses
    speed faster", "decelerates more"), not the distance or the time to stop."""
    if re.search(r"\bdecelerat\w*|\b(?:los\w*|shed\w*) more (?:of (?:its|their) )?speed\b", asked):
        return True
    return re.search(r"\b(slow|slows|slowing|slowed|(?:loses|losing|sheds|shedding|shed) (?:\w+ )?speed|brakes?|"
                     r"braking)\b", asked) is not None and re.search(
        r"\b(rate|faster|fastest|quicker|quickest|quickly|rapidly|sharply|harder)\b", asked) is not None


def asks_acceleration(asked: str) -> bool:
    """The asked clause wants the rate of gaining speed ("whose speed is increasing at the greater
    rate", "gains speed faster", "picks up speed more quickly", "has the larger acceleration"),
    not the speed at the end or the time taken."""
    if re.search(r"\b(?:greater|larger|bigger|higher|more|largest|greatest|highest) acceleration\b|"
                 r"\baccelerat\w* (?:more|faster|quicker|harder|more (?:quickly|rapidly|strongly)|"
                 r"at a (?:greater|higher|faster|larger|bigger) rate)\b", asked):
        return True
    gain = (r"\b(?:speeds? up|speeding up|gains? speed|gaining speed|picks? up speed|picking up speed|gathers? speed|"
            r"gathering speed|builds? (?:up )?speed|building (?:up )?speed|(?:speed|velocity) (?:is |keeps )?"
            r"(?:increasing|increases|grows|growing|rises|rising|builds|building|climbs|climbing|goes up|going up))\b")
    rate = r"\b(?:rate|faster|fastest|quicker|quickest|quickly|rapidly|sharply)\b"
    return re.search(gain, asked) is not None and re.search(rate, asked) is not None


def asks_momentum(asked: str) -> bool:
    """The asked clause wants each object's momentum ("compare the magnitudes of their momenta",
    "which has more momentum"), not the total of the two."""
    return re.search(r"\bmoment(?:um|a)\b", asked) is not None and re.search(
        r"\b(total|combined|sum|system|together|overall)\b", asked) is None


def asks_kinetic_energy(asked: str) -> bool:
    """The asked clause wants each object's kinetic energy ("which carries more kinetic energy")."""
    return re.search(r"\bkinetic energy\b|\bke\b|\benergy of motion\b", asked) is not None and re.search(
        r"\b(total|combined|sum|system|together|overall|lost|loses|lose)\b", asked) is None


def asks_range(asked: str) -> bool:
    """The asked clause wants how far out the object lands ("lands farther from the wall", "the
    longer range", "travels farther before touching down"), a horizontal distance."""
    return re.search(r"\b(?:range|how far out|horizontal(?:ly)? (?:distance|farther|further)|"
                     r"lands? (?:\w+ ){0,2}?(?:farther|further|farthest|furthest)|(?:farther|further|farthest|furthest) "
                     r"(?:out|away|from)|(?:travels?|goes|flies) (?:(?!up\b|down\b|upwards?\b|downwards?\b|high\w*\b|"
                     r"straight\b)\w+ )?(?:farther|further)(?! (?:down|up))|"
                     r"(?:more|greater|larger|longer) (?:horizontal )?distance from)\b", asked) is not None


def asks_length(asked: str) -> bool:
    """The asked clause wants the length of a slide ("which leaves the longer skid?", "the longer
    skid marks", "the longer slide"): a distance along the ground, not a longer time in the air."""
    return re.search(r"\b(?:longer|longest|bigger|biggest|larger|largest)\s+(?:\w+\s+)?(?:skid|skids|skid ?marks?|"
                     r"slide|slides|sliding distance|stopping distance|braking distance|tracks?|trail|streak|"
                     r"scrape|scrape marks?|glide|stopping path)\b|\bskids? (?:farther|further|longer)\b", asked) is not None


_NO_GRAVITY = re.compile(
    r"\b(?:in|into|through|out in|floating in|drifting in) (?:deep |outer |empty |interstellar |open )?space\b|"
    r"\b(?:deep|outer|interstellar) space\b|\bfar (?:away )?from (?:any|all|every) (?:planets?|stars?|moons?|gravity)\b|"
    r"\b(?:no|zero|without|without any|negligible) gravity\b|\bgravity (?:is |was )?(?:switched |turned |set )?"
    r"(?:off|to zero|to 0|zero|absent)\b|\bweightless\w*|\bmicro-?gravity\b|\bzero[- ]g\b")


def says_no_gravity(masked: str) -> bool:
    """The objects are where nothing falls, slides on a floor or runs down a ramp: "in deep space",
    "far from any planet", "with no gravity to speak of", "weightless"."""
    return _NO_GRAVITY.search(masked) is not None


# the two objects meet: a collision word in a sentence naming both, or one sent into or at the other
_MEET_WORDS = re.compile(
    r"\b(?:collid\w*|collision|crash\w*|hits?|hitting|struck|strikes?|striking|bump|bumps|bumped|bumping|smash\w*|"
    r"slams?|slammed|slamming|rams?|rammed|ramming|knocks?|knocked|smacks?|smacked|head[- ]on|rear[- ]end\w*|"
    r"bounc\w*|impact\w*|runs? into|ran into)\b")
_SENT_AT = re.compile(
    _OBJ + r"[^.;!?]{0,60}?\b(?:into|against|toward|towards)\s+(?:(?!(?:and|or|but|while|the same)\b)[\w-]+\s+){0,3}?"
    + _OBJ + r"|\b(?:shot|shoots?|fired|fires?|threw|throws?|thrown|rolled|rolls?|flicked|flicks?|kicked|kicks?|"
    r"launched|launch(?:es)?|sent|sends?|aimed|aims?|slid|slides?|flew|flies|drove|drives?|pushed|pushes|glided|"
    r"glides?)\s+(?:(?!(?:and|or|but|while)\b)[\w-]+\s+){0,3}?" + _OBJ + r"\s+(?:straight\s+|head[- ]on\s+)?"
    r"(?:into|at|against|toward|towards)\s+(?:(?!(?:and|or|but|while)\b)[\w-]+\s+){0,3}?" + _OBJ)


# hitting the ground is no collision of the objects: "impact velocities", "hits the ground",
# "strikes the floor", "on impact with the water"
_GROUND = r"(?:the\s+)?(?:ground|floor|earth|water|pavement|sidewalk|road|sand|grass|bottom|deck|street|lawn|mat|table)"
_NOT_MEETING = re.compile(
    r"\bimpact(?=\s+(?:speeds?|velocit\w*|energ\w*|momentum|momenta|times?)\b)|"
    r"\b(?:impact\w*|hits?|hitting|strikes?|striking|struck|smacks?|smacked|slams?|slammed|crash\w*|bumps?)"
    r"(?:\s+(?:with|on|into|onto|against))?\s+" + _GROUND + r"\b")


def _meeting_text(masked: str) -> str:
    return _NOT_MEETING.sub(" ", masked)


def tells_collision(masked: str) -> bool:
    """The question tells the two objects meeting: a collision word ("hit", "bouncy", "head-on")
    in a sentence that names both, or one object sent into or at the other ("i shot objx at objy",
    "objy flies straight into a parked objx")."""
    masked = _meeting_text(masked)
    for sentence in re.split(r"[.;!?](?=\s|$)", masked):
        if len(set(re.findall(_OBJ, sentence))) < 2:
            continue
        if _MEET_WORDS.search(sentence) or _SENT_AT.search(sentence):
            return True
    return False


def speaks_of_collision(masked: str) -> bool:
    """Anything in the question speaks of a collision (a collision reading needs at least this)."""
    masked = _meeting_text(masked)
    rx = "|".join(r for n, _, r in _CUES if n in ("collide", "elastic", "stick"))
    return re.search(rx, masked) is not None or _MEET_WORDS.search(masked) is not None or tells_collision(masked)


def asks_after(masked: str) -> bool:
    """The question sentence asks about afterwards ("after, which marble goes faster?", "which
    carries more momentum afterwards?")."""
    questions = [s for s in re.split(r"(?<=[.!?;])\s+", masked) if "?" in s] or [split_asked(masked)[1]]
    return re.search(r"\b(?:after|afterwards?|post[- ]collision|once they (?:hit|collide|separate|part))\b",
                     " ".join(questions)) is not None


# Other physics, told by what is asked: how often something swings, bobs or vibrates, an orbit,
# a wave, a circuit, temperature, light or sound. The simulator models none of it, however sure
# the classifier is about the rest of the wording.
_OTHER_ASKED = re.compile(
    r"\b(?:frequenc(?:y|ies)|oscillat\w*|vibrat\w*|hertz|hz|wavelength|(?:higher|lower|highest|lowest) pitch|"
    r"bobs? up|bobbing|swings? (?:back and forth|to and fro|faster|more|slower)|orbits?|orbital|orbiting|"
    r"revolutions?|resonan\w*|amplitude|times (?:per|a|each|every) (?:second|minute|sec)|cycles? (?:per|a|each)|"
    r"period of (?:oscillation|swing|vibration|revolution|the (?:swing|pendulum|orbit))|brighter|dimmer|brightness|"
    r"glows?|louder|quieter|hotter|colder|warmer|cools?|cooling|heats? up|temperature|voltage|current|"
    r"magneti\w*|melts?|boils?|stretch\w*|compress\w*|extension)\b")
# Other physics told by the things it is about, names included ("the stiff spring", "the long
# pendulum", "satellite A"): a classifier reading of such a question that is unsure at all is refused
_OTHER_THINGS = re.compile(
    r"\b(?:springs?(?![\s-]+(?:loaded|launch\w*|board|day|morning|afternoon|break|time|term|apart|back|off|away|"
    r"up|out|forward|into|open|to|from))|pendulums?|oscillat\w*|vibrat\w*|waves?|wavelength|frequenc(?:y|ies)|"
    r"orbits?|orbital|orbiting|(?:once |all the way )?around the (?:earth|sun|moon|planet)|circuits?|resistors?|capacitors?|voltage|electric current|magnets?|"
    r"magnetic|prisms?|refract\w*|thermometers?|temperature|tuning forks?|guitar strings?|violin strings?|"
    r"piano strings?|bungee cords?|rubber bands?|hertz|resonan\w*)\b")


def asks_other_physics(asked: str) -> bool:
    """The asked clause is about physics the simulator does not model (see _OTHER_ASKED)."""
    return _OTHER_ASKED.search(asked) is not None


# a satellite is orbital physics unless something pushes it ("a thruster fires on a small satellite")
_SATELLITE = re.compile(r"\bsatellites?\b")
_THRUST = re.compile(r"\b(?:thrusters?|thrust|engines?|motors?|jets? fires?|fires?|firing|pushe[sd]|push|pushing|"
                     r"shove[sd]?|force|tugs?|tows?|towed)\b")


# coasting where nothing acts: "drift side by side", "away from any forces"
_COASTING = re.compile(r"\b(?:drift\w*|coast\w*|glid\w*|float\w*|cruis\w*|side by side|no (?:net )?forces?|"
                       r"away from (?:any|all) (?:forces?|gravity)|nothing (?:acts|pushes|pulls)|engines? off)\b")


def names_other_physics(text: str) -> bool:
    """The question (its object names included) is about springs, pendulums, waves, orbits,
    circuits, magnets, optics or heat (see _OTHER_THINGS), or about a satellite that nothing is
    said to push (a thruster firing on a satellite is a push, as on any other object) and that is
    not said to coast where nothing acts on it ("far out in space, away from any forces, ... drift")."""
    low = text.lower()
    if _OTHER_THINGS.search(low) is not None:
        return True
    return _SATELLITE.search(low) is not None and _THRUST.search(low) is None and not (
        says_no_gravity(low) and _COASTING.search(low) is not None)


# words that tell each scene: a reading of a scene the question tells nothing of is a guess
_SCENE_WORDS = {
    "free_fall": r"drop\w*|fall\w*|fell|released?|let go|lets go|land\w*|ground|floor|tower|cliff|balcony|roof\w*|"
                 r"ledge|window|bridge|height|high|thrown? (?:straight )?up|toss\w* (?:straight )?up|upwards?|"
                 r"vertically|peak\w*|air|vacuum|gravity|impact",
    "projection": r"throw\w*|threw|thrown|launch\w*|kick\w*|fire[sd]?|shot|shoot\w*|toss\w*|hurl\w*|lob\w*|"
                  r"horizontal\w*|angle\w*|degrees?|range|off (?:the|a)|edge|cliff|land\w*|air|flight",
    "motion": r"push\w*|pull\w*|force\w*|thrust\w*|shove\w*|tow\w*|drift\w*|coast\w*|glid\w*|float\w*|"
              r"cruis\w*|speed|moving|move[sd]?|frictionless|space|engine\w*|thruster\w*|accelerat\w*",
    "friction": r"slid\w*|slide\w*|skid\w*|glid\w*|coast\w*|friction|rough\w*|smooth\w*|floor|ice|icy|"
                r"carpet\w*|surface|table|counter|across|along|stop\w*|push\w*|shove\w*|flick\w*|kick\w*|"
                r"sent|slippery|grip\w*",
    "incline": r"ramps?|inclin\w*|slop\w*|hill\w*|downhill|chutes?|slides?|tilt\w*|slant\w*|gradient|degrees?",
    "collision": r"collid\w*|collision|crash\w*|hits?|hitting|struck|strikes?|bump\w*|smash\w*|slam\w*|ram\w*|"
                 r"knock\w*|smack\w*|head[- ]on|bounc\w*|impact\w*|into|elastic\w*|stick\w*|stuck|couple\w*",
}


def tells_scene(masked: str, scene: str) -> bool:
    """The question has a word of the scene (`_SCENE_WORDS`): "slides", "skids" for friction,
    "dropped", "lands" for a fall."""
    rx = _SCENE_WORDS.get(scene)
    return rx is not None and re.search(r"\b(?:" + rx + r")\b", masked) is not None


# a slope of some kind: an incline reading needs one ("off the tailgate ... across the pond" has none)
_SLOPE = re.compile(
    r"\b(?:ramps?|inclines?|inclined|slopes?|sloped|sloping|hills?|hillside|hilltop|downhill|uphill|tilt\w*|"
    r"slant\w*|chutes?|gradient|grade|banks?|embankment|planks?|boards?|roofs?|ski|skis|skie[rd]s?|skiing|pistes?|runs? down|"
    r"degrees?|tracks?|rails?|half-?pipe|dunes?|mountain\w*|(?:slides?|slid|sliding|rolls?|rolled|rolling|goes|"
    r"go|went|going|runs?|ran|running|races?|raced|comes?|came|sleds?|sledding|skis?) down|down (?:the|a|an|one|"
    r"two|its|their|his|her|my|our|your|same|identical|separate)\b|steep\w*|shallow\w*|tops? of|"
    r"(?:a|the|playground|water|metal|plastic|wooden|long|short|tall|big|straight|curved|twisty|spiral|wavy|same|two|"
    r"frictionless|smooth|icy|steep|gentle|shallow)\s+slides?)\b|°")


def tells_slope(masked: str) -> bool:
    """The question speaks of something sloping (`_SLOPE`), as an incline reading needs."""
    return _SLOPE.search(masked) is not None


_OPPOSITE = {"east": "west", "west": "east", "north": "south", "south": "north", "left": "right", "right": "left",
             "eastward": "west", "westward": "east", "northward": "south", "southward": "north"}


def asks_reversal(statements: str, asked: str) -> bool:
    """The asked clause wants the object that turns back after a collision: "which bounces back",
    "which moves in the opposite direction", "which is moving backward", or a direction opposite
    to the one stated before ("... moving east ...; which cart is moving west afterwards?")."""
    if re.search(r"\b(reverses?|reversing|bounces? back|bouncing back|rebounds?|rebounding|turns? (?:back|around)|"
                 r"backwards?|opposite direction|other way|back the way|changes? direction|recoils?)\b", asked):
        return True
    for m in re.finditer(r"\b(east|west|north|south|left|right)(?:ward|wards)?\b", asked):
        if re.search(r"\b" + _OPPOSITE[m.group(1)] + r"(?:ward|wards)?\b", statements):
            return True
    return False


def _words(text: str) -> list[str]:
    """Lower-case words; a possessive "'s" is dropped ("Mia's puck" -> mia, puck); a decimal is one
    word ("the 0.5 kg mass" -> the, 0.5, kg, mass)."""
    return re.findall(r"[a-z0-9]+(?:\.[0-9]+)?", re.sub(r"['’]s\b", "", text.lower()).replace("-", " "))


def _mention(low: str, name: str) -> bool:
    return re.search(r"(?<![a-z0-9])(?<!\d\.)" + re.escape(name) + r"(?![a-z0-9])(?!\.\d)", low) is not None


# a predicate both choices end with: "the 0.5 kg mass is faster" / "the 5 kg mass is faster" name
# "the 0.5 kg mass" and "the 5 kg mass"
_PREDICATE_START = (r"is|was|are|were|will|would|has|had|does|did|gets|got|goes|went|lands|landed|hits|hit|reaches|"
                    r"reached|wins|won|moves|moved|travels|travelled|traveled|slides|slid|falls|fell|stops|stopped|"
                    r"arrives|arrived|comes|came|rises|rose|rolls|rolled|ends|ended|stays|stayed|keeps|kept|"
                    r"finishes|finished|carries|carried|touches|touched|makes|made|covers|covered|peaks|peaked")


def _subject_of(a: str, b: str) -> tuple[str, str]:
    """The two choices without the predicate they share, if they share one and something is left."""
    wa, wb = a.split(), b.split()
    n = 0
    while n < min(len(wa), len(wb)) - 1 and wa[-1 - n].lower() == wb[-1 - n].lower():
        n += 1
    for k in range(n, 0, -1):  # the longest shared ending that starts with a verb
        if re.fullmatch(_PREDICATE_START, wa[-k].lower()):
            return " ".join(wa[:-k]), " ".join(wb[:-k])
    return a, b


_ORIGINAL: dict[str, str] = {}


def low_original(low: str) -> str:
    """The original-case text a lower-cased one came from (for case-sensitive one-letter names)."""
    return _ORIGINAL.get(low, low)


def _distinct_mention(low: str, choice: str, other: str) -> str | None:
    """The longest word n-gram of `choice` found in the text and not shared with `other`."""
    words = _words(choice)
    other_words = " " + " ".join(_words(other)) + " "
    flat = " ".join(_words(low))
    for n in range(len(words), 0, -1):
        # from the end: the head noun ("ball" in "the big ball") before its adjectives, so the
        # adjectives stay in the text ("a big steel objx")
        # (of several, the one ending with the head: "green wagon" before "the big" in "the big green wagon")
        starts = range(len(words) - n, -1, -1)
        for i in starts:
            gram = words[i:i + n]
            if all(w in _STOP for w in gram):
                continue
            phrase = " ".join(gram)
            if f" {phrase} " in other_words:
                continue
            if _mention(flat, phrase):
                body = r"(?:['’]s)?[\s-]+".join(re.escape(w) for w in gram)
                m = re.search(r"(?<![A-Za-z0-9])" + body + r"(?![A-Za-z0-9])", low_original(low), flags=re.I)
                return m.group(0) if m else phrase
    return None


def _second_person(low: str, choice: str, other: str) -> str | None:
    """"you" for a choice like "your ball" when the text speaks of "you" and the other choice
    has an owner of its own ("your friend's ball")."""
    if re.search(r"\byour\b", choice.lower()) and re.search(r"\byou\b", low) and \
            re.search(r"\byour \w+'s\b|\b\w+'s\b", other.lower()):
        return "you"
    return None


# the speaker's own object: "mine", "me", "my pellets" (not "my son's pellets", which is the son's)
_FIRST_PERSON_CHOICE = re.compile(r"^\s*(?:mine|me|myself|i|my (?![\w-]+['’]s\b)[\w -]+|my own [\w -]+)\s*[.!]?\s*$",
                                  re.I)
# the mention that stands for the speaker: masked as every first-person form ("I", "me", "mine")
FIRST_PERSON = "I"
_BARE_ME = r"\s*(?:mine|me|myself|i)\s*[.!]?\s*"


# people the speaker names ("my brother", "my friend"): someone else, not the speaker's own thing;
# the pronouns that can stand for them
_MALE = (r"brother|son|dad|daddy|father|uncle|grandpa|granddad|grandfather|nephew|husband|boyfriend|boy|man|guy|"
         r"stepbrother|stepdad|stepfather|grandson")
_FEMALE = (r"sister|daughter|mum|mom|mummy|mommy|mother|aunt|auntie|grandma|granny|grandmother|niece|wife|girlfriend|"
           r"girl|woman|lady|stepsister|stepmum|stepmom|stepmother|granddaughter")
_NEUTRAL = (r"friend|mate|buddy|pal|cousin|kid|child|sibling|twin|partner|neighbou?r|roommate|flatmate|classmate|"
            r"teammate|coach|teacher|colleague|coworker|co-worker|boss|opponent|rival|parent|grandparent|spouse")


def _person(name: str) -> str | None:
    """"m", "f" or "n" for a name that is a person the speaker knows ("my brother", "my friend's")."""
    low = name.lower()
    for kind, rx in (("m", _MALE), ("f", _FEMALE), ("n", _NEUTRAL)):
        if re.search(r"\b(?:" + rx + r")s?\b", low):
            return kind
    return None


def _speakers(choice: str) -> bool:
    """The choice is the speaker or the speaker's own thing ("mine", "me", "my pellets"), not a
    person the speaker names ("my brother")."""
    return _FIRST_PERSON_CHOICE.match(choice) is not None and not (
        choice.strip().lower().startswith("my ") and _person(choice))


def _first_person(low: str, choice: str, other: str) -> str | None:
    """"I" for a choice like "mine" or "my pellets" when the text speaks in the first person ("I
    toss ...", "... slower than me") and the other choice is someone else's ("my son's", "my
    brother")."""
    if _speakers(choice) and not _speakers(other) and re.search(r"\b(i|me|mine|myself)\b", low):
        return FIRST_PERSON
    return None


def object_names(text: str, choices: list[str]) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(names, mentions): the two objects' names (as the choices give them, else as the text does)
    and the strings that mention them in the text (for masking)."""
    low = text.lower()
    _ORIGINAL.clear()
    _ORIGINAL[low] = text
    named = [c for c in choices if not is_same_choice(c) and not is_comparison_choice(c)]
    if len(named) > 2:
        # a third choice told as a tie in other words ("they finish level") is not an object
        plural = [c for c in named if re.match(r"\s*(?:they|we|both|neither|nobody|no one|each|all)\b", c, flags=re.I)]
        if len(named) - len(plural) >= 2:
            named = [c for c in named if c not in plural]
    if len(named) >= 2:
        a, b = _subject_of(named[0], named[1])
        if {a.strip(), b.strip()} == {"X", "Y"}:
            # letters name themselves: the text's X is the placeholder X whatever the choices'
            # order (choices "Y", "X" must not make the text's X the spec's Y)
            a, b = "X", "Y"
        if _mention(low, a.lower()) and _mention(low, b.lower()):
            # "mine" vs "yours", both in the text: the speaker is also "I" and "me"
            me_a = _first_person(low, a, b) if re.fullmatch(_BARE_ME, a, flags=re.I) else None
            me_b = _first_person(low, b, a) if re.fullmatch(_BARE_ME, b, flags=re.I) else None
            return (a, b), (me_a or a, me_b or b)
        stripped = [re.sub(r"^(the|a|an) ", "", c.strip(), flags=re.I) for c in (a, b)]
        if all(_mention(low, s_.lower()) for s_ in stripped):
            return (a, b), (stripped[0], stripped[1])
        ma, mb = _distinct_mention(low, a, b), _distinct_mention(low, b, a)
        # "your ball" vs "your friend's ball": the one with no word of its own is the reader's
        ma = ma or _second_person(low, a, b)
        mb = mb or _second_person(low, b, a)
        # "mine" vs "my son's": the speaker's, told by "I", "me", "mine" wherever they stand ("my
        # pellets" only when the text does not name them so)
        ma = (_first_person(low, a, b) if re.fullmatch(_BARE_ME, a, flags=re.I) or not ma else None) or ma
        mb = (_first_person(low, b, a) if re.fullmatch(_BARE_ME, b, flags=re.I) or not mb else None) or mb
        if ma and mb and ma != mb:
            return (a, b), (ma, mb)
        if {a, b} == {"X", "Y"}:
            found = _names_from_text(text)
            if found:  # choices say X/Y for the first/second object the text names
                return (a, b), found
        return (a, b), (a, b)
    found = _names_from_text(text)
    return found, found


def _names_from_text(text: str) -> tuple[str, str] | None:
    low = text.lower()
    if re.search(r"\bX\b", text) and re.search(r"\bY\b", text):
        return "X", "Y"
    labels = re.findall(r"\b((?:[Bb]all|[Bb]ox|[Bb]lock|[Cc]art|[Oo]bject|[Cc]rate|[Pp]uck|[Ss]led|[Cc]ar|"
                        r"[Ss]tone|[Rr]ock|[Mm]arble|[Ss]phere|[Cc]ube|[Bb]rick) (?:[A-Z]|\d+))\b", text)
    uniq = list(dict.fromkeys(labels))
    if len(uniq) >= 2:
        return uniq[0], uniq[1]
    phrases = re.findall(r"\b(?:the|a|an) ((?:[a-z]+ )?(?:ball|box|block|cart|marble|sphere|cube|brick|stone|rock|"
                         r"car|truck|sled|crate|puck|bottle|book|coin|feather|hammer|bullet|cannonball|"
                         r"skier|child|person|bike|bicycle|train|bus|boulder|pebble|apple|orange|can|barrel|"
                         r"suitcase|trolley|skateboard|canoe|toy|wagon|pin))\b", low)
    uniq = list(dict.fromkeys(phrases))
    if len(uniq) >= 2:
        return uniq[0], uniq[1]
    return None


def find_objects(text: str, choices: list[str]) -> tuple[str, str] | None:
    """The two object names (see `object_names`)."""
    return object_names(text, choices)[0]


# A label that tells two names apart ("P" in "sled P" / "sled Q", "Alpha" in "probe Alpha"): one
# capital letter, or a capitalised word, after the words the two names share.
_LABEL = re.compile(r"[A-Z]|[A-Z][a-z]+")
# "A" and "I" alone are usually the article and the pronoun: as a label only before a verb or
# punctuation ("A has more friction", "... than A.")
_LABEL_VERB = (r"is|was|has|had|does|did|will|would|can|could|and|or|then|also|still|only|just|gets|starts|stays|"
               r"ends|reaches|keeps|goes|moves|weighs|travels|slides|rolls|lands|falls|hits|stops")


def short_forms(mentions: tuple[str, str]) -> tuple[str, str] | None:
    """The labels that tell two mentions apart, when each mention is shared words followed by a
    label of its own ("sled P" / "sled Q" -> "P", "Q"): the text may later use the label alone
    ("P has waxed runners while Q ...")."""
    words = [m.strip().split() for m in mentions]
    if min(len(w) for w in words) < 2 or words[0][:-1] != words[1][:-1]:
        return None
    labels = (words[0][-1], words[1][-1])
    if labels[0] == labels[1] or not all(_LABEL.fullmatch(w) for w in labels):
        return None
    return labels


def mask(text: str, mentions: tuple[str, str] | None) -> str:
    """Lower-cased text with the two objects' mentions replaced by objx / objy.

    A label that tells the two names apart is masked where it stands alone too ("sled P" ...
    "P has waxed runners"); it is matched with its case ("P", not "p")."""
    out = normalise(text)
    if mentions is None:
        return out.lower()
    marks = sorted([(mentions[0], OX), (mentions[1], OY)], key=lambda p: -len(p[0]))
    for name, token in marks:
        if name == FIRST_PERSON:  # the speaker: "I toss mine ... slower than me"
            out = re.sub(r"(?<![A-Za-z0-9'’])(?:i|me|myself|mine)(?![A-Za-z0-9'’-])", token, out, flags=re.I)
            other, other_token = (mentions[1], OY) if token == OX else (mentions[0], OX)
            kind = _person(other) or ("n" if re.fullmatch(r"\s*[A-Z][a-z]+(?:['’]s)?\s*", other) else None)
            if kind is not None:
                # the one other person: "his sled", "than hers", "she" (of the matching kind)
                pronouns = {"m": r"he|his|him|himself", "f": r"she|her|hers|herself",
                            "n": r"he|his|him|himself|she|her|hers|herself"}[kind]
                out = re.sub(r"(?<![A-Za-z0-9'’])(?:" + pronouns + r")(?![A-Za-z0-9'’-])", other_token, out, flags=re.I)
            # the speaker's own things: "my throw is pointed higher than his"
            out = re.sub(r"(?<![A-Za-z0-9'’])my(?![A-Za-z0-9'’-])(?!\s+obj[xy])", token, out, flags=re.I)
            continue
        variants = {name, re.sub(r"^(the|a|an) ", "", name, flags=re.I)}
        for v in sorted(variants, key=len, reverse=True):
            body = r"(?:['’]s)?[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", v.strip()))
            pattern = r"(?<![A-Za-z0-9])(?<!\d\.)(?:(?:the|a|an) )?" + body + r"(?![A-Za-z0-9])(?!\.\d)"
            flags = 0 if len(v) == 1 else re.I
            out = re.sub(pattern, token, out, flags=flags)
    labels = short_forms(mentions)
    for label, token in zip(labels or (), (OX, OY)):
        after = r"(?![A-Za-z0-9-])"
        if label in ("A", "I"):
            after += r"(?=\s*(?:[^\w\s]|$)|\s+(?:" + _LABEL_VERB + r")\b)"
        out = re.sub(r"(?<![A-Za-z0-9-])" + re.escape(label) + r"(?:['’]s)?" + after, token, out)
    return out.lower()


# a request with no question mark: "Compare the magnitudes of their momenta afterwards.",
# "Determine which one lands first.", "Say which block slides farther."
_REQUEST = re.compile(r"^(?:(?:now|so|then|please|finally),?\s+)?(?:compare|determine|decide|find|identify|state|"
                      r"predict|tell(?: me| us)?|say|name|work out|figure out|rank|indicate|choose|pick|select|"
                      r"explain which|guess)\b")


def split_asked(masked: str) -> tuple[str, str]:
    """(statements, asked clause) of masked text."""
    sentences = re.split(r"(?<=[.!?;])\s+", masked)
    statements, asked = [], []
    for s in sentences:
        if "?" not in s and _REQUEST.match(s):
            asked.append(s)
            continue
        if "?" not in s:
            statements.append(s)
            continue
        m = _WH.search(s)
        if m is None:
            asked.append(s)
            continue
        head, tail = s[:m.start()], s[m.start():]
        statements.append(head)
        # a condition after the question word: "which lands first if X is heavier than Y?"
        cond = re.search(r"\b(if|given that|given|when|assuming|provided)\b", tail)
        if cond and cond.start() > 0:
            statements.append(tail[cond.start():])
            tail = tail[:cond.start()]
        asked.append(tail)
    return " ".join(statements), " ".join(asked)


def find_relation(statements: str, attribute: str) -> tuple[str | None, bool]:
    """Which placeholder has more `attribute` ("X"/"Y"), or None for equal; found flag."""
    if attribute not in _LEX:
        return None, False
    clauses = re.split(r"[.;!?:](?=\s|$)|, but |, while |, whereas | while | whereas |, and (?=objx|objy)", statements)
    # numbers stated for each object ("objx ... from 20 m above the ground; objy ... 45 m above
    # the ground", "a 5 kg objx and a 0.5 kg objy") are the plainest statement there is; words
    # around them ("above the ground") must not be read as a comparison between the objects
    symbolic = _symbolic(statements, attribute)
    if symbolic is not None:
        return symbolic
    numbers = _stated_per_object(statements, attribute)
    if numbers is not None:
        return numbers, True
    for clause in clauses:
        objs = [(m.start(), m.group(1)) for m in re.finditer(_OBJ, clause)]
        if not objs:
            continue
        found = _comparative(clause, _LEX[attribute])
        if found is None:  # "the mass of objx is greater", "a greater starting height": noun and word close
            near = re.search(r"\b(" + _NOUNS[attribute] + r")\b\W+(?:[\w']+\W+){0,4}?(?=(?:" + _GENERIC[0][0] + r"|"
                             + _GENERIC[1][0] + r")\b)|\b(?:" + _GENERIC[0][0] + r"|" + _GENERIC[1][0]
                             + r")\W+(?:[\w']+\W+){0,2}?(?=(?:" + _NOUNS[attribute] + r")\b)", clause)
            if near:
                found = _comparative(clause[near.start():], _GENERIC)
                if found is not None:
                    found = (found[0] + near.start(), found[1] + near.start(), found[2])
        if found is not None and _between_others(clause, found[0], found[1]):
            found = None  # "the wood is way more slippery than the carpet": not said of the objects
        elif found is not None:
            pos, end, polarity = found
            return _resolve(clause, objs, pos, end, polarity), True
        multiplied = _multiplied(clause, attribute)
        if multiplied is not None:
            return multiplied, True
    adjective = _adjectives(statements, attribute)
    if adjective is not None:
        return adjective, True
    for clause in clauses:
        if re.search(r"\b(" + _EQUAL + r")\b[^.]*\b(" + _NOUNS[attribute] + r")", clause) or re.search(
                r"\b(" + _NOUNS[attribute] + r")\w*\b[^.]*\b(" + _EQUAL + r")\b", clause):
            if attribute == "mass" and re.search(r"\b(same|equal|equally|identical)\b", clause):
                return None, True
    return None, False


# the attribute's symbol with the object as subscript: "m_objx = 5 m_objy", "v(objy) = 2v(objx)",
# "mu_objx < mu_objy", "h_objx = h_objy / 3"
_SYMBOLS = {"mass": r"m", "speed": r"v|u", "height": r"h", "force": r"f", "friction": r"mu(?:_?[ks])?|μ(?:_?[ks])?",
            "angle": r"theta|θ|alpha|α"}
_SYM_NUMBER = r"(\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?)"


def _symbolic(statements: str, attribute: str) -> tuple[str | None, bool] | None:
    """A relation written as an equation or inequality of the attribute's symbols ("m_objx = 5
    m_objy", "v_objy = v_objx/2", "mu_objx > mu_objy"): ((greater or None for equal), True), or
    None when there is none."""
    if attribute not in _SYMBOLS:
        return None
    sym = r"(?<![a-z])(?:" + _SYMBOLS[attribute] + r")\s*(?:_\s*|\(\s*|\[\s*)(objx|objy)\s*[)\]]?"
    rx = (sym + r"\s*(=|==|>=|<=|>|<|≥|≤)\s*(?:" + _SYM_NUMBER + r"\s*(?:\*|×|x|·)?\s*)?" + sym
          + r"(?:\s*(?:/|÷)\s*" + _SYM_NUMBER + r")?(?!\w|\.\d)")
    m = re.search(rx, statements)
    if m is None or m.group(1) == m.group(4):
        return None

    def number(raw: str | None) -> float:
        if not raw:
            return 1.0
        top, _, bottom = raw.partition("/")
        return float(top) / float(bottom) if bottom else float(top)

    op, ratio = m.group(2), number(m.group(3)) / number(m.group(5))
    if op in ("=", "=="):
        if ratio == 1.0:
            return None, True
        left_more = ratio > 1.0
    else:
        left_more = op in (">", ">=", "≥")
    greater = m.group(1) if left_more else m.group(4)
    return ("X" if greater == OX else "Y"), True


_ADJECTIVES = {
    "mass": (r"heavy|heavier|loaded|massive|full|laden|packed|stacked|piled|hefty|overloaded",
             r"light|lighter|empty|unloaded"),
    "height": (r"high|higher|tall|taller|top|upper", r"low|lower|bottom"),
    "speed": (r"fast|faster|quick|quicker|speeding|swift", r"slow|slower|sluggish"),
    "angle": (r"steep|steeper", r"shallow|shallower|gentle|gentler|gradual"),
    "force": (r"strong|stronger|hard", r"weak|weaker|gentle|soft"),
    "friction": (r"rough|rougher|sticky|rusty|grippy", r"smooth|smoother|slippery|icy|waxed|polished|oiled|greased"),
}


def _adjectives(statements: str, attribute: str) -> str | None:
    """"a heavy objx and a light objy": adjectives right before the mentions."""
    more, less = _ADJECTIVES[attribute]
    score = {OX: 0, OY: 0}
    for m in re.finditer(r"\b(" + more + r"|" + less + r")\s+(?:(?!while\b|and\b|but\b|whereas\b|or\b|then\b)\w+\s+)?"
                         + _OBJ, statements):
        score[m.group(2)] += 1 if re.fullmatch(more, m.group(1)) else -1
    if score[OX] != score[OY]:
        return "X" if score[OX] > score[OY] else "Y"
    return None


# Typical masses (kg) of everyday objects, for relations people leave implied: "a bowling
# ball and a marble dropped from the same balcony" varies mass without saying so. Only
# objects whose masses differ by far more than their own spread are compared (IMPLIED_RATIO),
# so rough figures are enough; kinds whose masses range too widely to place ("a rock", "a
# dog", "a boat", "a bottle", "a suitcase") are left out.
TYPICAL_MASS_KG: dict[str, float] = {
    # small things, stationery, household
    "feather": 0.005, "marble": 0.005, "coin": 0.006, "paperclip": 0.001, "paper clip": 0.001, "sugar cube": 0.004,
    "pin": 0.0005, "needle": 0.0003, "thumbtack": 0.0005, "drawing pin": 0.0005, "staple": 0.00003,
    "button": 0.001, "bead": 0.0005, "ring": 0.005, "key": 0.01, "pencil": 0.006, "pen": 0.01, "crayon": 0.005,
    "eraser": 0.02, "ruler": 0.03, "stapler": 0.2, "notebook": 0.2, "book": 0.5, "textbook": 1.2,
    "dictionary": 1.5, "encyclopedia": 2.0, "envelope": 0.005, "postcard": 0.003, "sheet of paper": 0.005,
    "piece of paper": 0.005, "paper plane": 0.005, "paper airplane": 0.005, "paper aeroplane": 0.005,
    "tissue": 0.001, "leaf": 0.002, "twig": 0.01, "matchstick": 0.0001, "toothpick": 0.0001,
    "toothbrush": 0.02, "candle": 0.2, "light bulb": 0.03, "lightbulb": 0.03, "umbrella": 0.4, "wallet": 0.1,
    "watch": 0.1, "phone": 0.18, "smartphone": 0.18, "mobile phone": 0.15, "laptop": 2.0, "remote control": 0.15,
    "shoe": 0.4, "boot": 0.8, "sock": 0.05, "hat": 0.1, "glove": 0.1, "towel": 0.5, "blanket": 1.5,
    "pillow": 0.5, "cushion": 0.5, "balloon": 0.005, "water balloon": 0.5, "snowflake": 0.000003,
    "raindrop": 0.00003, "hailstone": 0.005, "ice cube": 0.02, "snowball": 0.2, "grain of sand": 0.00001,
    "grain of rice": 0.00003, "sand grain": 0.00001, "stick": 0.1, "branch": 2.0, "log": 30.0, "plank": 5.0,
    "brick": 2.5, "cinder block": 15.0, "concrete block": 15.0, "breeze block": 10.0, "pebble": 0.05,
    "boulder": 500.0, "anvil": 50.0, "curling stone": 19.0, "bag of cement": 25.0, "sack of potatoes": 25.0,
    "bucket of water": 10.0, "car battery": 18.0, "tyre": 10.0, "tire": 10.0, "bullet": 0.01,
    "cannonball": 8.0, "cannon ball": 8.0, "cannon": 1000.0,
    # tools
    "hammer": 0.6, "claw hammer": 0.6, "sledgehammer": 5.0, "sledge hammer": 5.0, "mallet": 0.5, "nail": 0.005,
    "screw": 0.003, "bolt": 0.02, "nut": 0.005, "washer": 0.002, "screwdriver": 0.15, "wrench": 0.3,
    "spanner": 0.3, "pliers": 0.2, "saw": 0.6, "chainsaw": 5.0, "drill": 1.5, "axe": 2.0, "hatchet": 0.7,
    "shovel": 2.0, "spade": 2.0, "rake": 1.0, "crowbar": 2.5, "chisel": 0.2, "tape measure": 0.3,
    "toolbox": 5.0, "ladder": 8.0, "wheelbarrow": 15.0, "paintbrush": 0.05, "bucket": 1.0,
    # kitchenware, food
    "spoon": 0.03, "teaspoon": 0.02, "fork": 0.04, "knife": 0.08, "chopstick": 0.01, "plate": 0.4,
    "bowl": 0.3, "cup": 0.25, "mug": 0.35, "saucepan": 1.2, "frying pan": 1.5, "pot": 1.5, "kettle": 1.2,
    "teapot": 0.8, "toaster": 2.0, "microwave": 12.0, "blender": 3.0, "rolling pin": 0.6, "ladle": 0.1,
    "whisk": 0.1, "spatula": 0.08, "tea bag": 0.003, "cookie": 0.015, "biscuit": 0.01, "loaf": 0.5,
    "egg": 0.06, "apple": 0.2, "orange": 0.2, "banana": 0.12, "lemon": 0.1, "lime": 0.07, "peach": 0.15,
    "pear": 0.18, "plum": 0.06, "grapefruit": 0.3, "avocado": 0.2, "coconut": 0.7, "pineapple": 1.5,
    "melon": 3.0, "watermelon": 6.0, "pumpkin": 5.0, "cabbage": 1.0, "potato": 0.2, "onion": 0.15,
    "carrot": 0.07, "tomato": 0.12, "grape": 0.005, "cherry": 0.008, "strawberry": 0.012, "blueberry": 0.002,
    "raisin": 0.0005, "pea": 0.0002, "peanut": 0.001, "almond": 0.0012, "walnut": 0.01,
    # sports gear
    "ping-pong ball": 0.0027, "ping pong ball": 0.0027, "table tennis ball": 0.0027, "golf ball": 0.046,
    "tennis ball": 0.058, "baseball": 0.145, "softball": 0.19, "cricket ball": 0.16, "hockey puck": 0.17,
    "soccer ball": 0.43, "football": 0.43, "rugby ball": 0.43, "basketball": 0.62, "volleyball": 0.27,
    "billiard ball": 0.17, "pool ball": 0.17, "snooker ball": 0.14, "cue ball": 0.17, "croquet ball": 0.45,
    "squash ball": 0.024, "racquetball": 0.04, "lacrosse ball": 0.14, "bocce ball": 0.92, "petanque ball": 0.7,
    "boule": 0.7, "dodgeball": 0.3, "kickball": 0.3, "water polo ball": 0.42, "bouncy ball": 0.02,
    "ball bearing": 0.005, "wrecking ball": 2000.0, "curling rock": 19.0,
    "netball": 0.4, "handball": 0.45, "beach ball": 0.1, "medicine ball": 4.0, "bowling ball": 7.0,
    "shot put": 7.0, "kettlebell": 12.0, "dumbbell": 5.0, "barbell": 20.0, "shuttlecock": 0.005,
    "frisbee": 0.175, "javelin": 0.8, "discus": 2.0, "dart": 0.02, "arrow": 0.03, "tennis racket": 0.3,
    "racket": 0.3, "baseball bat": 0.9, "cricket bat": 1.2, "hockey stick": 0.5, "golf club": 0.35,
    "bowling pin": 1.5, "helmet": 0.4, "skateboard": 3.0, "surfboard": 6.0, "snowboard": 4.0, "sled": 8.0,
    "sledge": 8.0, "toboggan": 8.0, "kayak": 20.0, "canoe": 30.0, "roller skate": 1.0,
    # vehicles
    "bicycle": 12.0, "bike": 12.0, "tricycle": 8.0, "kick scooter": 4.0, "moped": 90.0, "motorcycle": 200.0,
    "motorbike": 200.0, "car": 1500.0, "van": 2500.0, "pickup truck": 2500.0, "suv": 2200.0,
    "truck": 10000.0, "lorry": 10000.0, "bus": 12000.0, "tractor": 4000.0, "tank": 60000.0, "tram": 30000.0,
    "train": 400000.0, "locomotive": 100000.0, "airplane": 40000.0, "aeroplane": 40000.0, "jet": 40000.0,
    "helicopter": 3000.0, "ship": 10000000.0, "shopping cart": 15.0, "shopping trolley": 15.0,
    "stroller": 8.0, "pram": 10.0, "wheelchair": 15.0, "golf cart": 400.0, "go-kart": 100.0, "go kart": 100.0,
    # animals, people
    "mosquito": 0.000003, "fly": 0.00002, "ant": 0.000003, "bee": 0.0001, "ladybug": 0.00002,
    "ladybird": 0.00002, "butterfly": 0.0005, "spider": 0.001, "beetle": 0.002, "snail": 0.01, "worm": 0.003,
    "goldfish": 0.05, "frog": 0.03, "mouse": 0.02, "hamster": 0.1, "rat": 0.3, "sparrow": 0.03,
    "pigeon": 0.35, "chicken": 2.5, "hen": 2.5, "duck": 1.2, "goose": 4.0, "kitten": 1.0, "cat": 4.0,
    "rabbit": 2.0, "puppy": 5.0, "fox": 6.0, "goat": 50.0, "sheep": 70.0, "deer": 80.0, "pig": 150.0,
    "pony": 250.0, "donkey": 250.0, "horse": 500.0, "cow": 700.0, "bull": 900.0, "camel": 500.0,
    "lion": 190.0, "tiger": 200.0, "bear": 300.0, "gorilla": 150.0, "dolphin": 150.0, "giraffe": 1000.0,
    "hippo": 1500.0, "hippopotamus": 1500.0, "rhino": 2300.0, "rhinoceros": 2300.0, "elephant": 5000.0,
    "whale": 40000.0, "baby": 5.0, "toddler": 12.0, "child": 25.0, "adult": 70.0, "man": 75.0, "woman": 65.0,
    # furniture, appliances
    "chair": 7.0, "stool": 4.0, "armchair": 25.0, "table": 30.0, "desk": 35.0, "bench": 20.0, "sofa": 50.0,
    "couch": 50.0, "bed": 60.0, "mattress": 25.0, "wardrobe": 80.0, "bookcase": 40.0, "bookshelf": 40.0,
    "dresser": 50.0, "filing cabinet": 40.0, "lamp": 2.0, "television": 15.0, "tv": 15.0, "refrigerator": 90.0,
    "fridge": 90.0, "washing machine": 70.0, "dishwasher": 50.0, "oven": 50.0, "piano": 300.0,
}
IMPLIED_RATIO = 10.0
# a toy car is not a car: with these in front, what the name says does not tell the mass
_SIZE_UNKNOWN = {"toy", "model", "miniature", "mini", "replica", "inflatable", "plush", "cardboard", "paper"}
# "a bag of ...", "a glass of water": the mass is the contents', which the container's name does not tell
_CONTAINERS = {"bag", "box", "bucket", "crate", "sack", "carton", "jar", "bottle", "piece", "sheet", "slice", "bunch",
               "handful", "pile", "stack", "cup", "glass", "bowl", "pail", "basket", "tub", "can", "tin", "pack",
               "load"}
_MASS_KEYS = {" ".join(_words(key)): mass for key, mass in TYPICAL_MASS_KG.items()}


# the object a name refers to comes before these ("the book on the table" is a book)
_NAME_ENDS = {"on", "in", "at", "from", "with", "under", "over", "near", "by", "into", "onto", "along", "across",
              "down", "up", "that", "which", "who", "beside", "behind", "inside", "off", "than", "for", "to"}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "uses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def typical_mass(name: str) -> float | None:
    """The typical mass of the object a name refers to, if it is a known everyday object.

    The head noun is the last known object before any preposition ("a car key" is a key, "a
    claw hammer" a hammer, "the book on the table" a book); plurals are read as their singular;
    "toy"/"model" in front, or a container ("a bag of ..."), make the mass unknown unless the
    whole phrase is in the table ("a sheet of paper")."""
    words = _words(name)
    cut = next((i for i, w in enumerate(words) if w in _NAME_ENDS), len(words))
    for variant in (words[:cut], [_singular(w) for w in words[:cut]]):
        text = " " + " ".join(variant) + " "
        # (end, length, start, key, mass) of each known object named
        hits = [(at + len(key) + 1, len(key), at, key, mass) for key, mass in _MASS_KEYS.items()
                for at in [text.find(f" {key} ")] if at >= 0]
        if not hits:
            continue
        of_at = text.find(" of ")
        if of_at >= 0:
            whole = [h for h in hits if " of " in f" {h[3]} "]
            if whole:
                hits = whole
            else:
                head = text[:of_at].split()[-1:]  # "a bag of sand": the word before "of"
                hits = [h for h in hits if h[0] <= of_at]
                if not hits or (head and head[0] in _CONTAINERS):
                    return None
        _, _, at, _, mass = max(hits)
        if _SIZE_UNKNOWN & set(text[:at].split()):
            return None
        return mass
    return None


# nouns of effort: an adjective right before one describes the push, not the object's mass
_EFFORT = r"push|pushes|shove|shoves|pull|pulls|tug|tugs|tap|taps|touch|kick|kicks|throw|throws|toss|blow|hit|" \
          r"flick|flicks|nudge|nudges|force|hand|heave|yank"


def relation_from_names(names: tuple[str, str], attribute: str) -> str | None:
    """"the heavy sled" vs "the light sled", "the 2 kg rock" vs "the 6 kg rock", "the one from
    the 3-storey roof" vs "the one from the 10-storey roof", "the ball from h" vs "the ball from
    4h": the relation carried by the objects' own names (masking takes it out of the text)."""
    if attribute not in _ADJECTIVES:
        return None
    if attribute != "friction":
        # numbers with units ("the 30 mph car"), floors and storeys ("the one from the 10-storey
        # roof"), values with no unit or multiples of a symbol ("the ball from h" / "the ball from 4h")
        a, b = (_value(n, attribute) for n in names)
        if a is not None and b is not None and a != b:
            return "X" if a > b else "Y"
    more, less = _ADJECTIVES[attribute]
    score = []
    for name in names:
        words = _words(name)
        if attribute == "mass":  # "the sled with a heavy push": the push is heavy, not the sled
            words = [w for w, nxt in zip(words, words[1:] + [""]) if not re.fullmatch(_EFFORT, nxt)]
        up = any(re.fullmatch(more, w) for w in words)
        down = any(re.fullmatch(less, w) for w in words)
        score.append(int(up) - int(down))
    if score[0] != score[1]:
        return "X" if score[0] > score[1] else "Y"
    return None


# sizes of two things of the same kind: "the big marble" vs "the small marble"
_BIG = r"big|bigger|biggest|large|larger|largest|huge|giant|enormous|gigantic|jumbo|oversized|great|hefty|chunky"
_SMALL = r"small|smaller|smallest|little|tiny|teeny|mini|miniature|wee|petite|undersized"


def _size_relation(names: tuple[str, str]) -> str | None:
    """"my son's big block" vs "my daughter's tiny block": two names of the same kind of thing
    (the same words once the owner, articles and size words are left out) told apart by size,
    so the bigger one has more mass."""
    kinds, sizes = [], []
    for name in names:
        low = re.sub(r"^.*['’]s\s+", "", name.lower().strip())  # the owner ("my son's") is not the kind
        words = [w for w in _words(low) if w not in ("the", "a", "an", "one", "that", "this")]
        size = sum(1 for w in words if re.fullmatch(_BIG, w)) - sum(1 for w in words if re.fullmatch(_SMALL, w))
        kinds.append([w for w in words if not re.fullmatch(_BIG + "|" + _SMALL, w)])
        sizes.append(size)
    if not kinds[0] or kinds[0] != kinds[1] or sizes[0] == sizes[1]:
        return None
    return "X" if sizes[0] > sizes[1] else "Y"


def implied_relation(names: tuple[str, str], attribute: str) -> str | None:
    """The relation left implied by what the objects are: for mass, "the bowling ball" is
    heavier than "the marble", and "the big marble" heavier than "the small marble" (two of
    the same kind told apart by size). Weaker than anything the question states, so used only
    when it states nothing about the attribute."""
    if attribute != "mass":
        return None
    masses = [typical_mass(n) for n in names]
    if None in masses or max(masses) < IMPLIED_RATIO * min(masses):
        return _size_relation(names)
    return "X" if masses[0] > masses[1] else "Y"


# A number that stands alone, its unit or attribute left to be carried over from a value stated
# just before ("objx has a coefficient of 0.2 and objy has 0.5", "objx from 20 m and objy from 45")
_BARE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)(?=\s*(?:[,;:)!?]|\.(?!\d)|$)|"
                   r"\s+(?:and|while|whereas|but|instead|respectively)\b)")
_DETERMINERS = r"a|an|the|his|her|their|its|my|your|our|one|another|each"
_FUNCTION_WORDS = (r"and|or|but|of|on|to|from|than|with|at|in|into|onto|by|for|the|a|an|while|whereas|as|is|was|"
                   r"are|were|has|had|that|which|who|toward|towards")


def _prenominal(statements: str, attribute: str) -> tuple[dict[str, float], list[tuple[int, int]]]:
    """Values stated in front of an object's name ("a 5 kg objx", "a stationary 10 kg objy",
    "the 2-kg steel objx"), and where those numbers are in the text."""
    units = _SEG_UNITS.get(attribute)
    values: dict[str, float] = {}
    spans: list[tuple[int, int]] = []
    if units is None:
        return values, spans
    pattern = (r"\b(?:" + _DETERMINERS + r")\s+(?:[a-z-]+\s+)?(\d+(?:\.\d+)?)\s*[- ]?\s*(" + units
               + r")" + _UNIT_END + r"[\s-]+(?:(?!(?:" + _FUNCTION_WORDS + r")\b)[a-z-]+\s+){0,2}?" + _OBJ)
    for m in re.finditer(pattern, statements):
        values.setdefault(m.group(3), float(m.group(1)) * _unit_scale(m.group(2)))
        spans.append((m.start(1), m.end(2)))
    if attribute == "height":  # a building's size: "a 2-storey objx and a 15-storey objy"
        storeys = (r"\b(?:" + _DETERMINERS + r")\s+(\d+|" + "|".join(_CARDINALS) + r")[\s-]+(?:storey|story)(?:ed)?"
                   r"[\s-]+(?:(?!(?:" + _FUNCTION_WORDS + r")\b)[a-z-]+\s+){0,2}?" + _OBJ)
        for m in re.finditer(storeys, statements):
            raw = m.group(1)
            values.setdefault(m.group(2), 3.0 * (float(raw) if raw.isdigit() else _CARDINALS[raw]))
            spans.append((m.start(1), m.end(1)))
    return values, spans


def _stated_per_object(statements: str, attribute: str) -> str | None:
    """"objx ... 60 degrees ... objy ... 30 degrees": compare the numbers each object is given.

    A number in front of a name ("a 5 kg objx") belongs to that name; otherwise an object's
    number is the first one after its mention, up to the next mention or the end of the
    sentence. Friction is stated as coefficients ("a coefficient of kinetic friction of 0.2").
    A bare number ("... and objy has 0.5") carries the unit or attribute of the value stated
    for the other object.
    """
    if attribute not in _QUALITY:
        return None
    units = _SEG_UNITS.get(attribute)
    if units and re.search(r"\d\s*[- ]?\s*(?:" + units + r")" + _UNIT_END + r"\s+(?:(?:more|less|higher|lower|heavier|"
                           r"lighter|faster|slower|greater|smaller|further|farther|steeper|shallower|stronger|weaker)\b|"
                           r"(?:above|below|beneath|under)\s+(?:the\s+)?(?:objx|objy))", statements):
        return None  # "objx is 1 m higher", "2 m above objy": a stated difference, read as a comparative
    values, spans = _prenominal(statements, attribute)
    named = set()  # objects whose coefficient is named after them
    if attribute == "friction":  # "mu_objx = 0.05, mu_objy = 0.25", "mu for objx is 0.1"
        for m in _COEFFICIENT_OF.finditer(statements):
            if m.group(1) not in values:
                values[m.group(1)] = float(m.group(2))
                named.add(m.group(1))
            spans.append((m.start(2), m.end(2)))
    # a value said to be the object's after it: "the friction coefficient is 0.1 for objx and 0.3 for
    # objy", "speeds of 3 m/s for objx and 5 m/s for objy"
    if attribute == "friction":
        value_rx = (r"(?<![\w.])(\d*\.\d+|\d)(?![\d.]\d?)()" if re.search(r"\bcoefficients?\b|" + _MU, statements)
                    else None)
    else:
        value_rx = r"(?<![\w.])(\d+(?:\.\d+)?)\s*[- ]?\s*(" + units + r")" + _UNIT_END if units else None
    if value_rx:
        for m in re.finditer(value_rx + r"\s+(?:for|on|under|beneath|of)\s+(?:the\s+)?" + _OBJ + r"\b", statements):
            obj = m.group(3)
            if obj not in values:
                values[obj] = float(m.group(1)) * (_unit_scale(m.group(2)) if m.group(2) else 1.0)
                named.add(obj)
            spans.append((m.start(1), m.end(2) if m.group(2) else m.end(1)))
    text = statements
    for start, end in spans:  # a prenominal number is not also the previous object's
        text = text[:start] + " " * (end - start) + text[end:]
    segments: dict[str, list[str]] = {OX: [], OY: []}
    for m in re.finditer(_OBJ + r"((?:[^.;]|\.(?=\d))*?)(?=objx|objy|[.;](?!\d)|$)", text):
        segments[m.group(1)].append(m.group(2))
    for obj, segs in segments.items():
        for seg in segs:
            if obj in values:
                break
            value = _value(seg, attribute, floors=False)
            if value is not None:
                # "2 m below the ceiling": measured downwards, so more metres is lower
                down = attribute == "height" and re.search(r"\d\s*[- ]?\s*(?:" + _SEG_UNITS["height"]
                                                           + r")\s+(?:below|beneath|under|down from)\b", seg)
                values[obj] = -value if down else value
    donor = OX if OX in values else OY
    if len(values) == 1 and (donor in named or any(_ends_with_value(seg, attribute) for seg in segments[donor])):
        # the other value elided: "objy has 0.5", "objy from 45", "the coefficient of objy is 0.2 and
        # that of objx is 0.5"
        other = OY if donor == OX else OX
        for seg in segments[other]:
            bare = _BARE.search(seg)
            if bare:
                values[other] = float(bare.group(1))
                break
    if len(values) == 2 and values[OX] != values[OY]:
        return "X" if values[OX] > values[OY] else "Y"
    return None


# words that tell which attribute a multiple "twice what objx ..." is about
_ATTRIBUTE_WORDS = {
    "mass": r"mass|masses|massive|weighs?|weighed|weighing|weight|heavy|heavier|kg|kilograms?|pounds?|lbs?",
    "height": r"height|high|higher|tall|taller|elevation|altitude",
    "speed": r"speed|speeds|fast|faster|velocity|quick|quickly|rapidly|m/s|km/h|mph",
    "angle": r"angle|angled|steep|steeply|steeper|degrees?|tilt\w*|slope",
    "force": r"force|forces|push|pushed|pushes|pushing|pull|pulled|pulls|pulling|shove\w*|tug\w*|thrust\w*|"
             r"scale|newtons?|tension|effort|tows?|towed|towing|haul\w*|yank\w*",
    "friction": r"friction|coefficient|mu|grip\w*|rough\w*",
}


def _multiplied(clause: str, attribute: str) -> str | None:
    """"objy ... a friction coefficient twice that of the surface under objx", "objx has half the
    speed of objy": a multiple of the attribute, measured against the object after it (or,
    with none after it, held by the object before it: "objx rolls into objy, with three times
    its mass", where "its" is the other object's)."""
    noun = r"(?:" + _NOUNS[attribute] + r")"
    mult = (r"(?P<m>" + _MULTIPLIER[1:-1] + r"|" + _HALF[1:-1] + r"|(?<![\w.])" + _PERCENT.replace("(", "(?:", 1)
            + r")")
    m = re.search(r"\b" + noun + r"\b\W+(?:[\w']+\W+){0,3}?" + mult + r"(?!\w)", clause) or re.search(
        r"(?<![\w.])" + mult + r"\s+(?:(?:of\s+)?(?:the|its|his|her|their)|of|as much|as large an?|as high an?|"
        r"as great an?|that)\s+(?:[\w'’-]+\s+){0,3}?"
        + noun + r"\b",
        clause)
    if m is None:
        # "pulled by a scale reading twice what objx's scale reads", "three times what objy
        # weighs", "weighs a tenth of objy", "40% of objx's": a multiple of what the other object
        # has, the attribute told by the clause's words
        m = re.search(r"(?<![\w.])" + mult + r"\s+(?:what|whatever|of|that of)\s+(?:[\w']+\s+){0,2}?" + _OBJ, clause)
        if m is None or re.search(r"\b(?:" + _ATTRIBUTE_WORDS[attribute] + r")\b", clause) is None:
            return None
    percent = re.fullmatch(_PERCENT, m.group("m"))
    if percent:  # "40% of objx's speed": less; "150 percent of": more; "100%": the same
        if float(percent.group(1)) == 100.0:
            return None
        more = float(percent.group(1)) > 100.0
    else:
        more = re.fullmatch(_MULTIPLIER, m.group("m")) is not None
    after = re.search(_OBJ, clause[m.end("m"):])
    if after:  # "twice that of objx": the object after the multiple is the reference
        greater = (OY if after.group(1) == OX else OX) if more else after.group(1)
    else:
        before = re.findall(_OBJ, clause[:m.start("m")])
        if not before:
            return None
        greater = before[-1] if more else (OY if before[-1] == OX else OX)
    return "X" if greater == OX else "Y"


# "20 m above the ground", "2 metres below the rim": a measured distance from a reference level,
# not one object placed above the other
_MEASURED_LEVEL = re.compile(r"\d\s*[- ]?\s*(?:m|cm|km|ft|feet|meters?|metres?)\s+$")
_REFERENCE_LEVEL = re.compile(r"\s+(?:the\s+)?(?:ground|floor|bottom|base|foot|water|sea level|surface|street|"
                              r"pavement|road|table|desk|deck|river|lake|sea)\b")


def _comparative(clause: str, lexicon: list[tuple[str, int]]) -> tuple[int, int, int] | None:
    best = None
    for pattern, polarity in lexicon:
        for m in re.finditer(r"\b(?:" + pattern + r")\b", clause):
            if m.group(0) in ("above", "below") and not re.match(r"\s+(?:the\s+)?(?:objx|objy)", clause[m.end():]) and (
                    _MEASURED_LEVEL.search(clause[:m.start()]) or _REFERENCE_LEVEL.match(clause[m.end():])):
                continue
            if best is None or m.start() < best[0]:
                negated = re.search(r"\b(not|isn't|no)\s+(\w+\s+)?$", clause[:m.start()])
                best = (m.start(), m.end(), -polarity if negated else polarity)
    return best


_NOT_OTHERS = r"other|others|second|first|one|ones|rest|either|both|former|latter|partner|twin|objx|objy"


def _between_others(clause: str, pos: int, end: int) -> bool:
    """The comparative at clause[pos:end] compares two things other than the objects, a subject and
    a reference that both are noun phrases naming neither ("..., and the wood is way more slippery
    than the carpet"); those may be the objects' places or surfaces, which `_place_relation` and the
    choices read."""
    if end <= pos:
        return False
    ref = re.match(r"\s*than\s+(?:(?:the|a|an|that|this|his|her|their|my|your|our)\s+)?([a-z-]+)((?:\s+[a-z-]+){0,3})",
                   clause[end:])
    if ref is None or re.fullmatch(_NOT_OTHERS, ref.group(1)) or re.search(_OBJ, ref.group(2)):
        return False
    if ref.group(1) in ("it", "its", "he", "she", "him", "hers", "his", "they", "them", "theirs", "mine", "yours",
                        "before", "usual", "normal", "expected", "that", "this", "ever", "last", "previously"):
        return False
    head = re.split(r"[,;:]|\b(?:and|but|while|whereas|so|because|though|although)\b", clause[:pos])[-1]
    return re.search(_OBJ, head) is None and re.search(r"\b(?:the|a|an|that|this)\s+[a-z-]+", head) is not None


def _resolve(clause: str, objs: list[tuple[int, str]], pos: int, end: int, polarity: int) -> str:
    after = clause[end:]
    if re.fullmatch(r"above|below", clause[pos:end]):  # "objx starts above objy"
        nxt = re.match(r"\s*(?:the\s+)?(objx|objy)", after)
        if nxt:
            subject = OY if nxt.group(1) == OX else OX
            return "X" if (subject if polarity > 0 else nxt.group(1)) == OX else "Y"
    attributive = re.match(r"\s+(?:(?!than\b|as\b|and\b|or\b|to\b|what\b|that\b|which\b|of\b|for\b|on\b|under\b|"
                           r"with\b|by\b|at\b|in\b|is\b|was\b)[a-z-]+\s+){0,2}?(objx|objy)", after)
    if attributive and re.fullmatch(r"(?:out[a-z]+|dwarf(?:s|ed)?)(?: by)?", clause[pos:end]):
        # a comparative verb ("objy outweighs objx", "objx outpaces objy"): its object is the reference
        attributive = None
    if attributive and re.search(r"\b(" + "|".join(_NOUNS.values()) + r")$", clause[pos:end]):
        # "objx pushes with twice the force objy uses": the object after the noun is the reference
        reference = attributive.group(1)
        greater = (OY if reference == OX else OX) if polarity > 0 else reference
        return "X" if greater == OX else "Y"
    if attributive:  # "hits a lighter objy": the comparative describes the object right after it
        subject = attributive.group(1)
        other = OY if subject == OX else OX
        return "X" if (subject if polarity > 0 else other) == OX else "Y"
    ref = re.match(r"\s*(?:\w+\s+){0,6}?(?:than|as|of|compared (?:to|with))\s+(?:that of |those of |the one (?:on|under|for|of) |"
                   r"under |on |for |with |at |in |by |the force on |the push on )?(objx|objy)", after)
    if ref:
        reference = ref.group(1)
        subject = OY if reference == OX else OX
    else:
        before = [o for p, o in objs if p < pos]
        subject = before[-1] if before else objs[0][1]
        # "compared with X, Y is heavier": the object right after "compared" is the reference
        reference = OY if subject == OX else OX
    greater = subject if polarity > 0 else reference
    return "X" if greater == OX else "Y"


def mover_from_names(names: tuple[str, str]) -> str | None:
    """Which object moves before a collision, told by the choices themselves ("the stone that
    was at rest" vs "the stone that was sliding", "the cue ball")."""
    rest = r"\b(at rest|stationary|still|motionless|parked|resting|waiting|standing|sitting|struck|hit one|target)\b"
    moving = r"\b(moving|sliding|rolling|incoming|cue ball|thrown|launched|one that hit|hitting|striking|moved|sent)\b"
    score = [(1 if re.search(moving, n.lower()) else 0) - (1 if re.search(rest, n.lower()) else 0) for n in names]
    if score[0] != score[1]:
        return "X" if score[0] > score[1] else "Y"
    return None


def find_mover(statements: str) -> str:
    """Which placeholder moves before a collision ("X" or "Y")."""
    rest = r"\b(at rest|stationary|motionless|not moving|standing still|sits still|sitting still|is still|" \
           r"resting|parked|initially still|still|(?:wasn't|isn't|weren't|aren't|was not|is not) (?:yet )?moving)\b"
    for sentence in re.split(r"[.;!?](?=\s|$)", statements):
        for m in re.finditer(rest, sentence):
            # up to three words between: an adjective, or a stated mass ("a stationary 10 kg objy")
            right_after = re.match(r"\s+(?:(?!(?:and|or|but|while|when|until|before|after|as|then|so|because|if)\b)"
                                   r"[\w.-]+\s+){0,3}?(objx|objy)", sentence[m.end():])
            if right_after:  # "hits a stationary objy"
                return "Y" if right_after.group(1) == OX else "X"
            before = re.findall(_OBJ, sentence[:m.start()])
            if before:  # "X hits Y, which is at rest": the object just before the phrase rests
                return "Y" if before[-1] == OX else "X"
            after = re.findall(_OBJ, sentence[m.end():])
            if after:  # "a stationary Y is hit by X"
                return "Y" if after[0] == OX else "X"
    hit = re.search(_OBJ + r"[^.]{0,40}?\b(hits|strikes|collides|crashes|slams|bumps|runs into|rolls into|"
                           r"slides into|smashes|moves toward|slides toward|heads toward|rams)", statements)
    if hit:
        return "X" if hit.group(1) == OX else "Y"
    return "X"


# ----- cue-word features for the classifier ----------------------------------------------------
_CUES: list[tuple[str, str, str]] = [
    # (name, part: "s" statements / "a" asked / "t" all text, regex)
    ("drop", "t", r"\b(drop|dropped|drops|fall|falls|falling|released from rest|let go|let fall)\b"),
    ("up", "t", r"\b(straight up|upward|upwards|vertically|directly up)\b"),
    ("horizontal", "t", r"\b(horizontal|horizontally|cliff|ledge|edge of|table edge|off a)\b"),
    ("angle", "t", r"\b(angle|angles|degrees|obliquely|lobbed|projectile|projectiles)\b"),
    ("ground_launch", "t", r"\b(from the ground|from ground level)\b"),
    ("push", "t", r"\b(push|pushed|pushes|force|forces|pulled|pull|shove|shoved)\b"),
    ("frictionless", "t", r"\b(frictionless|no friction|without friction)\b"),
    ("friction", "t", r"\b(friction|rough|rougher|smooth|smoother|slicker|coefficient|skid|skids|carpet)\b"),
    ("slide", "t", r"\b(slide|slides|sliding|slid|glide|glides|coast|coasts|drift)\b"),
    ("ramp", "t", r"\b(ramp|ramps|incline|inclines|inclined|slope|slopes|hill|slide down|slides down)\b"),
    ("collide", "t", r"\b(collide|collides|collision|hits|strikes|crash|crashes|bumps|runs into|rolls into|impact|"
                     r"slides into|slams into|smacks into|rams|knocks into|head-on|rear-ends|rear-ended|smashes into|"
                     r"ploughs into|plows into|collided)\b"),
    ("elastic", "t", r"\b(elastic|elastically|bounce off|no kinetic energy is lost)\b"),
    ("stick", "t", r"\b(stick|sticks|stuck|inelastic|lock together|as one|move together|joined|latch|latches|latched|"
                   r"couple|couples|coupled|coupling|couplers|hook together|on together|off together|slide together|"
                   r"roll together|lock bumpers|locked together|tangled together|one unit|single unit)\b"),
    ("air", "t", r"\b(air|atmosphere|drag)\b"),
    ("no_air", "t", r"\b(ignore|ignoring|neglect|neglecting|no|without|negligible|vacuum)\b[^.]{0,12}\b(air|drag)|"
                    r"\bvacuum\b|\bno air\b|\b(air|drag)\b[^.]{0,25}\b(negligible|ignored|neglected)\b"),
    ("same_size", "t", r"\b(same size|equal size|identical in size|equally sized|same shape|identical shapes)\b"),
    ("no_force", "t", r"\b(no force|no forces|nothing pushing|nothing pushes|nothing acts|not pushed|without any push|"
                      r"keep moving|coast|coasting|cruise|glide|gliding|engines? off|unpowered)\b"),
    ("at_rest", "t", r"\b(at rest|stationary|still|motionless|not moving)\b"),
    ("same_mass", "s", r"\b(same mass|equal mass|equal masses|same masses|masses .* equal|weigh the same|"
                       r"equally heavy|identical mass|identical masses)\b"),
    ("q_first", "a", r"\b(first|sooner|earlier|less time)\b"),
    ("q_fast", "a", r"\b(faster|speed|quicker|velocity)\b"),
    ("q_ke", "a", r"\b(kinetic|ke|energy)\b"),
    ("q_momentum", "a", r"\bmomentum|momenta\b"),
    ("q_high", "a", r"\b(higher|height|peak|highest|up farther|climbs)\b"),
    ("q_far", "a", r"\b(farther|further|distance|range|ground)\b"),
    ("q_long", "a", r"\b(longer(?!\s+(?:horizontal\s+)?(?:range|distance|way))|airborne|flight|in the air)\b"),
    ("q_acc", "a", r"\b(accelerat\w*|speeds up|gains speed|picks up speed)\b"),
    ("q_stop", "a", r"\b(stop|stops|rest|halts)\b"),
    ("q_slow", "a", r"\b(slow|slows|slowing|decelerat\w*|loses speed|losing speed|sheds speed)\b"),
    ("q_bottom", "a", r"\b(bottom|foot|end of the slope|gets down)\b"),
    ("q_after", "a", r"\b(after|afterwards|ends up)\b"),
    ("q_total", "a", r"\b(total|combined|sum|system)\b"),
    ("q_reverse", "a", r"\b(reverse|reverses|bounce back|bounces back|backward|backwards|rebound|rebounds|turns around|"
                       r"back the way|changes direction)\b"),
    ("q_end", "a", r"\b(end|final|finally|when the push stops|when the force stops)\b"),
    ("q_land", "a", r"\b(land|lands|ground|floor|touches down)\b"),
    ("other_physics", "t", r"\b(electric\w*|circuit|resist\w*|current|bulb|lens|light|mirror|refract\w*|heat\w*|"
                           r"cool\w*|melt\w*|thermal|temperature|boil\w*|magnet\w*|float\w*|buoyan\w*|sound|loud\w*|"
                           r"orbit\w*|pendulum|spring|charge|voltage|capacitor|wave|frequency|wavelength|"
                           r"radioactive|decay|battery|planet|satellite|gas|insulat\w*|prism|colour|color|rocket)\b"),
]
def states_alike(statements: str) -> bool:
    """The two objects are said to be alike ("an identical stone", "the same mass")."""
    return re.search(r"\b(identical|same mass|equal mass|equal masses|equally heavy|weigh the same|twin|"
                     r"same (?:\w+ and |\w+, )?(?:mass|weight)|equal (?:\w+ and )?(?:mass|weight)|"
                     r"(?:masses|weights) (?:are )?(?:the same|equal))\b", statements) is not None


def says_no_air(masked: str) -> bool:
    """The question rules air resistance out ("neglecting air resistance", "in a vacuum", "forget
    the air", "disregard drag")."""
    rx = dict((n, r) for n, _, r in _CUES)["no_air"]
    rx += (r"|\b(?:forget|forgetting|disregard|disregarding|discount|discounting|leave out|leaving out|set aside)"
           r"\b(?:\s+about)?[^.]{0,12}\b(?:air|drag)\b")
    if re.search(r"\b(not|isn't|is not|never|can't|cannot)\s+(be\s+)?(negligible|ignored|neglected)\b|"
                 r"\bair (resistance|drag) (matters|counts)|\btak(e|ing) (air|drag)[^.]{0,20}into account", masked):
        return False
    return re.search(rx, masked) is not None


FEATURE_NAMES = [f"cue_{n}" for n, _, _ in _CUES] + [f"rel_{a}" for a in _LEX]


def features(masked: str) -> list[float]:
    """Indicator features of a masked question (cue words, stated comparatives per attribute)."""
    statements, asked = split_asked(masked)
    parts = {"s": statements, "a": asked, "t": masked}
    out = [1.0 if re.search(rx, parts[p]) else 0.0 for _, p, rx in _CUES]
    for attribute in _LEX:
        out.append(1.0 if find_relation(statements, attribute)[1] else 0.0)
    return out


# ----- stated numbers --------------------------------------------------------------------------
_NUMBER = r"(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\d+(?:\.\d+)?\s*(?:x|×|\*)\s*10\^\s*[+-]?\d+)"
_UNITS = [
    (r"m/s|meters per second|metres per second|m s-1", "speed", 1.0),
    (r"km/h|kph|kilometers per hour|kilometres per hour", "speed", 1 / 3.6),
    (r"mph|miles per hour", "speed", 0.44704),
    (r"kg|kilograms?", "mass", 1.0),
    (r"tonnes?|tons?", "mass", 1000.0),
    (r"km|kilometers?|kilometres?", "height", 1000.0),
    (r"m|meters?|metres?", "height", 1.0),
    (r"degrees?|°|deg", "angle", 1.0),
]
LIMITS = {"speed": (0.0, 1000.0, "m/s"), "height": (0.0, 100000.0, "m"), "mass": (1e-6, 1e7, "kg"),
          "angle": (0.0, 90.0, "degrees")}


@dataclass
class StatedValue:
    kind: str
    value: float
    text: str


def stated_values(text: str) -> list[StatedValue]:
    out = []
    for unit, kind, scale in _UNITS:
        for m in re.finditer(_NUMBER + r"\s*(?:" + unit + r")(?![a-z/])", text, flags=re.I):
            raw = m.group(1)
            if "^" in raw:
                mant, exp = re.split(r"\s*(?:x|×|\*)\s*10\^\s*", raw)
                number = float(mant) * 10 ** float(exp)
            else:
                number = float(raw)
            out.append(StatedValue(kind, number * scale, m.group(0)))
    return out


def check_stated_values(text: str) -> None:
    """Raise EmbodiedError for a stated value outside what the simulator can model."""
    seen = set()
    for sv in stated_values(text):
        if sv.text in seen:
            continue
        seen.add(sv.text)
        low, high, unit = LIMITS[sv.kind]
        if not low <= sv.value <= high:
            raise EmbodiedError(
                f"the question states a {sv.kind} of {sv.text!r} ({sv.value:g} {unit}), outside what this "
                f"simulator models ({low:g} to {high:g} {unit}); use a realistic value or relative terms"
            )


# ----- relations told by description: "one ..., the other ...", per-object clauses, choices ----
# Qualitative words that place an object high or low on an attribute, whatever the sentence
# shape: "flicked gently" vs "flicked hard", "a steep angle" vs "a low, flat angle", "sanded
# smooth" vs "left rough". (more, less) word lists per attribute; words are matched whole.
_QUALITY: dict[str, tuple[str, str]] = {
    # a load says more mass ("piled high with groceries", "an empty trolley"); filled with air does not
    "mass": (r"heavy|heavier|heaviest|heavily|loaded|full|massive|solid|dense|laden|packed|piled|stacked|heaped|"
             r"crammed|stuffed|brimming|overloaded|weighed down|weighted|hefty|weighty|bulky|"
             r"filled(?! with (?:air|helium|gas|foam|feathers|popcorn))",
             r"light|lighter|lightest|lightly|empty|emptied|hollow|hollowed|unloaded|featherweight|flimsy|"
             r"(?:air|helium|gas|foam|feather) filled|filled with (?:air|helium|gas|foam|feathers|popcorn)|"
             r"nothing (?:in|inside) (?:it|them)"),
    "height": (r"high|higher|highest|top|tall|taller|tallest|upper|uppermost|topmost|skyscraper|tower|cliff|clifftop|"
               r"roof|rooftop|ridge|attic|loft|summit|peak|hilltop|mountaintop|treetop|chimney|steeple|spire|belfry|"
               r"penthouse|upstairs|overhead|high rise|crane",
               r"low|lower|lowest|bottom|halfway|half|short|shorter|ground|shed|step|doorstep|kerb|curb|stool|"
               r"knee|knees|ankle|waist|basement|downstairs|porch"),
    "speed": (r"fast|faster|fastest|quick|quicker|quickly|rapid|rapidly|hard|harder|hardest|speeding|zipping|"
              r"racing|strongly|forcefully|powerful|powerfully|hurled|fired|blasted|swift|swiftly|brisk|briskly|"
              r"speedy|zooming|whizzing|hurtling|rocketing|sprinting|bolting|flung|whipped|full speed|top speed|"
              r"flat out|breakneck",
              r"slow|slowly|slower|slowest|gentle|gently|gentler|soft|softly|softer|lightly|lazily|barely|"
              r"nudged|nudge|tap|tapped|crawling|rolling|dribbled|lobbed|plopped|leisurely|sluggish|sluggishly|"
              r"creeping|crept|inching|ambling|dawdling|trickling|drifting|idly|gingerly|walking pace|snail's pace"),
    "angle": (r"steep|steeply|steeper|steepest|vertical|vertically|upright|lofted|sharp|sharply|high|skyward|"
              r"skywards|towering",
              r"shallow|shallower|shallowly|flat|flatter|flatly|low|lower|gentle|gentler|gently|gradual|"
              r"gradually|horizontal|horizontally|mild|grazing|level|skimming|skimmed|slight|slightly|"
              r"barely tilted|line drive"),
    # size words ("big", "small") count for force only next to a force noun ("a bigger push"), see _quality_hits
    "force": (r"hard|harder|hardest|strong|strongly|stronger|firm|firmly|forceful|forcefully|mighty|powerful|"
              r"powerfully|vigorous|vigorously|fiercely|full force|full strength|full power|maximum force|"
              r"max force|great force|brute force|(?:all|every ounce) (?:of )?(?:his|her|their|its|my|your|our) "
              r"(?:strength|might|force|weight|power)|all (?:he|she|they|i|you|we) (?:can|could|has|have|had|got)|"
              r"as hard as (?:\w+ )?(?:can|could|possible)|as hard as (?:he|she|they|i|you|we) (?:is|are|was|were) able",
              r"gentle|gently|gentler|weak|weaker|weakly|soft|softly|lightly|slight|slightly|feeble|feebly|"
              r"delicately|tentatively|half heartedly|light touch|light tap|(?:one|a single|his|her|their|a) "
              r"(?:finger|fingertip|pinky)"),
    "friction": (r"rough|rougher|roughest|sticky|stickier|grippy|grippier|coarse|coarser|carpet|carpeted|felt|"
                 r"sandpaper|gravel|unpowdered|unwaxed|concrete|grass|grassy|rubber|rubbery|asphalt|brushed|"
                 r"gritty|sandy|sticking|untreated|rusty|rusted|corroded|unpolished|abrasive|tacky|bumpy|rugged|"
                 r"textured|ridged|knobbly|cork|emery|dry|rubberised|rubberized|studded|matte|unfinished|scratchy|"
                 r"sand|dirt|soil|pavement|cobbles|cobblestones?|cobbled|burlap|canvas|velcro",
                 r"smooth|smoother|smoothest|polished|slick|slicker|slippery|icy|ice|glass|waxed|powdered|oiled|"
                 r"greased|lubricated|teflon|tiled|tile|marble|glassy|frictionless|wet|laminate|varnished|"
                 r"glossy|sanded|frozen|buttered|oily|soapy|soaped|greasy|waxy|silky|satin|lacquered|enamel|"
                 r"enamelled|buffed|glazed|slimy|snow|snowy|frost|frosty|frosted|wax"),
}
# Verbs that suggest the amount ("shoves" vs "nudges"): they count only when no word above says
# it, so "a gentle shove" is gentle
_WEAK_QUALITY: dict[str, tuple[str, str]] = {
    "force": (r"shoves?|shoved|heaves?|heaved|yanks?|yanked|rams?|rammed|slams?|slammed|hauls?|hauled",
              r"nudges?|nudged|taps?|tapped|pats?|patted|brushes|brushed|touches|touched"),
    "speed": (r"shoves?|shoved|slams?|slammed|smashes|smashed|whacks?|whacked", r"pats?|patted|touches|touched"),
}
_MULTIPLIER = (r"(twice|double|doubled|triple|tripled|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
               r"fifteen|twenty|fifty|a hundred|hundred|a thousand) times|\d+(?:\.\d+)? times)")
# fractions ("a tenth of", "one-fifth the speed", "two-thirds as high") and percentages under 100 ("40% of")
_FRACTION_WORDS = (r"(?:a|one)[- ](?:third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth|twelfth|twentieth|"
                   r"fiftieth|hundredth|thousandth)|(?:two|three|four)[- ](?:thirds|quarters|fifths|tenths)")
_HALF = r"(half|halved|" + _FRACTION_WORDS + r")"
_PERCENT = r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)"
_ORDINALS = {w: i for i, w in enumerate(
    "ground first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_DISTANCE = r"m|meters?|metres?|cm|centimet(?:er|re)s?|mm|millimet(?:er|re)s?|km|kilomet(?:er|re)s?|ft|feet|foot|" \
            r"yards?|yd|inch|inches|miles?"
_SEG_UNITS = {"mass": r"kg|kilos?|kilograms?|g|grams?|mg|milligrams?|tonnes?|tons?|lbs?|pounds?|oz|ounces?",
              "height": _DISTANCE,
              "speed": r"m/s|m/sec|km/s|km/h|km/hr|kmh|kph|mph|mi/h|ft/s|cm/s|knots?|"
                       r"(?:meters?|metres?|kilomet(?:er|re)s?|miles?|feet|foot|centimet(?:er|re)s?) (?:per|an?) "
                       r"(?:second|sec|hour|hr)|"
                       # a unit of the question's own world, the same for both objects: "15 units/s", "40 px/s"
                       r"[a-z]+/(?:s|sec)|(?:units?|blocks?|tiles?|pixels?|px|squares?|cells?) per (?:second|sec)",
              "angle": r"degrees?|°|deg", "force": r"n|newtons?|kn|kilonewtons?"}
# after a unit: not a longer word or a rate ("3 metres per second" is a speed, not a height of 3 m)
_UNIT_END = r"(?![a-z0-9/_])(?!\s+(?:per|an?)\s+(?:second|sec|hour|hr|minute|min)s?\b)"
_UNIT_SCALE = {"g": 1e-3, "gram": 1e-3, "mg": 1e-6, "milligram": 1e-6, "tonne": 1e3, "ton": 1e3,
               "lb": 0.4536, "lbs": 0.4536, "pound": 0.4536, "oz": 0.02835, "ounce": 0.02835,
               "cm": 1e-2, "centimeter": 1e-2, "centimetre": 1e-2, "mm": 1e-3, "millimeter": 1e-3, "millimetre": 1e-3,
               "km": 1e3, "kilometer": 1e3, "kilometre": 1e3, "ft": 0.3048, "feet": 0.3048, "foot": 0.3048,
               "yard": 0.9144, "yd": 0.9144, "inch": 0.0254, "inche": 0.0254, "mile": 1609.344, "mi": 1609.344,
               "kn": 1e3, "kilonewton": 1e3, "mph": 0.44704, "kph": 1 / 3.6, "kmh": 1 / 3.6, "knot": 0.5144}
_PER_TIME = {"s": 1.0, "sec": 1.0, "second": 1.0, "h": 3600.0, "hr": 3600.0, "hour": 3600.0}


def _unit_scale(unit: str) -> float:
    """Factor from a unit as written to SI (kg, m, m/s, N, degrees): "km/h" 1/3.6, "3 miles per
    hour" 0.447, "g" 0.001."""
    unit = unit.lower().strip()
    rate = re.fullmatch(r"([a-z]+)\s*(?:/|\s(?:per|an?)\s)\s*([a-z]+)", unit)
    if rate:
        dist, time = (w[:-1] if len(w) > 3 and w.endswith("s") else w for w in rate.groups())
        return _UNIT_SCALE.get(dist, 1.0) / _PER_TIME.get(time, 1.0)
    if unit not in _UNIT_SCALE and len(unit) > 3 and unit.endswith("s"):
        unit = unit[:-1]  # plurals: "grams", "pounds", "knots"
    return _UNIT_SCALE.get(unit, 1.0)


_MU = r"(?:\bmu|μ)(?:_?[ks])?(?![a-z])"  # "mu", "μ", "mu_k", "μk"
_COEFFICIENT = re.compile(r"(?:coefficient|" + _MU + r")(?:\s+of\s+(?:kinetic\s+|sliding\s+)?friction)?\s*"
                          r"(?:of|=|is|:|about|around)?\s*(\d*\.\d+|\d)(?!\d|\.\d)")
# a coefficient named after its object: "mu_objx = 0.05", "μ(objy) = 0.3", "mu for objx is 0.1",
# "the friction coefficient of objy is 0.4", "the coefficient under objx: 0.2"
_COEFFICIENT_OF = re.compile(
    r"(?:(?:friction\s+)?coefficient(?:\s+of\s+(?:kinetic\s+|sliding\s+|static\s+)?friction)?|" + _MU + r")"
    r"\s*(?:_|\(|\[|\bfor\b|\bof\b|\bon\b|\bunder\b|\bbeneath\b|\bbetween\b)\s*(?:the\s+)?(objx|objy)\s*[)\]]?"
    r"(?:\s+and\s+the\s+[a-z]+)?\s*(?:is|=|:|equals|was|of|are|becomes)?\s*(?:about\s+|around\s+|roughly\s+|only\s+)?"
    r"(\d*\.\d+|\d)(?!\d|\.\d)")


def _value_pattern(attribute: str) -> re.Pattern | None:
    """A stated value of the attribute: a friction coefficient, or a number with the attribute's unit."""
    if attribute == "friction":
        return _COEFFICIENT
    units = _SEG_UNITS.get(attribute)
    return None if units is None else re.compile(r"(\d+(?:\.\d+)?)\s*[- ]?\s*(" + units + r")" + _UNIT_END)


def _ends_with_value(segment: str, attribute: str) -> bool:
    """The last number in the text is a value of the attribute, so a bare number after it
    ("objx at 10 m/s at 30 degrees, objy at 45") continues that attribute and no other."""
    pattern = _value_pattern(attribute)
    found = list(pattern.finditer(segment.lower())) if pattern else []
    return bool(found) and re.search(r"\d", segment[found[-1].end():]) is None


def _value(segment: str, attribute: str, floors: bool = True) -> float | None:
    """The attribute's value a piece of text states: a number with a unit, a floor (unless not
    `floors`), a friction coefficient."""
    seg = segment.lower()
    if attribute == "friction":
        m = _COEFFICIENT.search(seg)
        return float(m.group(1)) if m else None
    if attribute == "height" and floors:
        m = re.search(r"\b(\d+)(?:st|nd|rd|th)[\s-]+(?:floor|storey|story)\b", seg) or re.search(
            r"\b(" + "|".join(_ORDINALS) + r")[\s-]+(?:floor|storey|story)\b", seg)
        if m:
            raw = m.group(1)
            return 3.0 * (float(raw) if raw.isdigit() else _ORDINALS[raw]) + 1.0
        # a building's size: "the roof of a 3-storey building", "a ten-story tower", "4 floors up"
        m = re.search(r"\b(\d+|" + "|".join(_CARDINALS) + r")[\s-]+(?:storey|storeys|story|stories|floor|floors)\b",
                      seg)
        if m:
            raw = m.group(1)
            return 3.0 * (float(raw) if raw.isdigit() else _CARDINALS[raw])
    pattern = _value_pattern(attribute)
    m = pattern.search(seg) if pattern else None
    if m:
        return float(m.group(1)) * _unit_scale(m.group(2))
    return _unitless(seg, attribute)


_CARDINALS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty".split())}
# a value with no unit after the attribute's noun ("(mass 0.5)", "a mass of 200", "speed: 3") or
# symbol ("m = 2", "v=4"), and a multiple of a symbol ("from h" / "from 4h", "mass m" / "mass 3m")
_UNITLESS = {"mass": (r"mass|weight|weighs|weighing", r"m"), "height": (r"height|altitude", r"h"),
             "speed": (r"speed|velocity", r"v|u"), "angle": (r"angle", r"theta|θ"), "force": (r"force", r"f")}
_SYMBOL_BEFORE = {"mass": r"mass(?:\s+of)?|masses|weighs|weighing", "height": r"from|height(?:\s+of)?|altitude(?:\s+of)?",
                  "speed": r"speed(?:\s+of)?|velocity(?:\s+of)?|at", "angle": r"angle(?:\s+of)?|at",
                  "force": r"force(?:\s+of)?|with"}


def _unitless(segment: str, attribute: str) -> float | None:
    """A value the text gives with no unit ("(mass 0.5)", "m = 2") or as a multiple of a symbol
    ("from 4h"; the bare symbol "from h" is 1), see _UNITLESS."""
    if attribute not in _UNITLESS:
        return None
    nouns, symbol = _UNITLESS[attribute]
    number = (r"(\d+(?:\.\d+)?|\.\d+)(?!\.?\d)(?!\s*[- ]?(?:" + _ANY_UNIT + r")(?![a-z]))(?![a-z])"
              r"(?!\s*(?:times|x|×|percent|%|more|less|fewer|as|of)\b)")
    m = re.search(r"(?<![\w.])(?:(?:" + nouns + r")\s*(?:of|=|:|is|was|equal to|equals|about|around|roughly)?|"
                  r"(?:" + symbol + r")\s*=)\s*" + number, segment)
    if m:
        return float(m.group(1))
    m = re.search(r"\b(?:" + _SYMBOL_BEFORE[attribute] + r")\s+(\d+(?:\.\d+)?)?\s*\*?\s*(?:" + symbol
                  + r")(?![\w'’])(?!\s*=)", segment)
    if m:
        return float(m.group(1)) if m.group(1) else 1.0
    return None


# what a thing is made of: its size says nothing of its mass then ("a big foam block", "a small
# steel ball")
_DENSITY_WORDS = (r"plastic|foam|styrofoam|polystyrene|balsa|cork|paper|cardboard|steel|iron|lead|metal|metallic|brass|"
                  r"copper|gold|silver|tungsten|wood|wooden|stone|rubber|glass|aluminium|aluminum|concrete|inflatable|"
                  r"hollow|air|helium|balloon|sponge|feathers?|cotton|wool|toy|model|paper")


def _materials(segment: str) -> set[str]:
    return set(re.findall(r"\b(?:" + _DENSITY_WORDS + r")\b", segment.lower().replace("-", " ")))


def _quality_hits(segment: str, attribute: str, sizes: bool | str = False) -> tuple[int, int]:
    """(net count, number) of the words placing the described object high (+) or low (-) on the
    attribute: a text that names two words cancelling out ("wet asphalt") still says something.
    With `sizes`, size words ("a little dinghy", "a huge barge") count for mass where no other
    word does and nothing says what the thing is made of; with `sizes="same material"` also where
    both things are said to be of the same stuff ("a small steel marble", "a big steel ball")."""
    more, less = _QUALITY[attribute]
    seg = segment.lower().replace("-", " ")
    if attribute == "mass":  # "a heavy push", "a light tap" describe the effort, not the object
        seg = re.sub(r"\b(?:" + more + r"|" + less + r")\s+(?=(?:" + _EFFORT + r")\b)", " ", seg)
    score, hits = 0, 0

    def count(more: str, less: str) -> None:
        nonlocal score, hits
        for m in re.finditer(r"\b(" + more + r"|" + less + r")\b", seg):
            if re.search(r"\b(not|never|isn't|wasn't|no)\s+(?:\w+\s+)?$", seg[:m.start()]):
                continue
            score += 1 if re.fullmatch(more, m.group(1)) else -1
            hits += 1

    count(more, less)
    if not hits and attribute in _WEAK_QUALITY:
        count(*_WEAK_QUALITY[attribute])
    if not hits and sizes and attribute == "mass" and (sizes == "same material" or not _materials(seg)):
        # only in the noun phrase of the object itself: "a little objy", "a huge cargo objx"
        for m in re.finditer(r"\b(" + _BIG + r"|" + _SMALL + r")\s+(?:(?!(?:" + _FUNCTION_WORDS + r")\b)[a-z-]+\s+)"
                             r"{0,2}?(?:objx|objy)\b", seg):
            score += 1 if re.fullmatch(_BIG, m.group(1)) else -1
            hits += 1
    nouns = _NOUNS.get(attribute, "")
    if nouns:
        up = ("more", "greater", "larger", "bigger", "higher", "stronger", "high", "great", "large", "big", "top", "full",
              "heavy", "heavier", "huge")
        for m in re.finditer(r"\b(more|greater|larger|bigger|higher|stronger|high|great|large|big|top|full|heavy|heavier|"
                             r"huge|less|smaller|lower|weaker|lesser|low|small|little|reduced|tiny|light|lighter)\s+(?:\w+\s+)?(" + nouns + r")\b", seg):
            if attribute in ("height", "angle") and m.group(1) in ("high", "low"):
                continue  # already counted as words of their own
            score += 1 if m.group(1) in up else -1
            hits += 1
    if re.search(r"\b" + _MULTIPLIER + r"\b", seg):
        score += 1
        hits += 1
    if re.search(r"\b" + _HALF + r"\b", seg) and attribute != "height":
        score -= 1
        hits += 1
    return score, hits


_ANY_UNIT = "|".join(_SEG_UNITS.values()) + r"|s|secs?|seconds?|%|°"


def _decimal(text: str) -> float | None:
    """A decimal number with no unit ("the box on the 0.45 patch"): in a question about friction
    coefficients, a coefficient."""
    m = re.search(r"(?<![\w.])(\d*\.\d+)(?!\d)(?!\s*[- ]?(?:" + _ANY_UNIT + r")(?![a-z]))", text.lower())
    return float(m.group(1)) if m else None


def _compare(a: str, b: str, attribute: str, both: bool = False, decimals: bool = False,
             sizes: bool | str = False) -> str | None:
    """"X" if text `a` describes more of the attribute than text `b`, "Y" if less, else None.
    With `both`, each text must itself say something about the attribute (two descriptions
    taken from a sentence, where one may be only shared context). With `decimals`, a decimal
    with no unit is the attribute's value (friction coefficients named in the choices)."""
    va, vb = _value(a, attribute), _value(b, attribute)
    if decimals:
        va = _decimal(a) if va is None else va
        vb = _decimal(b) if vb is None else vb
    if (va is None) != (vb is None) and _ends_with_value(b if va is None else a, attribute):
        # the second value elided: "..., the other where it is 0.45"
        bare = _BARE.search(a if va is None else b)
        if bare:
            va, vb = (float(bare.group(1)), vb) if va is None else (va, float(bare.group(1)))
    if va is not None and vb is not None:
        return None if va == vb else ("X" if va > vb else "Y")
    if sizes and _materials(a) and _materials(a) == _materials(b):
        sizes = "same material"  # "a small steel objy" ... "a big steel objx": the size tells the mass
    (qa, ha), (qb, hb) = _quality_hits(a, attribute, sizes), _quality_hits(b, attribute, sizes)
    if both and (ha == 0 or hb == 0):
        return None
    if qa != qb:
        return "X" if qa > qb else "Y"
    return None


_MATERIALS = r"carpet|carpeted|felt|sandpaper|gravel|concrete|grass|grassy|rubber|asphalt|ice|glass|tile|tiled|" \
             r"marble|teflon|laminate|metal|steel|wood|wooden|sand|snow|dirt|canvas|burlap"


def _surface_words(name: str, attribute: str) -> str:
    """The part of a choice that can describe the attribute. For friction a material word
    counts only for the surface or base ("the book on the glass table", "the felt-padded
    block"), never for the object itself ("a glass marble", "the rubber ball")."""
    low = name.lower()
    if attribute != "friction":
        return low
    m = re.search(r"\b(on|onto|across|over|along|down|up|with|in)\b", low)
    head, rest = (low[:m.start()], low[m.end():]) if m else (low, "")
    based = " ".join(re.findall(r"\b(\w+)[- ](?:based|padded|bottomed|soled|coated|lined)\b", head))
    head = re.sub(r"\b(" + _MATERIALS + r")\b", " ", head)
    return head + " " + rest + " " + based


_STOPWORDS = _STOP | {"is", "was", "are", "were", "it", "its", "his", "her", "hers", "their", "by", "from", "for",
                      "that", "this", "who", "which", "ball", "block", "box", "identical", "other", "same", "two",
                      "both", "they", "he", "she", "them", "then", "as", "into", "onto", "off", "up", "down"}


def _stem(word: str) -> str:
    return word[:5] if len(word) > 5 else word


def _owner(description: str, names: tuple[str, str], masked: bool) -> str | None:
    """Which object a description belongs to: the one it mentions, or the one whose own
    distinctive words it shares ("the plastic-based block" for "a slick plastic base")."""
    if masked:
        has = [bool(re.search(r"\b" + tok + r"\b", description)) for tok in (OX, OY)]
        if has[0] != has[1]:
            return "X" if has[0] else "Y"
    words = [{_stem(w) for w in _words(n) if w not in _STOPWORDS} for n in names]
    own = [words[0] - words[1], words[1] - words[0]]
    desc = {_stem(w) for w in _words(description)}
    hits = [len(o & desc) for o in own]
    if hits[0] != hits[1]:
        return "X" if hits[0] > hits[1] else "Y"
    return None


_CONTRAST = re.compile(
    r"\b(?:one(?! of)|the first)\b(?P<a>(?:[^.;?!]|\.(?=\d))*?)(?:,\s*|;\s*|\s+)(?:and\s+|while\s+|whereas\s+|but\s+)?"
    r"(?:(?:the\s+)?(?P<ob>objx|objy)\s+(?=one\b))?"
    r"(?:the other(?: one)?|another(?: one)?|the second|the second one|one)\b(?P<b>(?:[^.;?!]|\.(?=\d))*)")


def contrast_relation(masked: str, names: tuple[str, str] | None, attribute: str) -> str | None:
    """Which object has more of the attribute, from descriptions rather than comparatives.

    Three sources, in order: (1) the choices themselves ("the 4 m/s mug" vs "the 1.5 m/s mug",
    "the steeply kicked ball" vs "the flat kick", "the block on the smooth ramp");
    (2) a contrast "one <desc>, the other <desc>" in the statements, each description scored
    by stated numbers (with units; floors; friction coefficients) or qualitative words, and
    mapped onto the objects by what it mentions or shares with a choice; (3) per-object
    clauses: what follows each mention of an object up to the next one ("objx pushes hers with
    twice the force objy uses", "objx ... from the fifth floor while objy ... the second floor").
    """
    if attribute not in _QUALITY:
        return None
    statements, _ = split_asked(masked)
    if names is not None:
        coefficients = attribute == "friction" and re.search(r"\bcoefficients?\b|" + _MU, masked) is not None
        by_choice = _compare(_surface_words(names[0], attribute), _surface_words(names[1], attribute), attribute,
                             decimals=coefficients)
        if by_choice is not None:
            return by_choice
    for m in _CONTRAST.finditer(statements):
        a, b = m.group("a"), m.group("b")
        # what follows the second description is shared context ("..., and the ice has a bit of friction")
        b = re.split(r",\s*(?:and|but|so|while|then)\b|\b(?:both|each|they|together)\b", b)[0]
        if re.match(r"\s*(?:than|as)\b", b) or re.search(r"\b(than|as)\s*$", a):
            continue  # "one is heavier than the other": a comparative, not two descriptions
        first = _compare(a, b, attribute, both=True)
        if first is None:
            continue
        if names is None:
            continue
        # "objy one gentle, objx one hard": a name right before each "one" owns its description
        before = re.search(r"(objx|objy)\s+$", statements[:m.start()])
        if m.group("ob"):
            owner = "Y" if m.group("ob") == OX else "X"
        elif before:
            owner = "X" if before.group(1) == OX else "Y"
        else:
            owner = _owner(a, names, True)
        if owner is None:
            other = _owner(b, names, True)
            owner = None if other is None else ("Y" if other == "X" else "X")
        if owner is not None:
            return first if owner == "X" else ("Y" if first == "X" else "X")
    # per-object clauses
    parts: dict[str, list[str]] = {OX: [], OY: []}
    pieces = re.split(r"(objx|objy)", statements)
    for i in range(1, len(pieces) - 1, 2):
        # "the same speed", "the same kind of nail" is shared, not this object's own; "but" goes on
        # about the same object ("at the same speed but at a steep angle") unless a new subject follows
        tail = re.sub(r"\bthe same(?:\s+(?:kind|sort|type|make|model|size|amount|pair) of)?(?:\s+[a-z-]+)?", " ",
                      pieces[i + 1])
        tail = re.split(r"[.;!?](?!\d)|\bwhile\b|\bwhereas\b|\bbut (?=(?:the|a|an|this|that|it|its|there|both|each|"
                        r"they|he|she|his|her|their|objx|objy)\b)|, and\b|\band (?=the|a|an|his|her|their)\b|"
                        r"\b(?:both|each|they|together)\b", tail)[0]
        head = re.split(r"[.;!?,](?!\d)|\band\b|\bwhile\b", pieces[i - 1])[-1] if i >= 1 else ""
        # the words right before a mention describe the object itself ("a loaded objx"): they
        # count for its mass only ("a small objy" is not a small force)
        # (the mention stays in, so size words can be told to be the object's own: "a little objy")
        parts[pieces[i]].append((head[-25:] + " " + pieces[i] if attribute == "mass" else "") + " " + tail)
    if parts[OX] and parts[OY]:
        found = _compare(" ".join(parts[OX]), " ".join(parts[OY]), attribute, both=True, sizes=True)
        if found is not None:
            return found
    return _place_relation(statements, attribute)


# where an object starts from or moves on: "off the kitchen counter", "across the garage floor"
_PLACE = re.compile(r"\b(?:off|from|on|onto|atop|down|across|along|over|at)\s+(?:the\s+(?:top|edge|end)\s+of\s+)?"
                    r"(?:the|a|an|his|her|their|its|my|your|our|that|this)\s+"
                    r"((?:(?!(?:" + _FUNCTION_WORDS + r"|which|where|who|whose)\b)[a-z-]+\s+){0,2}?"
                    r"(?!(?:" + _FUNCTION_WORDS + r")\b)[a-z-]+)(?=\s*(?:[,.;:!?()]|$)|\s+(?:" + _FUNCTION_WORDS
                    + r"|which|where|who|whose|leaning|standing)\b)")


def _place_relation(statements: str, attribute: str) -> str | None:
    """A relation between the places the objects start from, given to the objects that start
    there: "objx rolls ... off the coffee table, which is half as high as the counter" after
    "objy rolls ... off the kitchen counter"; "the hallway floor is slicker than the garage
    floor". Each object's place is the first one named after its mention; later mentions of a
    place (the whole phrase, or its last word when the two places' last words differ) stand for
    the object there, and the comparatives are read as if said of the objects."""
    places: dict[str, str] = {}
    for m in re.finditer(_OBJ + r"((?:[^.;]|\.(?=\d))*?)(?=objx|objy|[.;](?!\d)|$)", statements):
        place = _PLACE.search(m.group(2))
        if place and m.group(1) not in places:
            places[m.group(1)] = place.group(1)
    if len(places) < 2 or places[OX] == places[OY]:
        return None
    heads = {obj: phrase.split()[-1] for obj, phrase in places.items()}
    forms = {obj: [places[obj]] + ([heads[obj]] if heads[OX] != heads[OY] else []) for obj in (OX, OY)}
    text = statements
    for obj in sorted(forms, key=lambda o: -len(places[o])):
        for form in forms[obj]:
            text = re.sub(r"\b(?:the|a|an|that|this)\s+(?:[a-z-]+\s+)?" + re.escape(form) + r"\b", obj, text)
    if text == statements:
        return None
    greater, found = find_relation(text, attribute)
    return greater if found else None
