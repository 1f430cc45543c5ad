package dev.conduit.nvmeof.target;

/**
 * What a target listens on and the transport limits it advertises.
 *
 * @param bindAddress        address to listen on ({@code 127.0.0.1} unless the operator says otherwise).
 * @param port               TCP port; 0 picks a free one (tests).
 * @param maxH2cDataBytes    MAXH2CDATA advertised in ICResp, and the largest R2T the target sends.
 * @param inCapsuleDataBytes in-capsule data accepted per command (IOCCSZ * 16 - 64); the Linux host
 *                           uses 8 KiB on the admin queue whatever is advertised, so at least 8192.
 * @param maxDataTransferBytes the largest data transfer of one command (MDTS), a power of two times 4 KiB.
 * @param maxQueueEntries    entries per queue (CAP.MQES + 1), at least 128.
 * @param maxIoQueues        I/O queues granted per controller.
 * @param pollSpinNs         how long a queue's reading thread polls its socket before it blocks (0: it
 *                           blocks at once); saves a sleep and wake-up per batch of commands where
 *                           the target has a core of its own, costs the host's CPU where it has not.
 */
public record NvmfTargetConfig(
    String bindAddress,
    int port,
    int maxH2cDataBytes,
    int inCapsuleDataBytes,
    int maxDataTransferBytes,
    int maxQueueEntries,
    int maxIoQueues,
    long pollSpinNs)
{
    /** The IANA port of NVMe/TCP. */
    public static final int DEFAULT_PORT = 4420;
    /** Default MAXH2CDATA and MDTS: 128 KiB. */
    public static final int DEFAULT_TRANSFER_BYTES = 128 * 1024;
    /** Default in-capsule data: 8 KiB, what the Linux host sends on its admin queue. */
    public static final int DEFAULT_IN_CAPSULE_BYTES = 8192;
    /** Default queue entries. */
    public static final int DEFAULT_QUEUE_ENTRIES = 128;
    /** Default I/O queues per controller. */
    public static final int DEFAULT_IO_QUEUES = 16;
    /**
     * Default socket polling before a reading thread blocks: none. Polling saves a wake-up per batch
     * only where the target has a core to itself; on a shared 2-core machine 50 µs of polling cut
     * spdk_nvme_perf's rate against the target to between a quarter and a third.
     */
    public static final long DEFAULT_POLL_SPIN_NS = 0;

    /** Checks the values once, at construction. */
    public NvmfTargetConfig
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxH2cDataBytes < 4096 || (maxH2cDataBytes & 3) != 0)
        {
            throw new IllegalArgumentException("maxH2cDataBytes must be >= 4096 and a multiple of 4: " + maxH2cDataBytes);
        }
        if (inCapsuleDataBytes < 8192 || inCapsuleDataBytes % 16 != 0)
        {
            throw new IllegalArgumentException("inCapsuleDataBytes must be >= 8192 and a multiple of 16: " + inCapsuleDataBytes);
        }
        if (maxDataTransferBytes < 4096 || Integer.bitCount(maxDataTransferBytes) != 1)
        {
            throw new IllegalArgumentException("maxDataTransferBytes must be a power of two >= 4096: " + maxDataTransferBytes);
        }
        if (maxQueueEntries < 128 || maxQueueEntries > 65536)
        {
            throw new IllegalArgumentException("maxQueueEntries must be 128..65536: " + maxQueueEntries);
        }
        if (maxIoQueues < 1 || maxIoQueues > 65535)
        {
            throw new IllegalArgumentException("maxIoQueues must be 1..65535: " + maxIoQueues);
        }
        if (pollSpinNs < 0 || pollSpinNs > 1_000_000_000L)
        {
            throw new IllegalArgumentException("pollSpinNs must be 0..1e9: " + pollSpinNs);
        }
    }

    /** The limits with the default socket polling ({@link #DEFAULT_POLL_SPIN_NS}). */
    public NvmfTargetConfig(
        final String bindAddress,
        final int port,
        final int maxH2cDataBytes,
        final int inCapsuleDataBytes,
        final int maxDataTransferBytes,
        final int maxQueueEntries,
        final int maxIoQueues)
    {
        this(bindAddress, port, maxH2cDataBytes, inCapsuleDataBytes, maxDataTransferBytes, maxQueueEntries, maxIoQueues,
            DEFAULT_POLL_SPIN_NS);
    }

    /**
     * @param bindAddress the address to listen on.
     * @param port        the port (0: any free one).
     * @return the defaults on that address.
     */
    public static NvmfTargetConfig defaults(final String bindAddress, final int port)
    {
        return new NvmfTargetConfig(bindAddress, port, DEFAULT_TRANSFER_BYTES, DEFAULT_IN_CAPSULE_BYTES,
            DEFAULT_TRANSFER_BYTES, DEFAULT_QUEUE_ENTRIES, DEFAULT_IO_QUEUES);
    }

    /** @return a copy with another MAXH2CDATA (tests use a small one to force several R2Ts). */
    public NvmfTargetConfig withMaxH2cDataBytes(final int bytes)
    {
        return new NvmfTargetConfig(bindAddress, port, bytes, inCapsuleDataBytes, maxDataTransferBytes, maxQueueEntries, maxIoQueues,
            pollSpinNs);
    }

    /** @return a copy with another socket polling time (0: block at once). */
    public NvmfTargetConfig withPollSpinNs(final long spinNs)
    {
        return new NvmfTargetConfig(bindAddress, port, maxH2cDataBytes, inCapsuleDataBytes, maxDataTransferBytes, maxQueueEntries,
            maxIoQueues, spinNs);
    }
}
