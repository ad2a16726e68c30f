from __future__ import annotations

import pytest

from core.tasks import ping


def test_tasks_run_eagerly_in_process_without_a_broker() -> None:
    assert ping.delay("eager").get(timeout=1) == "eager"


@pytest.mark.redis
@pytest.mark.postgres
def test_a_task_makes_a_real_round_trip_through_redis_and_a_worker(real_worker: str) -> None:
    result = ping.apply_async(args=["round-trip"], queue=real_worker)
    assert result.get(timeout=30) == "round-trip"
    assert result.successful()
