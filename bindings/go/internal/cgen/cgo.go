// Package cgen is the low level of the Go binding: the wrappers SWIG
// generates (cgen.go, cgen_wrap.c) from bindings/swig/libiommufd.i with the
// Go typemaps of bindings/swig/go.i.  It is internal: package iommufd and
// its testing subpackage are its only users, and nothing here is a stable
// API.  Run `go generate ./...` (needs swig) to make the generated files.
package cgen

// #cgo pkg-config: libiommufd
import "C"

//go:generate ./generate.sh
