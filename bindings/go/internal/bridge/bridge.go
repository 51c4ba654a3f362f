// Package bridge hands the testing subpackage what package iommufd keeps
// unexported: a context's C handle and the way a failed C call becomes an
// *iommufd.Error.  Package iommufd fills these in when it initialises,
// which is before any importer of it runs.
package bridge

var (
	// Handle returns the C handle (struct iommufd_ctx *) of an
	// *iommufd.Context, or 0 when it is closed.
	Handle func(ctx any) uintptr
	// Begin pins the goroutine to its OS thread for one C call; End
	// unpins it and turns a negative rc into the error, with this
	// thread's sentence (iommufd_ctx_last_error()).
	Begin func()
	End   func(op string, rc int64) error
	// Closed is the error of a call on a closed context.
	Closed func(op string) error
)
