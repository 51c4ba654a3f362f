// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's files, counters and iommufd_fops_ioctl().
#include "fake_kernel.h"

#include <cstdlib>
#include <cstdio>

#include "fake_kernel_cmds.h"

extern "C" {
#include "sys.h"
}

namespace fake {
namespace {

// Indexed by nr - 0x80.
constexpr Handler kHandlers[kNrCmds] = {
	Destroy,              // 0x80
	IoasAlloc,            // 0x81
	IoasAllowIovas,       // 0x82
	IoasCopy,             // 0x83
	IoasIovaRanges,       // 0x84
	IoasMap,              // 0x85
	IoasUnmap,            // 0x86
	Option,               // 0x87
	VfioIoas,             // 0x88
	HwptAlloc,            // 0x89
	GetHwInfo,            // 0x8a
	HwptSetDirtyTracking, // 0x8b
	HwptGetDirtyBitmap,   // 0x8c
	HwptInvalidate,       // 0x8d
	FaultQueueAlloc,      // 0x8e
	IoasMapFile,          // 0x8f
	ViommuAlloc,          // 0x90
	VdeviceAlloc,         // 0x91
	IoasChangeProcess,    // 0x92
	VeventqAlloc,         // 0x93
	HwQueueAlloc,         // 0x94
};

} // namespace

// The C seam calls these with the FakeKernel as priv.
struct FakeKernel::Seam {
	static FakeKernel &Of(void *priv) { return *static_cast<FakeKernel *>(priv); }
	static int Open(void *priv, const char *path, int flags)
	{
		return Of(priv).Open(path, flags);
	}
	static int Close(void *priv, int fd) { return Of(priv).Close(fd); }
	static int Ioctl(void *priv, int fd, unsigned long request, void *arg)
	{
		return Of(priv).Ioctl(fd, request, arg);
	}
	static ssize_t Read(void *priv, int fd, void *buf, size_t len)
	{
		return Of(priv).Read(fd, buf, len);
	}
	static ssize_t Write(void *priv, int fd, const void *buf, size_t len)
	{
		return Of(priv).Write(fd, buf, len);
	}
	static int Release(void *priv)
	{
		Of(priv).release_asks_++;
		return static_cast<int>(Of(priv).kver());
	}
};

Ioas *Ictx::FindIoas(uint32_t id)
{
	auto it = objects.find(id);
	if (it == objects.end() || it->second.type != ObjType::kIoas)
		return nullptr;
	return &it->second.ioas;
}

uint32_t Ictx::NextId() const
{
	uint32_t id = 1;
	for (const auto &entry : objects) {
		if (entry.first != id)
			break;
		id++;
	}
	return id;
}

FakeKernel::FakeKernel(Profile p) : profile_(p), ops_(new ifd_sys_ops{})
{
	ops_->open = Seam::Open;
	ops_->close = Seam::Close;
	ops_->ioctl = Seam::Ioctl;
	ops_->read = Seam::Read;
	ops_->write = Seam::Write;
	ops_->kernel_release = Seam::Release;
	ops_->priv = this;
}

FakeKernel::~FakeKernel()
{
	Uninstall();
	ReleaseEventqs();
	delete ops_;
}

void FakeKernel::Install() { ifd_sys_set(ops_); }
void FakeKernel::Uninstall() { ifd_sys_set(nullptr); }

int FakeKernel::NewFd(FdKind kind)
{
	std::lock_guard<std::mutex> g(lock_);
	int fd = next_fd_++;

	fds_[fd] = kind;
	if (kind == FdKind::kIommufd) {
		ictxs_[fd] = Ictx{};
		last_iommufd_ = fd;
	}
	return fd;
}

int FakeKernel::OpenIommufd() { return NewFd(FdKind::kIommufd); }
int FakeKernel::AddPlainFd() { return NewFd(FdKind::kPlain); }
int FakeKernel::AddFile() { return NewFd(FdKind::kFile); }
bool FakeKernel::IsOpen(int fd) const
{
	std::lock_guard<std::mutex> g(lock_);
	return fds_.count(fd) != 0;
}

bool FakeKernel::IsIommufd(int fd) const
{
	std::lock_guard<std::mutex> g(lock_);
	auto it = fds_.find(fd);
	return it != fds_.end() && it->second == FdKind::kIommufd;
}

bool FakeKernel::IsFile(int fd) const
{
	auto it = fds_.find(fd);
	return it != fds_.end() && it->second == FdKind::kFile;
}

int FakeKernel::Open(const std::string &path, int flags)
{
	bool known = path == "/dev/iommu";

	opens_++;
	last_open_flags_ = flags;
	last_open_path_ = path;
	for (const std::string &p : paths_)
		known = known || p == path;
	if (open_error_) {
		int err = open_error_;
		open_error_ = 0;
		return -err;
	}
	return known ? OpenIommufd() : -ENOENT;
}

int FakeKernel::Close(int fd)
{
	std::lock_guard<std::mutex> g(lock_);

	closes_++;
	if (!fds_.erase(fd))
		return -EBADF;
	ictxs_.erase(fd); // the kernel destroys every object of the context
	ReleaseEventq(fd);
	return 0;
}

unsigned FakeKernel::ioctls() const
{
	std::lock_guard<std::mutex> g(lock_);
	return ioctls_;
}

unsigned FakeKernel::ioctls(uint32_t nr) const
{
	std::lock_guard<std::mutex> g(lock_);
	auto it = per_cmd_.find(nr);
	return it == per_cmd_.end() ? 0 : it->second;
}

uint32_t FakeKernel::last_size(uint32_t nr) const
{
	std::lock_guard<std::mutex> g(lock_);
	auto it = last_size_.find(nr);
	return it == last_size_.end() ? 0 : it->second;
}

void FakeKernel::ResetCounters()
{
	std::lock_guard<std::mutex> g(lock_);
	ioctls_ = 0;
	per_cmd_.clear();
	last_size_.clear();
	fail_at_ = 0;
}

void FakeKernel::FailIoctl(unsigned nth, int err)
{
	std::lock_guard<std::mutex> g(lock_);
	fail_at_ = nth ? ioctls_ + nth : 0;
	fail_err_ = err;
}

Ictx &FakeKernel::ictx() { return ictx(last_iommufd_); }

Ictx &FakeKernel::ictx(int fd)
{
	auto it = ictxs_.find(fd);
	if (it == ictxs_.end()) {
		std::fprintf(stderr, "fake kernel: fd %d is not an open iommufd\n", fd);
		std::abort();
	}
	return it->second;
}

Ioas &FakeKernel::ioas(uint32_t id)
{
	Ioas *ioas = ictx().FindIoas(id);
	if (!ioas) {
		std::fprintf(stderr, "fake kernel: no IOAS %u\n", id);
		std::abort();
	}
	return *ioas;
}

size_t FakeKernel::object_count() const
{
	std::lock_guard<std::mutex> g(lock_);
	size_t n = 0;
	for (const auto &entry : ictxs_)
		n += entry.second.objects.size();
	return n;
}

void FakeKernel::SetNumRanges(uint32_t ioas_id, unsigned n)
{
	Ioas &io = ioas(ioas_id);

	io.reserved.clear();
	for (uint64_t i = 1; i < n; i++)
		io.reserved.push_back({i << 40, (i << 40) + (1 << 20) - 1});
}

// iommufd_fops_ioctl(): the size rules, then the command.
int FakeKernel::Ioctl(int fd, unsigned long request, void *arg)
{
	const uint32_t nr = _IOC_NR(request);

	if (before_ioctl)
		before_ioctl(*this, nr);

	std::lock_guard<std::mutex> g(lock_);
	ioctls_++;
	if (_IOC_TYPE(request) == UAPI_IOMMUFD_TYPE)
		per_cmd_[nr]++;
	if (fail_at_ && ioctls_ == fail_at_) {
		fail_at_ = 0;
		return -fail_err_;
	}

	auto f = fds_.find(fd);
	if (f == fds_.end())
		return -EBADF;
	if (f->second != FdKind::kIommufd)
		return -ENOTTY;
	// Outside the release's table: the VFIO compat path, which knows none
	// of what the library sends.  Inside it, the size word is read before
	// the request is compared with the table's _IO(';', nr).
	if (!CmdKnown(kver(), nr))
		return -ENOTTY;
	uint32_t user_size;
	if (!arg)
		return -EFAULT;
	std::memcpy(&user_size, arg, sizeof(user_size));
	if (request != UAPI_IOMMUFD_IOCTL(nr))
		return -ENOTTY;
	last_size_[nr] = user_size;
	if (user_size < FactsFor(nr)->min_size)
		return -EINVAL;

	// copy_struct_from_user(): zero-extend, refuse unknown non-zero bytes.
	Ucmd u{*this, ictx(fd), arg, user_size, CmdSize(kver(), nr)};
	const unsigned char *ubytes = static_cast<const unsigned char *>(arg);
	for (uint32_t i = u.ksize; i < user_size; i++)
		if (ubytes[i])
			return -E2BIG;
	std::memcpy(u.buf, arg, std::min(user_size, u.ksize));
	return kHandlers[nr - kFirstCmd](u);
}

} // namespace fake
