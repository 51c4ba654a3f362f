package iommufd

import (
	"context"
	"syscall"
	"unsafe"

	"github.com/libiommufd/libiommufd/bindings/go/internal/cgen"
)

// RingOptions are the options of FaultQueue.NewRing and VeventQueue.NewRing.
type RingOptions struct {
	// Capacity is the records the ring holds, rounded up to a power of
	// two; 0 means 256.  A fault group larger than the ring can never
	// move: the pump then fails with syscall.EMSGSIZE.
	Capacity uint32
	// CallerPump: the caller pumps (poll PumpFD, call Pump) instead of a
	// thread of the library's.
	CallerPump bool
}

// RingStats is what a ring has seen.
type RingStats struct {
	Pushed    uint64 `json:"pushed"`     // records the pump put in
	Taken     uint64 `json:"taken"`      // records the consumer took out
	Full      uint64 `json:"full"`       // times the pump found the ring full
	PumpReads uint64 `json:"pump_reads"` // reads of the kernel queue
	Signals   uint64 `json:"signals"`    // eventfd writes to wake the consumer
	Capacity  uint32 `json:"capacity"`   // after rounding
}

// ringOps are the C calls of one kind of ring.
type ringOps struct {
	name       string // "fault" or "vevent"
	new        func(uintptr, cgen.Iommufd_ring_opts, *uintptr) int
	free       func(uintptr) int64
	eventfd    func(uintptr) int
	pumpFD     func(uintptr) int
	pump       func(uintptr) int64
	start      func(uintptr) int
	stop       func(uintptr) int
	take       func(uintptr, unsafe.Pointer, int64) int64
	stats      func(uintptr, cgen.Iommufd_ring_stats) int
	statsBytes int64
}

var faultRingOps = &ringOps{"fault", cgen.Iommufd_fault_ring_new, cgen.Iommufd_fault_ring_free,
	cgen.Iommufd_fault_ring_eventfd, cgen.Iommufd_fault_ring_pump_fd, cgen.Iommufd_fault_ring_pump,
	cgen.Iommufd_fault_ring_start, cgen.Iommufd_fault_ring_stop, cgen.Iommufd_fault_ring_take,
	cgen.Iommufd_fault_ring_stats, cgen.Ifd_go_layout("iommufd_ring_stats", 0)}

var veventRingOps = &ringOps{"vevent", cgen.Iommufd_vevent_ring_new, cgen.Iommufd_vevent_ring_free,
	cgen.Iommufd_vevent_ring_eventfd, cgen.Iommufd_vevent_ring_pump_fd, cgen.Iommufd_vevent_ring_pump,
	cgen.Iommufd_vevent_ring_start, cgen.Iommufd_vevent_ring_stop, cgen.Iommufd_vevent_ring_take,
	cgen.Iommufd_vevent_ring_stats, cgen.Ifd_go_layout("iommufd_ring_stats", 0)}

// ring is what FaultRing and VeventRing share: a queue (the handle, the
// poller of the consumer's eventfd, the lock) and the C calls of its kind.
type ring struct {
	q   queue
	ops *ringOps
}

func (r *ring) op(what string) string { return "iommufd_" + r.ops.name + "_ring_" + what }

// open makes a ring over the C queue of owner.
func (r *ring) open(owner *queue, opts *RingOptions) error {
	op := r.op("new")
	o := cgen.NewIommufd_ring_opts()
	defer cgen.DeleteIommufd_ring_opts(o)
	if opts != nil {
		o.SetCapacity(opts.Capacity)
	}
	if opts == nil || !opts.CallerPump {
		o.SetFlags(uint32(cgen.IOMMUFD_RING_THREAD))
	}
	var h uintptr
	if _, err := owner.call(op, func(qh uintptr) int64 { return int64(r.ops.new(qh, o, &h)) }); err != nil {
		return err
	}
	return r.q.open(op, h, r.ops.eventfd, r.ops.free)
}

func (r *ring) take(p unsafe.Pointer, n int) (int, error) {
	return r.q.tryRead(r.op("take"), p, n, r.ops.take)
}

func (r *ring) pump() (int, error) {
	n, err := r.q.call(r.op("pump"), r.ops.pump)
	return int(n), err
}

func (r *ring) run(what string, fn func(uintptr) int) error {
	_, err := r.q.call(r.op(what), func(h uintptr) int64 { return int64(fn(h)) })
	return err
}

func (r *ring) stats() (RingStats, error) {
	st := cgen.NewIommufd_ring_stats()
	defer cgen.DeleteIommufd_ring_stats(st)
	st.SetSz(r.ops.statsBytes)
	if err := r.run("stats", func(h uintptr) int { return r.ops.stats(h, st) }); err != nil {
		return RingStats{}, err
	}
	return RingStats{Pushed: st.GetPushed(), Taken: st.GetTaken(), Full: st.GetFull(),
		PumpReads: st.GetPump_reads(), Signals: st.GetSignals(), Capacity: st.GetCapacity()}, nil
}

// FaultRing moves page requests from a FaultQueue into a lock-free ring
// (on a pump thread of the library's, or the caller's pump), so that a
// consumer takes them without a system call per record.  Groups move
// whole; when the ring is full the pump leaves the rest in the kernel.
// One goroutine takes at a time; answer the groups on the FaultQueue.
type FaultRing struct {
	r  ring
	fq *FaultQueue
}

