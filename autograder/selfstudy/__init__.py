"""The self-learner's side of the engine: `pytest exercises` (plugin), progress, `course watch`."""
