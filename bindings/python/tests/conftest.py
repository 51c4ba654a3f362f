# SPDX-License-Identifier: LGPL-2.1-or-later
"""Shared fixtures of the binding's tests.

Tests marked ``kernel`` need ``/dev/iommu`` with the selftest mock
(CONFIG_IOMMUFD_TEST): the test VM has them (tests/vm/run), the host does
not, so there they skip saying so.  The rest run anywhere.
"""

import errno
import mmap
import os

import pytest

import libiommufd
from libiommufd import testing


def _iommufd_usable():
    try:
        libiommufd.Context().close()
        return None
    except OSError as e:
        return f"no usable /dev/iommu here ({e.strerror}): runs in the test VM (tests/vm/run)"


_NO_KERNEL = _iommufd_usable()


def release():
    """The running kernel's (major, minor)."""
    major, minor = os.uname().release.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()))


def pytest_configure(config):
    config.addinivalue_line("markers", "kernel: needs /dev/iommu with the selftest mock")


def pytest_collection_modifyitems(config, items):
    if _NO_KERNEL is None:
        return
    skip = pytest.mark.skip(reason=_NO_KERNEL)
    for item in items:
        if "kernel" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    stats = terminalreporter.stats
    passed = len(stats.get("passed", []))
    skipped = len(stats.get("skipped", []))
    failed = len(stats.get("failed", [])) + len(stats.get("error", []))
    where = "host" if _NO_KERNEL else f"kernel {os.uname().release}"
    terminalreporter.write_line(
        f"[{where}] libiommufd python suite: {passed + skipped + failed} tests, "
        f"{passed} passed, {skipped} skipped, {failed} failed")


def needs(major, minor, what):
    """Skip unless the kernel is at least major.minor."""
    if release() < (major, minor):
        pytest.skip(f"{what} needs Linux {major}.{minor}; this is {os.uname().release}")


@pytest.fixture
def ctx():
    with libiommufd.Context() as c:
        if not testing.op_supported(c, testing.Op.MOCK_DOMAIN):
            pytest.skip("the kernel has no selftest mock (CONFIG_IOMMUFD_TEST)")
        yield c


@pytest.fixture
def null_ctx():
    """A context on /dev/null: nothing reaches a kernel, so calls show the
    checks the library makes before the kernel (or ENOTTY from /dev/null)."""
    with libiommufd.Context("/dev/null") as c:
        yield c


@pytest.fixture
def ioas(ctx):
    with ctx.ioas() as a:
        yield a


@pytest.fixture
def mock(ctx, ioas):
    with testing.MockDevice(ctx, ioas) as m:
        yield m


@pytest.fixture
def pages():
    """Four pages of anonymous memory."""
    m = mmap.mmap(-1, 4 * mmap.PAGESIZE)
    yield m
    try:
        m.close()
    except BufferError:
        pass  # a failing test left it mapped: the context's close releases it


ENOTTY = errno.ENOTTY
