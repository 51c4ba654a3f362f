/* SPDX-License-Identifier: GPL-2.0-only OR LGPL-2.1-or-later */
/*
 * The register interface of the vfio_dmatest device (driver/): what user
 * space programs through VFIO region 0.  Shared by the module and by
 * libiommufd's helper (src/dmatest*.c), so both sides read one definition.
 *
 * Region 0 is two pages.  Page 0 holds the registers below; it may be
 * mmap()ed (the region's sparse-mmap capability lists it), so a program can
 * set up a transfer and poll its status without a system call.  Page 1
 * holds the doorbell, which only a write(2) through the device fd reaches:
 * ringing it is what starts the engine, so it must trap.
 *
 * A transfer: write SRC, DST, LEN, PATTERN and CMD, then write a DOORBELL_*
 * value to DOORBELL.  The engine latches the parameters at the doorbell,
 * so later writes to them do not disturb a running transfer.  It runs the
 * transfer asynchronously, moving bytes only through the iommufd access
 * the device was bound with (pinned pages or iommufd_access_rw()), then
 * sets STATUS to DONE or ERROR and signals the completion or the error
 * interrupt (VFIO IRQ index 0 or 1).
 *
 * All registers are little-endian; 64-bit ones may be read as two halves.
 */
#ifndef VFIO_DMATEST_UAPI_H
#define VFIO_DMATEST_UAPI_H

#define VFIO_DMATEST_NAME "vfio_dmatest" /* platform driver and device name */

#define VFIO_DMATEST_MAGIC 0x54444649u /* "IFDT" */
#define VFIO_DMATEST_VERSION 1u

#define VFIO_DMATEST_REGION 0u         /* the only region */
#define VFIO_DMATEST_REGION_SIZE 0x2000u
#define VFIO_DMATEST_MMAP_SIZE 0x1000u /* page 0: mmap-able registers */

/* Offsets in region 0.  "ro": writes are ignored; "rw": the parameters. */
#define VFIO_DMATEST_REG_MAGIC 0x00       /* u32 ro */
#define VFIO_DMATEST_REG_VERSION 0x04     /* u32 ro */
#define VFIO_DMATEST_REG_SRC 0x08         /* u64 rw: source IOVA */
#define VFIO_DMATEST_REG_DST 0x10         /* u64 rw: destination IOVA */
#define VFIO_DMATEST_REG_LEN 0x18         /* u64 rw: bytes */
#define VFIO_DMATEST_REG_PATTERN 0x20     /* u64 rw: FILL pattern, LE bytes repeated */
#define VFIO_DMATEST_REG_CMD 0x28         /* u32 rw: VFIO_DMATEST_OP_* | VFIO_DMATEST_CMD_* */
#define VFIO_DMATEST_REG_STATUS 0x30      /* u32 ro: VFIO_DMATEST_STATUS_* */
#define VFIO_DMATEST_REG_ERROR 0x34       /* u32 ro: VFIO_DMATEST_ERR_* */
#define VFIO_DMATEST_REG_FAULT_IOVA 0x38  /* u64 ro: first IOVA the engine could not reach */
#define VFIO_DMATEST_REG_RESULT 0x40      /* u64 ro: CHECKSUM's FNV-1a 64 */
#define VFIO_DMATEST_REG_DONE_BYTES 0x48  /* u64 ro: bytes moved before DONE or ERROR */
#define VFIO_DMATEST_REG_ERRNO 0x50       /* u32 ro: the kernel's errno behind ERROR (positive) */
#define VFIO_DMATEST_REG_SEQ 0x54         /* u32 ro: doorbells accepted so far */
#define VFIO_DMATEST_REG_COMPLETIONS 0x58 /* u64 ro: transfers ended DONE */
#define VFIO_DMATEST_REG_ERRORS 0x60      /* u64 ro: transfers ended ERROR */
#define VFIO_DMATEST_REG_MAX_LEN 0x68     /* u64 ro: the longest transfer accepted */
#define VFIO_DMATEST_REG_PINNED 0x70      /* u64 ro: pages the device holds pinned now */
#define VFIO_DMATEST_REG_END 0x78

