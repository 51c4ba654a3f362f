package iommufd_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"golang.org/x/sys/unix"
)

// The vfio_dmatest scenarios need the module loaded (insmod
// vfio_dmatest.ko devices=2): the VM runs of ctest (go_latest, go_6.12)
// load it through tests/vm/with-module, which also sets
// LIBIOMMUFD_LOADED_MODULES so that a missing device fails them instead
// of skipping.  On the host they skip, saying the module is not loaded.
// The bytes are checked in the Buffers, never through the device.

const dmaPages = 4

var dmaLen = dmaPages * page

// dmaTimeout bounds every wait: a transfer takes far less, even under TCG.
func dmaTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func fnv1a(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func randomBytes(t *testing.T, b []byte) {
	t.Helper()
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
}

// needDMATest skips (or, when the run loaded the module, fails) unless a
// vfio_dmatest instance and /dev/iommu are there.
func needDMATest(t *testing.T) *iommufd.Context {
	t.Helper()
	why := ""
	if n, err := iommufd.DMATestCount(); err != nil {
		why = err.Error()
	} else if n == 0 {
		_, err := iommufd.DMATestPath(0)
		why = fmt.Sprint(err)
	}
	var ctx *iommufd.Context
	if why == "" {
		var err error
		if ctx, err = iommufd.Open(); err != nil {
			why = err.Error()
		}
	}
	if why != "" {
		why = "no vfio_dmatest device here (" + why + "); the VM runs of ctest load the module (tests/vm/with-module)"
		for _, m := range strings.Fields(os.Getenv("LIBIOMMUFD_LOADED_MODULES")) {
			if m == "vfio_dmatest" {
				t.Fatal("vfio_dmatest was loaded for this run, yet: " + why)
			}
		}
		t.Skip(why)
	}
	t.Cleanup(func() { ctx.Close() })
	return ctx
}

// dmaFixture: an IOAS with two Buffers mapped at fixed IOVAs, unmapped
// pages between them, and instance 0 attached to it.
type dmaFixture struct {
	ctx                *iommufd.Context
	ioas               uint32
	dt                 *iommufd.DMATest
	src, dst           *iommufd.Buffer
	base, srcIO, dstIO uint64
}

func newDMAFixture(t *testing.T) *dmaFixture {
	t.Helper()
	f := &dmaFixture{ctx: needDMATest(t)}
	var err error
	f.ioas, err = f.ctx.AllocIOAS()
	must(t, err)
	ranges, _, err := f.ctx.IOVARanges(f.ioas)
	must(t, err)
	for _, r := range ranges {
		start := (max(r.Start, 1<<20) + 1<<20 - 1) &^ (1<<20 - 1)
		if start >= r.Start && start+64*page-1 <= r.Last {
			f.base = start
			break
		}
	}
	if f.base == 0 {
		t.Fatalf("no IOVA range fits 64 pages: %v", ranges)
	}
	f.src, f.dst = newBuffer(t, dmaLen), newBuffer(t, dmaLen)
	f.srcIO, f.dstIO = f.base, f.base+16*page
	must(t, f.ctx.MapAt(f.ioas, f.src, f.srcIO, iommufd.MapReadWrite))
	must(t, f.ctx.MapAt(f.ioas, f.dst, f.dstIO, iommufd.MapReadWrite))
	f.dt = f.open(t, 0, f.ioas)
	return f
}

func (f *dmaFixture) open(t *testing.T, index uint, pt uint32) *iommufd.DMATest {
	t.Helper()
	dt, err := f.ctx.OpenDMATest(index, &iommufd.DMATestOptions{PT: pt})
	must(t, err)
	t.Cleanup(func() { dt.Close() })
	return dt
}

// signalled reports whether eventfd fd becomes readable within 30 s.
func signalled(fd int) bool {
	p := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(p, 30000)
	return err == nil && n == 1
}

func wantResult(t *testing.T, r iommufd.DMATestResult, err error, status iommufd.DMATestStatus,
	code iommufd.DMATestErrorCode, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if r.Status != status || r.Error != code {
		t.Fatalf("%s: %v/%v, want %v/%v (%+v)", what, r.Status, r.Error, status, code, r)
	}
}

// ---- anywhere ------------------------------------------------------------------

func TestDMATestChecksumOf(t *testing.T) {
	if got := iommufd.DMATestChecksumOf(nil); got != 0xcbf29ce484222325 {
		t.Errorf("checksum of nothing: %#x", got)
	}
	if got := iommufd.DMATestChecksumOf([]byte("a")); got != 0xaf63dc4c8601ec8c {
		t.Errorf(`checksum of "a": %#x`, got)
	}
	b := make([]byte, 3*page+17)
	randomBytes(t, b)
	if got, want := iommufd.DMATestChecksumOf(b), fnv1a(b); got != want {
		t.Errorf("checksum of %d random bytes: %#x, want %#x", len(b), got, want)
	}
}

func TestDMATestCountIsWhatSysfsShows(t *testing.T) {
	shown, _ := filepath.Glob("/sys/bus/platform/drivers/vfio_dmatest/vfio_dmatest.*")
	n, err := iommufd.DMATestCount()
	if err != nil || n != len(shown) {
		t.Errorf("DMATestCount: %d, %v; sysfs shows %d", n, err, len(shown))
	}
}

func TestDMATestNoSuchInstance(t *testing.T) {
	n, err := iommufd.DMATestCount()
	must(t, err)
	_, err = iommufd.DMATestPath(uint(n))
	wantErrno(t, syscall.ENODEV, err, "no such instance")
	want := fmt.Sprintf("has %d instance", n)
	if n == 0 {
		want = "vfio_dmatest module is not loaded"
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("sentence %q does not say %q", err, want)
	}
	ctx, err := iommufd.OpenPath("/dev/null") // opening fails before any ioctl
	must(t, err)
	defer ctx.Close()
	_, err = ctx.OpenDMATest(uint(n), nil)
	wantErrno(t, syscall.ENODEV, err, "opening no such instance")
}

func TestDMATestErrorNames(t *testing.T) {
	seen := map[string]bool{}
	for c := iommufd.DMATestErrNone; c <= iommufd.DMATestErrIO; c++ {
		name := c.String()
		if name == "unknown" || seen[name] {
			t.Errorf("code %d: name %q", c, name)
		}
		seen[name] = true
	}
	if iommufd.DMATestErrUnmapped.String() != "unmapped" || iommufd.DMATestErrorCode(999).String() != "unknown" {
		t.Errorf("names: %v, %v", iommufd.DMATestErrUnmapped, iommufd.DMATestErrorCode(999))
	}
}

// ---- with the module -------------------------------------------------------------

func TestKernelDMATestPath(t *testing.T) {
	needDMATest(t)
	n, _ := iommufd.DMATestCount()
	for i := 0; i < n; i++ {
		path, err := iommufd.DMATestPath(uint(i))
		must(t, err)
		link, _ := filepath.Glob(fmt.Sprintf("/sys/bus/platform/devices/vfio_dmatest.%d/vfio-dev/vfio*", i))
		if _, err := os.Stat(path); err != nil || len(link) != 1 ||
			path != "/dev/vfio/devices/"+filepath.Base(link[0]) {
			t.Errorf("instance %d: %q (%v), sysfs %v", i, path, err, link)
		}
	}
}

func TestKernelDMATestCopy(t *testing.T) {
	f := newDMAFixture(t)
	randomBytes(t, f.src.Bytes())
	before, err := f.dt.Status()
	must(t, err)
	must(t, f.dt.Submit(iommufd.DMATestTransfer{Op: iommufd.DMATestOpCopy, SrcIOVA: f.srcIO,
		DstIOVA: f.dstIO, Length: dmaLen}))
	if !signalled(f.dt.CompletionFD()) {
		t.Error("the completion eventfd was not signalled")
	}
	r, err := f.dt.Wait(dmaTimeout(t))
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "copy")
	if !r.OK() || r.DoneBytes != dmaLen || r.PinnedPages != 0 || r.Completions != before.Completions+1 {
		t.Errorf("copy: %+v (before %+v)", r, before)
	}
	if !bytes.Equal(f.dst.Bytes(), f.src.Bytes()) {
		t.Error("the destination does not hold the source's bytes")
	}

	// Pinned, at odd offsets.
	clear(f.dst.Bytes())
	r, err = f.dt.Copy(dmaTimeout(t), f.srcIO+3, f.dstIO+1, dmaLen-3, iommufd.DMATestPin)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "pinned copy")
	d := f.dst.Bytes()
	if !bytes.Equal(d[1:dmaLen-2], f.src.Bytes()[3:]) || d[0] != 0 || d[dmaLen-2] != 0 || d[dmaLen-1] != 0 {
		t.Error("pinned copy: wrong bytes")
	}
}

