"""SIGKILL a process in the middle of saving, 100 times (4 x 25, in parallel workers),
while another process opens, reads and closes the file all along: after every kill the
file is sound and holds every save that returned."""

from __future__ import annotations

import pytest

from .crash import crash_loop


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kill_while_saving_loses_nothing_that_returned(tmp_path, seed):
    log = crash_loop(tmp_path / "office.bdesk", kills=25, seed=seed)
    assert log.problems == []
    assert log.kills == log.checks == log.integrity_ok == log.verify_ok == 25
    assert log.missing == log.half_written == 0
    assert log.saves_reported >= log.saves_awaited > 0  # it really was saving at the kills
    assert log.reader_passes > 25  # and the other program really was using the file
