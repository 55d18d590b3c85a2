"""The one place that decides what a user may see and change.

Every model that is not plain public data declares an ``access`` policy: which roles may
view or change all objects, which roles only objects of their own municipalities, and the
ORM path from the model to its municipality. Pages (``core.views``), the API
(``core.api``), imports and services all ask this module; none decides on its own.

Roles live here, not in ``accounts``, because ``core`` sits below every app: the user
model only has to expose ``role`` and ``municipality_ids``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import reduce
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    PROVINCE_ADMIN = "province_admin"
    ANALYST = "analyst"
    PROGRAMME_COORDINATOR = "programme_coordinator"
    MUNICIPALITY_OFFICER = "municipality_officer"
    INSPECTOR = "inspector"
    MEMBER = "member"
    PUBLIC = "public"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])

    @property
    def is_scoped(self) -> bool:
        """Scoped roles act for one or more municipalities only."""
        return self in SCOPED_ROLES


ROLE_LABELS = {
    Role.PROVINCE_ADMIN: _("Beheerder provincie"),
    Role.ANALYST: _("Analist"),
    Role.PROGRAMME_COORDINATOR: _("Programmacoördinator"),
    Role.MUNICIPALITY_OFFICER: _("Medewerker gemeente"),
    Role.INSPECTOR: _("Inspecteur"),
    Role.MEMBER: _("Lid stuurgroep/taskforce"),
    Role.PUBLIC: _("Publiek"),
}
SCOPED_ROLES = frozenset({Role.MUNICIPALITY_OFFICER, Role.INSPECTOR})
NETWORK_ROLES = frozenset(Role) - {Role.PUBLIC}
"""Everyone with an account: the network of province, municipalities and partners."""

VIEW = "view"
CHANGE = "change"


@dataclass(frozen=True)
class AccessPolicy:
    """Who may do what with the objects of one model.

    ``view``/``change`` list roles that reach every object; ``view_scoped``/``change_scoped``
    list roles that reach only objects whose municipality (found through
    ``municipality_path``) is one of theirs. ``view_member`` lists roles that see only objects
    of a body they have a current seat in: ``member_path`` leads to the seats (rows with
    ``user``, ``organisation``, ``start`` and ``end``); a seat is the user's own or their
    organisation's.
    """

    view: frozenset[Role] = frozenset()
    change: frozenset[Role] = frozenset()
    view_scoped: frozenset[Role] = frozenset()
    change_scoped: frozenset[Role] = frozenset()
    municipality_path: str | None = None
    view_member: frozenset[Role] = frozenset()
    member_path: str | None = None

    def __post_init__(self) -> None:
        if (self.view_scoped or self.change_scoped) and not self.municipality_path:
            raise ValueError("a policy with scoped roles needs a municipality_path")
        if self.view_member and not self.member_path:
            raise ValueError("a policy with member roles needs a member_path")

    def member_roles(self, action: str) -> frozenset[Role]:
        """Roles that reach objects through a seat; seats give sight, never changes."""
        return self.view_member if action == VIEW else frozenset()

    def roles_for(self, action: str) -> tuple[frozenset[Role], frozenset[Role]]:
        if action == VIEW:
            # Whoever may change an object may also see it.
            return self.view | self.change, self.view_scoped | self.change_scoped
        if action == CHANGE:
            return self.change, self.change_scoped
        raise ValueError(f"unknown action {action!r}")


PUBLIC_DATA = AccessPolicy(view=frozenset(Role), change=frozenset({Role.PROVINCE_ADMIN}))
"""Reference data anyone may read, only the province admin may change."""


def role_of(user: Any) -> Role:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Role.PUBLIC
    if getattr(user, "is_superuser", False):
        return Role.PROVINCE_ADMIN
    return Role(user.role)


def municipality_ids_of(user: Any) -> frozenset[int]:
    if role_of(user) is Role.PUBLIC:
        return frozenset()
    return frozenset(user.municipality_ids)


def policy_of(model: type[Model] | Model) -> AccessPolicy:
    policy = getattr(model, "access", None)
    if not isinstance(policy, AccessPolicy):
        name = model.__name__ if isinstance(model, type) else type(model).__name__
        raise TypeError(f"{name} declares no access policy")
    return policy


def may(user: Any, action: str, model: type[Model] | Model) -> bool:
    """May the user do ``action`` on at least some objects of this model?"""
    policy = policy_of(model)
    if is_system(user):
        return True
    full, scoped = policy.roles_for(action)
    role = role_of(user)
    return (
        role in full
        or (role in scoped and bool(municipality_ids_of(user)))
        or role in policy.member_roles(action)
    )


def scope(user: Any, queryset: QuerySet, action: str = VIEW) -> QuerySet:
    """The objects of ``queryset`` the user may see (or change)."""
    policy = policy_of(queryset.model)
    if is_system(user):
        return queryset
    full, scoped = policy.roles_for(action)
    role = role_of(user)
    if role in full:
        return queryset
    reach = []
    if role in scoped:
        reach.append(Q(**{f"{policy.municipality_path}__in": municipality_ids_of(user)}))
    if role in policy.member_roles(action):
        reach.append(_seat_of(user, policy.member_path or ""))
    if not reach:
        return queryset.none()
    return queryset.filter(reduce(operator.or_, reach)).distinct()


def _seat_of(user: Any, path: str) -> Q:
    """A current seat of the user or of their organisation, as one condition on one seat row
    (so that the dates are those of the matching seat, not of any seat of the body)."""
    whose = Q(**{f"{path}__user": user.pk})
    if organisation_id := getattr(user, "organisation_id", None):
        whose |= Q(**{f"{path}__organisation": organisation_id})
    return whose & current_seat(path)


def current_seat(path: str = "", today: date | None = None) -> Q:
    """Seats (rows with ``start`` and ``end``, reached through ``path``; "" for the seats
    themselves) that are current on ``today``: begun, not ended."""
    today = today or timezone.localdate()
    prefix = f"{path}__" if path else ""
    started = Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": today})
    ongoing = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": today})
    return started & ongoing


def municipality_id_of(obj: Model) -> int | None:
    """Follow the policy's path on an (unsaved or saved) object to its municipality id."""
    path = policy_of(obj).municipality_path
    if not path:
        return None
    target: Any = obj
    parts = path.split("__")
    for part in parts[:-1]:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{parts[-1]}_id", None)


