"""Tasks: what an episode asks of a robot, loaded from tasks/*.yaml and run batched.

`get_task(id)` gives a validated `TaskConfig`; `BatchedTask(config, num_envs)` runs it.
"""

from embodied.tasks.config import TaskConfig, TaskFileError, all_tasks, get_task, load_task_file
from embodied.tasks.task import BatchedTask, InvalidActionError

__all__ = ["BatchedTask", "InvalidActionError", "TaskConfig", "TaskFileError", "all_tasks", "get_task",
           "load_task_file"]
