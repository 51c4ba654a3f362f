package iommufd

import "github.com/libiommufd/libiommufd/bindings/go/internal/cgen"

// The iommufd command numbers the library knows (enum iommufd_cmd).
const (
	CmdFirst uint32 = 0x80 // IOMMU_DESTROY
	CmdLast  uint32 = 0x94 // IOMMU_HW_QUEUE_ALLOC
)

// Command describes one iommufd command of the library's table.
type Command struct {
	Nr        uint32  `json:"nr"`
	Name      string  `json:"name"`       // "IOMMU_IOAS_MAP"
	Release   Release `json:"release"`    // the release that brought it
	FirstSize uint32  `json:"first_size"` // its struct size then: the least any kernel takes
	Size      uint32  `json:"size"`       // its struct size as this library knows it
	Fields    []Field `json:"fields"`
}

// Field describes one field of a command's struct.
type Field struct {
	Name    string  `json:"name"`
	Offset  uint32  `json:"offset"`
	Size    uint32  `json:"size"`
	Release Release `json:"release"`
	Dir     string  `json:"dir"`              // "in", "out", "inout", "reserved"
	Carved  bool    `json:"carved,omitempty"` // took bytes that were reserved before
}

// CommandStatus is a Command and what the running kernel knows of it.
type CommandStatus struct {
	Command
	Known      bool          `json:"known"`
	KernelSize uint32        `json:"kernel_size"` // 0 when unknown
	Fields     []FieldStatus `json:"fields"`
}

// FieldStatus is a Field and whether the running kernel knows it.
type FieldStatus struct {
	Field
	Known bool `json:"known"`
}

var fieldDirs = map[uint32]string{1: "in", 2: "out", 3: "inout", 4: "reserved"}

// Commands returns the library's command table.  No kernel is asked.
func Commands() ([]Command, error) {
	var cmds []Command
	for nr := CmdFirst; nr <= CmdLast; nr++ {
		cmd, err := commandOf(nr)
		if err != nil {
			return nil, err
		}
		cmds = append(cmds, cmd)
	}
	return cmds, nil
}

func commandOf(nr uint32) (Command, error) {
	d := cgen.NewIommufd_cmd_desc()
	defer cgen.DeleteIommufd_cmd_desc(d)
	begin()
	if err := end("iommufd_cmd_get", int64(cgen.Iommufd_cmd_get(nr, d))); err != nil {
		return Command{}, err
	}
	cmd := Command{Nr: d.GetNr(), Name: d.GetName(), Release: Release(d.GetRelease()),
		FirstSize: d.GetFirst_size(), Size: d.GetSize()}
	f := cgen.NewIommufd_field_desc()
	defer cgen.DeleteIommufd_field_desc(f)
	for i := uint32(0); i < d.GetNr_fields(); i++ {
		begin()
		if err := end("iommufd_cmd_field", int64(cgen.Iommufd_cmd_field(nr, i, f))); err != nil {
			return Command{}, err
		}
		cmd.Fields = append(cmd.Fields, Field{Name: f.GetName(), Offset: f.GetOffset(),
			Size: f.GetSize(), Release: Release(f.GetRelease()), Dir: fieldDirs[f.GetDir()],
			Carved: f.GetCarved() != 0})
	}
	return cmd, nil
}

// ProbeCommands returns the command table with what the running kernel
// knows of each command and field (a few side-effect-free ioctls, cached
// per context).
func (c *Context) ProbeCommands() ([]CommandStatus, error) {
	cmds, err := Commands()
	if err != nil {
		return nil, err
	}
	out := make([]CommandStatus, 0, len(cmds))
	for _, cmd := range cmds {
		st, err := c.probeCommand(cmd)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func (c *Context) probeCommand(cmd Command) (CommandStatus, error) {
	if c.h == 0 {
		return CommandStatus{}, errClosed("iommufd_probe_cmd")
	}
	st := CommandStatus{Command: cmd}
	begin()
	known := cgen.Iommufd_probe_cmd(c.h, cmd.Nr)
	if err := end("iommufd_probe_cmd", int64(known)); err != nil {
		return st, err
	}
	st.Known = known == 1
	begin()
	size := cgen.Iommufd_probe_kernel_size(c.h, cmd.Nr)
	if err := end("iommufd_probe_kernel_size", int64(size)); err != nil {
		return st, err
	}
	st.KernelSize = uint32(size)
	for i, f := range cmd.Fields {
		begin()
		k := cgen.Iommufd_probe_field(c.h, cmd.Nr, uint32(i))
		if err := end("iommufd_probe_field", int64(k)); err != nil {
			return st, err
		}
		st.Fields = append(st.Fields, FieldStatus{Field: f, Known: k == 1})
	}
	st.Command.Fields = nil // shown once, with their status
	return st, nil
}
