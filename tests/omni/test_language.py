"""Text rules of the omnimodel: steps, negation, destinations, numbers, prechecks, generator splits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from embodied.omni import language as L


def test_split_steps_on_connectives():
    assert L.split_steps("Pick up the red cube and then put it on the blue ball.") == \
        ["pick up the red cube", "put it on the blue ball"]
    assert L.split_steps("open the gripper; go home, then close the gripper") == \
        ["open the gripper", "go home", "close the gripper"]
    assert L.split_steps("reach the red cube") == ["reach the red cube"]
    assert L.split_steps("Go ahead and pick up the red cube please, then go home") == \
        ["pick up the red cube", "go home"]
    assert L.split_steps("please") == ["please"]


def test_a_robot_addressed_by_name_is_not_a_step():
    assert L.split_steps("Hey robot, pick the red cube up. Then stack it on the blue cube") == \
        ["pick the red cube up", "stack it on the blue cube"]
    assert L.split_steps("robot: open the gripper") == ["open the gripper"]
    assert L.split_steps("hi there, walk forward") == ["walk forward"]
    # a prop or a direction that merely starts with the same letters is left alone
    assert L.split_steps("arm the robotic arm") == ["arm the robotic arm"]


def test_how_clauses_do_not_introduce_an_object():
    """"without picking it up" / "by pushing it" say how; their "it" is the prop already named."""
    assert L.split_steps("bump the white box back without picking it up") == ["bump the white box back"]
    assert L.split_steps("move the green ball left by pushing it") == ["move the green ball left"]
    assert L.split_steps("push the red cube to the left by 10 cm") == ["push the red cube to the left by 10 cm"]
    assert L.noun_phrase("bump the white box back") == "white box"
    assert L.noun_phrase(L.split_destination("i want the yellow block sitting atop the green can")[0]) == "yellow block"
    assert L.noun_phrase("look at the left cube") == ""  # a direction right after the article is not a prop


def test_destination_and_noun_phrases():
    assert L.split_destination("put the red cube on top of the green cylinder") == \
        ("put the red cube", "on top of the green cylinder")
    assert L.split_destination("pick up the red cube") == ("pick up the red cube", None)
    assert L.noun_phrase("push the red cube to the left by 10 cm") == "red cube"
    assert L.noun_phrase("grab the purple elephant please") == "purple elephant"
    assert L.noun_phrase("pick it up") == ""
    assert L.has_pronoun_object("put it on the blue ball")


def test_negation_and_numbers():
    assert L.is_negated("don't pick up the red cube") and L.is_negated("do not touch it")
    assert not L.is_negated("pick up the red cube")
    assert L.strip_negation("don't pick up the red cube") == "pick up the red cube"
    assert L.find_number("push it 12 cm to the left", ("cm", "m")) == (12.0, "cm")
    assert L.find_number("turn left by 45 degrees", ("deg",)) == (45.0, "deg")
    assert L.find_direction("shove it towards me", ("left", "right", "forward", "back")) == "back"
    assert L.find_direction("walk forwards", ("forward", "backward")) == "forward"


def test_prechecks():
    assert "empty" in L.precheck("   ")
    assert "too long" in L.precheck("touch the red cube " * 20)
    assert "English" in L.precheck("拿起红色的方块")
    assert L.precheck("pick up the red cube") is None


def test_train_and_heldout_phrasings_are_disjoint():
    for skill, splits in L.TEMPLATES.items():
        assert not set(splits["train"]) & set(splits["test"]), skill
    assert not set(L.UNKNOWN_NOUNS["train"]) & set(L.UNKNOWN_NOUNS["test"])
    rng = np.random.default_rng(0)
    examples = L.skill_examples("test", 200, rng)
    assert {s for _, s in examples} <= set(L.SKILL_CLASSES)
    assert len({s for _, s in examples}) >= 10


def test_a_phrasings_file_replaces_the_held_out_split_while_in_use(tmp_path):
    path = tmp_path / "phrasings.json"
    path.write_text(json.dumps({"pick": ["Fetch me the {o}!"], "push": ["bump the {o} {d}"],
                                L.UNSUPPORTED: ["juggle", "lick the {o}"]}))
    phrasings = L.load_phrasings(path)
    assert phrasings["pick"] == ("fetch me the {o}",)
    before = L.TEMPLATES["pick"]["test"]
    with L.held_out_phrasings(phrasings):
        assert L.TEMPLATES["pick"]["test"] == ("fetch me the {o}",)
        assert L.TEMPLATES["reach"]["test"]  # skills the file does not name keep theirs
    assert L.TEMPLATES["pick"]["test"] == before


@pytest.mark.parametrize(("content", "words"), [
    ({"pick": ["grab it"]}, ["'pick'", "'grab it'", "['o']"]),
    ({"push": ["push the {o}"]}, ["'push'", "['o', 'd']"]),
    ({"fly": ["soar"]}, ["unknown phrasing key 'fly'", "pick"]),
    ({"walk": []}, ["'walk'", "non-empty list"]),
    ([1, 2], ["expected a JSON object"]),
])
def test_a_bad_phrasings_file_names_the_problem(tmp_path, content, words):
    from embodied.errors import EmbodiedError

    path = tmp_path / "phrasings.json"
    path.write_text(json.dumps(content))
    with pytest.raises(EmbodiedError) as error:
        L.load_phrasings(path)
    for word in words:
        assert word in str(error.value), (word, str(error.value))


def test_phrasings_the_model_trained_on_are_left_out_of_a_test_file():
    trained = L.TEMPLATES["pick"]["train"][0]
    kept, dropped = L.without_training_phrasings({"pick": (trained, "fetch me the {o}"), "home": ("go home",)})
    assert kept == {"pick": ("fetch me the {o}",)} and dropped == [f"pick: {trained}", "home: go home"]


def test_remarks_topics_and_their_it():
    """Interjections, manner adverbs and the speaker's reasons ask for nothing; a named prop
    before "it" ("red block: grab it", "i need the blue tube, take hold of it") is that "it"."""
    assert L.split_steps("pick the green can and lay it onto the red box, carefully") == \
        ["pick the green can", "lay it onto the red box"]
    assert L.split_steps("park the arm, we're done") == ["park the arm"]
    assert L.split_steps("reach toward the purple can, i just want to see you can find it") == \
        ["reach toward the purple can"]
    assert L.split_steps("red block: grab it and lift") == ["grab the red block", "lift"]
    assert L.split_steps("i need the blue tube, take hold of it") == ["take hold of the blue tube"]
    assert L.split_steps("grab the red cube and afterwards great, now put it on the blue cube") == \
        ["grab the red cube", "put it on the blue cube"]
    # a request stays a request; an unsupported action stays a step to refuse
    assert L.split_steps("i need the blue tube") == ["i need the blue tube"]
    assert L.split_steps("pick up the red cube and sing") == ["pick up the red cube", "sing"]
    assert L.split_steps("thanks") == ["thanks"]



def test_a_topic_first_then_its_verb():
    """A prop named first and the verb after it ("red block, push forwards"): the topic is the
    verb's object, the place of a "put it there", or what a "get close" approaches."""
    assert L.split_steps("red block, push forwards") == ["push the red block forwards"]
    assert L.split_steps("black cylinder: pick") == ["pick the black cylinder"]
    assert L.split_steps("purple block - put it there") == ["put it on the purple block"]
    assert L.split_steps("i want your hand right by the orange ball, just get close") == \
        ["get close to the orange ball"]
    # a "go" after the command asks for nothing more; a part of the robot spoken to is an address
    assert L.split_steps("green can on purple block, go") == ["green can on purple block"]
    assert L.split_steps("gripper, close") == ["close"]
    assert L.split_steps("hand: open") == ["open"]



