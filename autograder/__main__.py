"""Instructor commands.

    python -m autograder release [ASSIGNMENT ...]          # solutions/ -> exercises/ (make exercises)
    python -m autograder grade ASSIGNMENT --submissions PATH  # -> grades/ASSIGNMENT.csv, feedback/
    python -m autograder export ASSIGNMENT                  # rewrite grades/ASSIGNMENT.csv

Per-class state (gradebook, submitted/, autograded/) lives in --course-dir (default
autograder/course/, or $AUTOGRADER_COURSE_DIR); grades/ and feedback/ in --output-dir (default
the repository root, or $AUTOGRADER_OUTPUT_DIR). All of them are gitignored.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.course import Course, CourseError


def _course(args) -> Course:
    return Course.from_env(course_dir=args.course_dir, output_dir=args.output_dir)


def cmd_release(args) -> int:
    course = _course(args)
    for name in args.assignments:
        course.check_assignment(name)  # bad input fails fast, before nbgrader loads
    from autograder.release import release

    for folder in release(course, args.assignments):
        print(f"released {folder}")
    return 0


def summary(report, course: Course) -> str:
    graded, failed = report.graded, report.failed
    per = (sum(o.seconds for o in graded) / len(graded)) if graded else 0.0
    lines = [f"{report.assignment}: graded {len(graded)} of {len(report.outcomes)} students in "
             f"{report.seconds:.1f} s ({per:.2f} s per graded student)."]
    if failed:
        lines.append(f"Not graded, score 0 ({len(failed)}):")
        lines += [f"  {o.student}: {o.status}" for o in failed]
    noted = [o for o in report.outcomes if o.notes]
    if noted:
        lines.append("Notes:")
        lines += [f"  {o.student}: {'; '.join(o.notes)}" for o in noted]
    lines.append(f"Grades:   {report.grades_csv}")
    lines.append(f"Feedback: {course.feedback_dir}/<student>/{report.assignment}/")
    return "\n".join(lines)


def cmd_grade(args) -> int:
    from autograder.collect import student_folders

    course = _course(args)
    course.check_assignment(args.assignment)  # bad input fails fast, before nbgrader loads
    student_folders(Path(args.submissions))
    from autograder.grade import grade

    report = grade(course, args.assignment, Path(args.submissions), progress=not args.no_progress)
    print(summary(report, course))
    return 0


def cmd_export(args) -> int:
    course = _course(args)
    course.check_assignment(args.assignment)
    from autograder.export import write_grades

    print(f"wrote {write_grades(course, args.assignment)}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="command", required=True)

    def dirs(sp):
        sp.add_argument("--course-dir", help="gradebook and work folders (default autograder/course/)")
        sp.add_argument("--output-dir", help="where grades/ and feedback/ go (default: repository root)")

    r = sub.add_parser("release", help="regenerate exercises/ from solutions/ (commit the result)")
    r.add_argument("assignments", nargs="*", metavar="ASSIGNMENT", help="default: every assignment")
    r.set_defaults(func=cmd_release, course_dir=None, output_dir=None)

    g = sub.add_parser("grade", help="grade a folder of student folders")
    g.add_argument("assignment", metavar="ASSIGNMENT")
    g.add_argument("--submissions", required=True, metavar="PATH",
                   help="folder holding one folder per student (named by student id)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar")
    dirs(g)
    g.set_defaults(func=cmd_grade)

    e = sub.add_parser("export", help="rewrite grades/ASSIGNMENT.csv from the gradebook")
    e.add_argument("assignment", metavar="ASSIGNMENT")
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
