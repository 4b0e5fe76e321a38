"""The security baseline for the offline plan and the stack config.

Its one source is the policy pack's folder, `policy/aihub_baseline/` (the pack
must carry its rules: `pulumi policy publish` uploads that folder alone);
`baseline.rules` and `baseline.evaluate` re-export it, and `baseline.pack_config`
turns a stack's waivers into the pack's configuration.
"""
