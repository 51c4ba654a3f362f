// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_hwpt_alloc(): paging and nested HWPTs, the size negotiated per
// release, every argument check and every errno with its sentence.
#include "hwpt_test_support.h"

namespace {

using fake::Kver;

class HwptAlloc : public HwptTest {};

TEST_P(HwptAlloc, PlainPagingSends24Bytes)
{
	uint32_t id = 0;

	ASSERT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_, ioas_, nullptr, &id))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(3u, id);
	EXPECT_EQ(24u, fk_.last_size(UAPI_CMD_HWPT_ALLOC));
	EXPECT_EQ(1u, fk_.ioctls());
	EXPECT_EQ(fake::ObjType::kHwptPaging, fk_.ictx().objects.at(id).type);
}

TEST_P(HwptAlloc, HwptHoldsItsIoas)
{
	const uint32_t id = Paging();

	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, ioas_));
	EXPECT_EQ(0, iommufd_destroy(ctx_, id)) << iommufd_ctx_last_error(ctx_);
	EXPECT_EQ(0, iommufd_destroy(ctx_, ioas_)) << iommufd_ctx_last_error(ctx_);
}

TEST_P(HwptAlloc, NoSuchDevice)
{
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_HWPT_ALLOC: device 9 is not bound to this context",
		     iommufd_hwpt_alloc(ctx_, 9, ioas_, nullptr, &id));
	EXPECT_FAILS(ctx_, ENOENT, "device 1 is not bound",
		     iommufd_hwpt_alloc(ctx_, ioas_, ioas_, nullptr, &id));
}

TEST_P(HwptAlloc, PtIdNeitherIoasNorParent)
{
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_HWPT_ALLOC: pt_id 77 is not an IOAS, a NEST_PARENT HWPT or a vIOMMU "
		     "of device 2's IOMMU",
		     iommufd_hwpt_alloc(ctx_, dev_, 77, nullptr, &id));
	EXPECT_FAILS(ctx_, EINVAL, "pt_id 2 is not an IOAS",
		     iommufd_hwpt_alloc(ctx_, dev_, dev_, nullptr, &id));
}

// Argument checks name their fault and never reach the kernel.
TEST_P(HwptAlloc, ArgumentChecks)
{
	const uint32_t data = 1;
	uint32_t id = 0;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_hwpt_alloc: the context is NULL",
			iommufd_hwpt_alloc(nullptr, dev_, ioas_, nullptr, &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: hwpt_id is NULL",
			iommufd_hwpt_alloc(ctx_, dev_, ioas_, nullptr, nullptr));
	{
		// FAULT_ID_VALID is the library's to set, from fault_id.
		iommufd_hwpt_alloc_opts o = AllocOpts(1u << 2);
		EXPECT_REJECTED(ctx_, EOPNOTSUPP,
				"iommufd_hwpt_alloc: unknown flags 0x4 (known: 0xb)",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, 4);
		EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: data is NULL but data_len is 4",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, 0, &data);
		EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: data is set but data_len is 0",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, 0, 4, &data);
		EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: vendor data needs a data_type",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_VTD_S1);
		EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: data_type 0x1 needs data",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	{
		iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_NEST_PARENT, 5);
		EXPECT_REJECTED(ctx_, EOPNOTSUPP,
				"iommufd_hwpt_alloc: a NEST_PARENT HWPT cannot take a fault queue",
				iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	}
	EXPECT_EQ(0u, id) << "nothing was written on failure";
}

TEST_P(HwptAlloc, OptionsSz)
{
	struct Bigger {
		iommufd_hwpt_alloc_opts known;
		uint64_t future;
	} big = {};
	uint32_t id = 0;

	big.known.sz = sizeof(big);
	big.future = 1;
	EXPECT_REJECTED(ctx_, E2BIG, "iommufd_hwpt_alloc: options set a field at byte",
			iommufd_hwpt_alloc(ctx_, dev_, ioas_, &big.known, &id));
	big.future = 0;
	EXPECT_EQ(0, iommufd_hwpt_alloc(ctx_, dev_, ioas_, &big.known, &id))
		<< "zero bytes beyond are fine";
	iommufd_hwpt_alloc_opts zero = {};
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_hwpt_alloc: options sz is 0",
			iommufd_hwpt_alloc(ctx_, dev_, ioas_, &zero, &id));
}

INSTANTIATE_FOR_PROFILES(HwptAlloc, ProfilesSince(Kver(6, 6)));

// ---- flags ------------------------------------------------------------

using HwptAlloc66 = OnProfile<fake::Profile::Linux6_6>;

TEST_F(HwptAlloc66, FlagsNeed67)
{
	const uint32_t ioas = NewIoas(), dev = fake::AddIommuDevice(fk_);
	iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC: flag DIRTY_TRACKING needs Linux 6.7 or newer (this kernel "
		     "is 6.6)",
		     iommufd_hwpt_alloc(ctx_, dev, ioas, &o, &id));
}

