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

# (pattern, polarity): +1 means the subject has more of the attribute
_LEX: dict[str, list[tuple[str, int]]] = {
    "mass": [(r"heavier|more massive|more mass|greater mass|larger mass|bigger mass|weighs? more|"
              r"times as heavy|twice as heavy|times the mass|times heavier|double the mass|twice the mass|outweighs|"
              r"heavy one|heavier one|weighs (?:twice|\w+ times|\d+(?:\.\d+)? times)", 1),
             (r"lighter|less massive|less mass|smaller mass|weighs? less|half the mass|half as heavy|"
              r"lower mass|light one", -1)],
    "height": [(r"higher|greater height|taller|further up|farther up|greater starting height|"
                r"times as high|twice as high|bigger height|larger height|more height|up higher|above|farther up the|"
                r"further up the", 1),
               (r"lower|smaller height|closer to the ground|nearer the ground|nearer to the ground|"
                r"less high|lesser height|shorter height|below", -1)],
    "speed": [(r"faster|greater speed|higher speed|more speed|quicker|greater (?:initial |starting )?velocity|"
               r"bigger (?:initial |starting )?velocity|higher (?:initial |starting )?velocity|times as fast|twice as fast|"
               r"larger speed|bigger speed|more quickly|greater initial speed|larger (?:initial )?velocity|"
               r"harder", 1),
              (r"slower|lower speed|less speed|smaller speed|more slowly|smaller (?:initial |starting )?velocity|"
               r"lower (?:initial |starting )?velocity|less velocity|gentler|softer|less quickly|more gently", -1)],
    "angle": [(r"steeper|larger angle|greater angle|higher angle|more steeply|bigger angle|more upward|"
               r"closer to vertical|more vertical", 1),
              (r"shallower|flatter|smaller angle|lower angle|gentler|less steep|more gradual|"
               r"closer to horizontal|more horizontal|lesser angle", -1)],
    "force": [(r"harder|larger force|greater force|stronger|bigger push|more force|times the force|twice the force|"
               r"bigger force|larger push|greater push|more strongly|heavier push", 1),
              (r"more gently|gentler|smaller force|weaker|less force|softer|smaller push|lighter push|"
               r"less strongly|less hard", -1)],
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


def is_same_choice(choice: str) -> bool:
    low = choice.lower()
    return any(w in low for w in SAME_WORDS)


_STOP = {"the", "a", "an", "of", "on", "in", "at", "to", "one", "with", "and", "or", "s"}
_COMPARISON_WORDS = ("greater", "smaller", "larger", "less", "more")


def _words(text: str) -> list[str]:
    """Lower-case words; a possessive "'s" is dropped ("Mia's puck" -> mia, puck)."""
    return re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", text.lower()).replace("-", " "))


def _mention(low: str, name: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(name) + r"(?![a-z0-9])", low) is not None


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
        for i in range(len(words) - n + 1):
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


def object_names(text: str, choices: list[str]) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(names, mentions): the two objects' names (as the choices give them, else as the text does)
    and the strings that mention them in the text (for masking)."""
    low = text.lower()
    _ORIGINAL.clear()
    _ORIGINAL[low] = text
    named = [c for c in choices if not is_same_choice(c) and c.strip().lower() not in _COMPARISON_WORDS]
    if len(named) >= 2:
        a, b = named[0], named[1]
        if _mention(low, a.lower()) and _mention(low, b.lower()):
            return (a, b), (a, b)
        stripped = [re.sub(r"^(the|a|an) ", "", c.strip(), flags=re.I) for c in (a, b)]
        if all(_mention(low, s_.lower()) for s_ in stripped):
            return (a, b), (stripped[0], stripped[1])
        ma, mb = _distinct_mention(low, a, b), _distinct_mention(low, b, a)
        # "your ball" vs "your friend's ball": the one with no word of its own is the reader's
        ma = ma or _second_person(low, a, b)
        mb = mb or _second_person(low, b, a)
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


def mask(text: str, mentions: tuple[str, str] | None) -> str:
    """Lower-cased text with the two objects' mentions replaced by objx / objy."""
    out = normalise(text)
    if mentions is None:
        return out.lower()
    marks = sorted([(mentions[0], OX), (mentions[1], OY)], key=lambda p: -len(p[0]))
    for name, token in marks:
        variants = {name, re.sub(r"^(the|a|an) ", "", name, flags=re.I)}
        for v in sorted(variants, key=len, reverse=True):
            body = r"(?:['’]s)?[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", v.strip()))
            pattern = r"(?<![A-Za-z0-9])(?:(?:the|a|an) )?" + body + r"(?![A-Za-z0-9])"
            flags = 0 if len(v) == 1 else re.I
            out = re.sub(pattern, token, out, flags=flags)
    return out.lower()


