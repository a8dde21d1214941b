"""Write the schema's SDL to schema/schema.graphql: `python -m hub.graphql.export_sdl`.

A test fails when the file drifts from the code; this command brings it back in line.
"""

from __future__ import annotations

from pathlib import Path

import schema as schema_package
from hub.graphql.schema import build_schema

SDL_FILE = Path(schema_package.__file__).parent / "schema.graphql"


def sdl() -> str:
    return build_schema().as_str() + "\n"


def main() -> None:
    SDL_FILE.write_text(sdl(), encoding="utf-8")
    print(f"wrote {SDL_FILE}")


if __name__ == "__main__":
    main()
