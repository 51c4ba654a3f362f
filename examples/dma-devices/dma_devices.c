// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dma-devices: two devices doing DMA into one buffer through one IOAS.
 *
 *   - vfio_dmatest (the companion module in driver/, `insmod
 *     vfio_dmatest.ko devices=1`): an emulated VFIO device whose DMA engine
 *     reaches memory through its iommufd access -- driven with the
 *     library's helper (libiommufd/dmatest.h);
 *   - QEMU's edu device (1234:11e8) behind QEMU's emulated Intel IOMMU,
 *     bound to vfio-pci: a PCI device whose DMA goes through a real (if
 *     emulated) IOMMU page table -- driven by its registers in BAR0.
 *
 * Both are attached to the same IOAS, so one mapping serves both: that is
 * what an IOAS is for.  The buffer is three 4 KiB slots:
 *
 *   slot A  written by the CPU (the pattern)
 *   slot B  vfio_dmatest copies A -> B
 *   slot C  edu reads B into its internal buffer, then writes it to C
 *
 * Every byte of B and C is then compared with A: a device that wrote
 * anywhere else, or nothing, shows.  If one device is absent the example
 * says so and does the other alone (edu then starts from A).  Exit status:
 * 0 when every transfer that ran was verified and at least one ran; 1 on a
 * failure; 2 when neither device is there.
 *
 * Output ends with
 *   "dma-devices: vfio_dmatest <verified|absent>, edu <verified|absent>"
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <libiommufd/libiommufd.h>
#include <libiommufd/dmatest.h>

#define SLOT 4096ull
#define XFER 2048ull /* inside edu's 4 KiB buffer */
/* edu masks bus addresses to 28 bits: keep the IOVA low. */
#define BUF_IOVA 0x100000ull
#define SLOT_A (BUF_IOVA + 0 * SLOT)
#define SLOT_B (BUF_IOVA + 1 * SLOT)
#define SLOT_C (BUF_IOVA + 2 * SLOT)
#define TIMEOUT_MS 20000 /* TCG on a busy machine is slow */

/* edu's registers (BAR0), from QEMU's description of the device. */
#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_RUN 1u    /* cleared by the device when the transfer ends */
#define EDU_CMD_TO_RAM 2u /* direction: its buffer -> RAM */
#define EDU_BUFFER 0x40000ull /* its internal DMA buffer, as a DMA address */

static struct iommufd_ctx *ctx;
static uint32_t ioas_id;
static uint8_t *buf;

static uint8_t *slot(uint64_t iova) { return buf + (iova - BUF_IOVA); }

static int fail(const char *what, int rc)
{
	fprintf(stderr, "dma-devices: %s: %s (%s)\n", what, strerror(-rc),
		iommufd_ctx_last_error(ctx));
	return rc;
}

/* Compare @len bytes of slot @iova with slot A and report the first difference. */
static int verify(const char *who, uint64_t iova)
{
	for (uint64_t i = 0; i < XFER; i++) {
		if (slot(iova)[i] != slot(SLOT_A)[i]) {
			fprintf(stderr, "dma-devices: %s: byte %llu is 0x%02x, want 0x%02x\n", who,
				(unsigned long long)i, slot(iova)[i], slot(SLOT_A)[i]);
			return -EIO;
		}
	}
	return 0;
}

/* ---- vfio_dmatest ------------------------------------------------------ */

/* Copy A -> B with the vfio_dmatest engine.  Return: 1 done and verified,
 * 0 absent, or a negative errno. */
