// SPDX-License-Identifier: LGPL-2.1-or-later
// iommufd_viommu_alloc() and iommufd_vdevice_alloc() against the fake's
// mock vIOMMU: the data loopback (sent only when used), every errno with
// its sentence, the checks made before the kernel, and the release
// sentences on kernels without vIOMMUs.
#include "viommu_test_support.h"

namespace {

using fake::Kver;

// ---- vIOMMU -------------------------------------------------------------------

TEST_P(ViommuTest, AllocHoldsTheNestParent)
{
	const uint32_t viommu = Viommu();

	ASSERT_NE(0u, viommu);
	EXPECT_EQ(kViommuAllocFirstSize, fk_.last_size(UAPI_CMD_VIOMMU_ALLOC))
		<< "no data: the 6.13 struct, so a 6.13 kernel sees nothing new";
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY", iommufd_destroy(ctx_, parent_));
	EXPECT_EQ(0, iommufd_destroy(ctx_, viommu));
	EXPECT_EQ(0, iommufd_destroy(ctx_, parent_));
}

TEST_P(ViommuTest, NullOptionsAreNoOptions)
{
	uint32_t id = 0;

	EXPECT_EQ(0, iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, nullptr, &id))
		<< iommufd_ctx_last_error(ctx_);
	EXPECT_NE(0u, id);
}

// The mock copies in_data to out_data and offers two pages to mmap.
TEST_P(ViommuTest, DataLoopback)
{
	iommufd_viommu_selftest data = {};
	data.in_data = 0xbeef;

	ASSERT_NE(0u, Viommu(&data));
	EXPECT_EQ(sizeof(uapi_viommu_alloc), fk_.last_size(UAPI_CMD_VIOMMU_ALLOC));
	EXPECT_EQ(0xbeefu, data.out_data);
	EXPECT_EQ(kPage, data.out_mmap_offset) << "the kernel's offsets start at PAGE_SIZE";
	EXPECT_EQ(2 * kPage, data.out_mmap_length);
	// A second vIOMMU gets the next free region.
	iommufd_viommu_selftest second = {};
	ASSERT_NE(0u, Viommu(&second));
	EXPECT_EQ(3 * kPage, second.out_mmap_offset);
}

// The kernel takes the type's struct from its first member set to its
// full size: shorter or longer (even with zeros) is EINVAL, and nothing is
// allocated.
TEST_P(ViommuTest, DataOfTheWrongLength)
{
	unsigned char data[40] = {};
	uint32_t id = 0;
	const size_t objects = fk_.object_count();

	for (uint32_t len : {4u, 7u, 25u, 40u}) {
		const iommufd_viommu_alloc_opts o = ViommuOpts(data, len);
		EXPECT_FAILS(ctx_, EINVAL,
			     "IOMMU_VIOMMU_ALLOC: hwpt_id 3 is not a NEST_PARENT HWPT, or the "
			     "IOMMU refused the data (its length is not the type's struct",
			     iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	}
	EXPECT_EQ(objects, fk_.object_count());
	EXPECT_EQ(0u, id);
}

TEST_P(ViommuTest, KernelErrnos)
{
	uint32_t id = 0;
	const uint32_t plain = Paging();

	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_VIOMMU_ALLOC: device 99 is not bound to this context, or hwpt_id 3 is "
		     "no paging HWPT",
		     iommufd_viommu_alloc(ctx_, 99, parent_, kViommuSelftest, nullptr, &id));
	EXPECT_FAILS(ctx_, ENOENT, "hwpt_id 1 is no paging HWPT",
		     iommufd_viommu_alloc(ctx_, dev_, ioas_, kViommuSelftest, nullptr, &id));
	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_VIOMMU_ALLOC: hwpt_id " + std::to_string(plain) +
			     " is not a NEST_PARENT HWPT",
		     iommufd_viommu_alloc(ctx_, dev_, plain, kViommuSelftest, nullptr, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_VIOMMU_ALLOC: device 2's IOMMU does not offer vIOMMU type 0xdead",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, 0xdead, nullptr, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "does not offer vIOMMU type ARM_SMMUV3",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, IOMMUFD_VIOMMU_TYPE_ARM_SMMUV3,
					  nullptr, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "vIOMMU type DEFAULT (the kernel refuses DEFAULT: name the vendor's type)",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, IOMMUFD_VIOMMU_TYPE_DEFAULT, nullptr,
					  &id));
	EXPECT_EQ(0u, id);
}

