"""Skill primitives that drive an `embodied` Gymnasium env closed loop.

    import gymnasium, embodied
    from embodied.skills import get_skill
    env = gymnasium.make("embodied/PandaTabletop-v0", cameras=[])
    env.reset(seed=0)
    result = get_skill("pick", robot="panda").run(env, target="red_cube")

Every skill has one interface (`embodied.skills.base.Skill`): a name, the robot kinds it
supports, a JSON-Schema parameter schema with validation, and `run(env, on_step=None,
**params) -> SkillResult`. Arm skills live in `arm`, legged skills in `legged`.
"""

from embodied.skills.base import (
    Param,
    Skill,
    SkillNotAvailableError,
    SkillParamError,
    SkillResult,
    all_skills,
    get_skill,
    register_skill,
    skills_for,
)

__all__ = ["Param", "Skill", "SkillNotAvailableError", "SkillParamError", "SkillResult", "all_skills",
           "get_skill", "register_skill", "skills_for"]
