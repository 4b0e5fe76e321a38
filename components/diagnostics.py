"""Diagnostic settings that send a resource's logs and metrics to Log Analytics."""

from typing import Optional

import pulumi
from pulumi_azure_native import monitor

SETTING_NAME = "to-log-analytics"


def send_diagnostics(
    resource_name: str,
    resource_uri: pulumi.Input[str],
    workspace_id: pulumi.Input[str],
    parent: pulumi.Resource,
    logs: bool = True,
    metrics: Optional[str] = "AllMetrics",
    opts: Optional[pulumi.ResourceOptions] = None,
) -> monitor.DiagnosticSetting:
    """All logs (the `allLogs` category group) and a metric category, to the workspace.

    A storage account has no logs of its own, only its blob and file services do,
    and storage metrics come as `Transaction` rather than `AllMetrics`. `opts` are merged in (a Foundry
    resource's aliases when it takes a hub's setting over).
    """
    return monitor.DiagnosticSetting(
        resource_name,
        name=SETTING_NAME,
        resource_uri=resource_uri,
        workspace_id=workspace_id,
        logs=[monitor.DiagnosticsLogSettingsArgs(category_group="allLogs", enabled=True)] if logs else None,
        metrics=[monitor.DiagnosticsMetricSettingsArgs(category=metrics, enabled=True)] if metrics else None,
        opts=pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=parent), opts),
    )
