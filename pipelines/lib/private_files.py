"""Owner-only files in the warehouse's private build folder.

The build folder holds what the published tables leave out: pseudonymised rows, and dbt's compiled SQL and run
results that describe them. The folder itself is 0o700; its files are made owner-only too, so a folder whose mode is
later widened (a copy, a backup, a mistaken chmod) still exposes nothing. dbt and the refresh state write their files
with the process's umask (commonly 0o022), hence the explicit chmod after they are written.
"""

from __future__ import annotations

from pathlib import Path


def owner_only(root: Path) -> None:
    """`root` (a file or a folder) and everything under it: files 0o600, folders 0o700."""
    if not root.exists():
        return
    for path in [root, *root.rglob("*")] if root.is_dir() else [root]:
        path.chmod(0o700 if path.is_dir() else 0o600)
