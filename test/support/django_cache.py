"""Drives Django's own cache backends for interop tests (test/support/django-cache.ts).

Reads one JSON request on stdin:
  {"cache": {...one CACHES entry...}, "settings": {...extra settings, e.g. USE_TZ, DATABASES...},
   "ops": [{"op": "set", "key": "k", "value": <tagged>, "timeout": 300 | null, "version": 1}, ...]}
and prints one JSON list on stdout: each op's result, tagged the same way.

Values travel in Backplane's value model (docs/cache.md, "Values"): JSON, with tagged objects for the
Python types JSON lacks ({"$bytes": base64}, {"$tuple": [...]}, {"$datetime": iso}, ...). Run with
Debian's /usr/bin/python3, which has python3-django, python3-django-redis and python3-pymemcache.
"""
import base64
import datetime
import decimal
import json
import math
import sys
import uuid

import django
from django.conf import settings


def to_python(value):
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "$int":
            return int(inner)
        if tag == "$bytes":
            return base64.b64decode(inner)
        if tag == "$bytearray":
            return bytearray(base64.b64decode(inner))
        if tag == "$tuple":
            return tuple(to_python(v) for v in inner)
        if tag == "$set":
            return {to_python(v) for v in inner}
        if tag == "$frozenset":
            return frozenset(to_python(v) for v in inner)
        if tag == "$dict":
            return {hashable(to_python(k)): to_python(v) for k, v in inner}
        if tag == "$float":
            return float(inner)
        if tag == "$datetime":
            return datetime.datetime.fromisoformat(inner)
        if tag == "$date":
            return datetime.date.fromisoformat(inner)
        if tag == "$time":
            return datetime.time.fromisoformat(inner)
        if tag == "$timedelta":
            return datetime.timedelta(seconds=inner)
        if tag == "$decimal":
            return decimal.Decimal(inner)
        if tag == "$uuid":
            return uuid.UUID(inner)
    return {k: to_python(v) for k, v in value.items()}


def hashable(value):
    return tuple(value) if isinstance(value, list) else value


def from_python(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 - 1 else {"$int": str(value)}
    if isinstance(value, float):
        if math.isnan(value):
            return {"$float": "nan"}
        if math.isinf(value):
            return {"$float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    if isinstance(value, bytearray):
        return {"$bytearray": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list):
        return [from_python(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [from_python(v) for v in value]}
    if isinstance(value, frozenset):
        return {"$frozenset": sorted((from_python(v) for v in value), key=json.dumps)}
    if isinstance(value, set):
        return {"$set": sorted((from_python(v) for v in value), key=json.dumps)}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: from_python(v) for k, v in value.items()}
        return {"$dict": [[from_python(k), from_python(v)] for k, v in value.items()]}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"$time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"$timedelta": value.total_seconds()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"$uuid": str(value)}
    return {"$class": type(value).__module__ + "." + type(value).__qualname__, "$repr": repr(value)}


MISSING = object()


def run(cache, op):
    name = op["op"]
    version = op.get("version")
    timeout = {"timeout": op["timeout"]} if "timeout" in op else {}
    if name == "set":
        cache.set(op["key"], to_python(op["value"]), version=version, **timeout)
        return True
    if name == "add":
        return cache.add(op["key"], to_python(op["value"]), version=version, **timeout)
    if name == "get":
        value = cache.get(op["key"], MISSING, version=version)
        return {"missing": True} if value is MISSING else {"value": from_python(value)}
    if name == "get_many":
        return {k: from_python(v) for k, v in cache.get_many(op["keys"], version=version).items()}
    if name == "set_many":
        return cache.set_many({k: to_python(v) for k, v in op["values"].items()}, version=version, **timeout)
    if name == "delete":
        return cache.delete(op["key"], version=version)
    if name == "incr":
        return cache.incr(op["key"], op.get("delta", 1), version=version)
    if name == "touch":
        return cache.touch(op["key"], version=version, **timeout)
    if name == "has_key":
        return cache.has_key(op["key"], version=version)
    if name == "make_key":
        return cache.make_key(op["key"], version=version)
    if name == "clear":
        cache.clear()
        return True
    if name == "createcachetable":
        from django.core.management import call_command
        call_command("createcachetable", verbosity=0)
        return True
    raise ValueError("unknown op " + name)


def main():
    request = json.load(sys.stdin)
    settings.configure(**{"CACHES": {"default": request["cache"]}, "INSTALLED_APPS": [], "USE_TZ": True, **request.get("settings", {})})
    django.setup()
    from django.core.cache import cache

    results = []
    for op in request["ops"]:
        try:
            results.append({"ok": run(cache, op)})
        except Exception as error:  # the test asserts on Django's errors too
            results.append({"error": type(error).__name__, "message": str(error)})
    cache.close()
    json.dump(results, sys.stdout)


main()
