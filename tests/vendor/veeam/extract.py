"""Extract the response schemas trondocs' Veeam tests use from an official VBR REST OpenAPI document.

    python tests/vendor/veeam/extract.py /path/to/vbr_rest_1.2-rev1.json [/path/to/more …]

Writes ``vbr_rest_<revision>.schemas.json`` beside this script: the responses of the
endpoints the collector reads (path → method → status → schema name) and the transitive
closure of the component schemas they reference, unchanged except that ``example``/``examples``
are dropped (they are illustrations, and YAML turns their dates into non-JSON values).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

PATHS = {
    "/api/oauth2/token": "post",
    "/api/oauth2/logout": "post",
    "/api/v1/serverInfo": "get",
    "/api/v1/jobs": "get",
    "/api/v1/jobs/states": "get",
    "/api/v1/backups": "get",
    "/api/v1/backupObjects": "get",
    "/api/v1/objectRestorePoints": "get",
    "/api/v1/restorePoints": "get",
    "/api/v1/replicas": "get",
    "/api/v1/replicaPoints": "get",
    "/api/v1/sessions": "get",
    "/api/v1/backupInfrastructure/repositories": "get",
    "/api/v1/backupInfrastructure/repositories/states": "get",
    "/api/v1/backupInfrastructure/scaleOutRepositories": "get",
}
DROP = {"example", "examples"}


class _Loader(yaml.SafeLoader):
    """Keeps timestamps as strings, as JSON would."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_Loader)


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield _name(value)
            elif key == "mapping" and isinstance(value, dict):
                yield from (_name(v) for v in value.values())
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _strip(node):
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in DROP}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def _response_schema(doc: dict, response: dict) -> str | None:
    if "$ref" in response:  # components/responses/…
        response = doc["components"]["responses"][_name(response["$ref"])]
    content = response.get("content") or {}
    for media in content.values():
        schema = media.get("schema") or {}
        if "$ref" in schema:
            return _name(schema["$ref"])
    return None


def extract(doc: dict) -> dict:
    schemas = doc["components"]["schemas"]
    paths: dict[str, dict[str, dict[str, str]]] = {}
    roots: list[str] = []
    for path, method in PATHS.items():
        operation = doc["paths"].get(path, {}).get(method)
        if operation is None:
            continue  # not served by this revision
        codes = {code: _response_schema(doc, resp) for code, resp in operation["responses"].items()}
        paths[path] = {method: {code: name for code, name in codes.items() if name}}
        roots.extend(name for name in codes.values() if name)
    seen: set[str] = set()
    while roots:
        name = roots.pop()
        if name not in seen:
            seen.add(name)
            roots.extend(_refs(schemas[name]))
    return {
        "info": {"title": doc["info"].get("title"), "version": doc["info"]["version"]},
        "paths": paths,
        "components": {"schemas": {name: _strip(schemas[name]) for name in sorted(seen)}},
    }


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    for arg in argv:
        doc = load(Path(arg))
        out = extract(doc)
        target = Path(__file__).with_name(f"vbr_rest_{out['info']['version']}.schemas.json")
        target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{target.name}: {len(out['paths'])} paths, {len(out['components']['schemas'])} schemas")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
