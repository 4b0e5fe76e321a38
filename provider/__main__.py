"""Host the components as a Pulumi package, so TypeScript, Go, C# and YAML programs can use them.

    pulumi package add <repository URL>/provider@<tag>

The schema is inferred from the components' typed Args and Output annotations.
"""

import sys
from pathlib import Path

# Run from a checkout of the repository: the components live one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host  # noqa: E402

from components import AIHub, AIProject, PrivateNetwork, SharedConnection  # noqa: E402

PACKAGE = "aihub"
VERSION = "0.1.0"
COMPONENTS = [AIHub, AIProject, SharedConnection, PrivateNetwork]

if __name__ == "__main__":
    component_provider_host(components=COMPONENTS, name=PACKAGE, version=VERSION)
