# SPDX-License-Identifier: LGPL-2.1-or-later
"""Page requests: the mock raises them (TRIGGER_IOPF) on a nested HWPT that
names a fault queue (6.12 takes a fault_id on nested HWPTs only); they are
read, iterated, awaited and answered."""

import asyncio
import select

import pytest

import libiommufd
from libiommufd import FaultFlag, FaultPerm, FaultResponse, HwptDataType, HwptFlag, testing

from conftest import needs, release

pytestmark = pytest.mark.kernel

ADDR = 0x1000_0000


def iopf_setup(ctx, ioas, mock):
    """A fault queue, a nested HWPT on a NEST_PARENT that reports to it, and
    the mock device moved onto that HWPT."""
    needs(6, 11, "fault queues")
    parent = ctx.hwpt_alloc(mock, ioas, flags=HwptFlag.NEST_PARENT)
    q = ctx.fault_queue()
    hwpt = ctx.hwpt_alloc(mock, parent, fault_queue=q, data_type=HwptDataType.SELFTEST,
                          data=testing.hwpt_data(0))
    mock.replace(hwpt)
    return parent, q, hwpt


@pytest.fixture
def queue(ctx, ioas, mock):
    parent, q, hwpt = iopf_setup(ctx, ioas, mock)
    yield q
    mock.replace(ioas)
    hwpt.destroy()
    q.close()
    parent.destroy()


def trigger(ctx, mock, addr=ADDR, **kw):
    testing.trigger_iopf(ctx, mock, addr, perm=FaultPerm.READ | FaultPerm.WRITE, **kw)


def test_round_trip(ctx, mock, queue):
    assert queue.read() == []
    trigger(ctx, mock, grpid=4)
    assert queue.wait(5)
    groups = queue.read()
    assert len(groups) == 1 and len(groups[0]) == 1
    f = groups[0].faults[0]
    assert (f.addr, f.grpid, f.dev_id) == (ADDR, 4, mock.dev_id)
    assert f.perm == FaultPerm.READ | FaultPerm.WRITE
    assert FaultFlag.LAST_PAGE in f.flags and f.cookie == groups[0].cookie
    assert queue.owed == 1
    groups[0].respond()
    assert queue.owed == 0
    assert not queue.wait(0)


def test_select_and_iteration(ctx, mock, queue):
    for i in range(5):
        trigger(ctx, mock, ADDR + i * 0x1000, grpid=i)
    ready, _, _ = select.select([queue], [], [], 5)
    assert ready == [queue]
    groups = list(queue)
    assert [g.faults[0].addr for g in groups] == [ADDR + i * 0x1000 for i in range(5)]
    assert queue.respond_batch(groups) == 5
    assert queue.owed == 0


def test_asyncio(ctx, mock, queue):
    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(0.05, trigger, ctx, mock)
        groups = await asyncio.wait_for(queue.aread(), 10)
        loop.call_later(0.05, trigger, ctx, mock, ADDR + 0x1000)
        async for group in queue:
            return groups + [group]

    groups = asyncio.run(asyncio.wait_for(main(), 20))
    assert [g.faults[0].addr for g in groups] == [ADDR, ADDR + 0x1000]
    queue.respond_batch([(groups[0], FaultResponse.SUCCESS), (groups[1], FaultResponse.INVALID)])


def test_pasid_faults(ctx, mock, queue):
    trigger(ctx, mock, pasid=7)
    (group,) = queue.read()
    assert FaultFlag.PASID_VALID in group.faults[0].flags and group.faults[0].pasid == 7
    group.respond()


def test_many_in_flight_answered_in_one_write(ctx, mock, queue):
    for i in range(200):
        trigger(ctx, mock, ADDR + i * 0x1000, grpid=i % 256)
    groups = []
    while len(groups) < 200 and queue.wait(5):
        groups += queue.read(16)
    assert len(groups) == 200 and len({g.cookie for g in groups}) == 200
    assert queue.respond_batch(groups) == 200


def test_refused_answers_never_reach_the_kernel(ctx, mock, queue):
    trigger(ctx, mock)
    (group,) = queue.read()
    with pytest.raises(libiommufd.NotFoundError):
        queue.respond(group.cookie + 1000)
    with pytest.raises(libiommufd.InvalidArgumentError):
        queue.respond(group, 7)
    with pytest.raises(libiommufd.NotFoundError):  # one bad entry: nothing sent
        queue.respond_batch([group, group.cookie + 1000])
    assert queue.owed == 1
    group.respond()
    with pytest.raises(libiommufd.NotFoundError):
        group.respond()  # twice


def test_closing_with_groups_owed(ctx, ioas, mock):
    parent, q, hwpt = iopf_setup(ctx, ioas, mock)
    trigger(ctx, mock)
    assert len(q.read()) == 1
    mock.replace(ioas)
    with pytest.raises(libiommufd.BusyError):
        q.close()  # the HWPT still names it: freed, the ID lives on
    assert q.closed
    hwpt.destroy()
    ctx.destroy(q.id)
    parent.destroy()


def test_paging_hwpt_with_a_fault_queue(ctx, ioas, mock):
    needs(6, 11, "fault queues")
    with ctx.fault_queue() as q:
        if release() > (6, 12):
            with ctx.hwpt_alloc(mock, ioas, fault_queue=q):
                pass
        else:  # 6.12 takes a fault_id on nested HWPTs only
            with pytest.raises(libiommufd.IommufdError):
                ctx.hwpt_alloc(mock, ioas, fault_queue=q)