// An IOMMU with no vIOMMU type at all.
TEST_P(ViommuTest, IommuWithoutViommus)
{
	fake::DevIommu none;
	none.viommu_type = 0;
	const uint32_t dev = fake::AddIommuDevice(fk_, none);
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, EOPNOTSUPP, "IOMMU does not offer vIOMMU type SELFTEST",
		     iommufd_viommu_alloc(ctx_, dev, parent_, kViommuSelftest, nullptr, &id));
}

TEST_P(ViommuTest, ArgumentChecksBeforeTheKernel)
{
	iommufd_viommu_selftest data = {};
	iommufd_viommu_alloc_opts o = ViommuOpts(nullptr, 0, 1);
	uint32_t id = 0;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_viommu_alloc: the context is NULL",
			iommufd_viommu_alloc(nullptr, dev_, parent_, kViommuSelftest, nullptr, &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_alloc: viommu_id is NULL",
			iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, nullptr,
					     nullptr));
	EXPECT_REJECTED(ctx_, EOPNOTSUPP, "iommufd_viommu_alloc: unknown flags 0x1 (known: 0x0)",
			iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	o = ViommuOpts(nullptr, sizeof(data));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_alloc: data is NULL but data_len is 24",
			iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	o = ViommuOpts(&data, 0);
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_alloc: data is set but data_len is 0",
			iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	o = ViommuOpts();
	o.sz = 2;
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_viommu_alloc: options sz is 2",
			iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	EXPECT_EQ(0u, id);
	EXPECT_EQ(0u, data.out_data);
}

// Failures around the command: the errno and a sentence naming it.
TEST_P(ViommuTest, InjectedFailures)
{
	iommufd_viommu_selftest data = {};
	const iommufd_viommu_alloc_opts o = ViommuOpts(&data, sizeof(data));
	uint32_t id = 0;

	fk_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "IOMMU_VIOMMU_ALLOC failed: Cannot allocate memory",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT,
		     "IOMMU_VIOMMU_ALLOC: cannot read or write back the 24 bytes of data",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, &o, &id));
	fk_.FailIoctl(1, EFAULT);
	EXPECT_FAILS(ctx_, EFAULT, "IOMMU_VIOMMU_ALLOC failed: Bad address",
		     iommufd_viommu_alloc(ctx_, dev_, parent_, kViommuSelftest, nullptr, &id));
	EXPECT_EQ(0u, id);
	EXPECT_NE(0u, Viommu()) << "the context is still usable";
}

// ---- vDEVICE ------------------------------------------------------------------

TEST_P(ViommuTest, VdeviceHoldsItsViommu)
{
	const uint32_t viommu = Viommu();
	const uint32_t vdev = Vdevice(viommu, 0x99);

	ASSERT_NE(0u, vdev);
	EXPECT_EQ(0x99u, fake::VirtOf(fk_, vdev).virt_id);
	EXPECT_EQ(sizeof(uapi_vdevice_alloc), fk_.last_size(UAPI_CMD_VDEVICE_ALLOC));
	EXPECT_FAILS(ctx_, EBUSY, "IOMMU_DESTROY", iommufd_destroy(ctx_, viommu));
	EXPECT_EQ(0, iommufd_destroy(ctx_, vdev));
	EXPECT_EQ(0, iommufd_destroy(ctx_, viommu));
}

// The full 64 bits of the virtual ID reach the kernel.
TEST_P(ViommuTest, VdeviceVirtIdIs64Bits)
{
	const uint32_t vdev = Vdevice(Viommu(), 0x123456789abcull);

	EXPECT_EQ(0x123456789abcull, fake::VirtOf(fk_, vdev).virt_id);
}

TEST_P(ViommuTest, OneVdevicePerDeviceAndPerVirtId)
{
	const uint32_t viommu = Viommu();
	const uint32_t other = fake::AddIommuDevice(fk_, iommu_);
	uint32_t id = 0;

	const uint32_t vdev = Vdevice(viommu, 0x99);
	EXPECT_FAILS(ctx_, EEXIST,
		     "IOMMU_VDEVICE_ALLOC: device 2 has a vDEVICE already, or virt_id 0x88 is "
		     "taken on vIOMMU " + std::to_string(viommu),
		     iommufd_vdevice_alloc(ctx_, viommu, dev_, 0x88, &id));
	EXPECT_FAILS(ctx_, EEXIST, "virt_id 0x99 is taken",
		     iommufd_vdevice_alloc(ctx_, viommu, other, 0x99, &id));
	EXPECT_EQ(0u, id);
	// Destroyed, the device and its ID are free again.
	EXPECT_EQ(0, iommufd_destroy(ctx_, vdev));
	EXPECT_NE(0u, Vdevice(viommu, 0x99, other));
	EXPECT_NE(0u, Vdevice(viommu, 0x88));
}

