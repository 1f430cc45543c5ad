package dev.conduit.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.IoResult;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.NvmfUri;
import dev.conduit.nvmeof.initiator.RemoteNamespace;

/**
 * {@code conduit bench --target nvmf://HOST:PORT/NQN/NSID}: the same jobs, modes and report as on a
 * file, on a remote NVMe/TCP namespace through Conduit's initiator ({@link RemoteNamespace}, one I/O
 * queue per job), connecting as host {@value #HOST_NQN}. Each I/O runs as a blocking transfer on a virtual thread of its own and completes
 * its job from there; latency counts from the job's issue, so it includes that hand-off.
 */
final class NvmfBench
{
    /** The host NQN the bench connects as: a target with an allow-list must list it. */
    static final String HOST_NQN = "nqn.2026-01.dev.conduit:bench";
    private static final int MAX_QUEUE_ENTRIES = 128;

    private NvmfBench()
    {
    }

    static boolean isNvmf(final String target)
    {
        return target.startsWith(NvmfUri.SCHEME);
    }

    static ConduitRun run(final BenchConfig config, final Progress progress)
    {
        final NvmfUri uri = NvmfUri.parse(config.target());
        final HostQueue.Options options = HostQueue.Options.of(HOST_NQN)
            .withQueueEntries(Math.min(MAX_QUEUE_ENTRIES, Math.max(2, config.queueDepth())));
        try (Arena arena = Arena.ofShared();
             RemoteNamespace ns = RemoteNamespace.connect(uri.address(), options, uri.nqn(), uri.nsid(), config.threads());
             ExecutorService transfers = Executors.newVirtualThreadPerTaskExecutor())
        {
            if (config.blockSizeBytes() % ns.blockSize() != 0 || config.blockSizeBytes() > ns.capacityBytes())
            {
                throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "--bs " + config.blockSizeBytes() + " is not a multiple of "
                    + ns.id() + "'s " + ns.blockSize() + "-byte blocks within its " + ns.capacityBytes() + " bytes");
            }
            final long regionBytes = config.sizeBytes() > 0 ? Math.min(config.sizeBytes(), ns.capacityBytes()) : ns.capacityBytes();
            final boolean read = config.mode().isRead();
            progress.note("nvmf: " + ns.id() + ", " + ns.capacityBytes() + " bytes, " + config.threads() + " I/O queue(s)");
            final MemorySegment[] slabs = ConduitBench.slabs(arena, config);
            final ConduitBench.Workload workload = (job, slot, offset, buffer, scratch) -> transfers.execute(() ->
                job.onComplete(slot, transfer(ns, read, buffer, offset)));
            final BenchResult result = Driver.drive(config, workload, regionBytes, slabs, progress, "");
            return new ConduitRun(ConduitBench.withDetail(result, "nvme-tcp initiator, " + config.threads() + " queue(s)"),
                null, List.of());
        }
    }

    /** @return the bytes moved, or the failure as an {@link IoResult}. */
    private static long transfer(final RemoteNamespace ns, final boolean read, final MemorySegment buffer, final long offset)
    {
        try
        {
            if (read)
            {
                ns.read(buffer, offset);
            }
            else
            {
                ns.write(buffer, offset);
            }
            return buffer.byteSize();
        }
        catch (final ConduitException e)
        {
            System.getLogger("conduit.bench").log(System.Logger.Level.WARNING, "nvmf bench I/O failed: {0}", e.getMessage());
            return IoResult.of(e.code());
        }
    }
}
