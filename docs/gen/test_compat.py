#!/usr/bin/env python3
"""compat.py reads the test kernels' facts and refuses a table that
disagrees with them.  Run: python3 -m unittest docs/gen/test_compat.py"""
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compat  # noqa: E402

FACTS = """
// A comment with { braces } and 99 numbers.
constexpr KernelFacts kOld = {
	6, 2, 0x80,
	{
		8,  // 0x80 IOMMU_DESTROY
		0,  // 0x81 IOMMU_THING
	},
	6, 2, 0,
};
constexpr KernelFacts kNew = {
	6, 8, 0x81,
	{
		8,  // 0x80 IOMMU_DESTROY
		16, // 0x81 IOMMU_THING
	},
	6, 8, 0,
};
"""

DUMP = """cmd 128 IOMMU_DESTROY 518 8 8
field IOMMU_DESTROY size 0 4 518 0 1
field IOMMU_DESTROY id 4 4 518 0 1
cmd 129 IOMMU_THING 1543 8 16
field IOMMU_THING size 0 4 1543 0 1
field IOMMU_THING flags 4 4 1543 0 1
field IOMMU_THING out 8 8 1544 0 2
"""


class Compat(unittest.TestCase):
    def facts(self, text=FACTS):
        with tempfile.NamedTemporaryFile("w", suffix=".cc") as f:
            f.write(text)
            f.flush()
            return compat.parse_facts(f.name)

    def test_facts_are_read(self):
        kernels = self.facts()
        self.assertEqual([k["label"] for k in kernels], ["6.2", "6.8"])
        self.assertEqual(kernels[1]["sizes"], {0x80: 8, 0x81: 16})

    def test_agreeing_table_renders_both_kernels(self):
        cmds, fields = compat.parse_dump(DUMP)
        kernels = self.facts()
        self.assertEqual(compat.disagreements(cmds, fields, kernels), [])
        text = compat.render(cmds, fields, {"IOMMU_DESTROY": [], "IOMMU_THING": ["iommufd_thing"]},
                             kernels)
        self.assertIn("| 0x81 | [IOMMU_THING](#iommu_thing) | 6.7 | 8 | 16 | no | yes | "
                      "`iommufd_thing()` |", text)
        self.assertIn("| `out` | 8 | 8 | out | 6.8 | no | yes |", text)

    def test_a_release_the_facts_contradict_is_refused(self):
        cmds, fields = compat.parse_dump(DUMP.replace("out 8 8 1544", "out 8 8 1545"))
        problems = compat.disagreements(cmds, fields, self.facts())
        self.assertEqual(len(problems), 1)
        self.assertIn("IOMMU_THING.out: the table says Linux 6.9", problems[0])
        self.assertIn("6.8 has it", problems[0])


if __name__ == "__main__":
    unittest.main()
