package iommufd

import (
	"context"
	"encoding/binary"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// VeventqType is the type of a vEVENTQ: one queue per type per vIOMMU
// (enum iommufd_veventq_type).
type VeventqType uint32

// vEVENTQ types.
const (
	VeventqTypeDefault       VeventqType = 0 // refused by current kernels
	VeventqTypeArmSMMUv3     VeventqType = 1
	VeventqTypeTegra241CMDQV VeventqType = 2
	VeventqTypeSelftest      VeventqType = 0xbeefbeef
	veventDataMax                        = 64
)

// VeventFlags are the bits of Vevent.Flags (enum iommufd_vevent_flag).
type VeventFlags uint32

// vEVENT flags.
const (
	// VeventLost marks the kernel's LOST_EVENTS record: no data; Lost
	// events were dropped.
	VeventLost VeventFlags = 1 << 0
	// VeventTruncated: the vendor data was longer than 64 bytes; Data
	// holds its start, DataLen its full length.
	VeventTruncated VeventFlags = 1 << 1
)

// Vevent is one event, parsed, laid out as struct iommufd_vevent.
type Vevent struct {
	Flags    VeventFlags               `json:"flags"`
	Sequence uint32                    `json:"sequence"` // the kernel's number (31 bits, wrapping)
	Lost     uint32                    `json:"lost"`     // events dropped just before this one
	DataLen  uint32                    `json:"data_len"` // bytes of vendor data the kernel sent
	Data     [veventDataMax / 8]uint64 `json:"-"`
}

// Bytes returns the event's vendor data (at most 64 bytes).
func (e *Vevent) Bytes() []byte {
	n := min(int(e.DataLen), veventDataMax)
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(&e.Data[0])), n)...)
}

// SelftestVirtID returns the virtual ID a selftest mock event carries
// (struct iommufd_vevent_selftest).
func (e *Vevent) SelftestVirtID() uint32 {
	return binary.LittleEndian.Uint32(e.Bytes())
}

// VeventQueue is a vEVENTQ: the events a vIOMMU reports for its vDEVICEs.
// The kernel numbers every event, also those it drops when the queue is
// full; each Vevent's Lost counts the ones dropped just before it.
//
// One goroutine reads at a time; Close wakes a Read in progress.
type VeventQueue struct {
	q    queue
	ring *VeventRing // the ring reading the queue, if any
}

// AllocVeventQueue allocates a vEVENTQ of type typ on the vIOMMU holding
// at most depth (1 .. 1<<19) events (IOMMU_VEVENTQ_ALLOC).
// syscall.EEXIST: the vIOMMU has a queue of that type.  Older kernels give
// syscall.EOPNOTSUPP ("needs Linux 6.15").
func (v *VIOMMU) AllocVeventQueue(typ VeventqType, depth uint32) (*VeventQueue, error) {
	const op = "iommufd_veventq_alloc"
	c := v.ctx
	if c.h == 0 {
		return nil, errClosed(op)
	}
	var h uintptr
	begin()
	if err := end(op, int64(cgen.Iommufd_veventq_alloc(c.h, v.id, uint32(typ), depth, nil, &h))); err != nil {
		return nil, err
	}
	vq := &VeventQueue{}
	if err := vq.q.open(op, h, cgen.Iommufd_veventq_fd, closeInt(cgen.Iommufd_veventq_close)); err != nil {
		return nil, err
	}
	vq.q.id = cgen.Iommufd_veventq_id(h)
	return vq, nil
}

// ID returns the queue's object ID.
func (vq *VeventQueue) ID() uint32 { return vq.q.id }

// FD returns the queue's fd, readable while events wait (owned by the
// queue), or -1 once closed.
func (vq *VeventQueue) FD() int { return vq.q.fd(cgen.Iommufd_veventq_fd) }

// TryRead moves up to len(buf) waiting events into buf without waiting
// and returns how many (0: none waiting).
func (vq *VeventQueue) TryRead(buf []Vevent) (int, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	return vq.q.tryRead("iommufd_veventq_read", p, len(buf), cgen.Iommufd_veventq_read)
}

// Read waits until events wait (or ctx ends) and moves up to len(buf) of
// them into buf; it returns how many, at least one.  It returns ctx.Err()
// when ctx ends first, and an error matching os.ErrClosed (and
// syscall.EBADF) when the queue is closed meanwhile.
func (vq *VeventQueue) Read(ctx context.Context, buf []Vevent) (int, error) {
	return vq.q.read(ctx, "iommufd_veventq_read", func() (int, error) { return vq.TryRead(buf) })
}

// Lost returns the events lost in all, as counted by the reads so far.
func (vq *VeventQueue) Lost() uint64 {
	n, _ := vq.q.call("iommufd_veventq_lost", func(h uintptr) int64 {
		return int64(cgen.Iommufd_veventq_lost(h))
	})
	return uint64(n)
}

// Close wakes a Read in progress, closes the queue's fd and destroys the
// queue; events still queued are dropped.  A ring reading the queue is
// closed first.  Closing twice is no error.
func (vq *VeventQueue) Close() error {
	if vq.ring != nil {
		vq.ring.Close()
	}
	_, err := vq.q.close("iommufd_veventq_close", closeInt(cgen.Iommufd_veventq_close))
	return err
}
