"""Instructor commands.

    python -m autograder release [ASSIGNMENT ...]          # solutions/ -> exercises/ (make exercises)
    python -m autograder grade ASSIGNMENT --submissions PATH [--workers N] [--roster FILE]
                               [--shard i/N] [--db-url URL]  # -> grades/ASSIGNMENT.csv, feedback/
    python -m autograder export ASSIGNMENT [--format canvas|moodle]  # rewrite grades/ASSIGNMENT.csv

PATH is a folder holding one folder per student, or an LMS export zip (Canvas or Moodle; with
several submissions of a student the latest counts, see autograder/intake.py). --roster FILE
(a CSV with a student_id column, or one id per line) lists every student: those who submitted
nothing get a 0 row. --workers N grades N students at once (default: all cores). --shard i/N
grades only this machine's share of the students when N machines share one PostgreSQL gradebook
(--db-url postgresql://USER:PASSWORD@HOST:5432/DB, or $AUTOGRADER_DB_URL; default: the SQLite
file <course-dir>/gradebook.db). Re-running is safe: each student's grade and feedback are
replaced by this run's.

Per-class state (gradebook, submitted/, autograded/) lives in --course-dir (default
autograder/course/, or $AUTOGRADER_COURSE_DIR); grades/ and feedback/ in --output-dir (default
the repository root, or $AUTOGRADER_OUTPUT_DIR). All of them are gitignored.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# jsonschema (under nbformat) builds an IRI grammar with lark when rfc3987_syntax is installed:
# ~1.8 s of every command's start-up, for a string format no notebook uses. Without it,
# jsonschema simply skips that format check.
sys.modules.setdefault("rfc3987_syntax", None)

from autograder.course import Course, CourseError


def _course(args) -> Course:
    return Course.from_env(course_dir=args.course_dir, output_dir=args.output_dir,
                           db_url=getattr(args, "db_url", None))


def cmd_release(args) -> int:
    course = _course(args)
    for name in args.assignments:
        course.check_assignment(name)  # bad input fails fast, before nbgrader loads
    from autograder.release.generate import release

    for folder in release(course, args.assignments):
        print(f"released {folder}")
    return 0


def _names(students: list[str], limit: int = 20) -> str:
    more = f", ... ({len(students) - limit} more)" if len(students) > limit else ""
    return ", ".join(students[:limit]) + more


def summary(report, course: Course) -> str:
    graded, failed = report.graded, report.failed
    per = (sum(o.seconds for o in graded) / len(graded)) if graded else 0.0
    shard = f", shard {report.shard[0]}/{report.shard[1]}" if report.shard else ""
    lines = [f"{report.assignment}: graded {len(graded)} of {len(report.outcomes)} students in "
             f"{report.seconds:.1f} s ({per:.2f} s per graded student); "
             f"{report.workers} worker{'s' if report.workers != 1 else ''}{shard}."]
    if failed:
        lines.append(f"Not graded, score 0 ({len(failed)}):")
        lines += [f"  {o.student}: {o.status}" for o in failed]
    lost = [o for o in graded if o.csv_status != "ok"]
    if lost:
        lines.append(f"Graded, but a limit was hit or cells were restored ({len(lost)}):")
        lines += [f"  {o.student}: {o.csv_status}" for o in lost]
    if report.unsubmitted:
        lines.append(f"On the roster, nothing submitted, score 0 ({len(report.unsubmitted)}): "
                     f"{_names(report.unsubmitted)}")
    kept = sorted(set(report.absent) - set(report.unsubmitted))
    if kept:
        lines.append(f"On the roster, not in these submissions, earlier grade kept ({len(kept)}): "
                     f"{_names(kept)}")
    if report.not_on_roster:
        lines.append(f"Graded but not on the roster ({len(report.not_on_roster)}): "
                     f"{_names(report.not_on_roster)}")
    if report.intake and report.intake.ignored:
        ignored = report.intake.ignored
        lines.append(f"Ignored in the zip, not named like a Canvas or Moodle submission "
                     f"({len(ignored)}): {_names(ignored, 10)}")
    noted = [o for o in report.outcomes if o.notes]
    if noted:
        lines.append("Notes:")
        lines += [f"  {o.student}: {'; '.join(o.notes)}" for o in noted]
    lines.append(f"Grades:   {report.grades_csv}")
    lines.append(f"Feedback: {course.feedback_dir}/<student>/{report.assignment}/")
    return "\n".join(lines)


def cmd_grade(args) -> int:
    from autograder.intake.roster import read_roster
    from autograder.intake.shard import parse_shard

    course = _course(args)
    # Bad input fails fast, before nbgrader loads or anything is graded.
    course.check_assignment(args.assignment)
    from autograder.intake.lms import check_path

    check_path(Path(args.submissions))
    if args.workers is not None and args.workers < 1:
        raise CourseError(f"--workers {args.workers}: give at least 1")
    shard = parse_shard(args.shard) if args.shard else None
    roster = read_roster(Path(args.roster)) if args.roster else None
    from autograder.records.gradebook import check_reachable

    check_reachable(course)
    from autograder.grade import grade

    report = grade(course, args.assignment, Path(args.submissions), progress=not args.no_progress,
                   workers=args.workers, roster=roster, shard=shard)
    print(summary(report, course))
    return 0


def cmd_export(args) -> int:
    course = _course(args)
    course.check_assignment(args.assignment)
    from autograder.records.export import grade_rows, write_grades

    print(f"wrote {write_grades(course, args.assignment)}")
    if args.format != "nbgrader":
        from autograder.records.lms_export import write_lms_grades

        from autograder.records.lms_export import need_of

        out, missing = write_lms_grades(course, args.assignment, args.format,
                                        grade_rows(course, args.assignment),
                                        Path(args.roster) if args.roster else None, args.column,
                                        Path(args.lms_gradebook) if args.lms_gradebook else None)
        print(f"wrote {out} (import it in the {args.format.capitalize()} gradebook)")
        if missing:
            print(f"left out, the LMS could not match them ({len(missing)}): "
                  f"{_names(missing)}; each needs {need_of(args.format)}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def dirs(sp):
        sp.add_argument("--course-dir", help="gradebook and work folders (default autograder/course/)")
        sp.add_argument("--output-dir", help="where grades/ and feedback/ go (default: repository root)")
        sp.add_argument("--db-url", metavar="URL",
                        help="gradebook database shared by several graders, e.g. "
                             "postgresql://USER:PASSWORD@HOST:5432/DB (default: SQLite file "
                             "in --course-dir; or $AUTOGRADER_DB_URL)")

    r = sub.add_parser("release", help="regenerate exercises/ from solutions/ (commit the result)")
    r.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    r.set_defaults(func=cmd_release, course_dir=None, output_dir=None)

    g = sub.add_parser("grade", help="grade a folder of student folders or an LMS export zip")
    g.add_argument("assignment", metavar="ASSIGNMENT")
    g.add_argument("--submissions", required=True, metavar="PATH",
                   help="folder holding one folder per student (named by student id), or a "
                        "Canvas/Moodle export zip")
    g.add_argument("--workers", type=int, metavar="N",
                   help="students graded at once (default: all cores)")
    g.add_argument("--roster", metavar="FILE",
                   help="every student of the class: CSV with a student_id column, or one id "
                        "per line; those who submitted nothing get a 0 row")
    g.add_argument("--shard", metavar="i/N|auto/N",
                   help="grade only shard i of N (machines sharing one --db-url gradebook); "
                        "auto/N: i from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (0-based) + 1")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    dirs(g)
    g.set_defaults(func=cmd_grade)

    e = sub.add_parser("export", help="rewrite grades/ASSIGNMENT.csv from the gradebook")
    e.add_argument("assignment", metavar="ASSIGNMENT")
    e.add_argument("--format", choices=("nbgrader", "canvas", "moodle"), default="nbgrader",
                   help="also write grades/ASSIGNMENT-FORMAT.csv for the LMS's gradebook import")
    e.add_argument("--column", metavar="NAME",
                   help="the LMS's name of the assignment column (Canvas: 'ps1 (12345)'; "
                        "default: read from --lms-gradebook, else ASSIGNMENT)")
    e.add_argument("--lms-gradebook", metavar="FILE",
                   help="a gradebook CSV exported from the LMS: its identity columns and "
                        "assignment column name are used")
    e.add_argument("--roster", metavar="FILE",
                   help="roster CSV with identifiers for the LMS (lms_user_id, sis_user_id, "
                        "sis_login_id, section, email, id_number)")
    dirs(e)
    e.set_defaults(func=cmd_export)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
