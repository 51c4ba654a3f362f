# SPDX-License-Identifier: LGPL-2.1-or-later
"""Rings: page requests and vEVENTs moved by the library's pump thread, or by
the caller's loop, to a consumer waiting on the ring's eventfd."""

import select

import pytest

import libiommufd
from libiommufd import VeventFlag, VeventqType, testing

from conftest import needs
from test_kernel_fault import ADDR, queue, trigger  # noqa: F401 (fixture)
from test_kernel_viommu import parent, vevent_setup, viommu  # noqa: F401 (fixtures)

pytestmark = pytest.mark.kernel


def take(ring, count, timeout=10):
    out = []
    while len(out) < count and ring.wait(timeout):
        out += ring.read()
    return out


def test_the_pump_thread_moves_page_requests(ctx, mock, queue):
    with queue.ring(8) as ring:
        for i in range(100):
            trigger(ctx, mock, ADDR + i * 0x1000, grpid=i % 256)
        groups = take(ring, 100)
        assert [g.faults[0].addr for g in groups] == [ADDR + i * 0x1000 for i in range(100)]
        assert queue.respond_batch(groups) == 100
        stats = ring.stats()
        assert stats["pushed"] == stats["taken"] == 100 and stats["capacity"] == 8
        with pytest.raises(libiommufd.BusyError):
            ring.pump()  # the thread is the pump


def test_the_callers_loop_pumps(ctx, mock, queue):
    with queue.ring(thread=False) as ring:
        trigger(ctx, mock)
        ready, _, _ = select.select([ring.pump_fileno()], [], [], 10)
        assert ready
        assert ring.pump() == 1
        assert select.select([ring], [], [], 0)[0] == [ring]
        (group,) = ring.read()
        group.respond()
        assert ring.read() == []


def test_closing_answers_what_the_ring_holds(ctx, mock, queue):
    ring = queue.ring(thread=False)
    for i in range(3):
        trigger(ctx, mock, ADDR + i * 0x1000, grpid=i)
    assert ring.wait(0) is False
    select.select([ring.pump_fileno()], [], [], 10)
    assert ring.pump() == 3
    assert ring.close() == 3
    assert ring.closed and queue.owed == 0


def test_closing_the_queue_frees_its_ring(ctx):
    needs(6, 11, "fault queues")
    q = ctx.fault_queue()
    ring = q.ring()
    q.close()
    assert ring.closed


def test_vevents_through_a_ring(ctx, mock, vevent_setup):
    with vevent_setup.veventq(VeventqType.SELFTEST, 2) as q, q.ring(4) as ring:
        ring.stop()  # let the kernel queue overflow first
        for _ in range(6):
            testing.trigger_vevent(ctx, mock)
        ring.start()
        events = [e for e in take(ring, 3) if VeventFlag.LOST not in e.flags]
        assert len(events) == 2
        assert q.lost == 4
