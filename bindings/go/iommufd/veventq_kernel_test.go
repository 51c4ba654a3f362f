package iommufd_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

const virtID = 0x99

// viommuFixture: a selftest vIOMMU on a nesting parent, a vDEVICE for the
// mock device, and the device on a nested HWPT of the vIOMMU.
type viommuFixture struct {
	*fixture
	v *iommufd.VIOMMU
}

func newVIOMMUFixture(t *testing.T) *viommuFixture {
	f := newFixture(t)
	parent := f.hwpt(t, f.ioas, &iommufd.HWPTOptions{Flags: iommufd.HWPTNestParent})
	v, err := f.ctx.AllocVIOMMU(f.dev.DevID, parent.ID(), iommufd.VIOMMUTypeSelftest, nil)
	if !kernelAtLeast(6, 13) {
		wantErrno(t, syscall.EOPNOTSUPP, err, "vIOMMU before 6.13")
		t.Skip("vIOMMUs need Linux 6.13 (the refusal was checked)")
	}
	must(t, err)
	vdev, err := v.AllocVDevice(f.dev.DevID, virtID)
	must(t, err)
	nested := f.nested(t, v.ID(), nil)
	_, err = f.dev.Replace(nested.ID())
	must(t, err)
	t.Cleanup(func() {
		f.dev.Replace(f.ioas)
		nested.Close()
		f.ctx.Destroy(vdev)
		if err := v.Close(); err != nil {
			t.Errorf("closing the vIOMMU: %v", err)
		}
	})
	return &viommuFixture{fixture: f, v: v}
}

// vEVENTQ: the mock's events arrive with the vDEVICE's virtual ID and
// consecutive sequence numbers, through a Read that waits.
func TestKernelVeventq(t *testing.T) {
	f := newVIOMMUFixture(t)
	needKernel(t, 6, 15, "vEVENTQs")
	q, err := f.v.AllocVeventQueue(iommufd.VeventqTypeSelftest, 16)
	must(t, err)
	defer func() { must(t, q.Close()) }()
	_, err = f.v.AllocVeventQueue(iommufd.VeventqTypeSelftest, 16)
	wantErrno(t, syscall.EEXIST, err, "a second queue of the type")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan int, 1)
	buf := make([]iommufd.Vevent, 8)
	go func() {
		n, err := q.Read(ctx, buf)
		if err != nil {
			t.Error(err)
		}
		done <- n
	}()
	time.Sleep(50 * time.Millisecond)
	for i := 0; i < 3; i++ {
		must(t, f.dev.TriggerVevent())
	}
	n := <-done
	for n < 3 { // the first Read may have run before all three came
		m, err := q.Read(ctx, buf[n:])
		must(t, err)
		n += m
	}
	for i, e := range buf[:n] {
		if e.SelftestVirtID() != virtID || e.Lost != 0 || e.Flags != 0 {
			t.Errorf("event %d: %+v", i, e)
		}
		if i > 0 && e.Sequence != buf[i-1].Sequence+1 {
			t.Errorf("event %d: sequence %d after %d", i, e.Sequence, buf[i-1].Sequence)
		}
	}
	if q.Lost() != 0 {
		t.Errorf("lost %d", q.Lost())
	}
}

// A queue of depth 2 given 5 events: two arrive, the losses are counted.
func TestKernelVeventqLost(t *testing.T) {
	f := newVIOMMUFixture(t)
	needKernel(t, 6, 15, "vEVENTQs")
	q, err := f.v.AllocVeventQueue(iommufd.VeventqTypeSelftest, 2)
	must(t, err)
	defer q.Close()
	for i := 0; i < 5; i++ {
		must(t, f.dev.TriggerVevent())
	}
	buf := make([]iommufd.Vevent, 8)
	n, err := q.TryRead(buf)
	must(t, err)
	delivered := 0
	for _, e := range buf[:n] {
		if e.Flags&iommufd.VeventLost == 0 {
			delivered++
		}
	}
	if delivered != 2 || q.Lost() != 3 {
		t.Errorf("delivered %d, lost %d; want 2 and 3 (%+v)", delivered, q.Lost(), buf[:n])
	}
}

// vIOMMU invalidation reaches the mock device's cache entries.
func TestKernelVIOMMUInvalidate(t *testing.T) {
	f := newVIOMMUFixture(t)
	n, err := f.v.Invalidate(iommufd.VIOMMUSelftestInvalidations{{VDevID: virtID, CacheID: 1}})
	if err != nil || n != 1 {
		t.Fatalf("invalidate: %d, %v", n, err)
	}
	must(t, f.dev.CheckDevCache(1, 0))
	n, err = f.v.Invalidate(iommufd.VIOMMUSelftestInvalidations{{VDevID: virtID, CacheID: 2}, {VDevID: virtID, CacheID: 9}})
	wantErrno(t, syscall.EINVAL, err, "cache entry 9")
	if n != 1 {
		t.Errorf("handled %d, want 1", n)
	}
}
