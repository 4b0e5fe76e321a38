"""A consumer's program that misuses the components' Args: a type checker must refuse it.

`make package-check` runs mypy on this file against the installed package and
expects exactly the errors marked below (the package ships `py.typed`).
"""

from azure_ai_hub import AIHub, AIProject

hub = AIHub("research", {
    "name": "research-ai",
    "resource_group_name": "rg-research",
    "location": "westeurope",
    "diagnostics": "yes",  # error: a bool, not a string
})
AIProject("papers", {
    "workspace_name": "proj-research-papers",
    "hub_id": hub.hub_id,
    "resource_group_name": "rg-research",
    "location": "westeurope",
    "members": [{"principal_id": "00000000-0000-0000-0000-000000000001", "role_name": "Owner"}],  # error: no such key
})