static int dmatest_copy(void)
{
	IOMMUFD_OPTS(iommufd_dmatest_open_opts, opts, .pt_id = ioas_id);
	IOMMUFD_OPTS(iommufd_dmatest_xfer, xfer, .op = IOMMUFD_DMATEST_COPY, .src_iova = SLOT_A,
		     .dst_iova = SLOT_B, .length = XFER);
	IOMMUFD_OPTS(iommufd_dmatest_result, res);
	struct iommufd_dmatest *dt = NULL;
	int rc;

	if (iommufd_dmatest_count() <= 0) {
		printf("vfio_dmatest: absent (insmod driver/vfio_dmatest.ko devices=1)\n");
		return 0;
	}
	/* Open, bind to our context and attach to the IOAS in one call. */
	rc = iommufd_dmatest_open(ctx, 0, &opts, &dt);
	if (rc < 0)
		return fail("open vfio_dmatest.0", rc);
	/* run = submit + wait on its completion/error interrupt eventfds. */
	rc = iommufd_dmatest_run(dt, &xfer, TIMEOUT_MS, &res);
	iommufd_dmatest_close(dt);
	if (rc < 0)
		return fail("vfio_dmatest transfer", rc);
	if (res.status != IOMMUFD_DMATEST_DONE) {
		fprintf(stderr, "dma-devices: vfio_dmatest: transfer ended in error '%s' at IOVA "
				"0x%llx\n",
			iommufd_dmatest_error_name(res.error), (unsigned long long)res.fault_iova);
		return -EIO;
	}
	rc = verify("vfio_dmatest copy to slot B", SLOT_B);
	if (rc < 0)
		return rc;
	printf("vfio_dmatest: copied %llu bytes A -> B, verified\n",
	       (unsigned long long)res.done_bytes);
	return 1;
}

/* ---- edu ----------------------------------------------------------------- */

static unsigned int read_hex(const char *path)
{
	unsigned int v = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%x", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* The PCI address of the first edu device into @bdf, or "" when none. */
static void find_edu(char *bdf, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	char path[512];

	bdf[0] = '\0';
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		if (read_hex(path) != EDU_VENDOR)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		/* a PCI address never fills @bdf; a longer name is not one */
		if (read_hex(path) == EDU_DEVICE && strlen(e->d_name) < len) {
			memcpy(bdf, e->d_name, strlen(e->d_name) + 1);
			break;
		}
	}
	if (d)
		closedir(d);
}

static int edu_write64(struct iommufd_device *dev, uint64_t reg, uint64_t v)
{
	return iommufd_device_region_write(dev, IOMMUFD_PCI_BAR0_REGION, reg, &v, sizeof(v));
}

/* One edu transfer: program it, then poll RUN until the device clears it
 * (edu's DMA takes ~100 ms of virtual time). */
static int edu_dma(struct iommufd_device *dev, uint64_t src, uint64_t dst, uint64_t cmd)
{
	const struct timespec tick = {0, 1000000};
	int rc;

	rc = edu_write64(dev, EDU_DMA_SRC, src);
	if (!rc)
		rc = edu_write64(dev, EDU_DMA_DST, dst);
	if (!rc)
		rc = edu_write64(dev, EDU_DMA_COUNT, XFER);
	if (!rc)
		rc = edu_write64(dev, EDU_DMA_CMD, cmd | EDU_CMD_RUN);
	if (rc)
		return fail("programming edu's DMA", rc);
	for (int ms = 0; ms < TIMEOUT_MS; ms++) {
		uint32_t status = 0;

		rc = iommufd_device_region_read(dev, IOMMUFD_PCI_BAR0_REGION, EDU_DMA_CMD, &status,
						sizeof(status));
		if (rc)
			return fail("reading edu's DMA command", rc);
		if (!(status & EDU_CMD_RUN))
			return 0;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "dma-devices: edu's DMA did not end within %d ms\n", TIMEOUT_MS);
	return -ETIMEDOUT;
}

/* vfio-pci leaves Bus Master Enable to the user; without it the device's
 * DMA goes nowhere. */
static int edu_enable_bus_master(struct iommufd_device *dev)
{
	const uint64_t command = 0x04;   /* PCI_COMMAND */
	const uint16_t master = 1u << 2; /* PCI_COMMAND_MASTER */
	uint16_t cmd = 0;
	int rc;

	rc = iommufd_device_region_read(dev, IOMMUFD_PCI_CONFIG_REGION, command, &cmd,
					sizeof(cmd));
	if (rc || (cmd & master))
		return rc;
	cmd |= master;
	return iommufd_device_region_write(dev, IOMMUFD_PCI_CONFIG_REGION, command, &cmd,
					   sizeof(cmd));
}

