package dev.conduit.bench.fabric;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Progress;
import dev.conduit.bench.Sizes;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.RemoteNamespace;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.HdrHistogram.Histogram;

/**
 * {@code conduit bench --fabric}: starts Conduit's NVMe/TCP target on 127.0.0.1 (ephemeral port)
 * exporting a RAM namespace, connects Conduit's initiator ({@link RemoteNamespace}) to it, and
 * measures random reads in two phases (throughput: 128 KiB at QD 32; IOPS: 4 KiB at QD 64; both over
 * 2 I/O queues), then iperf3's loopback TCP throughput in the same invocation. Each phase runs a
 * quarter of its time (at most 0.5 s) unmeasured first. Closed loop: QD blocking readers on virtual
 * threads, latency from submission to completion.
 */
public final class FabricBench
{
    private static final String NQN = "nqn.2026-01.dev.conduit:bench-ram";
    private static final String HOST_NQN = "nqn.2026-01.dev.conduit:bench-host";
    private static final long WARM_MAX_NS = 500_000_000L;
    private static final int MAX_QUEUE_ENTRIES = 128;

    private FabricBench()
    {
    }

    /**
     * @param config   the run.
     * @param iperf3   iperf3's executable ({@link Iperf3#locate}).
     * @param progress notes on stderr.
     * @return the report.
     */
    public static FabricReport run(final FabricBenchConfig config, final Path iperf3, final Progress progress)
    {
        final BenchResult stream;
        final BenchResult iops;
        final String target;
        try (MemoryNamespace ram = MemoryNamespace.allocate("fabric-ram", config.namespaceBytes()))
        {
            final Subsystem subsystem = new Subsystem(NQN, List.of(ram), Set.of(HOST_NQN), false, "CONDUIT-BENCH");
            try (NvmfTarget nvmf = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(subsystem)))
            {
                final int entries = Math.min(MAX_QUEUE_ENTRIES, Math.max(config.streamQueueDepth(), config.iopsQueueDepth()));
                final HostQueue.Options options = HostQueue.Options.of(HOST_NQN).withQueueEntries(entries);
                try (RemoteNamespace ns = RemoteNamespace.connect(nvmf.localAddress(), options, NQN, 1, config.ioQueues()))
                {
                    target = ns.id();
                    stream = phase(ns, config.streamBlockBytes(), config.streamQueueDepth(), config, progress);
                    iops = phase(ns, config.iopsBlockBytes(), config.iopsQueueDepth(), config, progress);
                }
            }
        }
        progress.note(String.format(Locale.ROOT, "fabric: iperf3 loopback TCP for %d s", config.iperfSeconds()));
        return new FabricReport(config, target, stream, iops, Iperf3.measure(iperf3, config.iperfSeconds()));
    }

    private static BenchResult phase(final RemoteNamespace ns, final int blockBytes, final int queueDepth,
        final FabricBenchConfig config, final Progress progress)
    {
        final String detail = String.format(Locale.ROOT, "read %s qd%d, %d queues", Sizes.fioSize(blockBytes), queueDepth,
            config.ioQueues());
        progress.note("fabric: " + detail + " for " + config.phaseNs() / 1e9 + " s");
        final long startNs = System.nanoTime();
        final long measureFromNs = startNs + Math.min(WARM_MAX_NS, config.phaseNs() / 4);
        final long endNs = measureFromNs + config.phaseNs();
        final long blocks = ns.capacityBytes() / blockBytes;
        final List<Future<Reader>> readers = new ArrayList<>();
        try (Arena arena = Arena.ofShared(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor())
        {
            for (int i = 0; i < queueDepth; i++)
            {
                final MemorySegment buffer = arena.allocate(blockBytes, 4096);
                readers.add(threads.submit(() -> new Reader().run(ns, buffer, blocks, measureFromNs, endNs)));
            }
            final Histogram latencyNs = new Histogram(3);
            long bytes = 0;
            long ios = 0;
            for (final Future<Reader> future : readers)
            {
                final Reader reader = future.get();
                latencyNs.add(reader.latencyNs);
                bytes += reader.ios * blockBytes;
                ios += reader.ios;
            }
            return BenchResult.of("conduit", detail, bytes, ios, config.phaseNs() / 1e9, latencyNs);
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof ConduitException conduit)
            {
                throw conduit;
            }
            throw new ConduitException(ErrorCode.INTERNAL_ERROR, "fabric reader failed: " + e.getCause(), e.getCause());
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted during the fabric bench", e);
        }
    }

    /** One closed-loop reader: random aligned reads until the end, counting those inside the window. */
    private static final class Reader
    {
        private final Histogram latencyNs = new Histogram(3);
        private long ios;

        Reader run(final RemoteNamespace ns, final MemorySegment buffer, final long blocks, final long measureFromNs,
            final long endNs)
        {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long t0 = System.nanoTime(); t0 < endNs; t0 = System.nanoTime())
            {
                ns.read(buffer, random.nextLong(blocks) * buffer.byteSize());
                final long t1 = System.nanoTime();
                if (t0 >= measureFromNs && t1 <= endNs)
                {
                    latencyNs.recordValue(t1 - t0);
                    ios++;
                }
            }
            return this;
        }
    }
}
