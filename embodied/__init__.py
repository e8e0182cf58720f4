"""embodied: robots in MuJoCo simulation that learn skills, follow words and reason with physics.

Importing the package registers its Gymnasium environments under the `embodied/` namespace.
"""

from __future__ import annotations

import os
import warnings

if "MUJOCO_GL" not in os.environ and not os.environ.get("DISPLAY"):
    os.environ["MUJOCO_GL"] = "egl"  # offscreen rendering on machines without a display

# MjSpec.attach reports option differences between robot and gripper; we set them ourselves.
warnings.filterwarnings("ignore", message="Attach conflict", category=UserWarning)

__version__ = "0.1.0"

from embodied import envs  # noqa: E402,F401  (registers the environments)
