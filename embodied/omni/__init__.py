"""The omnimodel: camera frames + a command in words -> a plan of validated skill calls.

    from embodied.omni import load_omnimodel
    model = load_omnimodel("builtin")          # or "openai:gpt-4o"
    plan = model.plan(frames, depth, "pick up the red cube", robot="panda", skills=schemas,
                      camera_info=info)
"""