def test_purpose_clauses_the_modal_can_and_a_subject_as_destination():
    # what the action is for asks for nothing, unless it names a prop
    assert L.split_steps("slide the black box forward so it ends up clear of the other stuff") == \
        ["slide the black box forward"]
    assert L.split_steps("push the red cube left so that the blue cube is clear") == \
        ["push the red cube left so that the blue cube is clear"]
    assert L.split_steps("tap the black box so it slides forward") == ["tap the black box so it slides forward"]
    assert L.split_steps("raise the red cube so the camera gets a better view and then set it on the blue cube") == \
        ["raise the red cube", "set it on the blue cube"]
    # "can" the verb is no cylinder; "can" the noun still is
    assert L.object_phrase("i need the giraffe lifted so i can look underneath it") == "giraffe"
    assert L.object_phrase("can you grab the blue can") == "blue can"
    assert L.said_attributes(L.object_phrase("grab the can that is crimson")) == (["red"], ["cylinder"])
    # "X needs Y on top of it": Y goes on X
    assert L.split_destination("the red box needs the green can on top of it") == \
        ("put the green can", "on the red box")
    assert L.split_destination("put the red cube on it") == ("put the red cube on it", None)

def test_typing_slips_and_texting_shorthand():
    assert L.split_steps("pls lift the blue can and lay it on teh red box") == \
        ["lift the blue can", "lay it on the red box"]
    assert L.normalize("can u bump it") == "can you bump it"
    assert L.normalize("make a u-turn") == "make a u-turn"
    assert L.split_steps("close the end effector completely") == ["close the gripper completely"]
    assert L.split_steps("get your end effector to the white ball") == ["get your end effector to the white ball"]
    assert L.split_destination("carry the green can over to the red box") == \
        ("carry the green can", "over to the red box")

