"""Asks Django's own Storage which names it would use, for the naming tests (test/support/django-storage.ts).

Reads one JSON request on stdin:
  {"cases": [{"name": "a b.txt", "existing": ["a_b.txt"], "max_length": 20}, ...]}
and prints one JSON list on stdout, per case:
  {"valid_name": <result>, "generate_filename": <result>, "available_name": <result>,
   "available_name_current": <result>, "validate": <result>}
(the available names as save() would take them: validated, as save() validates the name it used),
where a result is {"ok": value} or {"error": exception class name, "message": ...}.

The random part of a clash suffix is made deterministic by a Storage subclass whose
get_alternative_name counts (`r000000`, `r000001`, ...), restarting per case, the seam Django offers
for exactly this; the TypeScript side replaces getAlternativeName the same way.

"available_name" is Debian's Django 3.2, which keeps only the last extension on a clash
(os.path.splitext); "available_name_current" is current Django's rule, reimplemented here line for
line from django/core/files/storage/base.py, which keeps every suffix ("".join(pathlib.PurePath(name).suffixes)).
Run with Debian's /usr/bin/python3 (python3-django).
"""
import json
import os
import pathlib
import sys

import django
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation

settings.configure()
django.setup()

from django.core.files.storage import Storage  # noqa: E402
from django.core.files.utils import validate_file_name  # noqa: E402


class SetStorage(Storage):
    """A storage whose files are a set of names: exists() is all get_available_name asks."""

    def __init__(self, existing):
        self.existing = set(existing)
        self.counter = 0

    def exists(self, name):
        return name in self.existing

    def get_alternative_name(self, file_root, file_ext):
        suffix = "r%06d" % self.counter
        self.counter += 1
        return "%s_%s%s" % (file_root, suffix, file_ext)


def current_get_available_name(storage, name, max_length=None):
    """Current Django's get_available_name: the same, but the extension is every suffix."""
    name = str(name).replace("\\", "/")
    dir_name, file_name = os.path.split(name)
    if ".." in pathlib.PurePath(dir_name).parts:
        raise SuspiciousFileOperation("Detected path traversal attempt in '%s'" % dir_name)
    validate_file_name(file_name)
    file_ext = "".join(pathlib.PurePath(file_name).suffixes)
    file_root = file_name.removesuffix(file_ext)
    while storage.exists(name) or (max_length and len(name) > max_length):
        name = os.path.join(dir_name, storage.get_alternative_name(file_root, file_ext))
        if max_length is None:
            continue
        truncation = len(name) - max_length
        if truncation > 0:
            file_root = file_root[:-truncation]
            if not file_root:
                raise SuspiciousFileOperation('Storage can not find an available filename for "%s".' % name)
            name = os.path.join(dir_name, storage.get_alternative_name(file_root, file_ext))
    return name


def saved(name):
    """What save() would accept of get_available_name's answer: it validates the name it used."""
    return validate_file_name(name, allow_relative_path=True)


def result(call):
    try:
        return {"ok": call()}
    except Exception as exc:  # Django's refusals (SuspiciousFileOperation) and anything else, by name
        return {"error": type(exc).__name__, "message": str(exc)}


def answer(case):
    name = case["name"]
    existing = case.get("existing", [])
    max_length = case.get("max_length")
    return {
        "valid_name": result(lambda: SetStorage([]).get_valid_name(name)),
        "generate_filename": result(lambda: SetStorage([]).generate_filename(name)),
        "available_name": result(lambda: saved(SetStorage(existing).get_available_name(name, max_length=max_length))),
        "available_name_current": result(lambda: saved(current_get_available_name(SetStorage(existing), name, max_length))),
        "validate": result(lambda: validate_file_name(name, allow_relative_path=True)),
        "single_extension": os.path.splitext(name)[1] == "".join(pathlib.PurePath(name).suffixes),
    }


request = json.load(sys.stdin)
json.dump([answer(case) for case in request["cases"]], sys.stdout, ensure_ascii=False)
