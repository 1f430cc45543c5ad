package dev.conduit.spdk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.nativebindings.spdk.SpdkController;
import dev.conduit.nativebindings.spdk.SpdkEnvironment;
import dev.conduit.nativebindings.spdk.SpdkLibrary;
import dev.conduit.nativebindings.spdk.SpdkNamespaceInfo;
import dev.conduit.scheduler.DeviceContext;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import dev.conduit.scheduler.ThreadingMode;

/**
 * Not a test: a measurement tool for docs/SPDK.md, the counterpart of {@code spdk_nvme_perf -q 32 -o
 * 4096 -w randread}: 4 KiB random reads at a fixed queue depth through the scheduler and one
 * {@link SpdkBackend} queue pair, for a fixed time, against any NVMe/TCP target.
 *
 * <pre>
 * java -cp ... dev.conduit.spdk.SpdkRandomReadRate "spdk://trtype:TCP,...,ns:1" [queueDepth=32] [seconds=5] [dedicated|invoker]
 * </pre>
 *
 * <p>{@code dedicated} (default): one thread submits, the device's own thread polls. {@code invoker}:
 * one thread submits and runs the device's duty cycle, as {@code spdk_nvme_perf} does on its core.
 */
public final class SpdkRandomReadRate
{
    private static final int BLOCK = 4096;

    private SpdkRandomReadRate()
    {
    }

    /**
     * @param args spec, queue depth, seconds.
     * @throws InterruptedException when interrupted.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final SpdkNamespaceSpec spec = SpdkNamespaceSpec.parse(args[0]);
        final int depth = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        final long seconds = args.length > 2 ? Long.parseLong(args[2]) : 5;
        final boolean invoker = args.length > 3 && args[3].equals("invoker");
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
            final MemorySegment buffers = arena.allocate((long) depth * BLOCK, BLOCK);
            final ArrayBlockingQueue<Integer> free = new ArrayBlockingQueue<>(depth);
            final AtomicLong done = new AtomicLong();
            final AtomicLong failed = new AtomicLong();
            for (int i = 0; i < depth; i++)
            {
                free.add(i);
            }
            final long blocks = info.capacityBytes() / BLOCK;
            final SplittableRandom random = new SplittableRandom(42);
            final IoRequest request = new IoRequest();
            final long startNs = System.nanoTime();
            final long endNs = startNs + seconds * 1_000_000_000L;
            while (System.nanoTime() < endNs)
            {
                Integer next = free.poll();
                while (invoker && next == null)
                {
                    scheduler.doWork();
                    next = free.poll();
                }
                final int slot = next != null ? next : free.take();
                request.read(target, random.nextLong(blocks) * BLOCK, buffers, (long) slot * BLOCK, BLOCK);
                scheduler.submit(request, (tag, result) ->
                {
                    (result == BLOCK ? done : failed).incrementAndGet();
                    free.add((int) tag);
                }, slot);
            }
            while (free.size() < depth)
            {
                if (invoker)
                {
                    scheduler.doWork();
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            final double s = (System.nanoTime() - startNs) / 1e9;
            System.out.printf("conduit spdk backend (%s): 4 KiB randread QD %d, %.1f s: %.0f IOPS, %.1f MiB/s, %d failed%n",
                invoker ? "invoker" : "dedicated", depth, s, done.get() / s, done.get() * BLOCK / s / (1 << 20), failed.get());
        }
    }
}
