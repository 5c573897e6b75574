"""SIGKILL a process in the middle of saving, 100 times (4 x 25, in parallel workers):
after every kill the file is sound and holds every save that returned."""

from __future__ import annotations

import pytest

from .crash import crash_loop


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kill_while_saving_loses_nothing_that_returned(tmp_path, seed):
    log = crash_loop(tmp_path / "office.bdesk", kills=25, seed=seed)
    assert log.kills == 25
    assert len(log.confirmed) > 25  # it really was saving between the kills
