"""azure-ai-hub: one Azure AI hub, Foundry resource, or both (migrating), per stack, shaped by the stack's config."""

import pulumi
from pulumi_azure_native import resources

import config
from components import AIHub, AIProject
from components.foundry_project import FoundryProject, foundry_hazard_fingerprint
from components.foundry_resource import FoundryResource
from components.hazards import watch_hazards
from components.tagging import tag_everything

cfg = config.load()
stack = pulumi.get_stack()
# Cost and ownership tags reach every taggable resource through one stack transform.
tag_everything(cfg.tags)

if cfg.resource_group:
    resource_group_name: pulumi.Input[str] = cfg.resource_group
else:
    # A dedicated group per stack groups the hub's costs. Deleting a group deletes everything in it,
    # retained or not (ARM REST "Resource Groups - Delete": "all of its resources are also deleted"), so the
    # group is protected and retained exactly when the data stores in it are.
    resource_group_name = resources.ResourceGroup(
        "resource-group",
        resource_group_name=cfg.resource_group_name(stack),
        location=cfg.location,
        opts=pulumi.ResourceOptions(protect=cfg.protect, retain_on_delete=cfg.retain_on_delete),
    ).name

pulumi.export("resourceGroup", resource_group_name)

hub = None
if cfg.platform != "foundry":
    hub = AIHub(cfg.hub.name, cfg.hub_args(resource_group_name))
    projects = {
        project.name: AIProject(f"{cfg.hub.name}-{project.name}", args, pulumi.ResourceOptions(parent=hub))
        for project, args in zip(cfg.projects_on("hub"), cfg.project_args(hub, resource_group_name),
                                 strict=True)
    }

    # Warn, before Azure is touched, about changes it can't apply in place or that lose data.
    pulumi.export("hazardFingerprint", (
        watch_hazards(hub.hazard_fingerprint, "hazardFingerprint", parent=hub) if cfg.hazard_checks
        else hub.hazard_fingerprint
    ))

    pulumi.export("hubName", hub.hub_name)
    pulumi.export("hubId", hub.hub_id)
    pulumi.export("providerEndpoint", hub.provider_endpoint)
    pulumi.export("providerAccountId", hub.provider_account_id)
    pulumi.export("providerConnection", hub.provider_connection_name)
    pulumi.export("foundryUrl", hub.foundry_url)
    pulumi.export("portalUrl", hub.portal_url)
    pulumi.export(
        "projects",
        {
            name: {
                "name": project.project_name,
                "id": project.project_id,
                "foundryUrl": project.foundry_url,
                "portalUrl": project.portal_url,
            }
            for name, project in projects.items()
        },
    )

if cfg.platform != "hub":
    # In hub+foundry the account is the hub's: the Foundry side comes after the hub, and what it writes to the
    # account waits for it (the hub's model deployments write to the same account, and such writes conflict).
    hub_first = [hub] if hub is not None else []
    foundry = FoundryResource(cfg.hub.name, cfg.foundry_args(resource_group_name, hub),
                              pulumi.ResourceOptions(depends_on=hub_first))
    # One project after another, each once the account is ready for it (FoundryResource.ready_for_projects).
    foundry_projects: dict[str, FoundryProject] = {}
    for name, args in cfg.foundry_project_args(foundry, resource_group_name):
        after = [*foundry.ready_for_projects, *hub_first, *list(foundry_projects.values())[-1:]]
        foundry_projects[name] = FoundryProject(f"{cfg.hub.name}-{name}", args,
                                                pulumi.ResourceOptions(parent=foundry, depends_on=after))
    fingerprint = foundry_hazard_fingerprint(foundry.fingerprint, list(foundry_projects.values()))
    pulumi.export("foundryHazardFingerprint", (
        watch_hazards(fingerprint, "foundryHazardFingerprint", parent=foundry) if cfg.hazard_checks else fingerprint
    ))
    pulumi.export("foundry", {
        "accountId": foundry.account_id,
        "accountName": foundry.account_name,
        "endpoint": foundry.endpoint,
        "foundryUrl": foundry.foundry_url,
        "portalUrl": foundry.portal_url,
    })
    pulumi.export("foundryProjects", {
        name: {
            "name": project.project_name,
            "id": project.project_id,
            "endpoint": project.endpoint,
            "foundryUrl": project.foundry_url,
            "portalUrl": project.portal_url,
        }
        for name, project in foundry_projects.items()
    })