func TestKernelDMATestFillChecksum(t *testing.T) {
	f := newDMAFixture(t)
	d := f.dst.Bytes()
	for i := range d {
		d[i] = 0xee
	}
	const pattern = 0x0123456789abcdef
	start, length := uint64(5), 2*page+11
	r, err := f.dt.Fill(dmaTimeout(t), f.dstIO+start, length, pattern, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "fill")
	var unit [8]byte
	binary.LittleEndian.PutUint64(unit[:], pattern)
	for i := uint64(0); i < dmaLen; i++ {
		want := byte(0xee)
		if i >= start && i < start+length {
			want = unit[(i-start)%8]
		}
		if d[i] != want {
			t.Fatalf("byte %d: %#x, want %#x", i, d[i], want)
		}
	}
	r, err = f.dt.Checksum(dmaTimeout(t), f.dstIO, dmaLen, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "checksum")
	if r.Checksum != fnv1a(d) || r.Checksum != iommufd.DMATestChecksumOf(d) || r.DoneBytes != dmaLen {
		t.Errorf("checksum %#x, FNV-1a here %#x", r.Checksum, fnv1a(d))
	}
}

func TestKernelDMATestUnmapped(t *testing.T) {
	f := newDMAFixture(t)
	randomBytes(t, f.src.Bytes())
	last := f.srcIO + (dmaPages-1)*page // then the unmapped page after src
	must(t, f.dt.Submit(iommufd.DMATestTransfer{Op: iommufd.DMATestOpCopy, SrcIOVA: last,
		DstIOVA: f.dstIO, Length: 2 * page}))
	if !signalled(f.dt.ErrorFD()) {
		t.Error("the error eventfd was not signalled")
	}
	r, err := f.dt.Wait(dmaTimeout(t))
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrUnmapped, "copy over a hole")
	if r.FaultIOVA != f.srcIO+dmaLen || r.DoneBytes != page {
		t.Errorf("fault at %#x after %d bytes, want %#x after %d", r.FaultIOVA, r.DoneBytes, f.srcIO+dmaLen, page)
	}
	d := f.dst.Bytes()
	if !bytes.Equal(d[:page], f.src.Bytes()[(dmaPages-1)*page:]) || bytes.Count(d[page:], []byte{0}) != int(dmaLen-page) {
		t.Error("the device should have moved the page before the hole, and nothing more")
	}

	// Pinned, pinning fails first and nothing moves.
	clear(d)
	r, err = f.dt.Copy(dmaTimeout(t), last, f.dstIO, 2*page, iommufd.DMATestPin)
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrUnmapped, "pinned copy over a hole")
	if r.FaultIOVA != f.srcIO+dmaLen || r.PinnedPages != 0 || bytes.Count(d, []byte{0}) != len(d) {
		t.Errorf("pinned: %+v", r)
	}

	// Read-only: the device may read, not write.
	ro := newBuffer(t, page)
	roIO := f.base + 32*page
	must(t, f.ctx.MapAt(f.ioas, ro, roIO, iommufd.MapReadable))
	r, err = f.dt.Copy(dmaTimeout(t), f.srcIO, roIO, page, 0)
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrReadOnly, "copy into read-only")
	if r.FaultIOVA != roIO || bytes.Count(ro.Bytes(), []byte{0}) != int(page) {
		t.Errorf("read-only: %+v", r)
	}
	r, err = f.dt.Checksum(dmaTimeout(t), roIO, page, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "checksum of read-only")
}

