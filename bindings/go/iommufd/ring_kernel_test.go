package iommufd_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// 300 page requests through a ring of 8 moved by the library's pump
// thread to a consumer goroutine answering in batches: every one arrives
// once, in order, and the pump saw the ring full.
func TestKernelFaultRing(t *testing.T) {
	f := newFaultFixture(t)
	r, err := f.q.NewRing(&iommufd.RingOptions{Capacity: 8})
	must(t, err)
	_, err = f.q.NewRing(nil)
	wantErrno(t, syscall.EBUSY, err, "a second ring")

	const total = 300
	go func() {
		for i := 0; i < total; i++ {
			if err := f.dev.TriggerIOPF(0, uint32(i%512), iommufd.FaultPermRead, uint64(i)<<12); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	buf := make([]iommufd.Fault, 4)
	seen := 0
	for seen < total {
		n, err := r.Read(ctx, buf)
		must(t, err)
		resp := make([]iommufd.FaultResponse, 0, n)
		for _, g := range iommufd.Groups(buf[:n]) {
			if g.Faults[0].Addr != uint64(seen)<<12 {
				t.Fatalf("request %d has address %#x", seen, g.Faults[0].Addr)
			}
			seen++
			resp = append(resp, iommufd.FaultResponse{Cookie: g.Cookie})
		}
		if _, err := f.q.RespondBatch(resp); err != nil {
			t.Fatal(err)
		}
	}
	st, err := r.Stats()
	must(t, err)
	t.Logf("ring stats %+v", st)
	if st.Pushed != total || st.Taken != total || st.Capacity != 8 {
		t.Errorf("stats %+v", st)
	}
	must(t, r.Close())
	must(t, r.Close())
}

// A caller-run pump: Pump moves what the kernel queue holds, Take takes it.
func TestKernelFaultRingCallerPump(t *testing.T) {
	f := newFaultFixture(t)
	r, err := f.q.NewRing(&iommufd.RingOptions{Capacity: 16, CallerPump: true})
	must(t, err)
	for i := 0; i < 3; i++ {
		must(t, f.dev.TriggerIOPF(0, uint32(i), iommufd.FaultPermRead, uint64(i)<<12))
	}
	buf := make([]iommufd.Fault, 8)
	if n, err := r.Take(buf); n != 0 || err != nil {
		t.Errorf("take before the pump: %d, %v", n, err)
	}
	n, err := r.Pump()
	if err != nil || n != 3 {
		t.Fatalf("pump: %d, %v", n, err)
	}
	n, err = r.Take(buf)
	if err != nil || n != 3 {
		t.Fatalf("take: %d, %v", n, err)
	}
	must(t, r.Stop()) // no thread runs: nothing to stop
	if _, err := r.Pump(); err != nil {
		t.Errorf("pump of an empty queue: %v", err)
	}
	for _, fault := range buf[:n] {
		must(t, f.q.Respond(fault.Cookie, iommufd.RespSuccess))
	}
}

// vEVENTs through a ring keep their sequence.
func TestKernelVeventRing(t *testing.T) {
	f := newVIOMMUFixture(t)
	needKernel(t, 6, 15, "vEVENTQs")
	q, err := f.v.AllocVeventQueue(iommufd.VeventqTypeSelftest, 64)
	must(t, err)
	defer q.Close()
	r, err := q.NewRing(&iommufd.RingOptions{Capacity: 4})
	must(t, err)
	for i := 0; i < 10; i++ {
		must(t, f.dev.TriggerVevent())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got []iommufd.Vevent
	buf := make([]iommufd.Vevent, 3)
	for len(got) < 10 {
		n, err := r.Read(ctx, buf)
		must(t, err)
		got = append(got, buf[:n]...)
	}
	for i, e := range got {
		if e.SelftestVirtID() != virtID || (i > 0 && e.Sequence != got[i-1].Sequence+1) {
			t.Errorf("event %d: %+v", i, e)
		}
	}
}
