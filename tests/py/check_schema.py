"""Validates report JSON files against the schema printed by `nianbao schema` (argv[1]); the
remaining arguments are reports. Prints one line per file: OK or the first error."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
for path in sys.argv[2:]:
    report = json.load(open(path, encoding="utf-8"))
    errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        print(f"FAIL {path}: {'/'.join(map(str, e.path))}: {e.message[:200]}")
    else:
        print(f"OK {path}")
