# SPDX-License-Identifier: LGPL-2.1-or-later
"""The probes against the real kernels: which commands and fields the
kernel knows, host and device features (as dicts and flags), GET_HW_INFO."""

import pytest

import libiommufd
from libiommufd import Command, Feature, Features, HwCap, HwInfoType, testing

from conftest import release

pytestmark = pytest.mark.kernel

# Features a mock device has on each kernel of the matrix (feature_device_test.cc).
ON_6_12 = (Features.BIND_PGTBL | Features.NEST_PARENT | Features.DIRTY_TRACKING
           | Features.CACHE_INVLD | Features.PAGE_REQUEST)
ON_7_2 = ON_6_12 | (Features.BIND_PASID_TABLE | Features.VIOMMU | Features.VEVENTQ
                    | Features.HW_QUEUE | Features.MAP_FILE | Features.CHANGE_PROCESS)


def on_matrix():
    rel = release()
    if rel not in ((6, 12), (7, 2)):
        pytest.skip(f"expected answers are known for 6.12 and 7.2, not {rel}")
    return rel


def test_commands_the_kernel_knows(ctx):
    rel = on_matrix()
    assert ctx.knows_command(Command.IOAS_MAP)
    assert ctx.knows_command(Command.FAULT_QUEUE_ALLOC)
    assert ctx.knows_command(Command.VIOMMU_ALLOC) == (rel == (7, 2))
    assert ctx.knows_command(Command.HW_QUEUE_ALLOC) == (rel == (7, 2))
    assert ctx.kernel_struct_size(Command.IOAS_MAP) == 40
    viommu_size = ctx.kernel_struct_size(Command.VIOMMU_ALLOC)
    assert viommu_size == 0 if rel == (6, 12) else viommu_size > 0
    assert ctx.knows_field(Command.HWPT_ALLOC, "fault_id")
    assert ctx.kernel_release() <= rel


def test_host_features_as_dict_and_flags(ctx):
    rel = on_matrix()
    answers = ctx.host_features()
    assert set(answers) == set(Feature)
    for f, s in answers.items():
        assert s.feature is f and s.reason
    flags = ctx.supported_host_features()
    assert flags == Features(sum(f.flag.value for f, s in answers.items() if s.supported))
    viommu = answers[Feature.VIOMMU]
    if rel == (6, 12):
        assert not viommu.supported and viommu.release == (6, 13)
        assert "6.13" in viommu.reason
    else:
        assert viommu.supported and Features.VIOMMU in flags


def test_device_features_of_a_mock(ctx, mock):
    rel = on_matrix()
    expected = ON_6_12 if rel == (6, 12) else ON_7_2
    answers = ctx.device_features(mock)
    got = ctx.supported_device_features(mock)
    assert got == expected, {f.name: s.reason for f, s in answers.items()}
    assert not answers[Feature.PASID].supported  # a plain mock has no PASID
    assert "mock IOMMU" in answers[Feature.NEST_PARENT].reason
    for s in answers.values():
        assert s.release is not None


def test_no_dirty_mock(ctx, ioas):
    on_matrix()
    with testing.MockDevice(ctx, ioas, testing.DeviceFlag.NO_DIRTY) as dev:
        s = ctx.device_feature(dev, Feature.DIRTY_TRACKING)
        assert not s.supported and "dirty" in s.reason


def test_hw_info_of_a_mock(ctx, mock):
    info = ctx.hw_info(mock)
    assert info.type == HwInfoType.SELFTEST
    assert info.vendor["test_reg"] == 0xDEADBEEF
    assert len(info.raw) == info.data_len
    assert info.capabilities is not None and HwCap.DIRTY_TRACKING in info.capabilities


def test_unknown_device(ctx):
    with pytest.raises(libiommufd.NotFoundError):
        ctx.device_feature(0x7777, Feature.PASID)
    with pytest.raises(libiommufd.NotFoundError):
        ctx.hw_info(0x7777)