// NewRing makes a ring fed from the queue, which is read only through the
// ring from then on (closing the queue closes the ring first).
// syscall.EBUSY: the queue has a ring already.
func (fq *FaultQueue) NewRing(opts *RingOptions) (*FaultRing, error) {
	if fq.ring != nil {
		return nil, &Error{Op: "iommufd_fault_ring_new", Errno: syscall.EBUSY,
			Msg: "iommufd_fault_ring_new: the fault queue has a ring already"}
	}
	fr := &FaultRing{r: ring{ops: faultRingOps}, fq: fq}
	if err := fr.r.open(&fq.q, opts); err != nil {
		return nil, err
	}
	fq.ring = fr
	return fr, nil
}

// Take moves up to len(buf) records, whole groups only, out of the ring
// without waiting (0: empty).  syscall.EMSGSIZE: the next group has more
// records than buf holds.  Once the ring is empty it returns the error
// that stopped the pump, if one did.
func (fr *FaultRing) Take(buf []Fault) (int, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	return fr.r.take(p, len(buf))
}

// Read waits until records are in the ring (or ctx ends, or Close) and
// takes them as Take does; at least one.
func (fr *FaultRing) Read(ctx context.Context, buf []Fault) (int, error) {
	return fr.r.q.read(ctx, fr.r.op("take"), func() (int, error) { return fr.Take(buf) })
}

// EventFD returns the consumer's eventfd, readable while records wait
// (owned by the ring: do not read it), or -1 once closed.
func (fr *FaultRing) EventFD() int { return fr.r.q.fd(fr.r.ops.eventfd) }

// PumpFD returns the producer's fd for a caller-run pump: readable when
// Pump has work.
func (fr *FaultRing) PumpFD() int { return fr.r.q.fd(fr.r.ops.pumpFD) }

// Pump is one producer step of a caller-run pump: it moves what the
// kernel queue holds into the ring, as far as it fits, and returns how
// many records it moved.  syscall.EBUSY: the library's thread pumps.
func (fr *FaultRing) Pump() (int, error) { return fr.r.pump() }

// Start starts the library's pump thread.
func (fr *FaultRing) Start() error { return fr.r.run("start", fr.r.ops.start) }

// Stop stops the library's pump thread, waiting for it; records in the
// ring stay there.
func (fr *FaultRing) Stop() error { return fr.r.run("stop", fr.r.ops.stop) }

// Stats returns what the ring has seen.
func (fr *FaultRing) Stats() (RingStats, error) { return fr.r.stats() }

// Close stops the pump, answers every group still in the ring with
// RespInvalid (groups already taken stay owed on the queue) and frees the
// ring.  Closing twice is no error.
func (fr *FaultRing) Close() error {
	_, err := fr.r.q.close(fr.r.op("free"), fr.r.ops.free)
	if fr.fq.ring == fr {
		fr.fq.ring = nil
	}
	return err
}

// VeventRing is FaultRing for a VeventQueue: events move into a ring and
// keep their Lost counts.
type VeventRing struct {
	r  ring
	vq *VeventQueue
}

// NewRing makes a ring fed from the queue, which is read only through the
// ring from then on (closing the queue closes the ring first).
func (vq *VeventQueue) NewRing(opts *RingOptions) (*VeventRing, error) {
	if vq.ring != nil {
		return nil, &Error{Op: "iommufd_vevent_ring_new", Errno: syscall.EBUSY,
			Msg: "iommufd_vevent_ring_new: the vEVENTQ has a ring already"}
	}
	vr := &VeventRing{r: ring{ops: veventRingOps}, vq: vq}
	if err := vr.r.open(&vq.q, opts); err != nil {
		return nil, err
	}
	vq.ring = vr
	return vr, nil
}

// Take moves up to len(buf) events out of the ring without waiting.
func (vr *VeventRing) Take(buf []Vevent) (int, error) {
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0])
	}
	return vr.r.take(p, len(buf))
}

// Read waits until events are in the ring (or ctx ends, or Close) and
// takes them; at least one.
func (vr *VeventRing) Read(ctx context.Context, buf []Vevent) (int, error) {
	return vr.r.q.read(ctx, vr.r.op("take"), func() (int, error) { return vr.Take(buf) })
}

// EventFD returns the consumer's eventfd (owned by the ring).
func (vr *VeventRing) EventFD() int { return vr.r.q.fd(vr.r.ops.eventfd) }

// PumpFD returns the producer's fd for a caller-run pump.
func (vr *VeventRing) PumpFD() int { return vr.r.q.fd(vr.r.ops.pumpFD) }

// Pump is one producer step of a caller-run pump.
func (vr *VeventRing) Pump() (int, error) { return vr.r.pump() }

// Start starts the library's pump thread.
func (vr *VeventRing) Start() error { return vr.r.run("start", vr.r.ops.start) }

// Stop stops the library's pump thread.
func (vr *VeventRing) Stop() error { return vr.r.run("stop", vr.r.ops.stop) }

// Stats returns what the ring has seen.
func (vr *VeventRing) Stats() (RingStats, error) { return vr.r.stats() }

// Close stops the pump and frees the ring; events in it are dropped.
func (vr *VeventRing) Close() error {
	_, err := vr.r.q.close(vr.r.op("free"), vr.r.ops.free)
	if vr.vq.ring == vr {
		vr.vq.ring = nil
	}
	return err
}
