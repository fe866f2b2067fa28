"""Logs keep where an exception happened, never what it said (it may echo what a person typed)."""

from __future__ import annotations

import pytest

from bot.observability import configure_logging, get_logger


@pytest.mark.parametrize("json", [False, True])
def test_exception_messages_are_withheld(capsys: pytest.CaptureFixture[str], json: bool) -> None:
    configure_logging("INFO", json=json)
    log = get_logger("test")
    typed = " ".join(["Synthetic", "Person", "DOB", "01/02/2020"])  # as if it came from a form
    try:
        int(typed)
    except ValueError:
        log.error("thing.failed", exc_info=True)
    err = capsys.readouterr().err
    assert "thing.failed" in err and "ValueError (message withheld)" in err
    assert "test_logging.py" in err  # the frames are kept
    assert "Synthetic Person" not in err and "01/02/2020" not in err
    configure_logging("INFO")
