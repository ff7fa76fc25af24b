"""Record grades in the nbgrader gradebook (SQLite by default, any SQLAlchemy URL).

We use nbgrader's own API and preprocessors so formgrader, manual grading and nbgrader's
exports see exactly what ``nbgrader autograde`` would have written.

nbgrader's ``Gradebook(url)`` makes a new engine, checks and creates the whole schema
(and for a new database runs the ``alembic`` command), and its methods commit after every
change. Grading opens the gradebook once per submission, so here: one engine per URL while
a class is graded (:func:`release` closes it), the schema checked once and created only
when it is missing, and each :func:`session` one database transaction, in which
nbgrader's own commits are savepoints.
"""

from __future__ import annotations

import copy
import threading
import warnings
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.exc import SAWarning
from sqlalchemy.orm import Session

from nbgrader import api
from nbgrader.api import Gradebook, MissingEntry

from autograder.grade.plan import Plan
from autograder.grade.results import SubmissionResult

_LOCK = threading.Lock()
_ENGINES: dict[str, object] = {}


class OpenGradebook(Gradebook):
    """nbgrader's Gradebook on a session the caller owns (no schema work, no engine of
    its own); every method of nbgrader's works on it. The lookups nbgrader's preprocessors
    make once per cell (a query with up to six joins each) are answered from one query per
    notebook or per submitted notebook, kept for this session: the same rows, found the
    same way (a grade or graded cell before a task cell, a solution cell's comment before a
    task cell's)."""

    def __init__(self, engine, db, course_id: str = "default_course"):  # noqa: D107 - no super().__init__
        self.engine, self.db, self.course_id, self.authenticator = engine, db, course_id, None
        self._memo: dict[tuple, tuple] = {}

    def close(self):
        pass  # the session belongs to :func:`session`

    def _notebook(self, notebook: str, assignment: str):
        key = ("notebook", notebook, assignment)
        if key not in self._memo:
            nb = Gradebook.find_notebook(self, notebook, assignment)
            # Queried by kind, each row whole: nbgrader's nb.grade_cells loads the base rows,
            # then each cell's max_score and cell_type with a query of its own.
            graded = {c.name: c for c in self.db.query(api.TaskCell).filter(api.TaskCell.notebook_id == nb.id)}
            graded.update({c.name: c for c in self.db.query(api.GradeCell).filter(api.GradeCell.notebook_id == nb.id)})
            self._memo[key] = (nb, {c.name: c for c in nb.source_cells}, graded)
        return self._memo[key]

    def _submitted(self, notebook: str, assignment: str, student: str):
        key = ("submitted", notebook, assignment, student)
        if key not in self._memo:
            sub = Gradebook.find_submission_notebook(self, notebook, assignment, student)
            grades, comments = {}, {}
            for cell_type, found in ((api.TaskCell, grades), (api.GradeCell, grades)):
                for grade, name in (self.db.query(api.Grade, cell_type.name)
                                    .join(cell_type, cell_type.id == api.Grade.cell_id)
                                    .filter(api.Grade.notebook_id == sub.id)):
                    found[name] = grade
            for cell_type in (api.TaskCell, api.SolutionCell):
                for comment, name in (self.db.query(api.Comment, cell_type.name)
                                      .join(cell_type, cell_type.id == api.Comment.cell_id)
                                      .filter(api.Comment.notebook_id == sub.id)):
                    comments[name] = comment
            self._memo[key] = (grades, comments)
        return self._memo[key]

    def find_notebook(self, name: str, assignment: str):
        return self._notebook(name, assignment)[0]

    def find_source_cell(self, name: str, notebook: str, assignment: str):
        try:
            return self._notebook(notebook, assignment)[1][name]
        except (KeyError, MissingEntry):
            raise MissingEntry(f"No such source cell: {assignment}/{notebook}/{name}") from None

    def find_graded_cell(self, name: str, notebook: str, assignment: str):
        try:
            return self._notebook(notebook, assignment)[2][name]
        except (KeyError, MissingEntry):
            raise MissingEntry(f"No such grade cell: {assignment}/{notebook}/{name}") from None

    def find_grade(self, grade_cell: str, notebook: str, assignment: str, student: str):
        try:
            return self._submitted(notebook, assignment, student)[0][grade_cell]
        except (KeyError, MissingEntry):
            raise MissingEntry(f"No such grade: {assignment}/{notebook}/{grade_cell} for {student}") from None

    def find_comment(self, solution_cell: str, notebook: str, assignment: str, student: str):
        try:
            return self._submitted(notebook, assignment, student)[1][solution_cell]
        except (KeyError, MissingEntry):
            raise MissingEntry(f"No such comment: {assignment}/{notebook}/{solution_cell} for {student}") from None