#define VFIO_DMATEST_REG_DOORBELL 0x1000 /* u32 wo, write(2) only */

/* CMD bits 0-7: the operation. */
#define VFIO_DMATEST_OP_MASK 0xffu
#define VFIO_DMATEST_OP_COPY 1u     /* LEN bytes SRC -> DST */
#define VFIO_DMATEST_OP_FILL 2u     /* DST[i] = byte (i % 8) of PATTERN */
#define VFIO_DMATEST_OP_CHECKSUM 3u /* RESULT = FNV-1a 64 of LEN bytes at SRC */

/* CMD flags. */
#define VFIO_DMATEST_CMD_PIN 0x100u  /* pin every page first (vfio_pin_pages) instead of
				      * copying through iommufd_access_rw() */
#define VFIO_DMATEST_CMD_HOLD 0x200u /* stop in HELD (after pinning, with PIN) until
				      * DOORBELL_RELEASE: a transfer left pending */
#define VFIO_DMATEST_CMD_FLAGS (VFIO_DMATEST_CMD_PIN | VFIO_DMATEST_CMD_HOLD)

/* DOORBELL values. */
#define VFIO_DMATEST_DOORBELL_START 1u   /* latch the parameters and run */
#define VFIO_DMATEST_DOORBELL_RELEASE 2u /* let a HELD transfer go on */
#define VFIO_DMATEST_DOORBELL_ABORT 3u   /* end a HELD or running transfer: ERROR, ABORTED */

/* STATUS. */
#define VFIO_DMATEST_STATUS_IDLE 0u  /* never started, or reset */
#define VFIO_DMATEST_STATUS_BUSY 1u  /* queued or moving bytes */
#define VFIO_DMATEST_STATUS_HELD 2u  /* CMD_HOLD: waiting for DOORBELL_RELEASE */
#define VFIO_DMATEST_STATUS_DONE 3u
#define VFIO_DMATEST_STATUS_ERROR 4u

/* ERROR: why a transfer ended in STATUS_ERROR (0 otherwise). */
#define VFIO_DMATEST_ERR_NONE 0u
#define VFIO_DMATEST_ERR_INVALID 1u    /* bad CMD, LEN 0 or over MAX_LEN, IOVA + LEN wraps */
#define VFIO_DMATEST_ERR_UNMAPPED 2u   /* FAULT_IOVA is not mapped in the IOAS */
#define VFIO_DMATEST_ERR_READ_ONLY 3u  /* FAULT_IOVA is mapped without write permission */
#define VFIO_DMATEST_ERR_UNMAPPING 4u  /* FAULT_IOVA was unmapped while the transfer
					* held it pinned; the pins were dropped */
#define VFIO_DMATEST_ERR_DETACHED 5u   /* the device is attached to no IOAS, or was
					* detached with a transfer pending */
#define VFIO_DMATEST_ERR_ABORTED 6u    /* DOORBELL_ABORT, a reset, or the device closed */
#define VFIO_DMATEST_ERR_NOMEM 7u      /* the kernel had no memory for it */
#define VFIO_DMATEST_ERR_IO 8u         /* any other failure; ERRNO says which */

/* VFIO IRQ indexes, one vector each, eventfd triggered. */
#define VFIO_DMATEST_IRQ_COMPLETION 0u
#define VFIO_DMATEST_IRQ_ERROR 1u
#define VFIO_DMATEST_NUM_IRQS 2u

/* CHECKSUM: FNV-1a, 64-bit. */
#define VFIO_DMATEST_FNV_OFFSET 0xcbf29ce484222325ull
#define VFIO_DMATEST_FNV_PRIME 0x100000001b3ull

#endif
