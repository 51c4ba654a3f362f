package iommufd

import (
	"os"
	"runtime"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// MapFlags say how devices may access a mapping.  At least one of
// MapReadable and MapWriteable is needed.
type MapFlags uint32

// Flags of Map, MapAt, MapFile, Copy (enum iommufd_map_flag).
const (
	mapFixedIOVA MapFlags = 1 << 0 // the *At forms set it
	MapWriteable MapFlags = 1 << 1 // devices may write
	MapReadable  MapFlags = 1 << 2 // devices may read
	MapReadWrite          = MapReadable | MapWriteable
)

// IOVARange is an inclusive range of IO virtual addresses [Start, Last],
// laid out as struct iommufd_iova_range.
type IOVARange struct {
	Start uint64 `json:"start"`
	Last  uint64 `json:"last"`
}

// AllocIOAS creates an empty I/O address space and returns its ID
// (IOMMU_IOAS_ALLOC).  Destroy frees it.  Linux 6.2.
func (c *Context) AllocIOAS() (uint32, error) {
	const op = "iommufd_ioas_alloc"
	if c.h == 0 {
		return 0, errClosed(op)
	}
	var id uint32
	begin()
	err := end(op, int64(cgen.Iommufd_ioas_alloc(c.h, &id)))
	return id, err
}

// Map maps all of buf into IOAS ioas at an IOVA the kernel picks and
// returns it (IOMMU_IOAS_MAP).  The pages stay pinned until unmapped.
// Errors: syscall.ENOSPC (no free IOVA), syscall.ENOMEM (pinning limit),
// syscall.ENOENT (no such IOAS), syscall.EINVAL (no access flag).
// Linux 6.2.
func (c *Context) Map(ioas uint32, buf *Buffer, flags MapFlags) (uint64, error) {
	var iova uint64
	err := c.mapBuffer(ioas, buf, flags&^mapFixedIOVA, &iova)
	return iova, err
}

// MapAt maps all of buf into IOAS ioas at iova, which must be aligned to
// the IOAS's IOVA alignment (see IOVARanges).  syscall.EEXIST: the range
// is mapped already.  Linux 6.2.
func (c *Context) MapAt(ioas uint32, buf *Buffer, iova uint64, flags MapFlags) error {
	return c.mapBuffer(ioas, buf, flags|mapFixedIOVA, &iova)
}

func (c *Context) mapBuffer(ioas uint32, buf *Buffer, flags MapFlags, iova *uint64) error {
	const op = "iommufd_ioas_map"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	rc := cgen.Iommufd_ioas_map(c.h, ioas, buf.ptr(), buf.length(), uint32(flags), iova)
	return end(op, int64(rc))
}

// MapFile maps length bytes of f at offset (a memfd, a hugetlbfs file;
// it need not be mmapped) into IOAS ioas at an IOVA the kernel picks
// (IOMMU_IOAS_MAP_FILE).  Older kernels give syscall.EOPNOTSUPP with a
// sentence naming the release.  Linux 6.13.
func (c *Context) MapFile(ioas uint32, f *os.File, offset, length uint64, flags MapFlags) (uint64, error) {
	var iova uint64
	err := c.mapFile(ioas, f, offset, length, flags&^mapFixedIOVA, &iova)
	return iova, err
}

// MapFileAt is MapFile at a fixed iova.  Linux 6.13.
func (c *Context) MapFileAt(ioas uint32, f *os.File, offset, length, iova uint64, flags MapFlags) error {
	return c.mapFile(ioas, f, offset, length, flags|mapFixedIOVA, &iova)
}

func (c *Context) mapFile(ioas uint32, f *os.File, offset, length uint64, flags MapFlags,
	iova *uint64) error {
	const op = "iommufd_ioas_map_file"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	rc := cgen.Iommufd_ioas_map_file(c.h, ioas, int(f.Fd()), offset, length, uint32(flags), iova)
	runtime.KeepAlive(f) // its finalizer must not close the fd during the call
	return end(op, int64(rc))
}

// Unmap unmaps every mapping inside [iova, iova+length) and returns the
// bytes unmapped.  A mapping only partly inside cannot be split: that
// fails with syscall.ENOENT, after the mappings below it were unmapped.
// Linux 6.2.
func (c *Context) Unmap(ioas uint32, iova, length uint64) (uint64, error) {
	const op = "iommufd_ioas_unmap"
	if c.h == 0 {
		return 0, errClosed(op)
	}
	var unmapped uint64
	begin()
	err := end(op, int64(cgen.Iommufd_ioas_unmap(c.h, ioas, iova, length, &unmapped)))
	return unmapped, err
}

// UnmapAll unmaps everything in IOAS ioas and returns the bytes unmapped
// (0 for an empty IOAS).  Linux 6.2.
func (c *Context) UnmapAll(ioas uint32) (uint64, error) {
	const op = "iommufd_ioas_unmap_all"
	if c.h == 0 {
		return 0, errClosed(op)
	}
	var unmapped uint64
	begin()
	err := end(op, int64(cgen.Iommufd_ioas_unmap_all(c.h, ioas, &unmapped)))
	return unmapped, err
}

// Copy maps into IOAS dst, at an IOVA the kernel picks, the pages behind
// [srcIOVA, srcIOVA+length) of IOAS src, without touching process memory
// (IOMMU_IOAS_COPY), and returns that IOVA.  syscall.ENOENT: the source
// range is not fully mapped.  Linux 6.2.
func (c *Context) Copy(dst, src uint32, srcIOVA, length uint64, flags MapFlags) (uint64, error) {
	var iova uint64
	err := c.copy(dst, src, srcIOVA, length, flags&^mapFixedIOVA, &iova)
	return iova, err
}

// CopyAt is Copy to a fixed dstIOVA.  Linux 6.2.
func (c *Context) CopyAt(dst, src uint32, srcIOVA, length, dstIOVA uint64, flags MapFlags) error {
	return c.copy(dst, src, srcIOVA, length, flags|mapFixedIOVA, &dstIOVA)
}

func (c *Context) copy(dst, src uint32, srcIOVA, length uint64, flags MapFlags, iova *uint64) error {
	const op = "iommufd_ioas_copy"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	rc := cgen.Iommufd_ioas_copy(c.h, dst, src, srcIOVA, length, uint32(flags), iova)
	return end(op, int64(rc))
}

// IOVARanges returns the IOVA ranges usable for mapping in IOAS ioas now,
// lowest first, and the alignment every mapping in it must have
// (IOMMU_IOAS_IOVA_RANGES).  The ranges change as devices attach.
// Linux 6.2.
func (c *Context) IOVARanges(ioas uint32) ([]IOVARange, uint64, error) {
	var small [4]IOVARange
	ranges := small[:]
	for {
		n, align, err := c.IOVARangesInto(ioas, ranges)
		if err != nil {
			return nil, 0, err
		}
		if n <= len(ranges) {
			return append([]IOVARange(nil), ranges[:n]...), align, nil
		}
		ranges = make([]IOVARange, n)
	}
}

// IOVARangesInto is IOVARanges without allocating: it fills ranges and
// returns the total number of ranges, which may exceed len(ranges) (then
// call again with a bigger slice), and the alignment.
func (c *Context) IOVARangesInto(ioas uint32, ranges []IOVARange) (int, uint64, error) {
	const op = "iommufd_ioas_iova_ranges"
	if c.h == 0 {
		return 0, 0, errClosed(op)
	}
	var p unsafe.Pointer
	if len(ranges) > 0 {
		p = unsafe.Pointer(&ranges[0])
	}
	var align uint64
	begin()
	rc := cgen.Iommufd_ioas_iova_ranges(c.h, ioas, p, int64(len(ranges)), &align)
	if err := end(op, int64(rc)); err != nil {
		return 0, 0, err
	}
	return rc, align, nil
}

// AllowIOVAs restricts IOAS ioas to ranges: devices whose reserved regions
// intersect them cannot attach, and IOVAs the kernel picks stay inside
// them (IOMMU_IOAS_ALLOW_IOVAS).  No ranges lifts the restriction.
// syscall.EADDRINUSE: an attached device reserves part of them.
// Linux 6.2.
func (c *Context) AllowIOVAs(ioas uint32, ranges []IOVARange) error {
	const op = "iommufd_ioas_allow_iovas"
	if c.h == 0 {
		return errClosed(op)
	}
	var p unsafe.Pointer
	if len(ranges) > 0 {
		p = unsafe.Pointer(&ranges[0])
	}
	begin()
	return end(op, int64(cgen.Iommufd_ioas_allow_iovas(c.h, ioas, p, int64(len(ranges)))))
}

// ChangeProcess moves the accounting and pins of every file-backed
// mapping (MapFile) of this context to the calling process
// (IOMMU_IOAS_CHANGE_PROCESS), as after a live update handed the iommufd
// over.  Linux 6.14.
func (c *Context) ChangeProcess() error {
	const op = "iommufd_ioas_change_process"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_ioas_change_process(c.h)))
}