TEST_P(ViommuTest, VdeviceErrnos)
{
	const uint32_t viommu = Viommu();
	uint32_t id = 0;

	EXPECT_FAILS(ctx_, ENOENT,
		     "IOMMU_VDEVICE_ALLOC: 99 is no vIOMMU, or device 2 is not bound to this "
		     "context",
		     iommufd_vdevice_alloc(ctx_, 99, dev_, 1, &id));
	EXPECT_FAILS(ctx_, ENOENT, "IOMMU_VDEVICE_ALLOC: " + std::to_string(parent_) +
					   " is no vIOMMU",
		     iommufd_vdevice_alloc(ctx_, parent_, dev_, 1, &id));
	EXPECT_FAILS(ctx_, ENOENT, "or device 77 is not bound",
		     iommufd_vdevice_alloc(ctx_, viommu, 77, 1, &id));
	fk_.FailIoctl(1, EINVAL);
	EXPECT_FAILS(ctx_, EINVAL,
		     "IOMMU_VDEVICE_ALLOC: device 2 is not behind vIOMMU " +
			     std::to_string(viommu) + "'s IOMMU, or the IOMMU refused virt_id 0x5",
		     iommufd_vdevice_alloc(ctx_, viommu, dev_, 5, &id));
	fk_.FailIoctl(1, ENOMEM);
	EXPECT_FAILS(ctx_, ENOMEM, "IOMMU_VDEVICE_ALLOC failed: Cannot allocate memory",
		     iommufd_vdevice_alloc(ctx_, viommu, dev_, 5, &id));
	EXPECT_EQ(0u, id);
}

TEST_P(ViommuTest, VdeviceArgumentChecksBeforeTheKernel)
{
	uint32_t id = 0;

	EXPECT_REJECTED(nullptr, EINVAL, "iommufd_vdevice_alloc: the context is NULL",
			iommufd_vdevice_alloc(nullptr, 1, dev_, 1, &id));
	EXPECT_REJECTED(ctx_, EINVAL, "iommufd_vdevice_alloc: vdevice_id is NULL",
			iommufd_vdevice_alloc(ctx_, 1, dev_, 1, nullptr));
}

INSTANTIATE_FOR_PROFILES(ViommuTest, ProfilesSince(Kver(6, 13)));

// ---- injected failures over the whole chain ---------------------------------------

// NEST_PARENT HWPT, vIOMMU with data, vDEVICE, invalidation, HW queue:
// failing the Nth ioctl, for every N, fails that call with the errno and a
// sentence naming its command, leaves no object of the failed call and the
// context usable.
class ViommuFailNth : public ProfileTest {
protected:
	// The chain on @c; *@cmd names the last command tried.
	int Chain(iommufd_ctx *c, uint32_t ioas, uint32_t dev, std::string *cmd)
	{
		const iommufd_hwpt_alloc_opts po = AllocOpts(IOMMUFD_HWPT_NEST_PARENT);
		iommufd_viommu_selftest data = {};
		const iommufd_viommu_alloc_opts vo = ViommuOpts(&data, sizeof(data));
		const iommufd_viommu_selftest_invalidate e = {0, 0x99, 1};
		uint32_t parent = 0, viommu = 0, vdev = 0, queue = 0, n = 1;

		*cmd = "IOMMU_HWPT_ALLOC";
		int rc = iommufd_hwpt_alloc(c, dev, ioas, &po, &parent);
		if (!rc) {
			*cmd = "IOMMU_VIOMMU_ALLOC";
			rc = iommufd_viommu_alloc(c, dev, parent, kViommuSelftest, &vo, &viommu);
		}
		if (!rc) {
			*cmd = "IOMMU_VDEVICE_ALLOC";
			rc = iommufd_vdevice_alloc(c, viommu, dev, 0x99, &vdev);
		}
		if (!rc) {
			*cmd = "IOMMU_HWPT_INVALIDATE";
			rc = iommufd_viommu_invalidate(c, viommu, kViommuInv, &e, kViommuInvLen, &n);
			EXPECT_EQ(rc ? 0u : 1u, n) << "a failure handled nothing";
		}
		if (!rc) {
			*cmd = "IOMMU_HW_QUEUE_ALLOC";
			rc = iommufd_hw_queue_alloc(c, viommu, kHwQueueSelftest, 0, 1ull << 32, kPage,
						    &queue);
		}
		return rc;
	}
};

