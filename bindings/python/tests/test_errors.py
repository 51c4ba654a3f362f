# SPDX-License-Identifier: LGPL-2.1-or-later
"""Errors: OSError subclasses with errno, the SDK's sentence and the call."""

import errno
import os

import pytest

import libiommufd
from libiommufd import errors


@pytest.mark.parametrize("err, cls, builtin", [
    (errno.ENOENT, errors.NotFoundError, FileNotFoundError),
    (errno.EEXIST, errors.ExistsError, FileExistsError),
    (errno.EPERM, errors.PermissionDeniedError, PermissionError),
    (errno.EACCES, errors.PermissionDeniedError, PermissionError),
    (errno.EINVAL, errors.InvalidArgumentError, ValueError),
    (errno.EBUSY, errors.BusyError, OSError),
    (errno.EOPNOTSUPP, errors.NotSupportedError, OSError),
    (errno.ETIMEDOUT, errors.TimedOutError, TimeoutError),
    (errno.E2BIG, errors.IommufdError, OSError),
])
def test_errno_picks_the_subclass(err, cls, builtin):
    e = errors.error_from_errno(err, "a sentence", "iommufd_x")
    assert type(e) is cls
    assert isinstance(e, errors.IommufdError) and isinstance(e, OSError)
    assert isinstance(e, builtin)
    assert (e.errno, e.strerror, e.function) == (err, "a sentence", "iommufd_x")
    assert str(e) == f"[Errno {err}] a sentence"


def test_empty_sentence_falls_back_to_strerror():
    e = errors.error_from_errno(errno.ENOMEM, "")
    assert e.strerror == os.strerror(errno.ENOMEM)


@pytest.mark.parametrize("sentence, release", [
    ("IOMMU_VIOMMU_ALLOC needs Linux 6.13 or newer (this kernel does not know it)", (6, 13)),
    ("a VF token needs Linux 6.17 or newer", (6, 17)),
    ("IOMMU doesn't nest", None),
])
def test_needs_release_is_read_from_the_sentence(sentence, release):
    assert errors.error_from_errno(errno.EOPNOTSUPP, sentence).needs_release == release


def test_open_failure_carries_the_sdk_sentence():
    with pytest.raises(FileNotFoundError) as info:
        libiommufd.Context("/nonexistent/iommu")
    e = info.value
    assert isinstance(e, libiommufd.NotFoundError)
    assert e.errno == errno.ENOENT
    assert "/nonexistent/iommu" in e.strerror
    assert e.function == "iommufd_ctx_open"


def test_errors_raised_in_c_are_the_packages(null_ctx):
    with pytest.raises(libiommufd.InvalidArgumentError) as info:
        null_ctx.ioas_from_id(1).unmap(0, 0)
    assert info.value.function == "iommufd_ioas_unmap"
    assert "length is 0" in info.value.strerror
    assert null_ctx.last_error == info.value.strerror


def test_a_command_dev_null_does_not_know_names_the_release(null_ctx):
    # /dev/null answers every ioctl ENOTTY, as a kernel without the command.
    with pytest.raises(libiommufd.NotSupportedError) as info:
        null_ctx.ioas()
    assert info.value.needs_release == (6, 2)
