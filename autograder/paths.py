"""Where things live in a course directory (this repository is one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


@dataclass
class Course:
    root: Path

    @classmethod
    def find(cls, root: str | Path | None = None) -> "Course":
        """The course at ``root``, or the nearest directory upwards with nbgrader_config.py."""
        start = Path(root or Path.cwd()).resolve()
        for d in [start, *start.parents]:
            if (d / "nbgrader_config.py").exists():
                return cls(d)
        if root is not None:
            return cls(start)
        raise FileNotFoundError("no nbgrader_config.py here or above: pass --course <dir>")

    source = property(lambda self: self.root / "source")
    release = property(lambda self: self.root / "release")
    solutions = property(lambda self: self.root / "solutions")
    otter_release = property(lambda self: self.root / "release-otter")
    build = property(lambda self: self.root / "build")
    grades = property(lambda self: self.root / "grades")
    package = property(lambda self: PACKAGE)

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def assignments(self) -> list[str]:
        return sorted(p.parent.name for p in self.source.glob("*/*.ipynb") if p.stem == p.parent.name)

    def source_notebook(self, assignment: str) -> Path:
        return self.source / assignment / f"{assignment}.ipynb"

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def solution_notebook(self, assignment: str) -> Path:
        return self.solutions / assignment / f"{assignment}.ipynb"

    def data_files(self, assignment: str) -> list[Path]:
        """Files other than the notebook that the assignment ships (resolved symlinks)."""
        folder = self.source / assignment
        return sorted(p.resolve() for p in folder.iterdir()
                      if p.is_file() and p.suffix != ".ipynb" and not p.name.startswith("."))
