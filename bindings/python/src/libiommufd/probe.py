# SPDX-License-Identifier: LGPL-2.1-or-later
"""What the kernel and the IOMMU behind a device can do: the command table,
the ABI probe, the feature probe and GET_HW_INFO."""

from __future__ import annotations

import struct
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from . import libiommufd_c as _c
from ._base import ObjectId, oid
from .enums import Command, Feature, Features, FieldDir, HwCap, HwInfoType

__all__ = ["FeatureStatus", "HwInfo", "CommandDesc", "FieldDesc", "command", "commands",
           "feature_name", "release_tuple"]


def release_tuple(kver: int) -> Optional[Tuple[int, int]]:
    """An IOMMUFD_KVER() value as (major, minor); 0 gives None."""
    return (kver >> 8, kver & 0xFF) if kver else None


class FieldDesc(NamedTuple):
    """One field of a command struct, as the library knows it."""

    name: str
    offset: int
    size: int
    release: Optional[Tuple[int, int]]
    dir: FieldDir
    carved: bool


class CommandDesc(NamedTuple):
    """One iommufd command, as the library knows it."""

    nr: Command
    name: str
    release: Optional[Tuple[int, int]]
    first_size: int
    size: int
    fields: Tuple[FieldDesc, ...]


def command(nr: int) -> CommandDesc:
    """The library's descriptor of command *nr* (0x80..0x94)."""
    d = _c.iommufd_cmd_get(int(nr))
    fields = []
    for i in range(d.nr_fields):
        f = _c.iommufd_cmd_field(int(nr), i)
        fields.append(FieldDesc(f.name, f.offset, f.size, release_tuple(f.release),
                                FieldDir(f.dir), bool(f.carved)))
    return CommandDesc(Command(d.nr), d.name, release_tuple(d.release), d.first_size,
                       d.size, tuple(fields))


def commands() -> List[CommandDesc]:
    """Every command the library knows, by number."""
    return [command(c) for c in Command]


def feature_name(feature: int) -> Optional[str]:
    """``"BIND_PGTBL"`` etc., or None for an unknown value."""
    return _c.iommufd_feature_name(int(feature))


class FeatureStatus(NamedTuple):
    """One probe answer: supported or not, the release the feature needs,
    and why (e.g. ``"needs Linux >= 6.13"``, ``"ok"``)."""

    feature: Feature
    supported: bool
    release: Optional[Tuple[int, int]]
    reason: str

    @classmethod
    def _from(cls, feature: Feature, s: Any) -> "FeatureStatus":
        return cls(feature, bool(s.supported), release_tuple(s.release), s.reason)


class HwInfo(NamedTuple):
    """IOMMU_GET_HW_INFO of a device, decoded.

    ``capabilities`` is None when the kernel predates the field (it then
    means nothing, not "none"); so is ``max_pasid_log2``.  ``vendor`` holds
    the known vendor fields as a dict, ``raw`` the vendor data as bytes.
    """

    type: HwInfoType
    data_len: int
    capabilities: Optional[HwCap]
    max_pasid_log2: Optional[int]
    vendor: Dict[str, Any]
    raw: bytes


def _vendor_fields(info: Any, hw_type: int) -> Dict[str, Any]:
    if hw_type == HwInfoType.INTEL_VTD:
        v = info.vtd
        return {"flags": v.flags, "cap_reg": v.cap_reg, "ecap_reg": v.ecap_reg}
    if hw_type == HwInfoType.ARM_SMMUV3:
        v = info.smmuv3
        raw = info.raw_bytes().ljust(40, b"\0")
        return {"flags": v.flags, "idr": list(struct.unpack_from("=6I", raw, 8)),
                "iidr": v.iidr, "aidr": v.aidr}
    if hw_type == HwInfoType.SELFTEST:
        v = info.selftest
        return {"flags": v.flags, "test_reg": v.test_reg}
    return {}


def _hw_type(value: int) -> Any:
    try:
        return HwInfoType(value)
    except ValueError:
        return value


class ProbeMixin:
    """The probe calls of :class:`Context`."""

    _handle: Any

    def _probe_init(self) -> None:
        pass

    def knows_command(self, cmd: Command) -> bool:
        """Does the kernel know command *cmd*?  (One side-effect-free ioctl,
        cached.)"""
        return bool(_c.iommufd_probe_cmd(self._handle, int(cmd)))

    def knows_field(self, cmd: Command, field: str) -> bool:
        """Does the kernel know field *field* of command *cmd*?"""
        index = _c.iommufd_cmd_find_field(int(cmd), field)
        return bool(_c.iommufd_probe_field(self._handle, int(cmd), index))

    def kernel_struct_size(self, cmd: Command) -> int:
        """The size of *cmd*'s struct as the kernel knows it (0: unknown)."""
        return _c.iommufd_probe_kernel_size(self._handle, int(cmd))

    def kernel_release(self) -> Tuple[int, int]:
        """The lowest Linux release consistent with what the kernel shows."""
        kver = _c.iommufd_probe_release(self._handle)
        return (kver >> 8, kver & 0xFF)

    def host_feature(self, feature: Feature) -> FeatureStatus:
        """Can this kernel do *feature* at all?  No side effects."""
        f = Feature(feature)
        return FeatureStatus._from(f, _c.iommufd_probe_host_feature(self._handle, int(f)))

    def host_features(self) -> Dict[Feature, FeatureStatus]:
        """Every feature's host answer."""
        return {f: self.host_feature(f) for f in Feature}

    def supported_host_features(self) -> Features:
        """The features this kernel offers, as a flag set."""
        return _flags(self.host_features())

    def device_feature(self, device: ObjectId, feature: Feature) -> FeatureStatus:
        """Can bound device *device* do *feature*?  Found by doing, with
        temporary objects only (see probe.h)."""
        f = Feature(feature)
        return FeatureStatus._from(
            f, _c.iommufd_probe_device_feature(self._handle, oid(device, "device"), int(f)))

    def device_features(self, device: ObjectId) -> Dict[Feature, FeatureStatus]:
        """Every feature's answer for *device*."""
        return {f: self.device_feature(device, f) for f in Feature}

    def supported_device_features(self, device: ObjectId) -> Features:
        """The features *device* offers, as a flag set."""
        return _flags(self.device_features(device))

    def hw_info(self, device: ObjectId) -> HwInfo:
        """What the IOMMU behind bound device *device* is and can do."""
        i = _c.iommufd_get_hw_info(self._handle, oid(device, "device"))
        caps = HwCap(i.capabilities & 0xFFFFFFFF) if i.capabilities_known else None
        pasid = i.max_pasid_log2 if i.max_pasid_log2_known else None
        return HwInfo(_hw_type(i.type), i.data_len, caps, pasid, _vendor_fields(i, i.type),
                      i.raw_bytes())


def _flags(answers: Dict[Feature, FeatureStatus]) -> Features:
    out = Features(0)
    for f, s in answers.items():
        if s.supported:
            out |= f.flag
    return out