def split_asked(masked: str) -> tuple[str, str]:
    """(statements, asked clause) of masked text."""
    sentences = re.split(r"(?<=[.!?;])\s+", masked)
    statements, asked = [], []
    for s in sentences:
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
    clauses = re.split(r"[.;!?](?=\s|$)|, but |, while |, whereas | while | whereas |, and (?=objx|objy)", statements)
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
        if found is not None:
            pos, end, polarity = found
            return _resolve(clause, objs, pos, end, polarity), True
    numbers = _stated_per_object(statements, attribute)
    if numbers is not None:
        return numbers, True
    adjective = _adjectives(statements, attribute)
    if adjective is not None:
        return adjective, True
    for clause in clauses:
        if re.search(r"\b(" + _EQUAL + r")\b[^.]*\b(" + _NOUNS[attribute] + r")", clause) or re.search(
                r"\b(" + _NOUNS[attribute] + r")\w*\b[^.]*\b(" + _EQUAL + r")\b", clause):
            if attribute == "mass" and re.search(r"\b(same|equal|equally|identical)\b", clause):
                return None, True
    return None, False


_ADJECTIVES = {
    "mass": (r"heavy|heavier|loaded|massive|full", r"light|lighter|empty"),
    "height": (r"high|higher|tall|top", r"low|lower|bottom"),
    "speed": (r"fast|faster|quick|speeding", r"slow|slower"),
    "angle": (r"steep|steeper", r"shallow|shallower|gentle|gentler|gradual"),
    "force": (r"strong|stronger|hard", r"weak|weaker|gentle|soft"),
    "friction": (r"rough|rougher|sticky", r"smooth|smoother|slippery|icy|waxed|polished"),
}
_UNITS_OF = {"mass": r"kg|kilograms?|g|grams?", "height": r"m|meters?|metres?|cm",
             "speed": r"m/s|km/h|mph|meters per second|metres per second", "angle": r"degrees?|°|deg",
             "force": r"n|newtons?", "friction": r"$^"}
_SCALE = {"g": 1e-3, "gram": 1e-3, "grams": 1e-3, "cm": 1e-2, "km/h": 1 / 3.6, "mph": 0.44704}


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
# objects whose masses differ by far more than their own spread are compared (IMPLIED_RATIO).
TYPICAL_MASS_KG: dict[str, float] = {
    "feather": 0.005, "marble": 0.005, "coin": 0.006, "paperclip": 0.001, "sugar cube": 0.004,
    "ping-pong ball": 0.0027, "ping pong ball": 0.0027, "table tennis ball": 0.0027, "golf ball": 0.046,
    "tennis ball": 0.058, "egg": 0.06, "pebble": 0.05, "baseball": 0.145, "apple": 0.2, "orange": 0.2,
    "hockey puck": 0.17, "soccer ball": 0.43, "football": 0.43, "basketball": 0.62, "volleyball": 0.27,
    "beach ball": 0.1, "balloon": 0.005, "brick": 2.5, "bowling ball": 7.0, "cannonball": 8.0,
    "cannon ball": 8.0, "shot put": 7.0, "anvil": 50.0, "boulder": 500.0, "melon": 3.0, "watermelon": 6.0,
    "grape": 0.005, "pea": 0.0002, "bicycle": 12.0, "bike": 12.0, "motorcycle": 200.0, "car": 1500.0,
    "truck": 10000.0, "lorry": 10000.0, "bus": 12000.0, "train": 400000.0, "fly": 0.00002,
    "mosquito": 0.000003, "elephant": 5000.0, "mouse": 0.02, "paper plane": 0.005, "sheet of paper": 0.005,
    "refrigerator": 90.0, "fridge": 90.0, "piano": 300.0, "tricycle": 8.0,
}
IMPLIED_RATIO = 10.0


