"""speed.helper_process.Aside: a computation in a forked process, its result picked up later."""

from __future__ import annotations

import os
import time

import pytest

from generator.errors import HelperFailed
from generator.speed.helper_process import Aside


def test_the_result_comes_back_from_another_process() -> None:
    parent = os.getpid()
    aside = Aside(lambda: {"pid": os.getpid(), "ids": ("a-2025", "b-2024")})
    result = aside.result()
    assert result["pid"] != parent and result["ids"] == ("a-2025", "b-2024")
    assert aside.result() is not None  # asked twice, read once


def test_a_failure_aside_fails_the_build_with_its_reason() -> None:
    def broken() -> None:
        raise MemoryError("sparse product too large")

    with pytest.raises(HelperFailed, match="sparse product too large"):
        Aside(broken).result()


def test_a_cancelled_computation_stops() -> None:
    aside = Aside(lambda: time.sleep(60))
    started = time.monotonic()
    aside.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(HelperFailed, match="cancelled"):
        aside.result()
