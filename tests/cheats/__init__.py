"""Cheating and crashing submissions, as data (see ps1.py), graded by tests/grader/test_cheating.py.

Each entry names the threat it stands for, the code the student hands in, and what the grader
must do with it: zero hidden points (every function is wrong, so any hidden point would be
undeserved), the honest score for the honest parts, or a kernel stopped with a reason; and a
phrase the student's feedback (or status, when nothing could be graded) must contain.
"""