def typical_mass(name: str) -> float | None:
    """The typical mass of the object a name refers to, if it is a known everyday object."""
    text = " " + " ".join(_words(name)) + " "
    hits = [(len(key), mass) for key, mass in TYPICAL_MASS_KG.items() if f" {key} " in text]
    return max(hits)[1] if hits else None


def relation_from_names(names: tuple[str, str], attribute: str) -> str | None:
    """"the heavy sled" vs "the light sled", "the 2 kg rock" vs "the 6 kg rock": the relation
    carried by the objects' own names."""
    if attribute not in _ADJECTIVES:
        return None
    number = r"(\d+(?:\.\d+)?)\s*[- ]?\s*(" + _UNITS_OF[attribute] + r")(?![a-z])"
    found = [re.search(number, n.lower()) for n in names]
    if found[0] and found[1]:
        a, b = (float(f.group(1)) * _SCALE.get(f.group(2), 1.0) for f in found)
        if a != b:
            return "X" if a > b else "Y"
    more, less = _ADJECTIVES[attribute]
    score = []
    for name in names:
        words = _words(name)
        up = any(re.fullmatch(more, w) for w in words)
        down = any(re.fullmatch(less, w) for w in words)
        score.append(int(up) - int(down))
    if score[0] != score[1]:
        return "X" if score[0] > score[1] else "Y"
    return None


def implied_relation(names: tuple[str, str], attribute: str) -> str | None:
    """The relation left implied by what the objects are: for mass, "the bowling ball" is
    heavier than "the marble". Weaker than anything the question states, so used only when
    it states nothing about the attribute."""
    if attribute != "mass":
        return None
    masses = [typical_mass(n) for n in names]
    if None in masses or max(masses) < IMPLIED_RATIO * min(masses):
        return None
    return "X" if masses[0] > masses[1] else "Y"


def _stated_per_object(statements: str, attribute: str) -> str | None:
    """"objx ... 60 degrees ... objy ... 30 degrees": compare the numbers each object is given."""
    values: dict[str, float] = {}
    pattern = _OBJ + r"([^.;]*?)(?=objx|objy|[.;]|$)"
    number = r"(\d+(?:\.\d+)?)\s*[- ]?\s*(" + _UNITS_OF[attribute] + r")(?![a-z])"
    for m in re.finditer(pattern, statements):
        n = re.search(number, m.group(2))
        if n and m.group(1) not in values:
            values[m.group(1)] = float(n.group(1)) * _SCALE.get(n.group(2), 1.0)
    if len(values) == 2 and values[OX] != values[OY]:
        return "X" if values[OX] > values[OY] else "Y"
    return None


def _comparative(clause: str, lexicon: list[tuple[str, int]]) -> tuple[int, int, int] | None:
    best = None
    for pattern, polarity in lexicon:
        for m in re.finditer(r"\b(?:" + pattern + r")\b", clause):
            if best is None or m.start() < best[0]:
                negated = re.search(r"\b(not|isn't|no)\s+(\w+\s+)?$", clause[:m.start()])
                best = (m.start(), m.end(), -polarity if negated else polarity)
    return best


def _resolve(clause: str, objs: list[tuple[int, str]], pos: int, end: int, polarity: int) -> str:
    after = clause[end:]
    if re.fullmatch(r"above|below", clause[pos:end]):  # "objx starts above objy"
        nxt = re.match(r"\s*(?:the\s+)?(objx|objy)", after)
        if nxt:
            subject = OY if nxt.group(1) == OX else OX
            return "X" if (subject if polarity > 0 else nxt.group(1)) == OX else "Y"
    attributive = re.match(r"\s+(?:(?!than\b|as\b|and\b|or\b|to\b|what\b|that\b|which\b|of\b|for\b|on\b|under\b|"
                           r"with\b|by\b|at\b|in\b|is\b|was\b)[a-z-]+\s+){0,2}?(objx|objy)", after)
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
           r"resting|parked|initially still|still)\b"
    for sentence in re.split(r"[.;!?](?=\s|$)", statements):
        for m in re.finditer(rest, sentence):
            right_after = re.match(r"\s+(?:(?!and\b|or\b|but\b|while\b|when\b)\w+\s+)?(objx|objy)", sentence[m.end():])
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
    ("q_slow", "a", r"\b(slow|slows|decelerat\w*|loses speed)\b"),
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
    return re.search(r"\b(identical|same mass|equal mass|equal masses|equally heavy|weigh the same|twin)\b",
                     statements) is not None


