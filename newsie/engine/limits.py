"""A time limit around a block of code, so one pathological text cannot hang a worker.

In a process's main thread (the in-process engine, --workers N) SIGALRM interrupts the
block, C regex loops included (CPython's regex engine checks for signals). Elsewhere (Dask
runs tasks in worker threads, where signals cannot be used) a timer thread raises the
exception asynchronously in the working thread: that interrupts Python code, but not a
single long call into C, which then ends first (documented in docs/failures.md, "Time limit").
"""
from __future__ import annotations

import ctypes
import signal
import threading
from contextlib import contextmanager
from typing import Iterator


class TimeLimitExceeded(Exception):
    pass


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds or seconds <= 0:
        yield
    elif threading.current_thread() is threading.main_thread():
        with _alarm(seconds):
            yield
    else:
        with _async_raise_after(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum, frame):
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_raise_after(seconds: float) -> Iterator[None]:
    thread_id = threading.get_ident()
    done = threading.Event()
    lock = threading.Lock()

    def expire():
        with lock:
            if not done.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                                           ctypes.py_object(TimeLimitExceeded))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:  # after this, expire() can no longer fire into code outside the block
            done.set()
        timer.cancel()
