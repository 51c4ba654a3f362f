// SPDX-License-Identifier: LGPL-2.1-or-later
//
// iommufd_ctx_last_error(): one sentence per context and per thread.
#include <barrier>
#include <thread>

#include "test_support.h"

namespace {

class LastError : public FakeKernelTest {};

TEST_F(LastError, EmptyBeforeAnyFailure)
{
	EXPECT_STREQ("", iommufd_ctx_last_error(ctx_));
}

TEST_F(LastError, KeptAcrossSuccessfulCalls)
{
	EXPECT_EQ(-ENOENT, iommufd_destroy(ctx_, 41));
	NewIoas();
	EXPECT_TRUE(HasSentence(ctx_, "IOMMU_DESTROY: no object with ID 41"));
	EXPECT_TRUE(HasSentence(nullptr, "IOMMU_DESTROY: no object with ID 41"));
}

TEST_F(LastError, PerContext)
{
	iommufd_ctx *a = ctx_, *b = nullptr;

	ASSERT_EQ(0, iommufd_ctx_open(nullptr, &b));
	EXPECT_EQ(-ENOENT, iommufd_destroy(a, 11));
	EXPECT_STREQ("", iommufd_ctx_last_error(b));
	EXPECT_EQ(-ENOENT, iommufd_destroy(b, 22));
	EXPECT_TRUE(HasSentence(a, "no object with ID 11"));
	EXPECT_TRUE(HasSentence(b, "no object with ID 22"));
	EXPECT_TRUE(HasSentence(nullptr, "no object with ID 22")) << "NULL: the latest of any";
	iommufd_ctx_close(b);
}

// A context opened after another was closed (perhaps at the same address)
// starts clean.
TEST_F(LastError, NewContextDoesNotInheritAClosedOnesSentence)
{
	for (int i = 0; i < 8; i++) {
		iommufd_ctx *c = nullptr;

		ASSERT_EQ(0, iommufd_ctx_open(nullptr, &c));
		EXPECT_STREQ("", iommufd_ctx_last_error(c)) << "round " << i;
		EXPECT_EQ(-ENOENT, iommufd_destroy(c, 100 + i));
		iommufd_ctx_close(c);
	}
}

// With more contexts failing than a thread keeps records for, a context's
// sentence may be forgotten, but never replaced by another context's.
TEST_F(LastError, ManyContextsNeverMixSentences)
{
	iommufd_ctx *c[6] = {};

	for (int i = 0; i < 6; i++) {
		ASSERT_EQ(0, iommufd_ctx_open(nullptr, &c[i]));
		EXPECT_EQ(-ENOENT, iommufd_destroy(c[i], 200 + i));
	}
	for (int i = 0; i < 6; i++) {
		const std::string msg = iommufd_ctx_last_error(c[i]);
		const bool own = msg.find("ID " + std::to_string(200 + i)) != std::string::npos;
		EXPECT_TRUE(msg.empty() || own) << msg;
		iommufd_ctx_close(c[i]);
	}
	EXPECT_TRUE(HasSentence(nullptr, "ID 205"));
}

// Two threads failing on one context each see their own sentence.
TEST_F(LastError, PerThread)
{
	std::barrier both_failed(2);
	std::string seen_by_thread, seen_by_thread_null, empty_in_thread;

	std::thread t([&] {
		empty_in_thread = iommufd_ctx_last_error(ctx_);
		EXPECT_EQ(-ENOENT, iommufd_destroy(ctx_, 77));
		both_failed.arrive_and_wait();
		seen_by_thread = iommufd_ctx_last_error(ctx_);
		seen_by_thread_null = iommufd_ctx_last_error(nullptr);
	});
	EXPECT_EQ(-ENOENT, iommufd_destroy(ctx_, 88));
	both_failed.arrive_and_wait();
	const std::string seen_by_main = iommufd_ctx_last_error(ctx_);
	t.join();

	EXPECT_EQ("", empty_in_thread);
	EXPECT_NE(std::string::npos, seen_by_thread.find("ID 77")) << seen_by_thread;
	EXPECT_NE(std::string::npos, seen_by_thread_null.find("ID 77")) << seen_by_thread_null;
	EXPECT_NE(std::string::npos, seen_by_main.find("ID 88")) << seen_by_main;
	EXPECT_TRUE(HasSentence(nullptr, "ID 88"));
}

} // namespace
