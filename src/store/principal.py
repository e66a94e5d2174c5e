"""Who is acting: the signed-in user, their organisation and role.

Every store function takes a `Principal` (keyword ``actor``). The store never
imports the UI: the app builds the principal from the sign-in
(`src.widgets.auth`), the command line and a single-user laptop act as
`LOCAL`, the one local user who owns everything.

Roles (what each may do; `ROLES` order is increasing power):

=========================================  ======  =======  =====
action                                     viewer  analyst  admin
=========================================  ======  =======  =====
see bundled, public and shared items         ✓       ✓       ✓
see the organisation's own items             ✓       ✓       ✓
import a dataset / save a scenario                   ✓       ✓
rename, replace, delete an item it created           ✓       ✓
rename, replace, delete any item of the org                  ✓
share / unshare / make public                                ✓
see and restore deleted items (30 days)                      ✓
set members' roles, map claims to the org                    ✓
=========================================  ======  =======  =====

An item shared with another organisation (or public) is read-only there.

A signed-in member's principal is read from the store on every run of the app
(`src.store.orgs.principal_for`: one primary-key query), and every change the
store records checks it again inside its own transaction
(`src.store.access.record`): a member an admin demoted or removed loses the
rights at once, on every app server sharing the database, even in a session
opened before, and even for a click whose callback still holds the older
principal.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("viewer", "analyst", "admin")
LOCAL_ORG = "local"


@dataclass(frozen=True)
class Principal:
    """The acting user.

    Attributes:
        user: a stable user key (the identity provider's ``sub``, else e-mail).
        org: the organisation id, or None (signed in, but no organisation
            claims this user: sees only bundled and public items).
        role: one of `ROLES`.
        country: ISO3 code the organisation is restricted to, or None.
        email: for display and the audit trail.
        org_name: the organisation's display name.
        member: read from a membership (`principal_for`): the store checks
            at each change that the membership still has this organisation
            and role. False for `LOCAL`, the system and unclaimed users.
        removed: an admin removed this user from their organisation (then
            ``org`` is None).
    """

    user: str
    org: str | None
    role: str = "viewer"
    country: str | None = None
    email: str = ""
    org_name: str = ""
    member: bool = False
    removed: bool = False

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            msg = f"unknown role {self.role!r}; roles are {', '.join(ROLES)}"
            raise ValueError(msg)

    @property
    def can_create(self) -> bool:
        """Import datasets and save scenarios for the organisation."""
        return self.org is not None and self.role in ("analyst", "admin")

    @property
    def is_admin(self) -> bool:
        """Manage members, sharing and deleted items of the organisation."""
        return self.org is not None and self.role == "admin"

    def may_change(self, org: str | None, owner: str) -> bool:
        """Rename, replace or delete an item of `org` created by `owner`."""
        if org is None or org != self.org:
            return False
        return self.is_admin or (self.role == "analyst" and owner == self.user)


LOCAL = Principal(user="local", org=LOCAL_ORG, role="admin", org_name="local")
"""The single user of an installation without sign-in (and of the CLI)."""
