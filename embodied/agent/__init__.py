"""The embodied agent: plan in imagination with a batched world model, act, observe, update beliefs, repeat."""