/* Round-trip @from through edu into C.  Return: 1 done and verified, 0
 * absent, or a negative errno. */
static int edu_round_trip(uint64_t from)
{
	struct iommufd_device *dev = NULL;
	uint32_t dev_id = 0, hwpt_id = 0;
	char bdf[64];
	int rc;

	find_edu(bdf, sizeof(bdf));
	if (!bdf[0]) {
		printf("edu: absent (QEMU -device intel-iommu,... -device edu, bound to "
		       "vfio-pci)\n");
		return 0;
	}
	/* The VFIO cdev of a PCI device bound to vfio-pci, by its address. */
	rc = iommufd_device_open_pci(bdf, &dev);
	if (rc < 0)
		return fail("open edu", rc);
	rc = iommufd_device_bind(dev, ctx, NULL, &dev_id);
	if (!rc)
		rc = iommufd_device_attach(dev, ioas_id, &hwpt_id);
	if (!rc)
		rc = edu_enable_bus_master(dev);
	if (rc < 0) {
		iommufd_device_close(dev);
		return fail("bind and attach edu", rc);
	}
	/* RAM -> its buffer, then its buffer -> RAM: both directions cross
	 * the IOMMU. */
	rc = edu_dma(dev, from, EDU_BUFFER, 0);
	if (!rc)
		rc = edu_dma(dev, EDU_BUFFER, SLOT_C, EDU_CMD_TO_RAM);
	iommufd_device_close(dev);
	if (rc < 0)
		return rc;
	rc = verify("edu round trip to slot C", SLOT_C);
	if (rc < 0)
		return rc;
	printf("edu %s: %llu bytes slot %c -> device -> slot C through HWPT %u, verified\n", bdf,
	       (unsigned long long)XFER, from == SLOT_A ? 'A' : 'B', hwpt_id);
	return 1;
}

int main(void)
{
	uint64_t iova = BUF_IOVA;
	int dt = -1, edu = -1, rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = iommufd_ctx_open(NULL, &ctx);
	if (rc < 0) {
		fprintf(stderr, "dma-devices: /dev/iommu: %s\n", iommufd_ctx_last_error(NULL));
		return 1;
	}
	buf = mmap(NULL, 3 * SLOT, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		buf = NULL;
		rc = -errno;
		goto out;
	}
	for (uint64_t i = 0; i < SLOT; i++)
		buf[i] = (uint8_t)(0x5a + i * 13 + (i >> 8));
	/* One IOAS, one mapping at a fixed IOVA below edu's 28-bit limit;
	 * every device attached to the IOAS sees it. */
	rc = iommufd_ioas_alloc(ctx, &ioas_id);
	if (!rc)
		rc = iommufd_ioas_map(ctx, ioas_id, buf, 3 * SLOT,
				      IOMMUFD_MAP_READABLE | IOMMUFD_MAP_WRITEABLE |
					      IOMMUFD_MAP_FIXED_IOVA,
				      &iova);
	if (rc < 0) {
		fail("IOAS and mapping", rc);
		goto out;
	}
	dt = dmatest_copy();
	if (dt < 0)
		goto out;
	/* edu carries on from what vfio_dmatest wrote, so C proves both. */
	edu = edu_round_trip(dt == 1 ? SLOT_B : SLOT_A);
out:
	if (ctx && ioas_id)
		iommufd_ioas_unmap_all(ctx, ioas_id, NULL); /* devices are closed: unpin */
	if (ctx && ioas_id)
		iommufd_destroy(ctx, ioas_id);
	if (buf)
		munmap(buf, 3 * SLOT);
	iommufd_ctx_close(ctx);
	if (dt < 0 || edu < 0)
		return 1;
	printf("dma-devices: vfio_dmatest %s, edu %s\n", dt ? "verified" : "absent",
	       edu ? "verified" : "absent");
	if (!dt && !edu) {
		fprintf(stderr, "dma-devices: neither device is there: nothing was tested\n");
		return 2;
	}
	return 0;
}