TEST_P(ViommuFailNth, EveryStep)
{
	for (int err : {ENOMEM, EFAULT, EINVAL}) {
		unsigned n;

		for (n = 1; n < 20; n++) {
			iommufd_ctx *c = nullptr;
			uint32_t ioas = 0, id = 0;
			std::string cmd;
			ASSERT_EQ(0, iommufd_ctx_open(nullptr, &c));
			ASSERT_EQ(0, iommufd_ioas_alloc(c, &ioas));
			uint64_t iova = 1ull << 32;
			ASSERT_EQ(0, iommufd_ioas_map(c, ioas, UserVa(0x10000000), kPage, kFixedRW,
						      &iova));
			const uint32_t dev = fake::AddIommuDevice(fk_);
			fk_.ResetCounters();
			fk_.FailIoctl(n, err);
			const size_t objects = fk_.object_count();
			const int rc = Chain(c, ioas, dev, &cmd);
			const bool injected = fk_.ioctls() >= n;
			fk_.FailIoctl(0, 0);
			if (injected) {
				EXPECT_EQ(-err, rc) << "N=" << n << " " << cmd;
				EXPECT_TRUE(HasSentence(c, cmd)) << "N=" << n;
				// Each step before made one object (invalidation none).
				EXPECT_EQ(objects + std::min(n - 1, 3u), fk_.object_count())
					<< "N=" << n;
			} else {
				EXPECT_EQ(0, rc) << "N=" << n << " " << cmd << ": "
						 << iommufd_ctx_last_error(c);
			}
			EXPECT_EQ(0, iommufd_ioas_alloc(c, &id)) << "N=" << n << ": context unusable";
			iommufd_ctx_close(c);
			if (!injected)
				break;
		}
		EXPECT_EQ(6u, n) << "five ioctls, then nothing left to fail";
	}
}

INSTANTIATE_FOR_PROFILES(ViommuFailNth, ProfilesSince(Kver(6, 17)));

// ---- kernels without vIOMMUs: the release is named, nothing is sent twice ----

class NoViommu : public ProfileTest {};

TEST_P(NoViommu, EveryCallNamesTheRelease)
{
	iommufd_viommu_selftest data = {};
	const iommufd_viommu_alloc_opts o = ViommuOpts(&data, sizeof(data));
	const iommufd_viommu_selftest_invalidate e = {0, 1, 0};
	uint32_t id = 0, n = 1;

	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_VIOMMU_ALLOC needs Linux 6.13 or newer (this kernel does not know it)",
		     iommufd_viommu_alloc(ctx_, 1, 2, kViommuSelftest, nullptr, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "IOMMU_VIOMMU_ALLOC needs Linux 6.13 or newer",
		     iommufd_viommu_alloc(ctx_, 1, 2, kViommuSelftest, &o, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_VDEVICE_ALLOC needs Linux 6.13 or newer (this kernel does not know it)",
		     iommufd_vdevice_alloc(ctx_, 1, 2, 0x99, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "IOMMU_HW_QUEUE_ALLOC needs Linux 6.17 or newer (this kernel does not know "
		     "it)",
		     iommufd_hw_queue_alloc(ctx_, 1, kHwQueueSelftest, 0, 1ull << 32, kPage, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP,
		     "iommufd_viommu_invalidate: vIOMMUs need Linux 6.13 or newer (this kernel "
		     "does not know IOMMU_VIOMMU_ALLOC)",
		     iommufd_viommu_invalidate(ctx_, 1, kViommuInv, &e, kViommuInvLen, &n));
	EXPECT_EQ(0u, n);
	EXPECT_EQ(0u, id);
	EXPECT_EQ(0u, data.out_data);
	// The kernel's "unknown" is remembered: asking again sends nothing.
	const unsigned before = fk_.ioctls();
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "IOMMU_VIOMMU_ALLOC needs Linux 6.13",
		     iommufd_viommu_alloc(ctx_, 1, 2, kViommuSelftest, nullptr, &id));
	EXPECT_FAILS(ctx_, EOPNOTSUPP, "IOMMU_VDEVICE_ALLOC needs Linux 6.13",
		     iommufd_vdevice_alloc(ctx_, 1, 2, 0x99, &id));
	EXPECT_EQ(before, fk_.ioctls());
}

INSTANTIATE_FOR_PROFILES(NoViommu, ProfilesBefore(Kver(6, 13)));

} // namespace