def says_no_air(masked: str) -> bool:
    """The question rules air resistance out ("neglecting air resistance", "in a vacuum")."""
    rx = dict((n, r) for n, _, r in _CUES)["no_air"]
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
    "mass": (r"heavy|heavier|heaviest|heavily|loaded|full|massive|solid|dense|laden|packed",
             r"light|lighter|lightest|lightly|empty|hollow|unloaded"),
    "height": (r"high|higher|highest|top|tall|taller|tallest|upper|uppermost|topmost|skyscraper|tower|cliff|roof|"
               r"rooftop|attic",
               r"low|lower|lowest|bottom|halfway|half|short|shorter|ground|shed|step|kerb|curb"),
    "speed": (r"fast|faster|fastest|quick|quicker|quickly|rapid|rapidly|hard|harder|hardest|speeding|zipping|"
              r"racing|strongly|forcefully|powerful|powerfully|hurled|fired|blasted",
              r"slow|slowly|slower|slowest|gentle|gently|gentler|soft|softly|softer|lightly|lazily|barely|"
              r"nudged|nudge|tap|tapped|crawling|rolling|dribbled|lobbed|plopped"),
    "angle": (r"steep|steeply|steeper|steepest|vertical|vertically|upright|lofted|sharp|sharply|high",
              r"shallow|shallower|shallowly|flat|flatter|flatly|low|lower|gentle|gentler|gently|gradual|"
              r"gradually|horizontal|mild"),
    # size words ("big", "small") count for force only next to a force noun ("a bigger push"), see _quality
    "force": (r"hard|harder|hardest|strong|strongly|stronger|firm|firmly|forcefully|mighty|powerful|powerfully",
              r"gentle|gently|gentler|weak|weaker|weakly|soft|softly|lightly|slight|slightly|feeble|feebly"),
    "friction": (r"rough|rougher|roughest|sticky|stickier|grippy|grippier|coarse|coarser|carpet|carpeted|felt|"
                 r"sandpaper|gravel|unpowdered|unwaxed|concrete|grass|grassy|rubber|rubbery|asphalt|brushed|"
                 r"gritty|sandy|sticking|untreated",
                 r"smooth|smoother|smoothest|polished|slick|slicker|slippery|icy|ice|glass|waxed|powdered|oiled|"
                 r"greased|lubricated|teflon|tiled|tile|marble|glassy|frictionless|wet|laminate|varnished|"
                 r"glossy|sanded|frozen|buttered"),
}
_MULTIPLIER = r"(twice|double|doubled|triple|tripled|three times|four times|five times|ten times|\d+(?:\.\d+)? times)"
_HALF = r"(half|halved|a third|a quarter)"
_ORDINALS = {w: i for i, w in enumerate(
    "ground first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_SEG_UNITS = {"mass": r"kg|kilograms?|g|grams?|tonnes?|tons?", "height": r"m|meters?|metres?|cm|km|ft|feet",
              "speed": r"m/s|km/h|kph|mph|meters per second|metres per second|miles per hour|kilometers per hour",
              "angle": r"degrees?|°|deg", "force": r"n|newtons?|kn"}
_SEG_SCALE = {"g": 1e-3, "gram": 1e-3, "grams": 1e-3, "tonne": 1e3, "tonnes": 1e3, "ton": 1e3, "tons": 1e3,
              "cm": 1e-2, "km": 1e3, "ft": 0.3048, "feet": 0.3048, "km/h": 1 / 3.6, "kph": 1 / 3.6,
              "kilometers per hour": 1 / 3.6, "mph": 0.44704, "miles per hour": 0.44704, "kn": 1e3}


def _value(segment: str, attribute: str) -> float | None:
    """The attribute's value a piece of text states: a number with a unit, a floor, a friction coefficient."""
    seg = segment.lower()
    if attribute == "friction":
        m = re.search(r"(?:coefficient|\bmu\b|μ)(?:\s+of\s+(?:kinetic\s+|sliding\s+)?friction)?\s*(?:of|=|is|:|about|around)?"
                      r"\s*(\d*\.\d+|\d)(?![\d.])", seg)
        return float(m.group(1)) if m else None
    if attribute == "height":
        m = re.search(r"\b(\d+)(?:st|nd|rd|th)[\s-]+(?:floor|storey|story)\b", seg) or re.search(
            r"\b(" + "|".join(_ORDINALS) + r")[\s-]+(?:floor|storey|story)\b", seg)
        if m:
            raw = m.group(1)
            return 3.0 * (float(raw) if raw.isdigit() else _ORDINALS[raw]) + 1.0
    units = _SEG_UNITS.get(attribute)
    if units is None:
        return None
    m = re.search(r"(\d+(?:\.\d+)?)\s*[- ]?\s*(" + units + r")(?![a-z0-9/])", seg)
    return float(m.group(1)) * _SEG_SCALE.get(m.group(2), 1.0) if m else None


def _quality(segment: str, attribute: str) -> int:
    """Net count of words placing the described object high (+) or low (-) on the attribute."""
    more, less = _QUALITY[attribute]
    seg = segment.lower().replace("-", " ")
    score = 0
    for m in re.finditer(r"\b(" + more + r"|" + less + r")\b", seg):
        if re.search(r"\b(not|never|isn't|wasn't|no)\s+(?:\w+\s+)?$", seg[:m.start()]):
            continue
        score += 1 if re.fullmatch(more, m.group(1)) else -1
    nouns = _NOUNS.get(attribute, "")
    if nouns:
        up = ("more", "greater", "larger", "bigger", "higher", "stronger", "high", "great", "large", "big", "top", "full",
              "heavy", "heavier", "huge")
        for m in re.finditer(r"\b(more|greater|larger|bigger|higher|stronger|high|great|large|big|top|full|heavy|heavier|"
                             r"huge|less|smaller|lower|weaker|lesser|low|small|little|reduced|tiny|light|lighter)\s+(?:\w+\s+)?(" + nouns + r")\b", seg):
            if attribute in ("height", "angle") and m.group(1) in ("high", "low"):
                continue  # already counted as words of their own
            score += 1 if m.group(1) in up else -1
    if re.search(r"\b" + _MULTIPLIER + r"\b", seg):
        score += 1
    if re.search(r"\b" + _HALF + r"\b", seg) and attribute != "height":
        score -= 1
    return score


def _compare(a: str, b: str, attribute: str, both: bool = False) -> str | None:
    """"X" if text `a` describes more of the attribute than text `b`, "Y" if less, else None.
    With `both`, each text must itself say something about the attribute (two descriptions
    taken from a sentence, where one may be only shared context)."""
    va, vb = _value(a, attribute), _value(b, attribute)
    if va is not None and vb is not None:
        return None if va == vb else ("X" if va > vb else "Y")
    qa, qb = _quality(a, attribute), _quality(b, attribute)
    if both and (qa == 0 or qb == 0):
        return None
    if qa != qb:
        return "X" if qa > qb else "Y"
    return None


_MATERIALS = r"carpet|carpeted|felt|sandpaper|gravel|concrete|grass|grassy|rubber|asphalt|ice|glass|tile|tiled|" \
             r"marble|teflon|laminate|metal|steel|wood|wooden"


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
        by_choice = _compare(_surface_words(names[0], attribute), _surface_words(names[1], attribute), attribute)
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
        tail = re.split(r"[.;!?](?!\d)|\bwhile\b|\bwhereas\b|\bbut\b|, and\b|\band (?=the|a|an|his|her|their)\b|"
                        r"\b(?:both|each|they|together|the same)\b",
                        pieces[i + 1])[0]
        head = re.split(r"[.;!?,](?!\d)|\band\b|\bwhile\b", pieces[i - 1])[-1] if i >= 1 else ""
        # the words right before a mention describe the object itself ("a loaded objx"): they
        # count for its mass only ("a small objy" is not a small force)
        parts[pieces[i]].append((head[-25:] if attribute == "mass" else "") + " " + tail)
    if parts[OX] and parts[OY]:
        return _compare(" ".join(parts[OX]), " ".join(parts[OY]), attribute, both=True)
    return None
