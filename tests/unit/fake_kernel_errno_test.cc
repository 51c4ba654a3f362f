// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Every errno path of the fake's IOAS commands, with raw ioctls (the
// library refuses most of these before the kernel sees them), in the
// kernel's order of checks.
#include "test_support.h"

namespace {

class FakeKernelErrno : public FakeKernelTest {
protected:
	void SetUp() override
	{
		FakeKernelTest::SetUp();
		ioas_ = NewIoas();
	}
	template <class T> int Raw(uint32_t nr, T &cmd)
	{
		cmd.size = sizeof(cmd);
		return ifd_sys_ioctl(iommufd_ctx_fd(ctx_), UAPI_IOMMUFD_IOCTL(nr), &cmd);
	}
	uapi_ioas_map Map(uint32_t flags, uint64_t iova, uint64_t length, uint64_t va = 0x10000)
	{
		uapi_ioas_map m = {};
		m.flags = flags;
		m.ioas_id = ioas_;
		m.user_va = va;
		m.length = length;
		m.iova = iova;
		return m;
	}
	uint32_t ioas_ = 0;
};

TEST_F(FakeKernelErrno, Map)
{
	uapi_ioas_map m = Map(kFixedRW | 8, 0x1000, kPage);
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, 0x1000, kPage);
	m.reserved = 1;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, UINT64_MAX, kPage);
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, 0x1000, UINT64_MAX);
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(IOMMUFD_MAP_FIXED_IOVA, 0x1000, kPage);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, 0x1000, kPage);
	m.ioas_id = 0;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, 0x1000, 2 * kPage, UINT64_MAX - kPage);
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP, m)) << "user_va + length";
	m = Map(kFixedRW, 0x1000, 0);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, UINT64_MAX - kPage + 2, kPage);
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP, m)) << "iova + length";
	m = Map(kRW, 0, UINT64_MAX / 2);
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP, m)) << "too long to allocate";
	EXPECT_TRUE(fk_.ioas(ioas_).areas.empty());
}

TEST_F(FakeKernelErrno, MapAlignment)
{
	fk_.ioas(ioas_).iova_alignment = kPage;
	uapi_ioas_map m = Map(kFixedRW, 0x1000, kPage / 2);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m)) << "length";
	m = Map(kFixedRW, 0x1800, kPage);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m)) << "fixed IOVA";
	m = Map(kFixedRW, 0x1000, kPage, 0x10800);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m)) << "page offset of the user address";
	m = Map(kRW, 0, kPage, 0x10800);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m)) << "automatic IOVA, odd address";
	m = Map(kFixedRW, 0x1000, kPage);
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_MAP, m));
}

TEST_F(FakeKernelErrno, MapPlacement)
{
	fk_.ioas(ioas_).reserved.push_back({0x10000, 0x1ffff});
	uapi_ioas_map m = Map(kFixedRW, 0x1f000, 2 * kPage);
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP, m)) << "reserved";
	m = Map(kFixedRW, 0x20000, 2 * kPage);
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_MAP, m));
	m = Map(kFixedRW, 0x21000, kPage);
	EXPECT_EQ(-EEXIST, Raw(UAPI_CMD_IOAS_MAP, m));

	const uapi_iova_range allowed = {0x40000, 0x40fff};
	uapi_ioas_allow_iovas a = {};
	a.ioas_id = ioas_;
	a.num_iovas = 1;
	a.allowed_iovas = reinterpret_cast<uintptr_t>(&allowed);
	ASSERT_EQ(0, Raw(UAPI_CMD_IOAS_ALLOW_IOVAS, a));
	m = Map(kRW, 0, kPage);
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_MAP, m));
	EXPECT_EQ(0x40000u, m.iova);
	m = Map(kRW, 0, kPage);
	EXPECT_EQ(-ENOSPC, Raw(UAPI_CMD_IOAS_MAP, m));
}

TEST_F(FakeKernelErrno, MapFile)
{
	uapi_ioas_map_file m = {};
	m.flags = kRW;
	m.ioas_id = ioas_;
	m.fd = fk_.AddFile();
	m.length = kPage;

	m.flags = kRW | 16;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_IOAS_MAP_FILE, m));
	m.flags = IOMMUFD_MAP_FIXED_IOVA;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP_FILE, m));
	m.flags = kRW;
	m.length = 0;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_MAP_FILE, m));
	m.length = 2;
	m.start = UINT64_MAX;
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_MAP_FILE, m));
	m.start = 0;
	m.fd = fk_.AddPlainFd();
	EXPECT_EQ(-EBADF, Raw(UAPI_CMD_IOAS_MAP_FILE, m)) << "open, but not a file";
}