// OptionID names an option of IOMMU_OPTION.
type OptionID uint32

// Options (enum iommufd_option_id).
const (
	// OptionRlimitMode, object 0: 0 charges pins per user (default), 1
	// per process.
	OptionRlimitMode OptionID = 0
	// OptionHugePages, object an IOAS: 1 allows huge IOMMU pages
	// (default), 0 not.
	OptionHugePages OptionID = 1
)

// Option reads option opt of the context (object 0) or of an object.
// Linux 6.2.
func (c *Context) Option(opt OptionID, object uint32) (uint64, error) {
	const op = "iommufd_option_get"
	if c.h == 0 {
		return 0, errClosed(op)
	}
	var v uint64
	begin()
	err := end(op, int64(cgen.Iommufd_option_get(c.h, uint32(opt), object, &v)))
	return v, err
}

// SetOption changes option opt of the context (object 0) or of an
// object.  Linux 6.2.
func (c *Context) SetOption(opt OptionID, object uint32, value uint64) error {
	const op = "iommufd_option_set"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_option_set(c.h, uint32(opt), object, value)))
}

// VFIOIOAS returns the IOAS the legacy VFIO container API of this
// iommufd uses (IOMMU_VFIO_IOAS); syscall.ENODEV when none is set.
func (c *Context) VFIOIOAS() (uint32, error) {
	const op = "iommufd_vfio_ioas_get"
	if c.h == 0 {
		return 0, errClosed(op)
	}
	var id uint32
	begin()
	err := end(op, int64(cgen.Iommufd_vfio_ioas_get(c.h, &id)))
	return id, err
}

// SetVFIOIOAS makes IOAS ioas the one of the legacy VFIO container API.
func (c *Context) SetVFIOIOAS(ioas uint32) error {
	const op = "iommufd_vfio_ioas_set"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_vfio_ioas_set(c.h, ioas)))
}

// ClearVFIOIOAS unsets the IOAS of the legacy VFIO container API.
func (c *Context) ClearVFIOIOAS() error {
	const op = "iommufd_vfio_ioas_clear"
	if c.h == 0 {
		return errClosed(op)
	}
	begin()
	return end(op, int64(cgen.Iommufd_vfio_ioas_clear(c.h)))
}
