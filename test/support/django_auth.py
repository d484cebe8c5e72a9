"""Drives Django's own auth (django.contrib.auth) for interop tests (test/support/django-auth.ts).

Reads one JSON request on stdin:
  {"database": {...one DATABASES entry...},
   "hashers": ["pbkdf2_sha256", "argon2", ...],   # Django's PASSWORD_HASHERS, by algorithm name
   "pbkdf2_iterations": 1000,                        # optional: PBKDF2 hashers at this many iterations
   "ops": [{"op": "migrate"}, {"op": "create_user", "username": "ada", "password": "pw"}, ...]}
and prints one JSON list on stdout: each op's result ({"ok": ...}) or Django's exception
({"error": class name, "message": ...}).

Run with Debian's /usr/bin/python3 (python3-django 3.2, python3-argon2, python3-bcrypt,
python3-psycopg2, python3-mysqldb).
"""
import json
import sys

import django
from django.conf import settings
from django.contrib.auth import hashers as django_hashers

HASHER_CLASSES = {
    "pbkdf2_sha256": django_hashers.PBKDF2PasswordHasher,
    "pbkdf2_sha1": django_hashers.PBKDF2SHA1PasswordHasher,
    "argon2": django_hashers.Argon2PasswordHasher,
    "bcrypt_sha256": django_hashers.BCryptSHA256PasswordHasher,
    "bcrypt": django_hashers.BCryptPasswordHasher,
    "sha1": django_hashers.SHA1PasswordHasher,
    "md5": django_hashers.MD5PasswordHasher,
}


def hasher_paths(names, pbkdf2_iterations):
    """PASSWORD_HASHERS as dotted paths; PBKDF2 ones at fewer iterations become subclasses of this module."""
    paths = []
    for name in names:
        cls = HASHER_CLASSES[name]
        if pbkdf2_iterations and name.startswith("pbkdf2_"):
            fewer = type("Few" + cls.__name__, (cls,), {"iterations": pbkdf2_iterations})
            setattr(sys.modules[__name__], fewer.__name__, fewer)
            paths.append(__name__ + "." + fewer.__name__)
        else:
            paths.append(cls.__module__ + "." + cls.__name__)
    return paths


def user_view(user):
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "password": user.password,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def permissions_named(perms):
    from django.contrib.auth.models import Permission

    found = []
    for perm in perms:
        app_label, codename = perm.split(".")
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def fresh(username):
    """The user as stored now: Django caches permissions on the instance (_perm_cache)."""
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.get_by_natural_key(username)


def run(op):
    from django.contrib.auth import authenticate, get_user_model
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    User = get_user_model()
    name = op["op"]
    if name == "migrate":
        call_command("migrate", verbosity=0, interactive=False)
        return True
    if name == "show_migrations":
        from django.db.migrations.recorder import MigrationRecorder

        return sorted([app, migration] for app, migration in MigrationRecorder(connection).applied_migrations())
    if name == "sqlite_schema":
        with connection.cursor() as cursor:
            cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")
            return [list(row) for row in cursor.fetchall()]
    if name == "content_types":
        from django.contrib.contenttypes.models import ContentType

        return sorted([ct.app_label, ct.model] for ct in ContentType.objects.all())
    if name == "all_permissions":
        from django.contrib.auth.models import Permission

        return sorted([p.content_type.app_label, p.content_type.model, p.codename, p.name] for p in Permission.objects.all())
    if name == "create_user":
        user = User.objects.create_user(
            op["username"],
            op.get("email", ""),
            op.get("password"),
            first_name=op.get("first_name", ""),
            last_name=op.get("last_name", ""),
            is_staff=op.get("is_staff", False),
            is_superuser=op.get("is_superuser", False),
            is_active=op.get("is_active", True),
        )
        user.groups.set([Group.objects.get(name=g) for g in op.get("groups", [])])
        user.user_permissions.set(permissions_named(op.get("permissions", [])))
        return user_view(user)
    if name == "create_group":
        group = Group.objects.create(name=op["name"])
        group.permissions.set(permissions_named(op.get("permissions", [])))
        return group.pk
    if name == "user":
        return user_view(fresh(op["username"]))
    if name == "authenticate":
        user = authenticate(username=op["username"], password=op["password"])
        return user_view(user) if user else None
    if name == "check_password":
        # hashers.check_password without a setter: User.check_password would re-hash to Django's own preference.
        return django_hashers.check_password(op["password"], fresh(op["username"]).password)
    if name == "set_password":
        user = fresh(op["username"])
        user.set_password(op["password"])
        user.save()
        return user.password
    if name == "permissions":
        user = fresh(op["username"])
        backend = ModelBackend()
        return {
            "user": sorted(backend.get_user_permissions(user)),
            "group": sorted(backend.get_group_permissions(user)),
            "all": sorted(user.get_all_permissions()),
        }
    if name == "has_perm":
        user = fresh(op["username"])
        return {"has_perm": user.has_perm(op["perm"]), "has_module_perms": user.has_module_perms(op["perm"].split(".")[0])}
    if name == "with_perm":
        users = ModelBackend().with_perm(op["perm"], is_active=op.get("is_active", True), include_superusers=op.get("include_superusers", True))
        return sorted(users.values_list("username", flat=True))
    raise ValueError("unknown op " + name)


def main():
    request = json.load(sys.stdin)
    settings.configure(
        DATABASES={"default": request["database"]},
        INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"] + request.get("apps", []),
        PASSWORD_HASHERS=hasher_paths(request.get("hashers", ["pbkdf2_sha256"]), request.get("pbkdf2_iterations")),
        AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.ModelBackend"],
        USE_TZ=True,
        SECRET_KEY="backplane-tests",
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.db import connections

    results = []
    for op in request["ops"]:
        try:
            results.append({"ok": run(op)})
        except Exception as error:  # the test asserts on Django's errors too
            results.append({"error": type(error).__name__, "message": str(error)})
    connections.close_all()
    json.dump(results, sys.stdout)


main()
