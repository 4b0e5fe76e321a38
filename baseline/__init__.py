"""The security baseline: rules as pure functions, and their evaluation with waivers."""
