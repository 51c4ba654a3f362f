# SPDX-License-Identifier: LGPL-2.1-or-later
"""A small JSON Schema validator: the subset iommufd-info.schema.json uses.

Keywords: type, enum, const, properties, required, additionalProperties
(false or a schema), items, pattern, minimum, maximum, minLength, oneOf and
$ref to "#/$defs/<name>"; annotations ($schema, $id, title, description,
$defs) are ignored.  Any other keyword is an error, so a schema can never
ask for a check this validator would silently skip.

    errors = validate(instance, schema)   # [] when valid
"""
import re

_ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs"}
_CHECKED = {"type", "enum", "const", "properties", "required", "additionalProperties",
            "items", "pattern", "minimum", "maximum", "minLength", "oneOf", "$ref"}


def _type_ok(value, name):
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    raise ValueError(f"unknown type {name!r} in the schema")


def _same(a, b):
    """JSON equality: true is not 1."""
    return type(a) is type(b) and a == b


class _Validator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/$defs/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        return self.root["$defs"][ref[len("#/$defs/"):]]

    def check(self, value, schema, path):
        unknown = set(schema) - _CHECKED - _ANNOTATIONS
        if unknown:
            raise ValueError(f"{path}: the schema uses keywords this validator lacks: "
                             f"{sorted(unknown)}")
        errors = []
        if "$ref" in schema:
            errors += self.check(value, self.resolve(schema["$ref"]), path)
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_type_ok(value, n) for n in names):
                return errors + [f"{path}: {value!r:.60} is not of type {names}"]
        if "const" in schema and not _same(value, schema["const"]):
            errors.append(f"{path}: {value!r:.60} is not {schema['const']!r}")
        if "enum" in schema and not any(_same(value, e) for e in schema["enum"]):
            errors.append(f"{path}: {value!r:.60} is not one of {schema['enum']}")
        if "oneOf" in schema:
            matching = [s for s in schema["oneOf"] if not self.check(value, s, path)]
            if len(matching) != 1:
                errors.append(f"{path}: {value!r:.60} matches {len(matching)} of the "
                              f"oneOf schemas, not exactly 1")
        if isinstance(value, str):
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append(f"{path}: {value!r} does not match {schema['pattern']}")
            if len(value) < schema.get("minLength", 0):
                errors.append(f"{path}: {value!r} is shorter than {schema['minLength']}")
        if _type_ok(value, "number"):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append(f"{path}: {value} is below {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                errors.append(f"{path}: {value} is above {schema['maximum']}")
        if isinstance(value, dict):
            errors += self.check_object(value, schema, path)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                errors += self.check(item, schema["items"], f"{path}[{i}]")
        return errors

    def check_object(self, value, schema, path):
        errors = [f"{path}: missing key {k!r}" for k in schema.get("required", [])
                  if k not in value]
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += self.check(item, props[key], f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: key {key!r} is not in the schema")
            elif isinstance(extra, dict):
                errors += self.check(item, extra, f"{path}.{key}")
        return errors


def validate(instance, schema):
    """The list of reasons @instance does not match @schema ([] when it does)."""
    return _Validator(schema).check(instance, schema, "$")