def test_props_named_without_an_article():
    assert L.noun_phrase("place green can") == "green can"
    assert L.split_destination("put on top black block") == ("put", "on top black block")
    assert L.noun_phrase("i'd like the yellow cylinder pushed forward") == "yellow cylinder"
    assert L.split_steps("use the gripper to scoot the blue block forward") == ["scoot the blue block forward"]
    assert L.split_steps("without grabbing it, push the white box back") == ["push the white box back"]


@pytest.mark.parametrize(("step", "phrase"), [
    ("pick up the red cube please", "red cube"),
    ("push the cube that is crimson to the left", "cube that is crimson"),
    ("grab the purple elephant", "purple elephant"),
    ("grab that elephant that is red", "elephant that is red"),
    ("take the red one", "red one"),
    ("reach the ball", "ball"),
    ("pick up the small sky blue marble", "small sky blue marble"),
    # the robot's own parts, places and light-verb nouns are not the prop
    ("position the gripper right above the white block", "white block"),
    ("get a grip on the green cylinder", "green cylinder"),
    ("use the side of your gripper to sweep the yellow donut left", "yellow donut"),
    ("give the yellow cube a push to the left", "yellow cube"),
    ("i want the red can moved back", "red can"),
    ("nudge purple block left", "purple block"),
    ("snatch the giraffe", "giraffe"),
    ("lift giraffe please", "giraffe"),
    # nothing named: a pronoun, the prop in hand, a robot part, no object at all
    ("pick it up", ""),
    ("lay what you're holding on", ""),
    ("open the gripper", ""),
    ("go over", ""),
])
def test_the_words_that_name_the_prop(step, phrase):
    assert L.object_phrase(step) == phrase


def test_prop_words_with_synonyms_and_references_back():
    assert L.said_attributes("crimson brick") == (["red"], ["cube"])
    assert L.said_attributes("orb that is navy") == (["blue"], ["ball"])
    assert L.said_attributes("purple elephant") == (["purple"], [])
    assert L.refers_back("put it on the blue cube") and L.refers_back("now put that down")
    assert L.refers_back("set what you're holding on the red block")
    assert not L.refers_back("grab the red cube")