TEST_F(HwptAlloc66, NestedFieldsNeed67)
{
	const uint32_t ioas = NewIoas(), dev = fake::AddIommuDevice(fk_);
	const iommufd_hwpt_selftest data = {1};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC: field data_type needs Linux 6.7 or newer (this kernel "
		     "accepts 24 bytes)",
		     iommufd_hwpt_alloc(ctx_, dev, ioas, &o, &id));
}

class HwptFlags : public HwptTest {};

TEST_P(HwptFlags, NestParentAndDirty)
{
	const uint32_t id = Paging(IOMMUFD_HWPT_NEST_PARENT | IOMMUFD_HWPT_DIRTY_TRACKING);
	const fake::HwptState *st = fake::FindHwpt(fk_, id);

	ASSERT_NE(nullptr, st);
	EXPECT_EQ(UAPI_HWPT_ALLOC_NEST_PARENT | UAPI_HWPT_ALLOC_DIRTY_TRACKING, st->flags);
	EXPECT_TRUE(st->dirty_ops);
	EXPECT_EQ(24u, fk_.last_size(UAPI_CMD_HWPT_ALLOC)) << "flags need no newer field";
}

TEST_P(HwptFlags, PasidNeeds615)
{
	iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_PASID);
	uint32_t id = 0;
	const int rc = iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id);

	if (kver() >= Kver(6, 15)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, rc);
	EXPECT_TRUE(HasSentence(ctx_, "IOMMU_HWPT_ALLOC: flag PASID needs Linux 6.15 or newer "
				      "(this kernel is " +
					      fake::ReleaseString(kver()) + ")"));
}

INSTANTIATE_FOR_PROFILES(HwptFlags, ProfilesSince(Kver(6, 7)));

// A device whose IOMMU does not track dirty pages.
class HwptNoDirty : public HwptTest {
protected:
	void SetUp() override
	{
		iommu_.dirty = false;
		iommu_.nesting = false;
		HwptTest::SetUp();
	}
};

TEST_P(HwptNoDirty, TheIommuIsNamed)
{
	iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC: device 2's IOMMU does not support this HWPT (flags "
		     "DIRTY_TRACKING, data type NONE)",
		     iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
	o.flags = IOMMUFD_HWPT_NEST_PARENT;
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "(flags NEST_PARENT, data type NONE)",
		     iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
}

INSTANTIATE_FOR_PROFILES(HwptNoDirty, ProfilesSince(Kver(6, 7)));

// ---- fault queues (6.11) ------------------------------------------------

// The fault_id field came in 6.11: the size check names it on older kernels.
class HwptFaultTooOld : public HwptTest {};

TEST_P(HwptFaultTooOld, FieldNeeds611)
{
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 3);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC: field fault_id needs Linux 6.11 or newer (this kernel "
		     "accepts " + std::to_string(fake::CmdSize(kver(), UAPI_CMD_HWPT_ALLOC)) +
			     " bytes)",
		     iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id));
}

const fake::Profile kBeforeFaultId[] = {fake::Profile::Linux6_6, fake::Profile::Linux6_7};
INSTANTIATE_FOR_PROFILES(HwptFaultTooOld, kBeforeFaultId);

class HwptFault : public HwptTest {};

TEST_P(HwptFault, OnNested)
{
	const uint32_t fault = FaultQueue();
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t id = Nested(parent, 7, fault);

	ASSERT_NE(nullptr, fake::FindHwpt(fk_, id));
	EXPECT_EQ(fault, fake::FindHwpt(fk_, id)->fault_id);
	EXPECT_EQ(UAPI_HWPT_FAULT_ID_VALID, fake::FindHwpt(fk_, id)->flags);
	EXPECT_EQ(44u, fk_.last_size(UAPI_CMD_HWPT_ALLOC)) << "up to fault_id";
}

// 6.12 takes a fault queue only on a nested HWPT; 7.2 on a paging one too.
TEST_P(HwptFault, OnPaging)
{
	iommufd_hwpt_alloc_opts o = AllocOpts(0, FaultQueue());
	uint32_t id = 0;
	const int rc = iommufd_hwpt_alloc(ctx_, dev_, ioas_, &o, &id);

	if (kver() >= Kver(7, 0)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
		return;
	}
	EXPECT_EQ(-EOPNOTSUPP, rc);
	EXPECT_TRUE(HasSentence(ctx_, "device 2's IOMMU or this kernel does not support this "
				      "paging HWPT (flags fault_id; Linux 6.12 and older take a "
				      "fault queue only on nested HWPTs)"));
}

TEST_P(HwptFault, NoSuchQueue)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_hwpt_selftest data = {1};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 99, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_HWPT_ALLOC: device 2 is not bound to this context, or fault_id is no "
		     "fault queue",
		     iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id));
	EXPECT_EQ(nullptr, fake::FindHwpt(fk_, parent + 1)) << "no HWPT left behind";
}

INSTANTIATE_FOR_PROFILES(HwptFault, ProfilesSince(Kver(6, 11)));

// ---- nested HWPTs: BIND_PGTBL -------------------------------------------

