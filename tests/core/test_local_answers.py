from __future__ import annotations

from typing import Any

from core.access.throttling import LocalAnswers


def test_a_local_answer_lives_for_the_configured_seconds(settings: Any) -> None:
    settings.PUBLIC_ANSWER_LOCAL_SECONDS = 1.0
    answers = LocalAnswers()
    answers.put("k", b"page", now=100.0)
    assert answers.get("k", now=100.9) == b"page"
    assert answers.get("k", now=101.0) is None


def test_a_dropped_answer_is_gone_and_zero_seconds_keeps_nothing(settings: Any) -> None:
    settings.PUBLIC_ANSWER_LOCAL_SECONDS = 1.0
    answers = LocalAnswers()
    answers.put("k", b"page", now=0.0)
    answers.drop("k")
    assert answers.get("k", now=0.1) is None
    settings.PUBLIC_ANSWER_LOCAL_SECONDS = 0
    answers.put("k", b"page", now=0.0)
    assert answers.get("k", now=0.0) is None


def test_local_answers_stay_bounded(settings: Any, monkeypatch: Any) -> None:
    settings.PUBLIC_ANSWER_LOCAL_SECONDS = 1.0
    monkeypatch.setattr(LocalAnswers, "MAX", 3)
    answers = LocalAnswers()
    for n in range(10):
        answers.put(f"k{n}", b"x", now=0.0)
    assert len(answers.entries) <= 3 and answers.get("k9", now=0.5) == b"x"
