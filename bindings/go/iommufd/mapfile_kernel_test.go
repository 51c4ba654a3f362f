package iommufd_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
	"github.com/libiommufd/libiommufd/bindings/go/iommufd/iommufdtest"
	"golang.org/x/sys/unix"
)

// MapFile of a memfd lands in the mock domain on the pages the file's own
// mmap shows; on 6.12 the refusal names the release it needs.
func TestKernelMapFile(t *testing.T) {
	f := newFixture(t)
	fd, err := unix.MemfdCreate("iommufd-go", unix.MFD_CLOEXEC)
	must(t, err)
	file := os.NewFile(uintptr(fd), "memfd")
	defer file.Close()
	size := 8 * page
	must(t, file.Truncate(int64(size)))

	iova, err := f.ctx.MapFile(f.ioas, file, 0, size, iommufd.MapReadWrite)
	if !kernelAtLeast(6, 13) {
		wantErrno(t, syscall.EOPNOTSUPP, err, "MapFile before 6.13")
		if err != nil && !strings.Contains(err.Error(), "IOMMU_IOAS_MAP_FILE needs Linux 6.13") {
			t.Errorf("the sentence does not name the release: %v", err)
		}
		return
	}
	must(t, err)
	mem, err := unix.Mmap(fd, 0, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	must(t, err)
	defer unix.Munmap(mem)
	must(t, iommufdtest.CheckMap(f.ctx, f.dev.HWPTID, iova, mem))

	fixed := iommufdtest.ApertureStart + 0x200000
	must(t, f.ctx.MapFileAt(f.ioas, file, 2*page, 3*page, fixed, iommufd.MapReadable))
	must(t, iommufdtest.CheckMap(f.ctx, f.dev.HWPTID, fixed, mem[2*page:5*page]))
	n, err := f.ctx.UnmapAll(f.ioas)
	if err != nil || n != 11*page {
		t.Errorf("unmap-all: %d, %v", n, err)
	}
}
