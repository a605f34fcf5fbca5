"""Validate Veeam REST responses against the vendored official OpenAPI schemas of a revision.

Two habits of Veeam's documents are handled here (see tests/vendor/veeam/README.md):

- Parents such as ``JobModel`` carry ``oneOf`` + ``discriminator`` naming subtypes whose
  ``allOf`` includes the parent again. Following both recurses forever, so the parent's
  ``oneOf``/``discriminator`` are dropped and replaced by a keyword that validates the
  instance against exactly the subtype its discriminator value maps to (an unmapped value
  is an error: the fake must only send what the revision documents).
- Some required names are declared by no property (1.0-rev1 requires ``paltformName``, a typo;
  1.1-rev0 requires an undeclared ``gatewayServer``): errors in the documents, dropped
  (``RevisionSchemas.errata`` lists them; a test pins the list).
- Real servers send ``null`` for optional fields the schemas do not mark ``nullable``
  (the documents' own examples do): ``null`` is treated as "absent".
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import jsonschema
import referencing
import referencing.jsonschema
from openapi_schema_validator import OAS30Validator

VENDOR = Path(__file__).resolve().parent.parent / "vendor" / "veeam"
REVISIONS = ("1.0-rev1", "1.1-rev0", "1.2-rev1", "1.3-rev2")



def _undeclared(schema: dict) -> list[tuple[dict, list[str]]]:
    """(part, names) where a schema part requires names its own properties never declare."""
    parts = [schema] + [p for p in schema.get("allOf", []) if "$ref" not in p]
    found = [(p, [r for r in p.get("required", []) if r not in p["properties"]])
             for p in parts if "properties" in p]
    return [(p, names) for p, names in found if names]


def errata(schemas: dict[str, dict]) -> dict[str, list[str]]:
    """Errors in the documents themselves: required names no property declares (typos such as
    1.0-rev1's ``paltformName``, fields no example or server sends). Dropped before validating."""
    return {name: [n for _, names in _undeclared(s) for n in names]
            for name, s in schemas.items() if _undeclared(s)}


class SchemaMismatch(AssertionError):
    """A response the fake was about to send does not match its revision's schema."""


def _strip_nulls(value):
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


def _discriminate(validator, spec, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    prop = spec["propertyName"]
    value = instance.get(prop)
    target = spec["mapping"].get(value) if isinstance(value, str) else None
    if target is None:
        yield jsonschema.ValidationError(
            f"{prop}={value!r} is not a documented subtype (one of {sorted(spec['mapping'])})")
        return
    yield from validator.descend(instance, {"$ref": target})


# Veeam's ``format: time`` is a local wall-clock time written "4:00" or "20:00" (the documents'
# examples), not JSON Schema's RFC 3339 full-time with an offset: not checked as such.
FORMATS = copy.deepcopy(OAS30Validator.FORMAT_CHECKER)
FORMATS.checkers.pop("time", None)

_Validator = jsonschema.validators.extend(OAS30Validator, {"x-discriminate": _discriminate})


def _rewrite(schemas: dict[str, dict]) -> dict[str, dict]:
    schemas = copy.deepcopy(schemas)
    for schema in schemas.values():
        for part, names in _undeclared(schema):
            part["required"] = [r for r in part["required"] if r not in names]
    parents = {name for name, s in schemas.items() if "discriminator" in s}
    for name in parents:
        parent = schemas[name]
        mapping = parent["discriminator"].get("mapping") or {}
        base = {k: v for k, v in parent.items() if k not in ("oneOf", "discriminator")}
        schemas[f"{name}__base"] = base
        schemas[name] = {"x-discriminate": {
            "propertyName": parent["discriminator"]["propertyName"],
            "mapping": {value: ref for value, ref in mapping.items()}}}
    # Subtypes inherit from the parent's base (its properties), not from the dispatcher.
    for schema in schemas.values():
        for part in schema.get("allOf", []):
            ref = part.get("$ref", "")
            if ref.rsplit("/", 1)[-1] in parents:
                part["$ref"] = ref + "__base"
    return schemas


class RevisionSchemas:
    """The response schemas of one API revision, ready to validate bodies."""

    def __init__(self, revision: str):
        if revision not in REVISIONS:
            raise ValueError(f"no vendored schemas for revision {revision!r}")
        document = json.loads((VENDOR / f"vbr_rest_{revision}.schemas.json").read_text())
        self.revision = revision
        self.paths: dict[str, dict[str, dict[str, str]]] = document["paths"]
        self.errata = errata(document["components"]["schemas"])
        self.uri = f"urn:veeam-vbr-rest:{revision}"
        resource = referencing.jsonschema.DRAFT4.create_resource(
            {"components": {"schemas": _rewrite(document["components"]["schemas"])}})
        self.registry = referencing.Registry().with_resource(self.uri, resource)

    def serves(self, path: str, method: str = "get") -> bool:
        return method in self.paths.get(path, {})

    def schema_name(self, path: str, method: str, status: int) -> str:
        try:
            return self.paths[path][method][str(status)]
        except KeyError:
            raise SchemaMismatch(
                f"{self.revision}: {method.upper()} {path} documents no {status} response") from None

    def validate(self, path: str, method: str, status: int, body) -> None:
        self.validate_as(self.schema_name(path, method, status), body,
                         where=f"{method.upper()} {path} {status}")

    def validate_as(self, name: str, body, where: str = "") -> None:
        validator = _Validator({"$ref": f"{self.uri}#/components/schemas/{name}"},
                               registry=self.registry, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(_strip_nulls(body)), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors[:5]]
            raise SchemaMismatch(f"{self.revision} {where} does not match {name}:\n  " + "\n  ".join(lines))


@cache
def schemas_for(revision: str) -> RevisionSchemas:
    return RevisionSchemas(revision)