def test_questions_addresses_and_politeness_are_not_steps():
    assert L.split_steps("can you pick the orange tube up? thanks") == ["pick the orange tube up"]
    assert L.split_steps("hold still, doggy") == ["hold still"]
    assert L.split_steps("could you lift the blue can off the table, please and afterwards put it on the red cube") \
        == ["lift the blue can off the table", "put it on the red cube"]
    assert L.split_destination("put it on the crimson block") == ("put it", "on the crimson block")
    assert L.split_destination("put it onto navy ball") == ("put it", "onto navy ball")


def test_training_steps_are_split_like_commands_at_run_time():
    rng = np.random.default_rng(4)
    for text, label in L.training_steps(500, rng):
        assert label in L.SKILL_CLASSES
        assert L.split_steps(text) == [text] or label == L.REMARK, (text, label)
    command, labels = L.training_command(np.random.default_rng(5))
    assert len(labels) >= 1 and all(label in L.SKILL_CLASSES for label in labels)


def test_steps_that_restate_or_prepare_an_action_are_not_actions():
    """"the X should go left, just push it": one push; "go over and grab the X": one grab;
    "go to the X and grab it": the grab approaches the X itself."""
    from embodied.omni.builtin import _preamble, _restates, _subsumes
    from embodied.omni.plan import SkillCall

    push = SkillCall("push", {"target": "red_cube", "direction": "left"}, pixel=[10.0, 20.0])
    assert _restates("just push it", "", "push", push)
    assert _restates("move it there", "", "reach", push)
    assert not _restates("push it right", "", "push", push)  # a new direction: a second push
    assert not _restates("push the blue ball", "blue ball", "push", push)
    assert not _restates("put it on the blue cube", "", "place", SkillCall("pick", {"target": "red_cube"}))
    assert _preamble("go over", "", ["grasp the black ball"])
    assert not _preamble("go over", "", ["open the gripper"])
    assert not _preamble("reach it", "", ["grab the red cube"])
    reach = SkillCall("reach", {"target": [0.1, 0.2, 0.3]}, pixel=[10.0, 20.0])
    assert _subsumes(SkillCall("pick", {"target": "red_cube"}, pixel=[10.0, 20.0]), [reach])
    assert not _subsumes(SkillCall("pick", {"target": "red_cube"}, pixel=[50.0, 20.0]), [reach])


def test_a_skill_whose_arguments_the_words_lack_is_not_chosen_when_unsure():
    """An unsure "place" with nowhere to put it, or "push" with no direction, is not what the words say."""
    from embodied.omni.builtin import _lacks_arguments, _puts_held_prop
    from embodied.omni.plan import SkillCall

    assert _lacks_arguments("place", "hoist the black ball")
    assert not _lacks_arguments("place", "hoist the black ball onto the red cube")
    assert not _lacks_arguments("place", "put it there")
    assert _lacks_arguments("push", "shove the red cube") and not _lacks_arguments("push", "shove the red cube left")
    assert not _lacks_arguments("pick", "hoist the black ball")
    holding = [SkillCall("pick", {"target": "red_cube"})]
    assert _puts_held_prop("lay what you're holding on the blue cube", "pick", holding)
    assert not _puts_held_prop("lay what you're holding on the blue cube", "pick", [])
    assert _puts_held_prop("let go over the blue cube", "open_gripper", [])
    assert not _puts_held_prop("grab the red cube", "pick", holding)


def test_words_that_are_no_prop_noun():
    """The props are cubes, balls and cylinders (by any of their names): another noun is none of them."""
    assert L.unknown_noun("red teapot") == "teapot" and L.unknown_noun("giraffe") == "giraffe"
    assert L.unknown_noun("elephant that is red") == "elephant"
    for known in ("crimson brick", "red one", "red", "ball that is navy", "small sky blue marble", "red cubes",
                  "cube in red", "building block", "blue object", "red metal cube", "sky blue", "red colored cube"):
        assert L.unknown_noun(known) is None, known
    assert L.said_attributes("red boxes") == (["red"], ["cube"])
