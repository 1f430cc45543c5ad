package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import dev.conduit.nativebindings.DirectIoSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several producer threads read random ranges (small adjacent runs that merge, medium reads, large
 * reads that split) at both priorities through the pread pool, and every byte that arrives is
 * checked against the known content.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedulerStressTest
{
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long FILE_SIZE = 32 * MIB;
    private static final long MAX_REQUEST = 3 * MIB;
    private static final int PRODUCERS = 4;
    private static final int REQUESTS_PER_PRODUCER = 400;
    private static final int OUTSTANDING = 8;

    @TempDir
    Path dir;

    private record Pending(IoFuture future, long offset, long length, MemorySegment buffer)
    {
    }

    @ParameterizedTest
    @ValueSource(strings = {"buffered-file", "direct-file", "memory", "uring-direct-file", "uring-buffered-file"})
    void shouldDeliverEveryByteCorrectlyUnderConcurrentLoad(final String kind) throws Exception
    {
        final boolean uring = kind.startsWith("uring");
        final boolean direct = kind.endsWith("direct-file");
        if (uring)
        {
            Assumptions.assumeTrue(Backends.ioUringSupport().available(), Backends.ioUringSupport().reason());
        }
        if (direct)
        {
            final DirectIoSupport support = DirectIoSupport.probe(dir);
            Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
        }
        try (Arena arena = Arena.ofShared();
            IoScheduler scheduler = IoScheduler.launch(new SchedulerContext()))
        {
            final Backend backend = uring ? new IoUringBackend("stress", 8) : new PreadBackend("stress", 8);
            final IoDevice device = scheduler.addDevice("stress", backend,
                new DeviceContext().queueDepth(8).taskSizeBytes(512 * KIB).ringSize(64));
            final List<AutoCloseable> closeables = new ArrayList<>();
            final TargetHandle target;
            if (kind.equals("memory"))
            {
                final MemorySegment memory = arena.allocate(FILE_SIZE);
                Content.fill(memory, 0);
                target = device.attach(new MemoryTarget("memory", memory));
            }
            else
            {
                final Path path = dir.resolve("stress.dat");
                Content.writeFile(path, FILE_SIZE);
                final FileTarget file = FileTarget.open(path, direct);
                closeables.add(file);
                target = device.attach(file);
            }
            final long alignment = direct ? 4096 : 1;

            final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++)
            {
                final long seed = 1234 + p;
                final MemorySegment slab = arena.allocate(OUTSTANDING * MAX_REQUEST, 4096);
                producers.add(Thread.ofPlatform().name("producer-" + p).start(
                    () -> produce(scheduler, target, slab, new SplittableRandom(seed), alignment, failures)));
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            assertEquals(List.of(), List.copyOf(failures));
            final DeviceMetrics metrics = device.metrics();
            Await.until("metrics published", () -> metrics.counter(DeviceCounter.REQUESTS) == PRODUCERS * REQUESTS_PER_PRODUCER);
            assertEquals(PRODUCERS * REQUESTS_PER_PRODUCER, metrics.counter(DeviceCounter.REQUESTS));
            assertEquals(0, metrics.counter(DeviceCounter.IO_ERRORS));
            assertTrue(metrics.counter(DeviceCounter.TASKS) > metrics.counter(DeviceCounter.REQUESTS) -
                metrics.counter(DeviceCounter.MERGED), "large requests were split");
            for (final AutoCloseable c : closeables)
            {
                c.close();
            }
        }
    }

    private static void produce(
        final IoScheduler scheduler, final TargetHandle target, final MemorySegment slab, final SplittableRandom random,
        final long alignment, final ConcurrentLinkedQueue<String> failures)
    {
        final ArrayDeque<Pending> pending = new ArrayDeque<>();
        final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
        for (int i = 0; i < OUTSTANDING; i++)
        {
            freeSlots.add(i);
        }
        final ArrayDeque<Integer> slotOf = new ArrayDeque<>();
        final IoRequest request = new IoRequest();
        int submitted = 0;
        while (submitted < REQUESTS_PER_PRODUCER || !pending.isEmpty())
        {
            if (submitted < REQUESTS_PER_PRODUCER && !freeSlots.isEmpty())
            {
                final int kind = random.nextInt(100);
                final int run = kind < 40 ? Math.min(Math.min(4, freeSlots.size()), REQUESTS_PER_PRODUCER - submitted) : 1;
                final long length = align(kind < 70 ? 1 + random.nextLong(64 * KIB) :
                    kind < 95 ? 64 * KIB + random.nextLong(MIB) : MIB + random.nextLong(MAX_REQUEST - MIB), alignment);
                long offset = align(random.nextLong(FILE_SIZE - run * length), alignment);
                for (int r = 0; r < run; r++)
                {
                    final int slot = freeSlots.poll();
                    final MemorySegment buffer = slab.asSlice(slot * MAX_REQUEST, length);
                    buffer.fill((byte)0);
                    request.read(target, offset, buffer, 0, length)
                        .priority(random.nextBoolean() ? Priority.LATENCY : Priority.BULK);
                    if (random.nextInt(4) == 0)
                    {
                        request.timeoutNs(TimeUnit.SECONDS.toNanos(60));
                    }
                    else
                    {
                        request.noDeadline();
                    }
                    pending.add(new Pending(scheduler.submit(request), offset, length, buffer));
                    slotOf.add(slot);
                    submitted++;
                    offset += length;
                }
                continue;
            }
            final Pending done = pending.poll();
            final int slot = slotOf.poll();
            try
            {
                final long n = done.future().join();
                final long bad = n == done.length() ? Content.firstMismatch(done.buffer(), done.offset(), n) : -2;
                if (bad != -1)
                {
                    failures.add("read(off=" + done.offset() + ", len=" + done.length() + ") -> " + n + ", first bad byte " + bad);
                }
            }
            catch (final RuntimeException e)
            {
                failures.add("read(off=" + done.offset() + ", len=" + done.length() + ") failed: " + e);
            }
            freeSlots.add(slot);
        }
    }

    private static long align(final long value, final long alignment)
    {
        return Math.max(alignment, value / alignment * alignment);
    }
}
