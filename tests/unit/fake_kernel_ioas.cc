// SPDX-License-Identifier: LGPL-2.1-or-later
// The fake kernel's IOAS commands (ioas.c, main.c, vfio_compat.c), each
// check in the kernel's order.
#include "fake_hwpt.h"
#include "fake_iopt.h"
#include "fake_kernel_cmds.h"

namespace fake {
namespace {

constexpr uint32_t kMapFlags =
	UAPI_IOAS_MAP_FIXED_IOVA | UAPI_IOAS_MAP_WRITEABLE | UAPI_IOAS_MAP_READABLE;
constexpr uint32_t kMapRw = UAPI_IOAS_MAP_WRITEABLE | UAPI_IOAS_MAP_READABLE;

} // namespace

int Destroy(Ucmd &u)
{
	auto c = u.Get<uapi_destroy>();
	auto it = u.ictx.objects.find(c.id);

	if (it == u.ictx.objects.end())
		return -ENOENT;
	if ((it->second.type == ObjType::kIoas && it->second.ioas.users > 1) || it->second.refs)
		return -EBUSY;
	if (u.ictx.vfio_ioas == c.id)
		u.ictx.vfio_ioas = 0;
	ReleaseHwpt(u.ictx, it->second);
	for (uint32_t held : it->second.holds) {
		auto h = u.ictx.objects.find(held);
		if (h != u.ictx.objects.end() && h->second.refs)
			h->second.refs--;
	}
	u.ictx.objects.erase(it);
	return 0;
}

int IoasAlloc(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_alloc>();

	if (c.flags)
		return -EOPNOTSUPP;
	c.out_ioas_id = u.ictx.NextId();
	u.ictx.objects[c.out_ioas_id] = Object{ObjType::kIoas, Ioas{}};
	return u.Respond(c);
}

int IoasIovaRanges(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_iova_ranges>();
	auto *ranges = reinterpret_cast<uapi_iova_range *>(static_cast<uintptr_t>(c.allowed_iovas));
	Ioas *ioas;

	if (c.reserved)
		return -EOPNOTSUPP;
	if (!(ioas = u.ictx.FindIoas(c.ioas_id)))
		return -ENOENT;
	const uint32_t max = c.num_iovas;
	c.num_iovas = 0;
	c.out_iova_alignment = ioas->iova_alignment;
	for (const Range &hole : IovaHoles(*ioas)) {
		if (c.num_iovas < max) {
			if (!ranges)
				return -EFAULT;
			ranges[c.num_iovas] = uapi_iova_range{hole.start, hole.last};
		}
		c.num_iovas++;
	}
	u.Respond(c);
	return c.num_iovas > max ? -EMSGSIZE : 0;
}

int IoasAllowIovas(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_allow_iovas>();
	auto *ranges =
		reinterpret_cast<const uapi_iova_range *>(static_cast<uintptr_t>(c.allowed_iovas));
	std::vector<Range> allowed;
	Ioas *ioas;

	if (c.reserved)
		return -EOPNOTSUPP;
	if (!(ioas = u.ictx.FindIoas(c.ioas_id)))
		return -ENOENT;
	for (uint32_t i = 0; i != c.num_iovas; i++) { // iommufd_ioas_load_iovas()
		if (!ranges)
			return -EFAULT;
		const Range r{ranges[i].start, ranges[i].last};
		if (r.start >= r.last)
			return -EINVAL;
		for (const Range &a : allowed)
			if (a.start <= r.last && r.start <= a.last)
				return -EINVAL;
		allowed.push_back(r);
	}
	return SetAllowed(*ioas, std::move(allowed));
}

int IoasMap(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_map>();
	uint64_t iova = c.iova, end;
	Ioas *ioas;

	if ((c.flags & ~kMapFlags) || c.reserved)
		return -EOPNOTSUPP;
	if (c.iova >= UINT64_MAX || c.length >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(c.flags & kMapRw))
		return -EINVAL;
	if (!(ioas = u.ictx.FindIoas(c.ioas_id)))
		return -ENOENT;
	// iopt_alloc_user_pages()
	if (__builtin_add_overflow(c.user_va, c.length, &end))
		return -EOVERFLOW;
	if (c.length == 0 || c.length > UINT64_MAX - kPageSize)
		return -EINVAL;
	const bool write = c.flags & UAPI_IOAS_MAP_WRITEABLE;
	int rc = MapPages(*ioas, {{c.user_va, c.length, false, write}}, c.length,
			  c.flags & UAPI_IOAS_MAP_FIXED_IOVA, &iova, write);
	if (rc)
		return rc;
	c.iova = iova;
	return u.Respond(c);
}

int IoasMapFile(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_map_file>();
	uint64_t iova = c.iova, last;
	Ioas *ioas;

	if (c.flags & ~kMapFlags)
		return -EOPNOTSUPP;
	if (c.iova >= UINT64_MAX || c.length >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(c.flags & kMapRw))
		return -EINVAL;
	if (!(ioas = u.ictx.FindIoas(c.ioas_id)))
		return -ENOENT;
	// iopt_map_file_pages()
	if (!c.length)
		return -EINVAL;
	if (__builtin_add_overflow(c.start, c.length - 1, &last))
		return -EOVERFLOW;
	if (!u.fk.IsFile(c.fd))
		return -EBADF;
	if (c.length > UINT64_MAX - kPageSize)
		return -EINVAL;
	const bool write = c.flags & UAPI_IOAS_MAP_WRITEABLE;
	int rc = MapPages(*ioas, {{c.start, c.length, true, write}}, c.length,
			  c.flags & UAPI_IOAS_MAP_FIXED_IOVA, &iova, write);
	if (rc)
		return rc;
	c.iova = iova;
	return u.Respond(c);
}

int IoasCopy(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_copy>();
	std::vector<Pages> pages;
	uint64_t iova = c.dst_iova;
	Ioas *src, *dst;
	int rc;

	if (c.flags & ~kMapFlags)
		return -EOPNOTSUPP;
	if (c.length >= UINT64_MAX || c.src_iova >= UINT64_MAX || c.dst_iova >= UINT64_MAX)
		return -EOVERFLOW;
	if (!(c.flags & kMapRw))
		return -EINVAL;
	if (!(src = u.ictx.FindIoas(c.src_ioas_id)))
		return -ENOENT;
	if ((rc = GetPages(*src, c.src_iova, c.length, &pages)))
		return rc;
	if (!(dst = u.ictx.FindIoas(c.dst_ioas_id)))
		return -ENOENT;
	rc = MapPages(*dst, pages, c.length, c.flags & UAPI_IOAS_MAP_FIXED_IOVA, &iova,
		      c.flags & UAPI_IOAS_MAP_WRITEABLE);
	if (rc)
		return rc;
	c.dst_iova = iova;
	return u.Respond(c);
}

int IoasUnmap(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_unmap>();
	uint64_t unmapped = 0, last;
	Ioas *ioas;
	int rc;

	if (!(ioas = u.ictx.FindIoas(c.ioas_id)))
		return -ENOENT;
	if (c.iova == 0 && c.length == UINT64_MAX) {
		rc = UnmapRange(*ioas, 0, UINT64_MAX, &unmapped);
		if (rc)
			return rc;
	} else {
		if (c.iova >= UINT64_MAX || c.length >= UINT64_MAX)
			return -EOVERFLOW;
		// iopt_unmap_iova()
		if (!c.length)
			return -EINVAL;
		if (__builtin_add_overflow(c.iova, c.length - 1, &last))
			return -EOVERFLOW;
		rc = UnmapRange(*ioas, c.iova, last, &unmapped);
		if (rc)
			return rc;
		if (!unmapped)
			return -ENOENT;
	}
	c.length = unmapped;
	return u.Respond(c);
}

int IoasChangeProcess(Ucmd &u)
{
	auto c = u.Get<uapi_ioas_change_process>();

	if (c.reserved)
		return -EOPNOTSUPP;
	for (const auto &obj : u.ictx.objects)
		if (obj.second.type == ObjType::kIoas)
			for (const auto &area : obj.second.ioas.areas)
				if (!area.second.file)
					return -EINVAL;
	return 0;
}

int Option(Ucmd &u)
{
	auto c = u.Get<uapi_option>();
	int rc;

	if (c.reserved)
		return -EOPNOTSUPP;
	if (c.option_id == UAPI_OPTION_RLIMIT_MODE) { // iommufd_option_rlimit_mode()
		if (c.object_id)
			return -EOPNOTSUPP;
		if (c.op == UAPI_OPTION_OP_GET) {
			c.val64 = u.ictx.account_mm;
			rc = 0;
		} else if (c.op == UAPI_OPTION_OP_SET) {
			if (!u.fk.cap_sys_resource)
				return -EPERM;
			if (!u.ictx.objects.empty())
				return -EBUSY;
			if (c.val64 > 1)
				return -EINVAL;
			u.ictx.account_mm = c.val64;
			rc = 0;
		} else {
			return -EOPNOTSUPP;
		}
	} else if (c.option_id == UAPI_OPTION_HUGE_PAGES) { // iommufd_ioas_option()
		Ioas *ioas = u.ictx.FindIoas(c.object_id);

		if (!ioas)
			return -ENOENT;
		if (c.op == UAPI_OPTION_OP_GET) {
			c.val64 = ioas->huge_pages;
		} else if (c.op == UAPI_OPTION_OP_SET) {
			if (c.val64 > 1)
				return -EINVAL;
			ioas->huge_pages = c.val64;
		} else {
			return -EOPNOTSUPP;
		}
		rc = 0;
	} else {
		return -EOPNOTSUPP;
	}
	// Only val64 is copied back.
	std::memcpy(static_cast<unsigned char *>(u.ubuffer) + offsetof(uapi_option, val64),
		    &c.val64, sizeof(c.val64));
	return rc;
}

int VfioIoas(Ucmd &u)
{
	auto c = u.Get<uapi_vfio_ioas>();

	if (c.reserved)
		return -EOPNOTSUPP;
	switch (c.op) {
	case UAPI_VFIO_IOAS_GET:
		if (!u.ictx.vfio_ioas)
			return -ENODEV;
		c.ioas_id = u.ictx.vfio_ioas;
		return u.Respond(c);
	case UAPI_VFIO_IOAS_SET:
		if (!u.ictx.FindIoas(c.ioas_id))
			return -ENOENT;
		u.ictx.vfio_ioas = c.ioas_id;
		return 0;
	case UAPI_VFIO_IOAS_CLEAR:
		u.ictx.vfio_ioas = 0;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

} // namespace fake
