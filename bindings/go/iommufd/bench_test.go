package iommufd_test

import (
	"testing"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// The binding's overhead over one cheap call, measured against the C loop
// by bench/run-binding-overhead.sh in the same VM boot:
//
//	iommufd.test -test.run '^$' -test.bench 'IOVARanges|IOASAllocDestroy' -test.benchtime 200000x
func benchIOAS(b *testing.B) (*iommufd.Context, uint32) {
	b.Helper()
	ctx, err := iommufd.Open()
	if err != nil {
		b.Skipf("no iommufd here: %v", err)
	}
	b.Cleanup(func() { ctx.Close() })
	ioas, err := ctx.AllocIOAS()
	if err != nil {
		b.Fatal(err)
	}
	return ctx, ioas
}

// BenchmarkIOVARanges: iommufd_ioas_iova_ranges of an empty IOAS through
// the idiomatic call (it returns a new slice).
func BenchmarkIOVARanges(b *testing.B) {
	ctx, ioas := benchIOAS(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ctx.IOVARanges(ioas); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIOVARangesInto: the same without allocating.
func BenchmarkIOVARangesInto(b *testing.B) {
	ctx, ioas := benchIOAS(b)
	r := make([]iommufd.IOVARange, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ctx.IOVARangesInto(ioas, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIOASAllocDestroy: IOMMU_IOAS_ALLOC + IOMMU_DESTROY.
func BenchmarkIOASAllocDestroy(b *testing.B) {
	ctx, _ := benchIOAS(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id, err := ctx.AllocIOAS()
		if err != nil {
			b.Fatal(err)
		}
		if err := ctx.Destroy(id); err != nil {
			b.Fatal(err)
		}
	}
}
