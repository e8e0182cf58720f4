"""Mind's Eye: answer relative physics questions by simulating them in MuJoCo.

Question text -> `SceneSpec` (converter) -> many sampled worlds in one `BatchSim` (simulate)
-> the answer among the given choices, with a confidence and a rationale (answer).
"""

from embodied.mindseye.spec import SUBTASKS, SceneSpec, spec_for_subtask

__all__ = ["SUBTASKS", "SceneSpec", "spec_for_subtask"]
