"""One BLAS/OpenMP thread per computation. The lessons' models are small, and on a busy server
(other sessions, other jobs) numeric libraries' worker threads spin while they wait for each
other: k-means on digits went from 80 ms to 9 s, gradient boosting and neighbour searches ran
10–20 times slower than on one thread. The Makefile sets the same limit for the whole process;
this keeps it for callers started some other way."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def single_threaded(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

        with threadpool_limits(limits=1):
            return func(*args, **kwargs)

    return run
