// SPDX-License-Identifier: LGPL-2.1-or-later
// Fake VFIO device cdevs: files, the seam layer, sysfs, read/write, mmap.
// The ioctls are in fake_vfio_ioctl.cc.
#include "fake_vfio.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

extern "C" {
#include "sys.h"
#include "uapi/vfio_abi.h"
}

namespace fake {

namespace {

constexpr char kSysPci[] = "/sys/bus/pci/devices/";
constexpr char kCdevDir[] = "/dev/vfio/devices/vfio";
constexpr uint64_t kBar0Size = 1 << 20;
constexpr int kRegionShift = 40; // vfio-pci: region index << 40

} // namespace

// The C seam calls these with the FakeVfio as priv.
struct FakeVfio::Seam {
	static FakeVfio &Of(void *priv) { return *static_cast<FakeVfio *>(priv); }
	static int Open(void *p, const char *path, int flags) { return Of(p).Open(path, flags); }
	static int Close(void *p, int fd) { return Of(p).Close(fd); }
	static int Ioctl(void *p, int fd, unsigned long req, void *arg)
	{
		return Of(p).Ioctl(fd, req, arg);
	}
	static ssize_t Read(void *p, int fd, void *buf, size_t len)
	{
		const ifd_sys_ops *n = Of(p).next();
		return n->read ? n->read(n->priv, fd, buf, len) : -ENOSYS;
	}
	static ssize_t Write(void *p, int fd, const void *buf, size_t len)
	{
		const ifd_sys_ops *n = Of(p).next();
		return n->write ? n->write(n->priv, fd, buf, len) : -ENOSYS;
	}
	static int Release(void *p)
	{
		const ifd_sys_ops *n = Of(p).next();
		return n->kernel_release ? n->kernel_release(n->priv) : 0;
	}
	static ssize_t Pread(void *p, int fd, void *buf, size_t len, uint64_t off)
	{
		return Of(p).Pread(fd, buf, len, off);
	}
	static ssize_t Pwrite(void *p, int fd, const void *buf, size_t len, uint64_t off)
	{
		return Of(p).Pwrite(fd, buf, len, off);
	}
	static int Mmap(void *p, size_t len, int prot, int flags, int fd, uint64_t off, void **addr)
	{
		return Of(p).Mmap(len, prot, flags, fd, off, addr);
	}
	static int Munmap(void *p, void *addr, size_t len) { return Of(p).Munmap(addr, len); }
	static ssize_t Readlink(void *p, const char *path, char *buf, size_t len)
	{
		return Of(p).Readlink(path, buf, len);
	}
	static ssize_t ListDir(void *p, const char *path, char *buf, size_t len)
	{
		return Of(p).ListDir(path, buf, len);
	}
};

FakeVfio::FakeVfio(FakeKernel &fk) : fk_(fk), ops_(new ifd_sys_ops{})
{
	ops_->open = Seam::Open;
	ops_->close = Seam::Close;
	ops_->ioctl = Seam::Ioctl;
	ops_->read = Seam::Read;
	ops_->write = Seam::Write;
	ops_->kernel_release = Seam::Release;
	ops_->pread = Seam::Pread;
	ops_->pwrite = Seam::Pwrite;
	ops_->mmap = Seam::Mmap;
	ops_->munmap = Seam::Munmap;
	ops_->readlink = Seam::Readlink;
	ops_->list_dir = Seam::ListDir;
	ops_->priv = this;
}

FakeVfio::~FakeVfio()
{
	Uninstall();
	for (const VfioMmap &m : mmaps_)
		munmap(m.addr, m.len);
	for (VfioDevice *d : devices_)
		delete d;
	delete ops_;
}

void FakeVfio::Install()
{
	if (next_)
		return;
	next_ = ifd_sys_get();
	ifd_sys_set(ops_);
}

void FakeVfio::Uninstall()
{
	if (!next_)
		return;
	if (ifd_sys_get() == ops_)
		ifd_sys_set(next_);
	next_ = nullptr;
}

VfioDevice &FakeVfio::AddPciDevice(const std::string &bdf, unsigned minor)
{
	VfioDevice *d = new VfioDevice;

	d->bdf = bdf;
	d->minor = minor;
	d->flags = UAPI_VFIO_DEVICE_FLAGS_PCI | UAPI_VFIO_DEVICE_FLAGS_RESET;
	d->regions.resize(UAPI_VFIO_PCI_NUM_REGIONS);
	VfioRegion &bar0 = d->regions[UAPI_VFIO_PCI_BAR0_REGION_INDEX];
	bar0.flags = UAPI_VFIO_REGION_INFO_FLAG_READ | UAPI_VFIO_REGION_INFO_FLAG_WRITE |
		     UAPI_VFIO_REGION_INFO_FLAG_MMAP;
	bar0.size = kBar0Size;
	VfioRegion &config = d->regions[UAPI_VFIO_PCI_CONFIG_REGION_INDEX];
	config.flags = UAPI_VFIO_REGION_INFO_FLAG_READ | UAPI_VFIO_REGION_INFO_FLAG_WRITE;
	config.size = 256;
	d->regions[UAPI_VFIO_PCI_VGA_REGION_INDEX].absent = true;
	for (VfioRegion &r : d->regions)
		r.data.assign(r.size, 0);
	const uint8_t ids[4] = {0x34, 0x12, 0xe8, 0x11}; // QEMU's edu: 1234:11e8
	std::copy(ids, ids + 4, config.data.begin());
	d->irqs.resize(5);
	d->irqs[UAPI_VFIO_PCI_INTX_IRQ_INDEX] = {false, UAPI_VFIO_IRQ_INFO_EVENTFD |
		UAPI_VFIO_IRQ_INFO_MASKABLE | UAPI_VFIO_IRQ_INFO_AUTOMASKED, 1};
	d->irqs[UAPI_VFIO_PCI_MSI_IRQ_INDEX] = {false, UAPI_VFIO_IRQ_INFO_EVENTFD |
		UAPI_VFIO_IRQ_INFO_NORESIZE, 1};
	d->irqs[UAPI_VFIO_PCI_MSIX_IRQ_INDEX] = {false, UAPI_VFIO_IRQ_INFO_EVENTFD |
		UAPI_VFIO_IRQ_INFO_NORESIZE, 0};
	d->irqs[UAPI_VFIO_PCI_ERR_IRQ_INDEX].absent = true;
	d->irqs[UAPI_VFIO_PCI_REQ_IRQ_INDEX] = {false, UAPI_VFIO_IRQ_INFO_EVENTFD |
		UAPI_VFIO_IRQ_INFO_NORESIZE, 1};
	devices_.push_back(d);
	AddSysfsDevice(bdf, "vfio-pci");
	dirs_[kSysPci + bdf + "/vfio-dev"] = {"vfio" + std::to_string(minor)};
	return *d;
}

VfioDevice &FakeVfio::AddDevice(unsigned minor)
{
	VfioDevice *d = new VfioDevice;

	d->minor = minor;
	devices_.push_back(d);
	return *d;
}

void FakeVfio::AddSysfsDir(const std::string &path, const std::set<std::string> &names)
{
	dirs_[path].insert(names.begin(), names.end());
}

void FakeVfio::AddSysfsDevice(const std::string &bdf, const std::string &driver)
{
	const std::string dir = kSysPci + bdf;

	links_[dir] = "../../../devices/pci0000:00/" + bdf;
	if (!driver.empty())
		links_[dir + "/driver"] = "../../../bus/pci/drivers/" + driver;
}

std::string FakeVfio::CdevPath(const VfioDevice &d) const
{
	return kCdevDir + std::to_string(d.minor);
}

std::vector<VfioFile *> FakeVfio::Files(const VfioDevice &d)
{
	std::vector<VfioFile *> out;

	for (auto &entry : files_)
		if (entry.second.dev == &d)
			out.push_back(&entry.second);
	return out;
}

VfioFile *FakeVfio::File(int fd)
{
	auto it = files_.find(fd);
	return it == files_.end() ? nullptr : &it->second;
}

unsigned FakeVfio::ioctls(unsigned long request) const
{
	auto it = per_request_.find(request);
	return it == per_request_.end() ? 0 : it->second;
}

void FakeVfio::FailIoctl(unsigned nth, int err)
{
	fail_at_ = nth ? ioctls_ + nth : 0;
	fail_err_ = err;
}

const std::vector<uint32_t> &FakeVfio::argsz_seen(unsigned long request)
{
	return argsz_[request];
}

int FakeVfio::Open(const std::string &path, int flags)
{
	for (VfioDevice *d : devices_) {
		if (path != CdevPath(*d))
			continue;
		if (!HasCdev())
			return -ENOENT;
		last_open_flags_ = flags;
		if (open_error_) {
			int err = open_error_;
			open_error_ = 0;
			return -err;
		}
		int fd = next_fd_++;
		files_[fd].dev = d;
		return fd;
	}
	return next_->open(next_->priv, path.c_str(), flags);
}

int FakeVfio::Close(int fd)
{
	auto it = files_.find(fd);

	if (it == files_.end())
		return next_->close(next_->priv, fd);
	if (it->second.dev->model)
		it->second.dev->model->Closed(it->second);
	Unbind(it->second);
	files_.erase(it);
	return 0;
}

ssize_t FakeVfio::Rw(int fd, void *buf, size_t len, uint64_t off, bool write)
{
	VfioFile *f = File(fd);
	const uint64_t index = off >> kRegionShift;
	const uint64_t pos = off & ((1ull << kRegionShift) - 1);

	if (!f || !f->bound)
		return f ? -EINVAL : -EBADF;
	if (rw_error_) {
		int err = rw_error_;
		rw_error_ = 0;
		return -err;
	}
	if (rw_zero_) {
		rw_zero_ = false;
		return 0;
	}
	if (index >= f->dev->regions.size())
		return -EINVAL;
	VfioRegion &r = f->dev->regions[index];
	const uint32_t need = write ? UAPI_VFIO_REGION_INFO_FLAG_WRITE : UAPI_VFIO_REGION_INFO_FLAG_READ;
	if (r.absent || !(r.flags & need) || pos >= r.size)
		return -EINVAL;
	size_t n = std::min<uint64_t>(len, r.size - pos);
	if (rw_max_)
		n = std::min(n, rw_max_);
	if (f->dev->model)
		return f->dev->model->Access(*f, static_cast<uint32_t>(index), pos, buf, n, write);
	if (write)
		std::memcpy(r.data.data() + pos, buf, n);
	else
		std::memcpy(buf, r.data.data() + pos, n);
	return static_cast<ssize_t>(n);
}

ssize_t FakeVfio::Pread(int fd, void *buf, size_t len, uint64_t off)
{
	return Rw(fd, buf, len, off, false);
}

ssize_t FakeVfio::Pwrite(int fd, const void *buf, size_t len, uint64_t off)
{
	return Rw(fd, const_cast<void *>(buf), len, off, true);
}

// vfio_pci_core_mmap(): a bound device, a region with MMAP, inside it.
int FakeVfio::Mmap(size_t len, int prot, int flags, int fd, uint64_t off, void **addr)
{
	VfioFile *f = File(fd);
	const uint64_t index = off >> kRegionShift;
	const uint64_t pos = off & ((1ull << kRegionShift) - 1);

	if (!f)
		return next_->mmap ? next_->mmap(next_->priv, len, prot, flags, fd, off, addr) : -ENOSYS;
	if (mmap_error_) {
		int err = mmap_error_;
		mmap_error_ = 0;
		return -err;
	}
	if (!f->bound || index >= f->dev->regions.size())
		return -EINVAL;
	const VfioRegion &r = f->dev->regions[index];
	if (!(r.flags & UAPI_VFIO_REGION_INFO_FLAG_MMAP) || pos + len > r.size)
		return -EINVAL;
	void *p = nullptr;
	if (f->dev->model) {
		if (int rc = f->dev->model->Map(*f, static_cast<uint32_t>(index), pos, len, &p))
			return rc;
	} else {
		// Real memory, so a caller could touch it; the fake only records.
		p = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return -errno;
	}
	mmaps_.push_back({fd, off, len, prot, flags, p});
	*addr = p;
	return 0;
}

int FakeVfio::Munmap(void *addr, size_t len)
{
	auto it = std::find_if(mmaps_.begin(), mmaps_.end(),
			       [&](const VfioMmap &m) { return m.addr == addr && m.len == len; });
	if (it == mmaps_.end())
		return -EINVAL; // never unmap memory the fake did not map
	munmap(addr, len);
	mmaps_.erase(it);
	return 0;
}

ssize_t FakeVfio::Readlink(const std::string &path, char *buf, size_t len)
{
	auto it = links_.find(path);

	if (it == links_.end())
		return -ENOENT;
	if (it->second.size() + 1 > len)
		return -ENAMETOOLONG;
	std::memcpy(buf, it->second.c_str(), it->second.size() + 1);
	return static_cast<ssize_t>(it->second.size());
}

// Without VFIO_DEVICE_CDEV (before 6.6) no device has a vfio-dev directory.
ssize_t FakeVfio::ListDir(const std::string &path, char *buf, size_t len)
{
	auto it = dirs_.find(path);
	size_t used = 0;

	if (it == dirs_.end() || (!HasCdev() && path.find("/vfio-dev") != std::string::npos))
		return -ENOENT;
	for (const std::string &name : it->second) {
		if (name.size() + 1 > len - used)
			return -ENAMETOOLONG;
		std::memcpy(buf + used, name.c_str(), name.size() + 1);
		used += name.size() + 1;
	}
	return static_cast<ssize_t>(used);
}

} // namespace fake
