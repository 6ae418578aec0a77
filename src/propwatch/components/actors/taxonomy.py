"""The framing roles of SemEval-2025 Task 10 (Piskorski et al.): three main roles, each with its fine roles."""

from __future__ import annotations

MAIN_ROLES: tuple[str, ...] = ("Protagonist", "Antagonist", "Innocent")

FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy", "Saboteur", "Corrupt",
        "Incompetent", "Terrorist", "Deceiver", "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}

ALL_FINE_ROLES: tuple[str, ...] = tuple(r for main in MAIN_ROLES for r in FINE_ROLES[main])
MAIN_OF: dict[str, str] = {fine: main for main, fines in FINE_ROLES.items() for fine in fines}
