"""Variants of early_stopping(val_scores, patience): (best_epoch, stop_epoch); stop at the first
epoch e with e - best_epoch >= patience (else the last); only a strictly higher score moves the
best, NaN never does, best_epoch 0 until one does; val_scores unchanged."""
import math

import numpy as np


def wrong_ties_move_the_best(val_scores, patience):
    """score >= best: a tie moves best_epoch to the later epoch."""
    best_epoch, best = 0, -math.inf
    for epoch, score in enumerate(val_scores):
        if score >= best:
            best_epoch, best = epoch, score
        if epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def wrong_stops_one_epoch_late(val_scores, patience):
    """epoch - best_epoch > patience."""
    best_epoch, best = 0, -math.inf
    for epoch, score in enumerate(val_scores):
        if score > best:
            best_epoch, best = epoch, score
        if epoch - best_epoch > patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def wrong_nan_moves_the_best(val_scores, patience):
    """not (score <= best): a NaN counts as an improvement."""
    best_epoch, best = 0, -math.inf
    for epoch, score in enumerate(val_scores):
        if not score <= best:
            best_epoch, best = epoch, score
        if epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def wrong_best_over_the_whole_run(val_scores, patience):
    """Right stop epoch, but best_epoch is the best of the whole list, even after stopping."""
    best_epoch, best, stop = 0, -math.inf, len(val_scores) - 1
    for epoch, score in enumerate(val_scores):
        if score > best:
            best_epoch, best = epoch, score
        if epoch - best_epoch >= patience:
            stop = epoch
            break
    scores = np.where(np.isnan(val_scores), -np.inf, val_scores)
    return int(np.argmax(scores)), stop


def wrong_counter_not_reset(val_scores, patience):
    """Counts every epoch without improvement since the start, never resetting the count."""
    best_epoch, best, bad = 0, -math.inf, 0
    for epoch, score in enumerate(val_scores):
        if score > best:
            best_epoch, best = epoch, score
        elif epoch > 0:
            bad += 1
        if bad >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def wrong_replaces_nan_in_place(val_scores, patience):
    """Right result, but writes -inf over the NaN scores in the caller's list."""
    for i, s in enumerate(val_scores):
        if s != s:
            val_scores[i] = -math.inf
    best_epoch, best = 0, -math.inf
    for epoch, score in enumerate(val_scores):
        if score > best:
            best_epoch, best = epoch, score
        if epoch - best_epoch >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def correct_wait_counter(val_scores, patience):
    """Keras-style: a counter of epochs since the best, reset on improvement."""
    best, best_epoch, wait = -math.inf, 0, 0
    for epoch, score in enumerate(val_scores):
        if score > best:
            best, best_epoch, wait = score, epoch, 0
        elif epoch > 0:
            wait += 1
        if wait >= patience:
            return best_epoch, epoch
    return best_epoch, len(val_scores) - 1


def correct_running_max(val_scores, patience):
    """numpy: the running maximum (NaN as -inf) and where it last strictly increased."""
    s = np.asarray(val_scores, dtype=float)
    s = np.where(np.isnan(s), -np.inf, s)
    running = np.maximum.accumulate(s)
    improved = np.r_[True, running[1:] > running[:-1]]
    best_so_far = np.maximum.accumulate(np.where(improved, np.arange(len(s)), 0))
    late = np.flatnonzero(np.arange(len(s)) - best_so_far >= patience)
    stop = int(late[0]) if len(late) else len(s) - 1
    return int(best_so_far[stop]), stop