TEST_F(FakeKernelErrno, Copy)
{
	uapi_ioas_copy c = {};
	c.flags = kRW;
	c.dst_ioas_id = ioas_;
	c.src_ioas_id = ioas_;
	c.length = kPage;
	c.src_iova = 0x100000;

	c.flags = kRW | 8;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_IOAS_COPY, c));
	c.flags = kRW;
	c.src_iova = UINT64_MAX;
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_COPY, c));
	c.src_iova = 0x100000;
	c.flags = 0;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_COPY, c));
	c.flags = kRW;
	c.src_ioas_id = 9;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_COPY, c)) << "no source IOAS";
	c.src_ioas_id = ioas_;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_COPY, c)) << "source not mapped";
	MapFixed(ioas_, 0x100000, kPage);
	c.dst_ioas_id = 9;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_COPY, c)) << "no destination IOAS";
	c.dst_ioas_id = ioas_;
	c.length = 0;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_COPY, c));
	c.length = kPage;
	EXPECT_EQ(0, Raw(UAPI_CMD_IOAS_COPY, c)) << "into the same IOAS, elsewhere";
	EXPECT_EQ(2u, fk_.ioas(ioas_).areas.size());
}

TEST_F(FakeKernelErrno, Unmap)
{
	uapi_ioas_unmap u = {};
	u.ioas_id = ioas_;
	u.iova = 0x1000;

	u.length = 0;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_UNMAP, u));
	u.length = UINT64_MAX;
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_UNMAP, u));
	u.iova = UINT64_MAX - 1;
	u.length = 4;
	EXPECT_EQ(-EOVERFLOW, Raw(UAPI_CMD_IOAS_UNMAP, u));
	u.ioas_id = 0;
	EXPECT_EQ(-ENOENT, Raw(UAPI_CMD_IOAS_UNMAP, u)) << "the IOAS is looked up first";
}

TEST_F(FakeKernelErrno, IovaRangesAndAllow)
{
	uapi_ioas_iova_ranges r = {};
	r.ioas_id = ioas_;
	r.num_iovas = 1;
	EXPECT_EQ(-EFAULT, Raw(UAPI_CMD_IOAS_IOVA_RANGES, r)) << "no array";
	r.reserved = 1;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_IOAS_IOVA_RANGES, r));

	uapi_iova_range ranges[2] = {{0x1000, 0x1fff}, {0x1800, 0x2fff}};
	uapi_ioas_allow_iovas a = {};
	a.ioas_id = ioas_;
	a.num_iovas = 1;
	EXPECT_EQ(-EFAULT, Raw(UAPI_CMD_IOAS_ALLOW_IOVAS, a));
	a.allowed_iovas = reinterpret_cast<uintptr_t>(ranges);
	a.num_iovas = 2;
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_ALLOW_IOVAS, a)) << "overlap";
	ranges[1] = {0x3000, 0x3000};
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_IOAS_ALLOW_IOVAS, a)) << "start == last";
	ranges[1] = {0x3000, 0x3fff};
	fk_.ioas(ioas_).reserved.push_back({0x3800, 0x38ff});
	EXPECT_EQ(-EADDRINUSE, Raw(UAPI_CMD_IOAS_ALLOW_IOVAS, a));
	EXPECT_TRUE(fk_.ioas(ioas_).allowed.empty()) << "all or nothing";
}

TEST_F(FakeKernelErrno, OptionAndVfioIoas)
{
	uapi_option o = {};
	o.option_id = UAPI_OPTION_RLIMIT_MODE;
	o.op = 7;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_OPTION, o)) << "unknown op";
	o.op = UAPI_OPTION_OP_SET;
	o.val64 = 2;
	fk_.ictx().objects.clear();
	EXPECT_EQ(-EINVAL, Raw(UAPI_CMD_OPTION, o));
	o.option_id = 9;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_OPTION, o)) << "unknown option";

	uapi_vfio_ioas v = {};
	v.op = 3;
	EXPECT_EQ(-EOPNOTSUPP, Raw(UAPI_CMD_VFIO_IOAS, v)) << "unknown op";
}

} // namespace
