package dev.conduit.scheduler;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pread/pwrite pool behind a running scheduler, against real files and fault-injecting targets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PreadBackendTest
{
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private IoScheduler scheduler;
    private PreadBackend backend;
    private IoDevice device;

    private void start(final int workers, final DeviceContext context)
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        backend = new PreadBackend("test-pread", workers);
        device = scheduler.addDevice("file0", backend, context);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        TestResources.close(scheduler, closeables, arena);
    }

    private TargetHandle file(final long size, final boolean direct) throws IOException
    {
        final Path path = dir.resolve("data");
        Content.writeFile(path, size);
        final FileTarget target = FileTarget.open(path, direct);
        closeables.add(target);
        return device.attach(target);
    }

    @Test
    void shouldReadKnownContentFromFileIncludingSplitRequests() throws IOException
    {
        start(4, new DeviceContext().taskSizeBytes(MIB));
        final TargetHandle file = file(8 * MIB, false);
        final long[][] ranges = {{0, 4096}, {12345, 777}, {MIB - 10, 20}, {100, 5 * MIB + 3}, {8 * MIB - 1, 1}};
        final List<IoFuture> futures = new ArrayList<>();
        final List<MemorySegment> buffers = new ArrayList<>();
        for (final long[] range : ranges)
        {
            final MemorySegment buffer = arena.allocate(range[1]);
            buffers.add(buffer);
            futures.add(scheduler.read(file, range[0], buffer, Priority.BULK));
        }
        for (int i = 0; i < ranges.length; i++)
        {
            assertEquals(ranges[i][1], futures.get(i).join());
            assertEquals(-1, Content.firstMismatch(buffers.get(i), ranges[i][0], ranges[i][1]), "range " + i);
        }
        // Metrics are published at the end of the duty cycle that completed the requests.
        Await.until("metrics published", () -> device.metrics().counter(DeviceCounter.REQUESTS) == 5);
        assertEquals(10, device.metrics().counter(DeviceCounter.TASKS), "5 requests, one split into 6 slices");
    }

    @Test
    void shouldWriteAndReadBackWithDirectIo() throws IOException
    {
        final DirectIoSupport support = DirectIoSupport.probe(dir);
        Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
        start(8, new DeviceContext().taskSizeBytes(MIB));
        final TargetHandle file = file(4 * MIB, true);
        final MemorySegment out = arena.allocate(2 * MIB, 4096);
        Content.fill(out, 7 * MIB);          // content that belongs elsewhere, so the write is visible
        assertEquals(2 * MIB, scheduler.write(file, MIB, out, Priority.BULK).join());

        final MemorySegment in = arena.allocate(4 * MIB, 4096);
        assertEquals(4 * MIB, scheduler.read(file, 0, in, Priority.LATENCY).join());
        assertEquals(-1, Content.firstMismatch(in.asSlice(0, MIB), 0, MIB));
        assertEquals(-1, Content.firstMismatch(in.asSlice(MIB, 2 * MIB), 7 * MIB, 2 * MIB));
        assertEquals(-1, Content.firstMismatch(in.asSlice(3 * MIB, MIB), 3 * MIB, MIB));

        final IllegalArgumentException unaligned = assertThrows(IllegalArgumentException.class,
            () -> scheduler.read(file, 512, in.asSlice(0, 4096), Priority.LATENCY));
        assertTrue(unaligned.getMessage().contains("aligned"), unaligned.getMessage());
    }

    @Test
    void shouldReturnShortCountAtEndOfFile() throws IOException
    {
        start(2, new DeviceContext());
        final Path path = dir.resolve("short");
        Content.writeFile(path, 10_000);
        final PosixFile posix = PosixFile.open(path, LibC.O_RDONLY, 0);
        closeables.add(posix);
        // The target claims more than the file holds, as a namespace over a file still being filled would.
        final TargetHandle target = device.attach(new FileTarget("short", posix.fd(), 0, MIB, 1));
        final MemorySegment buffer = arena.allocate(16384);
        assertEquals(10_000 - 8192, scheduler.read(target, 8192, buffer, Priority.LATENCY).join());
        assertEquals(-1, Content.firstMismatch(buffer, 8192, 10_000 - 8192));
        assertEquals(0, scheduler.read(target, 65536, buffer, Priority.LATENCY).join());
    }

    @Test
    void shouldContinueShortTransfersAcrossMergedBuffers()
    {
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        device = scheduler.addDevice("dribble", new PreadBackend("dribble", 1), new DeviceContext());
        final MemorySegment memory = arena.allocate(MIB);
        Content.fill(memory, 0);
        final TestTargets.Dribble dribble = new TestTargets.Dribble(memory, 1000);
        final TargetHandle target = device.attach(dribble);

        final List<IoFuture> futures = new ArrayList<>();
        final List<MemorySegment> buffers = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final MemorySegment buffer = arena.allocate(3000);
            buffers.add(buffer);
            futures.add(scheduler.read(target, 1000 + i * 3000L, buffer, Priority.LATENCY));
        }
        Await.until("all reads done", () ->
        {
            scheduler.doWork();
            return futures.stream().allMatch(IoFuture::isDone);
        });
        for (int i = 0; i < 5; i++)
        {
            assertEquals(3000, futures.get(i).join());
            assertEquals(-1, Content.firstMismatch(buffers.get(i), 1000 + i * 3000L, 3000), "buffer " + i);
        }
        assertEquals(4, device.metrics().counter(DeviceCounter.MERGED), "five adjacent reads went as one task");
        assertEquals(1 + 15, dribble.calls.get(), "one EINTR, then 15 calls of 1000 bytes");
    }

    @Test
    void shouldFailOnlyTheRequestTouchingAnIoErrorWithItsErrnoName()
    {
        scheduler = IoScheduler.launch(new SchedulerContext().threadingMode(ThreadingMode.INVOKER));
        device = scheduler.addDevice("faulty", new PreadBackend("faulty", 2), new DeviceContext());
        final MemorySegment memory = arena.allocate(MIB);
        Content.fill(memory, 0);
        final TestTargets.Faulty faulty = new TestTargets.Faulty(new MemoryTarget("m", memory), 40960, 40961, Errno.EIO);
        final TargetHandle target = device.attach(faulty);

        final List<IoFuture> futures = new ArrayList<>();
        final List<MemorySegment> buffers = new ArrayList<>();
        for (int i = 0; i < 8; i++)
        {
            final MemorySegment buffer = arena.allocate(8192);
            buffers.add(buffer);
            futures.add(scheduler.read(target, i * 8192L, buffer, Priority.LATENCY));   // adjacent: merged
        }
        Await.until("all reads done", () ->
        {
            scheduler.doWork();
            return futures.stream().allMatch(IoFuture::isDone);
        });
        for (int i = 0; i < 8; i++)
        {
            if (i == 5)
            {
                final Throwable cause = assertThrows(CompletionException.class, futures.get(i)::join).getCause();
                assertInstanceOf(ConduitException.class, cause);
                assertEquals("EIO", ((ConduitException)cause).nativeName());
                assertTrue(cause.getMessage().contains("off=40960"), cause.getMessage());
            }
            else
            {
                assertEquals(8192, futures.get(i).join(), "request " + i);
                assertEquals(-1, Content.firstMismatch(buffers.get(i), i * 8192L, 8192));
            }
        }
        assertEquals(1, device.metrics().counter(DeviceCounter.MERGE_RETRIES));
        assertEquals(1, device.metrics().counter(DeviceCounter.IO_ERRORS));
        assertEquals(2, faulty.faults.get(), "once merged, once alone");
    }

    @Test
    void shouldReportUnexpectedTargetExceptionsAsInternalErrorsNotEio()
    {
        start(1, new DeviceContext());
        final TargetHandle target = device.attach(new SizedTarget("throws", MIB, 1));
        final Throwable cause = assertThrows(CompletionException.class,
            () -> scheduler.read(target, 0, arena.allocate(4096), Priority.LATENCY).join()).getCause();
        assertEquals(ErrorCode.INTERNAL_ERROR, ((ConduitException)cause).code(), "a bug in a target is not a media error");
        assertEquals(ErrorDomain.NONE, ((ConduitException)cause).domain());
        assertEquals(1, backend.unexpectedErrors());
    }

    @Test
    void shouldRefuseBadWorkerCount()
    {
        assertThrows(IllegalArgumentException.class, () -> new PreadBackend("x", 0));
    }
}
