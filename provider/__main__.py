"""Host the components as a Pulumi package, so TypeScript, Go, C# and YAML programs can use them.

    pulumi package add <repository URL>/provider@<tag>

The schema is inferred from the components' typed Args and Output annotations;
closed sets are enums there (azure-native's own where it has them). Type hints
can't say an input is secret, so the key material (`SECRET_INPUTS`) is marked
`secret` in the schema here: generated SDKs then send it as a secret even when
a caller passes a plain value. The component marks it secret itself as well.
"""

import json
import sys
from pathlib import Path
from typing import Any

# Run from a checkout of the repository: the components live one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider import main  # noqa: E402
from pulumi.provider.experimental.component import ComponentProvider  # noqa: E402

from components import AIHub, AIProject, FoundryProject, FoundryResource, PrivateNetwork, SharedConnection  # noqa: E402,E501
from components._version import __version__ as VERSION  # noqa: E402
from components.shared_connection import SECRET_INPUTS  # noqa: E402

PACKAGE = "aihub"
COMPONENTS = [AIHub, AIProject, SharedConnection, PrivateNetwork, FoundryResource, FoundryProject]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def mark_secrets(schema: dict[str, Any]) -> dict[str, Any]:
    """Mark every input property named in SECRET_INPUTS `secret` (components' inputs and nested types)."""
    secret = {_camel(n) for n in SECRET_INPUTS}
    holders = [r.get("inputProperties", {}) for r in schema.get("resources", {}).values()]
    holders += [t.get("properties", {}) for t in schema.get("types", {}).values()]
    for properties in holders:
        for name, spec in properties.items():
            if name in secret:
                spec["secret"] = True
    return schema


class Provider(ComponentProvider):
    """The inferred component provider, with key material marked secret in its schema."""

    def __init__(self) -> None:
        super().__init__(COMPONENTS, PACKAGE, version=VERSION)
        self.schema = json.dumps(mark_secrets(json.loads(self.schema or "{}")))


if __name__ == "__main__":
    main(Provider(), sys.argv[1:])
