package iommufd_test

import (
	"context"
	"errors"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// faultFixture: the mock device on a nested HWPT that reports its page
// requests to a fault queue (6.12 takes a fault queue on nested HWPTs
// only).
type faultFixture struct {
	*fixture
	q *iommufd.FaultQueue
}

func newFaultFixture(t *testing.T) *faultFixture {
	f := newFixture(t)
	needKernel(t, 6, 11, "fault queues")
	q, err := f.ctx.AllocFaultQueue()
	must(t, err)
	parent := f.hwpt(t, f.ioas, &iommufd.HWPTOptions{Flags: iommufd.HWPTNestParent})
	h, err := f.ctx.AllocHWPT(f.dev.DevID, parent.ID(), &iommufd.HWPTOptions{
		FaultQueue: q, Data: iommufd.HWPTSelftest{IOTLB: iotlbDefault}})
	must(t, err)
	_, err = f.dev.Replace(h.ID())
	must(t, err)
	t.Cleanup(func() {
		// The device leaves the HWPT, the HWPT goes, then the queue.
		f.dev.Replace(f.ioas)
		h.Close()
		if err := q.Close(); err != nil {
			t.Errorf("closing the queue: %v", err)
		}
	})
	return &faultFixture{fixture: f, q: q}
}

// The round trip: the mock raises a page request, Read waits for it and
// hands it over, the response settles it.
func TestKernelFaultRoundTrip(t *testing.T) {
	f := newFaultFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	done := make(chan error, 1)
	buf := make([]iommufd.Fault, 8)
	var n int
	go func() {
		var err error
		n, err = f.q.Read(ctx, buf) // waits: nothing is queued yet
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	must(t, f.dev.TriggerIOPF(0, 0x12, iommufd.FaultPermRead|iommufd.FaultPermWrite, 0xdeadb000))
	must(t, <-done)
	if n != 1 {
		t.Fatalf("read %d records, want 1", n)
	}
	r := buf[0]
	if r.DevID != f.dev.DevID || r.GrpID != 0x12 || r.Addr != 0xdeadb000 ||
		r.Perm != iommufd.FaultPermRead|iommufd.FaultPermWrite ||
		r.Flags&iommufd.FaultLastPage == 0 || r.Cookie == 0 {
		t.Errorf("record %+v", r)
	}
	if f.q.Owed() != 1 {
		t.Errorf("owed %d, want 1", f.q.Owed())
	}
	must(t, f.q.Respond(r.Cookie, iommufd.RespSuccess))
	if f.q.Owed() != 0 {
		t.Errorf("owed %d after the response", f.q.Owed())
	}
	wantErrno(t, syscall.ENOENT, f.q.Respond(r.Cookie, iommufd.RespSuccess), "answering twice")
}

// Many requests read in groups and answered in one write.
func TestKernelFaultBatch(t *testing.T) {
	f := newFaultFixture(t)
	const total = 100
	for i := 0; i < total; i++ {
		must(t, f.dev.TriggerIOPF(0, uint32(i), iommufd.FaultPermRead, uint64(i)<<12))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var resp []iommufd.FaultResponse
	for len(resp) < total {
		groups, err := f.q.ReadGroups(ctx, 16)
		must(t, err)
		for _, g := range groups {
			if len(g.Faults) != 1 || g.Faults[0].Addr != uint64(len(resp))<<12 {
				t.Fatalf("group %d: %+v", len(resp), g)
			}
			resp = append(resp, iommufd.FaultResponse{Cookie: g.Cookie, Code: iommufd.RespSuccess})
		}
	}
	n, err := f.q.RespondBatch(resp)
	if err != nil || n != total {
		t.Fatalf("batch: %d, %v", n, err)
	}
	if f.q.Owed() != 0 {
		t.Errorf("owed %d", f.q.Owed())
	}
	_, err = f.q.RespondBatch([]iommufd.FaultResponse{{Cookie: resp[0].Cookie}})
	wantErrno(t, syscall.ENOENT, err, "a cookie answered already")
}

// Read honours its context, and Close wakes it.
func TestKernelFaultReadCancel(t *testing.T) {
	f := newFaultFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.q.Read(ctx, make([]iommufd.Fault, 1))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want DeadlineExceeded, got %v", err)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("returned after %v: did not wait", d)
	}
	if n, err := f.q.TryRead(make([]iommufd.Fault, 1)); n != 0 || err != nil {
		t.Errorf("TryRead of an empty queue: %d, %v", n, err)
	}
}

func TestKernelFaultCloseWakesRead(t *testing.T) {
	f := newFixture(t)
	needKernel(t, 6, 11, "fault queues")
	q, err := f.ctx.AllocFaultQueue()
	must(t, err)
	done := make(chan error, 1)
	go func() {
		_, err := q.Read(context.Background(), make([]iommufd.Fault, 1))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	must(t, q.Close())
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrClosed) || !errors.Is(err, syscall.EBADF) {
			t.Errorf("want a closed-queue error, got %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake Read")
	}
	must(t, q.Close())
}
