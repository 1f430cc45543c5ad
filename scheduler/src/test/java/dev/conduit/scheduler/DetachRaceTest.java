package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.DirectIoSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Producers race a detach whose handle index, and so registered-file slot, is at once reused by
 * another file (io_uring, O_DIRECT): every request accepted on the old handle completes exactly
 * once, with the old file's bytes or with {@link IoStatus#DETACHED}, and the new file's reads,
 * issued while requests of the old handle may still be in the ring, always get the new file's
 * bytes. Whether a producer actually loses the race (validated before the detach, ring slot after
 * it) depends on scheduling and is not forced; the invariants hold either way.
 */
@Tag("io_uring")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DetachRaceTest
{
    private static final int PRODUCERS = 3;
    private static final int MAX_PER_PRODUCER = 1000;
    private static final int LENGTH = 4096;
    private static final long FILE_BYTES = 1 << 20;
    private static final int ROUNDS = 8;

    private final Arena arena = Arena.ofShared();
    private final List<FileTarget> files = new ArrayList<>();
    private ScratchDir scratch;
    private IoScheduler scheduler;

    @AfterEach
    void tearDown() throws Exception
    {
        if (scheduler != null)
        {
            scheduler.close();
        }
        for (final FileTarget file : files)
        {
            file.close();
        }
        if (scratch != null)
        {
            scratch.close();
        }
        arena.close();
    }

    @Test
    void shouldCompleteEveryRacingRequestFromTheOldFileOrAsDetached() throws Exception
    {
        Assumptions.assumeTrue(Backends.ioUringSupport().available(), Backends.ioUringSupport().reason());
        scratch = new ScratchDir("detach-race");
        final DirectIoSupport support = DirectIoSupport.probe(scratch.path());
        Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
        for (int f = 0; f < 2; f++)
        {
            final Path path = scratch.path().resolve("f" + f);
            Content.writeFile(path, FILE_BYTES, f * FILE_BYTES);
            files.add(FileTarget.open(path, true));
        }
        final IoUringBackend backend = new IoUringBackend("uring0", 8, 2, 0);
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("uring0", backend, new DeviceContext().queueDepth(8));
        final MemorySegment buffers = arena.allocate((long)PRODUCERS * MAX_PER_PRODUCER * LENGTH, LENGTH);
        final MemorySegment check = arena.allocate(LENGTH, LENGTH);
        for (int round = 0; round < ROUNDS; round++)
        {
            final int old = round & 1;
            final TargetHandle handle = device.attach(files.get(old));
            final AtomicLongArray results = new AtomicLongArray(PRODUCERS * MAX_PER_PRODUCER);
            final AtomicInteger submitted = new AtomicInteger();
            final AtomicInteger completed = new AtomicInteger();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int producer = p;
                producers.add(Thread.ofPlatform().start(() -> produce(device, handle, producer, buffers, results,
                    submitted, completed, failure)));
            }
            while (submitted.get() < PRODUCERS * 20 && failure.get() == null)
            {
                Thread.onSpinWait();
            }
            device.detach(handle).get(30, TimeUnit.SECONDS);

            final TargetHandle next = device.attach(files.get(1 - old));
            assertEquals(handle.index(), next.index(), "the index (and file slot) is reused at once");
            for (int i = 0; i < 50 || producers.stream().anyMatch(Thread::isAlive); i++)
            {
                final long offset = offsetOf(i);
                assertEquals(LENGTH, device.submit(new IoRequest().read(next, offset, check, 0, LENGTH))
                    .get(30, TimeUnit.SECONDS));
                assertEquals(-1, Content.firstMismatch(check, (1 - old) * FILE_BYTES + offset, LENGTH),
                    "round " + round + ": the reused slot served another file");
            }
            for (final Thread producer : producers)
            {
                producer.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertNull(failure.get(), () -> "producer failed: " + failure.get());
            Await.until("every accepted request completed", () -> completed.get() == submitted.get());
            for (int i = 0; i < results.length(); i++)
            {
                final long result = results.get(i);
                // 0: never submitted; DETACHED: claimed its ring slot after the detach took effect.
                if (result != 0 && result != IoStatus.DETACHED)
                {
                    assertEquals(LENGTH, result, "request " + i);
                    assertEquals(-1, Content.firstMismatch(buffers.asSlice((long)i * LENGTH, LENGTH),
                        old * FILE_BYTES + offsetOf(i % MAX_PER_PRODUCER), LENGTH),
                        "round " + round + " request " + i + " read another file");
                }
            }
            device.detach(next).get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(
        final IoDevice device, final TargetHandle handle, final int producer, final MemorySegment buffers,
        final AtomicLongArray results, final AtomicInteger submitted, final AtomicInteger completed,
        final AtomicReference<Throwable> failure)
    {
        final IoRequest request = new IoRequest();
        final IoCallback callback = (tag, result) ->
        {
            results.set((int)tag, result);
            completed.incrementAndGet();
        };
        try
        {
            for (int i = 0; i < MAX_PER_PRODUCER; i++)
            {
                final int slot = producer * MAX_PER_PRODUCER + i;
                request.read(handle, offsetOf(i), buffers, (long)slot * LENGTH, LENGTH);
                try
                {
                    device.submit(request, callback, slot);
                }
                catch (final ConduitException e)
                {
                    if (e.code() == ErrorCode.TARGET_DETACHED)
                    {
                        return;
                    }
                    throw e;
                }
                submitted.incrementAndGet();
            }
        }
        catch (final Throwable t)
        {
            failure.set(t);
        }
    }

    private static long offsetOf(final int i)
    {
        return ((i * 7919L) % (FILE_BYTES / LENGTH)) * LENGTH;
    }
}
