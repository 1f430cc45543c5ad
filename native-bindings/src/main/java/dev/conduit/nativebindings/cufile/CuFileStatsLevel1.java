package dev.conduit.nativebindings.cufile;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The counters of {@code CUfileStatsLevel1_t} that Conduit reports (the struct has more; they are
 * available through {@link CuFileLayouts#STATS_LEVEL1} for anyone who needs them).
 *
 * @param readOk           successful reads.
 * @param readErrors       failed reads.
 * @param writeOk          successful writes.
 * @param writeErrors      failed writes.
 * @param readBytes        bytes read.
 * @param writeBytes       bytes written.
 * @param handleRegisterOk successful handle registrations.
 * @param bufferRegisterOk successful buffer registrations.
 * @param batchSubmitOk    successful batch submissions.
 * @param batchCompleteOk  batch entries completed successfully.
 */
public record CuFileStatsLevel1(
    long readOk, long readErrors, long writeOk, long writeErrors, long readBytes, long writeBytes,
    long handleRegisterOk, long bufferRegisterOk, long batchSubmitOk, long batchCompleteOk)
{
    /**
     * @param stats a filled {@link CuFileLayouts#STATS_LEVEL1}.
     * @return the decoded counters.
     */
    public static CuFileStatsLevel1 decode(final MemorySegment stats)
    {
        return new CuFileStatsLevel1(
            field(stats, "read_ops.ok"), field(stats, "read_ops.err"),
            field(stats, "write_ops.ok"), field(stats, "write_ops.err"),
            field(stats, "read_bytes"), field(stats, "write_bytes"),
            field(stats, "hdl_register_ops.ok"), field(stats, "buf_register_ops.ok"),
            field(stats, "batch_submit_ops.ok"), field(stats, "batch_complete_ops.ok"));
    }

    private static long field(final MemorySegment stats, final String path)
    {
        return stats.get(JAVA_LONG, CuFileLayouts.offset(CuFileLayouts.STATS_LEVEL1, path));
    }
}
