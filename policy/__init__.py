"""The Pulumi policy pack (PulumiPolicy.yaml, __main__.py); the repository imports
its rules as `policy.aihub_baseline`."""
