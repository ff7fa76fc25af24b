"""Where the engine writes each submission's job files: /dev/shm when it has room to spare,
else the system's temporary folder; AUTOGRADER_SCRATCH overrides both."""
from __future__ import annotations

import os
from types import SimpleNamespace

from autograder.grade import engine


def _scratch(monkeypatch, free_bytes: int | None, env: str | None = None):
    engine.scratch_dir.cache_clear()
    if env is None:
        monkeypatch.delenv("AUTOGRADER_SCRATCH", raising=False)
    else:
        monkeypatch.setenv("AUTOGRADER_SCRATCH", env)

    def statvfs(path):
        if free_bytes is None:
            raise FileNotFoundError(path)
        return SimpleNamespace(f_bavail=free_bytes // 4096, f_frsize=4096)

    monkeypatch.setattr(os, "statvfs", statvfs)
    monkeypatch.setattr(os, "access", lambda path, mode: True)
    try:
        return engine.scratch_dir()
    finally:
        engine.scratch_dir.cache_clear()


def test_memory_when_it_has_room_the_temporary_folder_when_not(monkeypatch):
    assert _scratch(monkeypatch, 8 * 2**30) == "/dev/shm"
    assert _scratch(monkeypatch, 64 * 2**20) is None  # a container's default 64 MB /dev/shm
    assert _scratch(monkeypatch, None) is None  # no /dev/shm at all


def test_the_variable_names_the_folder(monkeypatch, tmp_path):
    assert _scratch(monkeypatch, 8 * 2**30, env=str(tmp_path)) == str(tmp_path)
