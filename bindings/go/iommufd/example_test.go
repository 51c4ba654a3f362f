package iommufd_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"time"

	"github.com/libiommufd/libiommufd/bindings/go/iommufd"
)

// Errors carry the errno, for errors.Is, and the library's sentence.
func Example_errors() {
	_, err := iommufd.OpenPath("/nonexistent/iommu")
	fmt.Println(errors.Is(err, fs.ErrNotExist))
	fmt.Println(err)
	// Output:
	// true
	// cannot open /nonexistent/iommu: No such file or directory (kernel without CONFIG_IOMMUFD, or no devtmpfs node)
}

// Map a DMA buffer into a new IOAS at an IOVA the kernel picks.
func ExampleContext_Map() {
	ctx, err := iommufd.Open()
	if err != nil {
		log.Fatal(err) // e.g. no iommufd in this kernel: errors.Is(err, fs.ErrNotExist)
	}
	defer ctx.Close()
	ioas, err := ctx.AllocIOAS()
	if err != nil {
		log.Fatal(err)
	}
	buf, err := iommufd.NewBuffer(1 << 20) // mmap'ed: never the Go heap
	if err != nil {
		log.Fatal(err)
	}
	defer buf.Close()
	iova, err := ctx.Map(ioas, buf, iommufd.MapReadWrite)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("mapped at IOVA %#x\n", iova)
	if _, err := ctx.Unmap(ioas, iova, uint64(buf.Len())); err != nil {
		log.Fatal(err)
	}
}

// What the host's kernel offers, as JSON for an orchestration agent.
func ExampleContext_Probe() {
	ctx, err := iommufd.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer ctx.Close()
	rep, err := ctx.Probe()
	if err != nil {
		log.Fatal(err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(rep.Features)
}

// Serve page requests until the context ends: a VMM resolves each group
// (here: it says every page is there) and answers it.
func ExampleFaultQueue_Read() {
	ctx, err := iommufd.Open()
	if err != nil {
		log.Fatal(err)
	}
	defer ctx.Close()
	q, err := ctx.AllocFaultQueue()
	if err != nil {
		log.Fatal(err)
	}
	defer q.Close()
	// ... allocate a HWPT with HWPTOptions{FaultQueue: q} and attach a
	// device to it ...
	cctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	buf := make([]iommufd.Fault, 64)
	for {
		n, err := q.Read(cctx, buf)
		if errors.Is(err, context.DeadlineExceeded) {
			return
		} else if err != nil {
			log.Fatal(err)
		}
		var resp []iommufd.FaultResponse
		for _, g := range iommufd.Groups(buf[:n]) {
			resp = append(resp, iommufd.FaultResponse{Cookie: g.Cookie, Code: iommufd.RespSuccess})
		}
		if _, err := q.RespondBatch(resp); err != nil {
			log.Fatal(err)
		}
	}
}

func ExampleFeature_String() {
	fmt.Println(iommufd.FeatureBindPgtbl, iommufd.FeaturePageRequest)
	// Output: BIND_PGTBL PAGE_REQUEST
}
