"""The azure-ai-hub security baseline: rules, their evaluation with waivers, and the pack's configuration.

Plain Python (standard library only), so it runs in the policy pack, which
imports it as `aihub_baseline` from the pack's own folder (all that
`pulumi policy publish` uploads), and in the offline plan, where `baseline/`
re-exports it: one source of rules for both.
"""
