package dev.conduit.spdk;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkEnvironment;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoCallback;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.ThreadingMode;

/**
 * Not a test: a measurement tool for docs/SPDK.md (bench/peers/spdk-backend-compare.sh runs it), the
 * counterpart of {@code spdk_nvme_perf -q 32 -o 4096 -w randread}: 4 KiB random reads at a fixed queue
 * depth through the scheduler and one {@link SpdkBackend} queue pair, for a fixed time.
 *
 * <pre>
 * java -cp ... dev.conduit.spdk.SpdkRandomReadRate "spdk://trtype:TCP,...,ns:1"|double [queueDepth=32] [seconds=5] [mode=invoker]
 * </pre>
 *
 * <p>Modes. {@code invoker}: the calling thread runs the device's duty cycle, and each completion
 * callback submits the next read, as {@code spdk_nvme_perf} does on its core. {@code dedicated}: the
 * same on the device's own thread (the caller only waits). {@code handoff}: a second thread submits
 * and the device's thread hands each completed slot back through a blocking queue (two threads per
 * I/O, a park and an unpark whenever the submitter waits). {@code double} instead of a spec reads from
 * a controller of the SPDK test double (its {@code CONDUIT_SPDK_LIB} and the {@code conduit.doubles.dir}
 * property): no network, so the rate is the Java side's cost per I/O.
 */
public final class SpdkRandomReadRate
{
    private static final int BLOCK = 4096;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SpdkRandomReadRate()
    {
    }

    /**
     * @param args spec or {@code double}, queue depth, seconds, mode.
     * @throws InterruptedException when interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final SpdkNamespaceSpec spec = SpdkNamespaceSpec.parse(args[0].equals("double") ? DoubleTargets.spec(BLOCK, 65536, "") : args[0]);
        final int depth = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        final long seconds = args.length > 2 ? Long.parseLong(args[2]) : 5;
        final String mode = args.length > 3 ? args[3] : "invoker";
        final boolean invoker = mode.equals("invoker");
        final SpdkLibrary library = SpdkLibrary.load().orElseThrow(() -> new IllegalStateException(SpdkLibrary.loadFailure()));
        final SpdkEnvironment env = SpdkEnvironment.initialise(library, spec.environment());
        try (SpdkController controller = SpdkController.connect(env, spec.transportId());
             IoScheduler scheduler = IoScheduler.launch(new SchedulerContext()
                 .threadingMode(invoker ? ThreadingMode.INVOKER : ThreadingMode.DEDICATED));
             Arena arena = Arena.ofShared())
        {
            final SpdkNamespaceInfo info = controller.namespace(spec.nsid());
            final SpdkBackend backend = new SpdkBackend(controller, info, Math.max(depth, 2));
            final TargetHandle target = scheduler.addDevice("spdk", backend, new DeviceContext().queueDepth(Math.max(depth, 2)))
                .attach(new SpdkTarget(controller, info));
            final Reads reads = new Reads(scheduler, target, arena, info.capacityBytes() / BLOCK, depth, mode.equals("handoff"));
            final long startNs = System.nanoTime();
            reads.run(startNs + TimeUnit.SECONDS.toNanos(seconds), invoker);
            final double s = (System.nanoTime() - startNs) / 1e9;
            System.out.printf("conduit spdk backend (%s): 4 KiB randread QD %d, %.1f s: %.0f IOPS, %.1f MiB/s, %d failed%s%n",
                mode, depth, s, reads.done / s, reads.done * BLOCK / s / (1 << 20), reads.failed, reads.cpuPerIo());
        }
    }

    /** The closed loop: {@code depth} slots, each read again as soon as it completes, until the end time. */
    private static final class Reads implements IoCallback
    {
        private final IoScheduler scheduler;
        private final TargetHandle target;
        private final MemorySegment buffers;
        private final long blocks;
        private final int depth;
        private final ArrayBlockingQueue<Integer> handoff;
        private final SplittableRandom random = new SplittableRandom(42);
        private final IoRequest request = new IoRequest();
        private final CountDownLatch drained = new CountDownLatch(1);
        private long endNs;
        private long warmNs;
        private long warmDone = -1;
        private long warmCpuNs;
        private long endCpuNs;
        private int inFlight;
        private volatile long done;
        private volatile long failed;

        Reads(final IoScheduler scheduler, final TargetHandle target, final Arena arena, final long blocks, final int depth,
            final boolean handoff)
        {
            this.scheduler = scheduler;
            this.target = target;
            this.buffers = arena.allocate((long) depth * BLOCK, BLOCK);
            this.blocks = blocks;
            this.depth = depth;
            this.handoff = handoff ? new ArrayBlockingQueue<>(depth) : null;
        }

        void run(final long endNs, final boolean invoker) throws InterruptedException
        {
            this.endNs = endNs;
            this.warmNs = System.nanoTime() + (endNs - System.nanoTime()) / 3;
            if (handoff != null)
            {
                runHandoff();
                return;
            }
            inFlight = depth;
            for (int slot = 0; slot < depth; slot++)
            {
                submit(slot);
            }
            while (drained.getCount() > 0)
            {
                if (invoker)
                {
                    scheduler.doWork();
                    if (warmDone < 0 && System.nanoTime() >= warmNs)
                    {
                        warmDone = done;
                        warmCpuNs = THREADS.getCurrentThreadCpuTime();
                    }
                    else if (endCpuNs == 0 && System.nanoTime() >= this.endNs)
                    {
                        endCpuNs = THREADS.getCurrentThreadCpuTime();
                    }
                }
                else
                {
                    drained.await(100, TimeUnit.MILLISECONDS);
                }
            }
        }

        /**
         * @return in invoker mode, the calling thread's CPU time per read after the first third of the run
         *         (JIT warm-up excluded): what a loaded machine distorts least, and against the double the
         *         Java side's cost per I/O; against a real target it includes the polling while waiting.
         */
        String cpuPerIo()
        {
            final long reads = done - warmDone;
            return warmDone < 0 || endCpuNs == 0 || reads <= 0 ? "" : String.format(", %.0f CPU ns/IO", (endCpuNs - warmCpuNs) / (double) reads);
        }

        private void submit(final int slot)
        {
            request.read(target, random.nextLong(blocks) * BLOCK, buffers, (long) slot * BLOCK, BLOCK);
            scheduler.submit(request, this, slot);
        }

        @Override
        public void onComplete(final long tag, final long result)
        {
            if (result == BLOCK)
            {
                done++; // one thread completes (the device's or the invoker); volatile for the reader at the end
            }
            else
            {
                failed++;
            }
            if (handoff != null)
            {
                handoff.add((int) tag);
            }
            else if (System.nanoTime() < endNs)
            {
                submit((int) tag);
            }
            else if (--inFlight == 0)
            {
                drained.countDown();
            }
        }

        private void runHandoff() throws InterruptedException
        {
            for (int slot = 0; slot < depth; slot++)
            {
                handoff.add(slot);
            }
            while (System.nanoTime() < endNs)
            {
                submit(handoff.take());
            }
            while (handoff.size() < depth)
            {
                Thread.onSpinWait();
            }
        }
    }
}
