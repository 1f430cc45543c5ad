package dev.conduit.bench.fabric;

/**
 * What {@code conduit bench --fabric} runs: a throughput phase of {@code streamBlockBytes} reads at
 * {@code streamQueueDepth}, an IOPS phase of {@code iopsBlockBytes} reads at {@code iopsQueueDepth},
 * both over {@code ioQueues} I/O queues, and iperf3 for as long.
 *
 * @param phaseNs          measured time of each phase (and of iperf3).
 * @param namespaceBytes   size of the RAM namespace the target serves.
 * @param ioQueues         I/O queues (connections) of the initiator.
 * @param streamBlockBytes read size of the throughput phase.
 * @param streamQueueDepth reads in flight in the throughput phase.
 * @param iopsBlockBytes   read size of the IOPS phase.
 * @param iopsQueueDepth   reads in flight in the IOPS phase.
 */
public record FabricBenchConfig(long phaseNs, long namespaceBytes, int ioQueues, int streamBlockBytes,
    int streamQueueDepth, int iopsBlockBytes, int iopsQueueDepth)
{
    /** Default measured time per phase. */
    public static final long PHASE_DEFAULT_NS = 3_000_000_000L;

    /** Checks the figures. */
    public FabricBenchConfig
    {
        if (phaseNs < 1_000_000_000L)
        {
            throw new IllegalArgumentException("--time must be at least 1s for --fabric (iperf3 counts whole seconds): "
                + phaseNs / 1e9 + " s");
        }
        if (ioQueues < 1 || streamQueueDepth < 1 || iopsQueueDepth < 1 || streamBlockBytes < 4096 || iopsBlockBytes < 4096
            || namespaceBytes < Math.max(streamBlockBytes, iopsBlockBytes))
        {
            throw new IllegalArgumentException("fabric bench figures out of range: " + this);
        }
    }

    /**
     * @param phaseNs measured time of each phase.
     * @return the figures: 128 KiB reads at QD 32 and 4 KiB reads at QD 64, over 2 queues, on 256 MiB of RAM.
     */
    public static FabricBenchConfig defaults(final long phaseNs)
    {
        return new FabricBenchConfig(phaseNs, 256L << 20, 2, 128 * 1024, 32, 4096, 64);
    }

    /** @return whole seconds for iperf3's {@code -t}, at least 1. */
    public int iperfSeconds()
    {
        return (int)Math.max(1, Math.round(phaseNs / 1e9));
    }
}