func TestKernelDMATestHeld(t *testing.T) {
	f := newDMAFixture(t)
	randomBytes(t, f.src.Bytes())
	held := iommufd.DMATestTransfer{Op: iommufd.DMATestOpCopy, Flags: iommufd.DMATestPin | iommufd.DMATestHold,
		SrcIOVA: f.srcIO, DstIOVA: f.dstIO, Length: dmaLen}
	must(t, f.dt.Submit(held))
	s, err := f.dt.Status()
	wantResult(t, s, err, iommufd.DMATestHeld, iommufd.DMATestErrNone, "held")
	if s.PinnedPages != 2*dmaPages {
		t.Errorf("held with %d pages pinned, want %d", s.PinnedPages, 2*dmaPages)
	}
	short, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := f.dt.Wait(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("waiting on a held transfer: %v", err)
	}
	wantErrno(t, syscall.EBUSY, f.dt.Submit(held), "a second transfer")
	if bytes.Count(f.dst.Bytes(), []byte{0}) != int(dmaLen) {
		t.Error("bytes moved while held")
	}
	must(t, f.dt.Release())
	r, err := f.dt.Wait(dmaTimeout(t))
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "released")
	if r.PinnedPages != 0 || !bytes.Equal(f.dst.Bytes(), f.src.Bytes()) {
		t.Errorf("released: %+v", r)
	}

	// Aborted.
	must(t, f.dt.Submit(iommufd.DMATestTransfer{Op: iommufd.DMATestOpFill, Flags: iommufd.DMATestHold,
		DstIOVA: f.dstIO, Length: dmaLen, Pattern: ^uint64(0)}))
	must(t, f.dt.Abort())
	r, err = f.dt.Wait(dmaTimeout(t))
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrAborted, "aborted")
	wantErrno(t, syscall.EINVAL, f.dt.Abort(), "nothing to abort")
	wantErrno(t, syscall.EINVAL, f.dt.Release(), "nothing held")

	// Unmapped under the pins: the device drops them, the unmap succeeds.
	must(t, f.dt.Submit(held))
	n, err := f.ctx.Unmap(f.ioas, f.srcIO, dmaLen)
	if err != nil || n != dmaLen {
		t.Fatalf("unmap under a pinned transfer: %d, %v", n, err)
	}
	r, err = f.dt.Wait(dmaTimeout(t))
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrUnmapping, "unmapped under the pins")
	if r.FaultIOVA != f.srcIO || r.PinnedPages != 0 {
		t.Errorf("unmapped under the pins: %+v", r)
	}
}

