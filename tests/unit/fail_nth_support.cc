// SPDX-License-Identifier: LGPL-2.1-or-later
#include "fail_nth_support.h"

namespace {
IoctlTap *current_tap; // the ops below hold the priv of the layer below
} // namespace

IoctlTap::IoctlTap() : next_(ifd_sys_get())
{
	ops_ = *next_;
	ops_.ioctl = Ioctl;
	current_tap = this;
	ifd_sys_set(&ops_);
}

IoctlTap::~IoctlTap()
{
	if (ifd_sys_get() == &ops_)
		ifd_sys_set(next_);
	current_tap = nullptr;
}

void IoctlTap::Fail(unsigned nth, int err)
{
	requests_.clear();
	fail_at_ = nth;
	err_ = err;
	active_ = true;
}

int IoctlTap::Ioctl(void *priv, int fd, unsigned long request, void *arg)
{
	IoctlTap &t = *current_tap;

	if (!t.active_)
		return t.next_->ioctl(priv, fd, request, arg);
	t.requests_.push_back(request);
	if (t.requests_.size() == t.fail_at_)
		return -t.err_;
	return t.next_->ioctl(priv, fd, request, arg);
}

void ExpectUsable(iommufd_ctx *ctx, const std::string &at)
{
	uint32_t ioas = 0;
	uint64_t iova = 1ull << 32, unmapped = 0;

	ASSERT_EQ(0, iommufd_ioas_alloc(ctx, &ioas)) << at << ": " << iommufd_ctx_last_error(ctx);
	EXPECT_EQ(0, iommufd_ioas_map(ctx, ioas, UserVa(0x10000000), kPage, kFixedRW, &iova))
		<< at << ": " << iommufd_ctx_last_error(ctx);
	EXPECT_EQ(0, iommufd_ioas_unmap(ctx, ioas, iova, kPage, &unmapped))
		<< at << ": " << iommufd_ctx_last_error(ctx);
	EXPECT_EQ(kPage, unmapped) << at;
	EXPECT_EQ(0, iommufd_destroy(ctx, ioas)) << at << ": " << iommufd_ctx_last_error(ctx);
}