class HwptNested : public HwptTest {};

TEST_P(HwptNested, SelftestDataSetsTheIotlb)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t id = Nested(parent, 0x1234);
	const fake::HwptState *st = fake::FindHwpt(fk_, id);

	ASSERT_NE(nullptr, st);
	EXPECT_EQ(fake::ObjType::kHwptNested, fk_.ictx().objects.at(id).type);
	for (uint32_t v : st->iotlb)
		EXPECT_EQ(0x1234u, v);
	EXPECT_EQ(40u, fk_.last_size(UAPI_CMD_HWPT_ALLOC)) << "data, no fault_id";
	EXPECT_EQ(-EBUSY, iommufd_destroy(ctx_, parent)) << "the nested HWPT holds its parent";
	EXPECT_EQ(0, iommufd_destroy(ctx_, id));
	EXPECT_EQ(0, iommufd_destroy(ctx_, parent)) << iommufd_ctx_last_error(ctx_);
}

TEST_P(HwptNested, ParentMustBeNestParent)
{
	const uint32_t plain = Paging();
	const iommufd_hwpt_selftest data = {1};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_HWPT_ALLOC: pt_id 3 is not an IOAS, a NEST_PARENT HWPT or a vIOMMU of "
		     "device 2's IOMMU, or the IOMMU refused the vendor data",
		     iommufd_hwpt_alloc(ctx_, dev_, plain, &o, &id));
}

TEST_P(HwptNested, NestedTakesNoPagingFlags)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_hwpt_selftest data = {1};
	iommufd_hwpt_alloc_opts o = AllocOpts(IOMMUFD_HWPT_DIRTY_TRACKING, 0,
					      IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC: device 2's IOMMU does not support this HWPT (flags "
		     "DIRTY_TRACKING, data type SELFTEST; a nested HWPT takes no NEST_PARENT or "
		     "DIRTY_TRACKING)",
		     iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id));
}

// The data type the IOMMU does not take; on 6.7 VT-d's was not there yet.
TEST_P(HwptNested, ForeignDataType)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const iommufd_hwpt_vtd_s1 data = {0, 0x1000, 48, 0};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_VTD_S1, sizeof(data), &data);
	uint32_t id = 0;

	EXPECT_EQ(-EOPNOTSUPP, iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id));
	if (kver() < Kver(6, 8))
		EXPECT_TRUE(HasSentence(ctx_, "IOMMU_HWPT_ALLOC: data type VTD_S1 needs Linux 6.8 "
					      "or newer (this kernel is 6.7)"));
	else
		EXPECT_TRUE(HasSentence(ctx_, "device 2's IOMMU does not support this HWPT (flags "
					      "none, data type VTD_S1)"));
}

// The mock's data grew a word in 7.x.  Kernels refuse data longer than
// their struct, even when the extra bytes are zero.
TEST_P(HwptNested, LongerDataThanTheKernelKnows)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint32_t data[2] = {5, 0};
	iommufd_hwpt_alloc_opts o =
		AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), data);
	uint32_t id = 0;
	const int rc = iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id);

	if (kver() >= Kver(7, 0)) {
		EXPECT_EQ(0, rc) << iommufd_ctx_last_error(ctx_);
		return;
	}
	EXPECT_EQ(-EINVAL, rc);
	EXPECT_TRUE(HasSentence(ctx_, "or the IOMMU refused the vendor data (data_len 8 is more "
				      "than the 4 bytes this library knows of the type; a kernel "
				      "refuses data longer than its own struct, zero or not)"));
}

TEST_P(HwptNested, ShortDataIsInvalid)
{
	const uint32_t parent = Paging(IOMMUFD_HWPT_NEST_PARENT);
	const uint8_t data[2] = {1, 2};
	iommufd_hwpt_alloc_opts o = AllocOpts(0, 0, IOMMUFD_HWPT_DATA_SELFTEST, sizeof(data), data);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EINVAL, "or the IOMMU refused the vendor data",
		     iommufd_hwpt_alloc(ctx_, dev_, parent, &o, &id));
}

INSTANTIATE_FOR_PROFILES(HwptNested, ProfilesSince(Kver(6, 7)));

using HwptAlloc62 = OnProfile<fake::Profile::Linux6_2>;

TEST_F(HwptAlloc62, NeedsLinux66)
{
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HWPT_ALLOC needs Linux 6.6 or newer (this kernel does not know it)",
		     iommufd_hwpt_alloc(ctx_, 1, 1, nullptr, &id));
}

// An ioctl that fails around the command gets the generic sentence.
TEST_P(HwptAlloc, InjectedFailure)
{
	uint32_t id = 0;

	fk_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "IOMMU_HWPT_ALLOC failed: Cannot allocate memory",
		     iommufd_hwpt_alloc(ctx_, dev_, ioas_, nullptr, &id));
	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "IOMMU_HWPT_ALLOC failed: Bad address",
		     iommufd_hwpt_alloc(ctx_, dev_, ioas_, nullptr, &id));
}

} // namespace