def allows(user: Any, action: str, obj: Model) -> bool:
    """May the user do ``action`` on this object (saved or about to be saved)?"""
    if is_system(user):
        return True
    full, scoped = policy_of(obj).roles_for(action)
    role = role_of(user)
    if role in full:
        return True
    if role in scoped and municipality_id_of(obj) in municipality_ids_of(user):
        return True
    if role in policy_of(obj).member_roles(action) and obj.pk is not None:
        model = type(obj)
        return scope(user, model._default_manager.filter(pk=obj.pk), action).exists()
    return False


def require(user: Any, action: str, obj: Model) -> None:
    if not allows(user, action, obj):
        raise PermissionDenied(_("U heeft geen recht op dit object."))


def allowed_municipality_ids(user: Any, model: type[Model], action: str) -> Iterable[int] | None:
    """Municipalities the user may act for on this model; None means all of them."""
    if is_system(user):
        return None
    full, scoped = policy_of(model).roles_for(action)
    role = role_of(user)
    if role in full:
        return None
    if role in scoped:
        return municipality_ids_of(user)
    return frozenset()


class SystemActor:
    """The actor for the command line: whoever runs `waardig` on the server has the database.

    It reaches every object (``is_system``), also person-level data no web role sees whole,
    such as guest registers; audit entries and import jobs name it.
    """

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    role = Role.PROVINCE_ADMIN
    municipality_ids: frozenset[int] = frozenset()
    username = "system"

    def __str__(self) -> str:
        return "system (command line)"


SYSTEM = SystemActor()


def is_system(actor: Any) -> bool:
    """The command line reaches every object, also person-level data no web role sees whole
    (such as guest registers): whoever runs it has the database already."""
    return isinstance(actor, SystemActor)


def account_of(actor: Any) -> Any:
    """The user account behind an actor, or None for the command line (SYSTEM)."""
    return actor if getattr(actor, "pk", None) is not None else None


def display_name(actor: Any) -> str:
    """How history and reports name who did something: full name, else login name."""
    if is_system(actor):
        return str(actor)
    full_name = getattr(actor, "get_full_name", lambda: "")()
    return full_name or getattr(actor, "username", "") or str(actor)
