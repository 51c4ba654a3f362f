package iommufd

import (
	"context"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// FaultFlags are the bits of Fault.Flags (enum iommufd_fault_flag).
type FaultFlags uint32

// Fault flags.
const (
	FaultPASIDValid FaultFlags = 1 << 0 // PASID is meaningful
	FaultLastPage   FaultFlags = 1 << 1 // the last record of its group
)

// FaultPerm is the access a device asked for (enum iommufd_fault_perm).
type FaultPerm uint32

// Fault permissions.
const (
	FaultPermRead  FaultPerm = 1 << 0
	FaultPermWrite FaultPerm = 1 << 1
	FaultPermExec  FaultPerm = 1 << 2
	FaultPermPriv  FaultPerm = 1 << 3
)

// Fault is one page request, laid out as struct iommufd_fault (the
// kernel's struct iommu_hwpt_pgfault), so records are read straight into
// a []Fault.
type Fault struct {
	Flags    FaultFlags `json:"flags"`
	DevID    uint32     `json:"dev_id"`
	PASID    uint32     `json:"pasid"`
	GrpID    uint32     `json:"grpid"`
	Perm     FaultPerm  `json:"perm"`
	reserved uint32
	Addr     uint64 `json:"addr"`   // the faulting address, page aligned
	Length   uint32 `json:"length"` // bytes wanted (0: a page)
	Cookie   uint32 `json:"cookie"` // the group's handle, named by the response
}

// FaultGroup is one page-request group: its records, the last of which
// carries FaultLastPage, all with the group's cookie.  Each group read is
// owed one response.
type FaultGroup struct {
	Cookie uint32  `json:"cookie"`
	Faults []Fault `json:"faults"`
}

// ResponseCode answers a page-request group (enum
// iommufd_fault_response_code).
type ResponseCode uint32

// Response codes.
const (
	// RespSuccess: the pages are there, the device retries the access.
	RespSuccess ResponseCode = 0
	// RespInvalid: they never will be, the access fails.
	RespInvalid ResponseCode = 1
)

// FaultResponse is one answer, laid out as struct iommufd_fault_response.
type FaultResponse struct {
	Cookie uint32       `json:"cookie"`
	Code   ResponseCode `json:"code"`
}

// FaultQueue is a fault queue (PAGE_REQUEST): the page requests of every
// HWPT allocated with it (HWPTOptions.FaultQueue) arrive here, grouped by
// the device's page-request group, and each group is answered once.
//
// One goroutine reads at a time; Respond and RespondBatch may run on other
// goroutines meanwhile, and Close wakes a Read in progress.
type FaultQueue struct {
	q    queue
	ring *FaultRing // the ring reading the queue, if any
}

// AllocFaultQueue allocates a fault queue (IOMMU_FAULT_QUEUE_ALLOC).
// Older kernels give syscall.EOPNOTSUPP ("needs Linux 6.11").
func (c *Context) AllocFaultQueue() (*FaultQueue, error) {
	const op = "iommufd_fault_queue_alloc"
	if c.h == 0 {
		return nil, errClosed(op)
	}
	var h uintptr
	begin()
	if err := end(op, int64(cgen.Iommufd_fault_queue_alloc(c.h, nil, &h))); err != nil {
		return nil, err
	}
	fq := &FaultQueue{}
	if err := fq.q.open(op, h, cgen.Iommufd_fault_queue_fd, closeInt(cgen.Iommufd_fault_queue_close)); err != nil {
		return nil, err
	}
	fq.q.id = cgen.Iommufd_fault_queue_id(h)
	return fq, nil
}

// ID returns the queue's object ID.
func (fq *FaultQueue) ID() uint32 { return fq.q.id }

// FD returns the queue's fd, readable while requests wait, for a caller's
// own event loop (owned by the queue: do not close or read it), or -1
// once closed.
func (fq *FaultQueue) FD() int { return fq.q.fd(cgen.Iommufd_fault_queue_fd) }

// TryRead moves the requests waiting now into buf, in whole groups,
// without waiting, and returns how many it moved (0: none waiting).
// syscall.EMSGSIZE: the first waiting group has more records than buf
// holds.
func (fq *FaultQueue) TryRead(buf []Fault) (int, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	return fq.q.tryRead("iommufd_fault_queue_read", p, len(buf), cgen.Iommufd_fault_queue_read)
}

// Read waits until requests wait (or ctx ends) and moves them into buf,
// in whole groups; it returns how many it moved, at least one.  It returns
// ctx.Err() when ctx ends first, and an error matching os.ErrClosed (and
// syscall.EBADF) when the queue is closed meanwhile.
func (fq *FaultQueue) Read(ctx context.Context, buf []Fault) (int, error) {
	return fq.q.read(ctx, "iommufd_fault_queue_read", func() (int, error) { return fq.TryRead(buf) })
}

// ReadGroups is Read into a new buffer of max records, split into groups.
func (fq *FaultQueue) ReadGroups(ctx context.Context, max int) ([]FaultGroup, error) {
	buf := make([]Fault, max)
	n, err := fq.Read(ctx, buf)
	if err != nil {
		return nil, err
	}
	return Groups(buf[:n]), nil
}

// Groups splits records as Read returns them (whole groups, each ending
// with FaultLastPage, as the library checked) into groups.  It is the Go
// form of iommufd_fault_next_group(), whose group record would have C
// write a pointer into Go memory.
func Groups(faults []Fault) []FaultGroup {
	var groups []FaultGroup
	start := 0
	for i := range faults {
		if faults[i].Flags&FaultLastPage != 0 || i == len(faults)-1 {
			groups = append(groups, FaultGroup{Cookie: faults[i].Cookie, Faults: faults[start : i+1]})
			start = i + 1
		}
	}
	return groups
}

// Respond answers the group with cookie.  syscall.ENOENT: cookie is not a
// group read from this queue and still unanswered (checked before the
// kernel sees it).
func (fq *FaultQueue) Respond(cookie uint32, code ResponseCode) error {
	_, err := fq.q.call("iommufd_fault_queue_respond", func(h uintptr) int64 {
		return int64(cgen.Iommufd_fault_queue_respond(h, cookie, uint32(code)))
	})
	return err
}

// RespondBatch answers several groups with one write and returns how many
// responses the kernel took (all, or on a partial write the first ones;
// the rest stay owed).  Every response is checked first: one bad response
// sends nothing.
func (fq *FaultQueue) RespondBatch(responses []FaultResponse) (int, error) {
	var p unsafe.Pointer
	if len(responses) > 0 {
		p = unsafe.Pointer(&responses[0])
	}
	n, err := fq.q.call("iommufd_fault_queue_respond_batch", func(h uintptr) int64 {
		return cgen.Iommufd_fault_queue_respond_batch(h, p, int64(len(responses)))
	})
	return int(n), err
}

// Owed returns the number of groups read and not yet answered.
func (fq *FaultQueue) Owed() int {
	n, _ := fq.q.call("iommufd_fault_queue_owed", func(h uintptr) int64 {
		return cgen.Iommufd_fault_queue_owed(h)
	})
	return int(n)
}

// Close wakes a Read in progress, closes the queue's fd and destroys the
// queue; the kernel answers every unanswered group with RespInvalid.
// Destroy the HWPTs naming the queue first: while one does, the kernel
// keeps the queue, and Close returns syscall.EBUSY (the queue's ID lives
// on until Destroy of it succeeds).  A ring reading the queue is closed
// first.  Closing twice is no error.
func (fq *FaultQueue) Close() error {
	if fq.ring != nil {
		fq.ring.Close()
	}
	_, err := fq.q.close("iommufd_fault_queue_close", closeInt(cgen.Iommufd_fault_queue_close))
	return err
}
