"""Where the project's local state lives: the repo's .iot/ folder and the Maven-resolved jars."""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout this package runs from (an editable install), else the working directory."""
    here = Path(__file__).resolve().parent.parent
    return here if (here / "pyproject.toml").exists() else Path.cwd()


def state_dir() -> Path:
    """Local state (broker data, lake, Dagster home): $IOT_HOME or <repo>/.iot."""
    return Path(os.environ.get("IOT_HOME", project_root() / ".iot")).resolve()


def jars_dir(group: str) -> Path:
    """Jars resolved by `make setup` from jvm/pom.xml: group is 'kafka' or 'spark'."""
    root = Path(os.environ.get("IOT_JARS_DIR", project_root() / ".jvm" / "lib"))
    return (root / group).resolve()


def jars(group: str) -> list[Path]:
    folder = jars_dir(group)
    found = sorted(folder.glob("*.jar"))
    if not found:
        raise FileNotFoundError(
            f"no jars in {folder}: run `make setup` (it resolves jvm/pom.xml with Maven)"
        )
    return found
