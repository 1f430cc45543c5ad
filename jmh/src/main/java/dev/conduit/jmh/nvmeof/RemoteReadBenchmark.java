package dev.conduit.jmh.nvmeof;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.initiator.HostController;
import dev.conduit.nvmeof.initiator.HostQueue;
import dev.conduit.nvmeof.initiator.Sqes;
import dev.conduit.nvmeof.pdu.Wire;
import dev.conduit.nvmeof.target.NvmfTarget;
import dev.conduit.nvmeof.target.NvmfTargetConfig;
import dev.conduit.nvmeof.target.Subsystem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The NVMe/TCP initiator's read path: one {@link HostQueue} (I/O queue 1 of a {@link HostController})
 * reading {@code blockBytes} from a RAM namespace exported by an in-process {@link NvmfTarget} over
 * 127.0.0.1, {@code queueDepth} reads outstanding, each into its own reused 4 KiB-aligned native
 * buffer, completions through a {@link HostQueue.CompletionHandler} (no future). An op is one
 * completed read; ops/s times {@code blockBytes} is the throughput.
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is every byte the JVM allocated per read,
 * the in-process target's included. The initiator's own share is printed after each iteration as
 * {@code [initiator] B/read}: the bytes the benchmark thread and the queues' reading threads
 * allocated (their thread allocation counters), divided by the reads of the iteration.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar jmh/target/benchmarks.jar RemoteReadBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RemoteReadBenchmark
{
    private static final String NQN = "nqn.2026-01.dev.conduit:jmh-ram";
    private static final String HOST_NQN = "nqn.2026-01.dev.conduit:jmh-host";
    private static final long NAMESPACE_BYTES = 64L << 20;
    private static final int WAIT_SPINS = 200;

    /** Bytes per read. */
    @Param({"131072", "4096"})
    public int blockBytes;

    /** Reads outstanding. */
    @Param({"1", "32"})
    public int queueDepth;

    private MemoryNamespace namespace;
    private NvmfTarget target;
    private HostController host;
    private HostQueue queue;
    private Arena arena;
    private Slot[] slots;
    private long blocksPerRead;
    private long reads;
    private int next;
    private volatile Thread waiter;
    private Thread benchmarkThread;
    private final List<Thread> initiatorThreads = new ArrayList<>();
    private long iterationReads;
    private long iterationAllocatedBytes;

    /** A read slot: its buffer, its SQE and whether its read is in flight. */
    private final class Slot implements HostQueue.CompletionHandler
    {
        final MemorySegment buffer;
        final MemorySegment sqe;
        final AtomicLong failures = new AtomicLong();
        volatile boolean busy;

        Slot(final MemorySegment buffer, final MemorySegment sqe)
        {
            this.buffer = buffer;
            this.sqe = sqe;
        }

        @Override
        public void completed(final int status, final long result, final ConduitException failure)
        {
            if (failure != null || status != NvmeStatus.SUCCESS)
            {
                failures.incrementAndGet();
            }
            busy = false;
            final Thread w = waiter;
            if (w != null)
            {
                LockSupport.unpark(w);
            }
        }
    }

    /** Starts the target on an ephemeral port and connects one I/O queue. */
    @Setup(Level.Trial)
    public void setUp()
    {
        namespace = MemoryNamespace.allocate("jmh-ram", NAMESPACE_BYTES);
        final Subsystem subsystem = new Subsystem(NQN, List.of(namespace), Set.of(HOST_NQN), false, "CONDUIT-JMH");
        target = NvmfTarget.start(NvmfTargetConfig.defaults("127.0.0.1", 0), List.of(subsystem));
        host = HostController.connect(target.localAddress(), HostQueue.Options.of(HOST_NQN).withQueueEntries(64), NQN, 1);
        queue = host.io(0);
        arena = Arena.ofShared();
        blocksPerRead = blockBytes / namespace.blockSize();
        slots = new Slot[queueDepth];
        for (int i = 0; i < queueDepth; i++)
        {
            final MemorySegment sqe = Sqes.readWrite(arena.allocate(SqeDescriptor.LENGTH, 8), Opcodes.IO_READ, 1, 0, (int)blocksPerRead);
            slots[i] = new Slot(arena.allocate(blockBytes, 4096), sqe);
        }
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().equals("conduit-nvmf-host"))
            {
                initiatorThreads.add(thread);
            }
        }
    }

    /** Notes the initiator threads' allocation counters before an iteration. */
    @Setup(Level.Iteration)
    public void startIteration()
    {
        iterationReads = reads;
        iterationAllocatedBytes = initiatorAllocatedBytes();
    }

    /** Prints what the initiator's threads allocated per read during the iteration. */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        final long iterationCount = reads - iterationReads;
        final long bytes = initiatorAllocatedBytes() - iterationAllocatedBytes;
        System.out.printf(Locale.ROOT, "%n[initiator] %.3f B/read (%d bytes over %d reads; benchmark thread + %d queue reading threads)%n",
            iterationCount == 0 ? 0.0 : (double)bytes / iterationCount, bytes, iterationCount, initiatorThreads.size());
    }

    private long initiatorAllocatedBytes()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        long bytes = 0;
        for (final Thread thread : initiatorThreads)
        {
            bytes += Math.max(0, threads.getThreadAllocatedBytes(thread.threadId()));
        }
        if (benchmarkThread != null)
        {
            bytes += Math.max(0, threads.getThreadAllocatedBytes(benchmarkThread.threadId()));
        }
        return bytes;
    }

    /** Waits for every read, checks none failed, and stops everything. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        long failures = 0;
        for (final Slot slot : slots)
        {
            await(slot);
            failures += slot.failures.get();
        }
        host.close();
        target.close();
        namespace.close();
        arena.close();
        if (failures > 0)
        {
            throw new IllegalStateException(failures + " reads failed");
        }
    }

    /**
     * Submits one read into the next slot, first waiting for that slot's previous read.
     *
     * @return the slot's buffer (its previous read's data).
     */
    @Benchmark
    public MemorySegment read()
    {
        if (benchmarkThread == null)
        {
            benchmarkThread = Thread.currentThread();
        }
        final Slot slot = slots[next];
        next = next + 1 == slots.length ? 0 : next + 1;
        await(slot);
        final long lba = (reads++ * blocksPerRead) % (NAMESPACE_BYTES / namespace.blockSize());
        slot.busy = true;
        Wire.put64(slot.sqe, SqeDescriptor.CDW10_OFFSET, lba);   // the SLBA; the rest of the SQE was built once
        queue.submit(slot.sqe, slot.buffer, false, slot);
        return slot.buffer;
    }

    private void await(final Slot slot)
    {
        int spins = 0;
        while (slot.busy)
        {
            if (++spins < WAIT_SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            // Park rather than spin: on a small host the reader and the target need this CPU.
            waiter = Thread.currentThread();
            if (slot.busy)
            {
                LockSupport.parkNanos(this, 1_000_000L);
            }
            waiter = null;
        }
    }
}
