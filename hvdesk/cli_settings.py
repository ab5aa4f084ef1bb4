"""`hvdesk settings list` and `hvdesk settings set KEY VALUE --user NAME`.

The same settings service as the Settings page: the same validation (the police step after the
emergency-contact step...), the same permission (read from the account as it is now, after a
sign-in with the window's lockout) and the same record of each change. `list` prints one line
per setting: key, the school's value, the default, as `set` accepts them back; settings are not
personal data, so listing needs no sign-in.
"""

from __future__ import annotations

import argparse
from typing import Any

from hvdesk.cli_sign_in import add_user_option
from hvdesk.clock import Clock

__all__ = ["register"]


def register(subparsers: Any, common_parent: argparse.ArgumentParser) -> None:
    """Add `settings list` and `settings set` (`common_parent` carries --data-dir)."""
    settings = subparsers.add_parser(
        "settings",
        parents=[common_parent],
        help="list or change the school's settings",
        description="The school's settings: the policy hvdesk applies.",
    )
    commands = settings.add_subparsers(
        title="settings commands", metavar="SETTINGS_COMMAND", required=True
    )
    listing = commands.add_parser(
        "list", parents=[common_parent], help="each setting: key, the school's value, default"
    )
    listing.set_defaults(command_fn=_list, command_name="settings list")
    change = commands.add_parser(
        "set",
        parents=[common_parent],
        help="change one setting (administrator or DSL by default); recorded and audited",
    )
    change.add_argument("key", metavar="KEY", help="the setting's key, as `settings list` shows")
    change.add_argument(
        "value",
        metavar="VALUE",
        help="minutes/days/years as a number, times as 16:00, yes/no, days as mon,tue,..., "
        "roles as dsl,deputy_dsl, risk bands as 4,12",
    )
    add_user_option(change)
    change.set_defaults(command_fn=_set, command_name="settings set")


def _list(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, open_current_database
    from hvdesk.domain.setting_fields import value_as_text
    from hvdesk.services.settings import SchoolSettings

    database = open_current_database(args, clock)
    try:
        entries = SchoolSettings(database, clock).entries()
    finally:
        database.close()
    width = max(len(e.key) for e in entries)
    for entry in entries:
        value = value_as_text(entry.field, entry.value) or '""'
        default = value_as_text(entry.field, entry.field.default) or '""'
        mark = "*" if entry.changed else " "
        print(f"{entry.key:<{width}} {mark} {value}    (default: {default})")
    return EXIT_OK


def _set(args: argparse.Namespace, clock: Clock) -> int:
    from hvdesk.cli_common import EXIT_OK, open_current_database
    from hvdesk.cli_sign_in import sign_in
    from hvdesk.domain.policy import SettingError
    from hvdesk.domain.setting_fields import describe_value, field_for, parse_value
    from hvdesk.services.settings import SchoolSettings, SettingRejected

    try:
        found = field_for(args.key)
        value = parse_value(found, args.value)
    except SettingError as exc:
        raise SettingRejected(str(exc), "Nothing was changed.") from exc
    database = open_current_database(args, clock)
    try:
        user = sign_in(args, database, clock)
        policy = SchoolSettings(database, clock).change(user, found.key, value)
    finally:
        database.close()
    print(f"{found.label}: now {describe_value(found, getattr(policy, found.key))}.")
    return EXIT_OK