def alembic_head() -> str:
    """The revision nbgrader's migrations end at (what ``alembic heads`` prints), read
    from its migration scripts in this process."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(api.__file__).parent / "alembic"))
    return ScriptDirectory.from_config(cfg).get_current_head()


def _engine(db_url: str):
    with _LOCK:
        engine = _ENGINES.get(db_url)
        if engine is None:
            engine = create_engine(db_url, future=True)
            if engine.dialect.name == "sqlite":
                # pysqlite's own transaction handling breaks savepoints: SQLAlchemy's recipe.
                event.listen(engine, "connect", _sqlite_connect)
                event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
            try:
                _ensure_schema(engine)
            except BaseException:
                engine.dispose()
                raise
            _ENGINES[db_url] = engine
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _ensure_schema(engine) -> None:
    """nbgrader's tables and alembic version, as ``Gradebook()`` makes them: nothing to do
    when they are there (the usual case); created when the database is new; any other
    state is left to nbgrader's own constructor, as before."""
    tables = set(inspect(engine).get_table_names())
    wanted = set(api.Base.metadata.tables)
    if not tables:
        head = alembic_head()
        with engine.begin() as conn:
            api.Base.metadata.create_all(bind=conn)
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
            conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": head})
    elif not wanted <= tables or "alembic_version" not in tables:
        Gradebook(engine.url.render_as_string(hide_password=False)).close()
    with session_on(engine) as gb:
        gb.check_course()  # the default course row nbgrader's constructor adds


def release(db_url: str | None = None) -> None:
    """Close the engine of ``db_url`` (every engine when None); the next use checks the
    schema again."""
    with _LOCK:
        urls = list(_ENGINES) if db_url is None else [db_url]
        engines = [_ENGINES.pop(u) for u in urls if u in _ENGINES]
    for engine in engines:
        engine.dispose()


class _OneTransaction(Session):
    """nbgrader commits after each change (a grade, a comment): here those commits do
    nothing, and the changes are written together when the block ends (queries still see
    them: autoflush). A failure anywhere rolls the whole block back."""

    def commit(self) -> None:
        pass

    def commit_all(self) -> None:
        Session.commit(self)


@contextmanager
def session_on(engine):
    with engine.connect() as conn:
        outer = conn.begin()
        # The rows read stay loaded: nothing else writes them inside this transaction.
        db = _OneTransaction(bind=conn, join_transaction_mode="create_savepoint", autoflush=True,
                             expire_on_commit=False)
        try:
            with warnings.catch_warnings():
                # nbgrader's own update_or_create_submission triggers a harmless SQLAlchemy warning.
                warnings.simplefilter("ignore", SAWarning)
                yield OpenGradebook(engine, db)
                db.commit_all()
            db.close()
            outer.commit()
        except BaseException:
            db.close()
            outer.rollback()
            raise


@contextmanager
def session(db_url: str):
    """The gradebook of ``db_url`` as one transaction: committed when the block ends,
    rolled back if it raises."""
    with session_on(_engine(db_url)) as gb:
        yield gb


def ensure_assignment(db_url: str, plan: Plan) -> None:
    """Make sure the assignment and its cells are in the gradebook, as nbgrader's
    generate_assignment records them (it may not have run on this machine)."""
    stem = plan.notebook.removesuffix(".ipynb")
    with session(db_url) as gb:
        gb.update_or_create_assignment(plan.assignment)
        try:
            known = gb.find_notebook(stem, plan.assignment)
            if {c.name for c in known.grade_cells} == {c.grade_id for c in plan.cells}:
                return
        except MissingEntry:
            pass
    from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, ClearSolutions, ComputeChecksums, LockCells,
                                        SaveCells)

    resources = {"nbgrader": {"notebook": stem, "assignment": plan.assignment, "db_url": db_url}, "language": "python"}
    nb = copy.deepcopy(plan.source)
    for step in (LockCells(), ClearSolutions(), ClearOutput(), CheckCellMetadata(), ComputeChecksums(), SaveCells()):
        nb, resources = step.preprocess(nb, resources)


def record(gb: OpenGradebook, plan: Plan, result: SubmissionResult, submitted_at=None) -> None:
    """Set the automatic scores of one submission, in an open :func:`session`; manual
    scores are never touched."""
    stem = plan.notebook.removesuffix(".ipynb")
    gb.update_or_create_student(result.student_id)
    kwargs = {"timestamp": submitted_at} if submitted_at else {}
    gb.update_or_create_submission(plan.assignment, result.student_id, **kwargs)
    for q in result.questions:
        if q.manual:
            continue
        grade = gb.find_grade(q.question, stem, plan.assignment, result.student_id)
        grade.auto_score = q.score
        grade.needs_manual_grade = False


def final_scores(db_url: str, plan: Plan, student_id: str) -> dict[str, float | None]:
    """grade id -> score as nbgrader counts it (manual score if set, else automatic)."""
    stem = plan.notebook.removesuffix(".ipynb")
    out = {}
    with session(db_url) as gb:
        for cell in plan.cells:
            try:
                grade = gb.find_grade(cell.grade_id, stem, plan.assignment, student_id)
            except MissingEntry:
                out[cell.grade_id] = None
                continue
            out[cell.grade_id] = grade.score if (grade.manual_score is not None or grade.auto_score is not None) else None
    return out


def auto_scores(db_url: str, assignment: str) -> dict[str, dict[str, float | None]]:
    """student -> grade id -> the automatic score this gradebook holds for ``assignment``."""
    out: dict[str, dict[str, float | None]] = {}
    with session(db_url) as gb:
        try:
            submissions = gb.find_assignment(assignment).submissions
        except MissingEntry:
            return out
        for sub in submissions:
            scores = out.setdefault(sub.student.id, {})
            for nb in sub.notebooks:
                for grade in nb.grades:
                    scores[grade.name] = grade.auto_score
    return out