// Close wakes a Wait in progress on another goroutine.
func TestKernelDMATestCloseWakesWait(t *testing.T) {
	f := newDMAFixture(t)
	must(t, f.dt.Submit(iommufd.DMATestTransfer{Op: iommufd.DMATestOpFill, Flags: iommufd.DMATestHold,
		DstIOVA: f.dstIO, Length: page}))
	done := make(chan error, 1)
	go func() {
		_, err := f.dt.Wait(context.Background())
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	must(t, f.dt.Close())
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrClosed) {
			t.Errorf("Wait after Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not wake Wait")
	}
	if _, err := f.dt.Status(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Status after Close: %v", err)
	}
	// The device is free again, idle.
	dt := f.open(t, 0, 0)
	s, err := dt.Status()
	wantResult(t, s, err, iommufd.DMATestIdle, iommufd.DMATestErrNone, "reopened")
}

func TestKernelDMATestArguments(t *testing.T) {
	f := newDMAFixture(t)
	_, err := f.dt.Wait(dmaTimeout(t))
	wantErrno(t, syscall.EINVAL, err, "waiting with nothing submitted")
	for _, x := range []iommufd.DMATestTransfer{
		{Op: iommufd.DMATestOpCopy, SrcIOVA: f.srcIO, DstIOVA: f.dstIO},
		{Op: iommufd.DMATestOpCopy, SrcIOVA: f.srcIO, DstIOVA: f.dstIO, Length: f.dt.MaxLength() + 1},
		{Op: iommufd.DMATestOpCopy, SrcIOVA: ^uint64(0) - page/2, DstIOVA: f.dstIO, Length: page},
		{Op: 99, SrcIOVA: f.srcIO, DstIOVA: f.dstIO, Length: page},
		{Op: iommufd.DMATestOpCopy, Flags: 1, SrcIOVA: f.srcIO, DstIOVA: f.dstIO, Length: page},
	} {
		wantErrno(t, syscall.EINVAL, f.dt.Submit(x), fmt.Sprintf("%+v", x))
	}
	s, err := f.dt.Status()
	wantResult(t, s, err, iommufd.DMATestIdle, iommufd.DMATestErrNone, "after refused transfers")
}

func TestKernelDMATestAttachDetach(t *testing.T) {
	f := newDMAFixture(t)
	f.dt.Close()
	dt := f.open(t, 0, 0)
	if dt.Index() != 0 || dt.DevID() == 0 || dt.MaxLength() < page {
		t.Errorf("index %d, dev ID %d, max length %d", dt.Index(), dt.DevID(), dt.MaxLength())
	}
	r, err := dt.Fill(dmaTimeout(t), f.dstIO, page, 0x11, 0)
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrDetached, "not attached")
	_, err = dt.Attach(f.ioas)
	must(t, err)
	r, err = dt.Fill(dmaTimeout(t), f.dstIO, page, 0x11, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "attached")
	must(t, dt.Detach())
	r, err = dt.Fill(dmaTimeout(t), f.dstIO, page, 0x22, 0)
	wantResult(t, r, err, iommufd.DMATestFailed, iommufd.DMATestErrDetached, "detached")
	if d := f.dst.Bytes(); d[0] != 0x11 || d[1] != 0 {
		t.Errorf("first bytes %#x %#x, want 0x11 0", d[0], d[1])
	}
}

func TestKernelDMATestTwoDevices(t *testing.T) {
	f := newDMAFixture(t)
	if n, _ := iommufd.DMATestCount(); n < 2 {
		t.Skip("needs two vfio_dmatest instances (insmod ... devices=2)")
	}
	other := f.open(t, 1, f.ioas)
	if other.DevID() == f.dt.DevID() {
		t.Error("two devices, one ID")
	}
	randomBytes(t, f.src.Bytes())
	r, err := f.dt.Copy(dmaTimeout(t), f.srcIO, f.dstIO, page, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "device 0")
	r, err = other.Copy(dmaTimeout(t), f.srcIO+page, f.dstIO+page, dmaLen-page, 0)
	wantResult(t, r, err, iommufd.DMATestDone, iommufd.DMATestErrNone, "device 1")
	if !bytes.Equal(f.dst.Bytes(), f.src.Bytes()) {
		t.Error("the two halves do not add up to the source")
	}
}
