package dev.conduit.scheduler;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import dev.conduit.nativebindings.uring.IoUring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The io_uring backend on the real kernel (skipped where io_uring is unavailable). */
@Tag("io_uring")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IoUringBackendTest
{
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private final Arena arena = Arena.ofShared();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private IoScheduler scheduler;

    @BeforeEach
    void requireIoUring()
    {
        Assumptions.assumeTrue(Backends.ioUringSupport().available(), Backends.ioUringSupport().reason());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        TestResources.close(scheduler, closeables, arena);
    }

    private IoDevice start(final IoUringBackend backend, final DeviceContext context)
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        return scheduler.addDevice("uring0", backend, context);
    }

    private TargetHandle file(final IoDevice device, final long size, final boolean direct) throws Exception
    {
        if (direct)
        {
            final DirectIoSupport support = DirectIoSupport.probe(dir);
            Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
        }
        final Path path = dir.resolve("data-" + closeables.size());
        Content.writeFile(path, size);
        final FileTarget target = FileTarget.open(path, direct);
        closeables.add(target);
        return device.attach(target);
    }

    @Test
    void shouldReadSplitAndMergedRequestsWithDirectIoThroughRegisteredFiles() throws Exception
    {
        final IoUringBackend backend = new IoUringBackend("uring0", 16);
        final IoDevice device = start(backend, new DeviceContext().queueDepth(16).taskSizeBytes(MIB));
        final TargetHandle file = file(device, 16 * MIB, true);
        final List<IoFuture> futures = new ArrayList<>();
        final List<MemorySegment> buffers = new ArrayList<>();
        final long[][] ranges = {{0, 5 * MIB}, {8 * MIB, 4096}, {8 * MIB + 4096, 8192}, {8 * MIB + 12288, 4096},
            {12 * MIB, 2 * MIB + 4096}};
        for (final long[] range : ranges)
        {
            final MemorySegment buffer = arena.allocate(range[1], 4096);
            buffers.add(buffer);
            futures.add(scheduler.read(file, range[0], buffer, Priority.BULK));
        }
        for (int i = 0; i < ranges.length; i++)
        {
            assertEquals(ranges[i][1], futures.get(i).join());
            assertEquals(-1, Content.firstMismatch(buffers.get(i), ranges[i][0], ranges[i][1]), "range " + i);
        }
        assertTrue(backend.usesRegisteredFiles());
        Await.until("metrics published", () -> device.metrics().counter(DeviceCounter.REQUESTS) == ranges.length);
        assertEquals(0, device.metrics().counter(DeviceCounter.IO_ERRORS));
    }

    @Test
    void shouldWriteThenReadBackThroughRegisteredBuffers() throws Exception
    {
        final MemorySegment slab = arena.allocate(4 * MIB, 4096);
        final IoUringBackend backend = new IoUringBackend("uring0", 8, true, slab);
        final IoDevice device = start(backend, new DeviceContext().queueDepth(8));
        final TargetHandle file = file(device, 8 * MIB, true);
        final MemorySegment out = slab.asSlice(0, 2 * MIB);
        Content.fill(out, 5 * MIB);
        assertEquals(2 * MIB, scheduler.write(file, MIB, out, Priority.BULK).join());

        final MemorySegment in = slab.asSlice(2 * MIB, 2 * MIB);
        in.fill((byte)0);
        assertEquals(2 * MIB, scheduler.read(file, MIB, in, Priority.LATENCY).join());
        assertEquals(-1, Content.firstMismatch(in, 5 * MIB, 2 * MIB));
        final MemorySegment outside = arena.allocate(MIB, 4096);
        assertEquals(MIB, scheduler.read(file, 0, outside, Priority.LATENCY).join(), "unregistered buffers still work");
        assertEquals(-1, Content.firstMismatch(outside, 0, MIB));
        // Registration is an optimisation (it needs RLIMIT_MEMLOCK); the data is right either way.
        Assumptions.assumeTrue(backend.registeredBuffersProblem().isEmpty(), backend.registeredBuffersProblem());
        assertEquals(2, backend.fixedBufferIos(), "the write and the read in the slab went out as WRITE_FIXED/READ_FIXED");
    }

    @Test
    void shouldFailOnlyTheRequestTheKernelRejectsWithItsErrnoName() throws Exception
    {
        final DirectIoSupport support = DirectIoSupport.probe(dir);
        Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
        final IoDevice device = start(new IoUringBackend("uring0", 4), new DeviceContext().queueDepth(4));
        final Path path = dir.resolve("direct");
        Content.writeFile(path, MIB);
        final PosixFile posix = PosixFile.open(path, LibC.O_RDONLY | LibC.O_DIRECT, 0);
        closeables.add(posix);
        // Declared alignment 1 on an O_DIRECT descriptor: the scheduler lets a misaligned read through, the kernel refuses it.
        final TargetHandle loose = device.attach(new FileTarget("loose", posix.fd(), 0, MIB, 1));
        final IoFuture bad = scheduler.read(loose, 100, arena.allocate(4096, 4096), Priority.LATENCY);
        final MemorySegment good = arena.allocate(4096, 4096);
        final IoFuture ok = scheduler.read(loose, 8192, good, Priority.LATENCY);
        final Throwable cause = assertThrows(CompletionException.class, bad::join).getCause();
        assertEquals("EINVAL", ((ConduitException)cause).nativeName());
        assertEquals(4096, ok.join());
        assertEquals(-1, Content.firstMismatch(good, 8192, 4096));
    }

    @Test
    void shouldReturnShortCountAtEndOfFile() throws Exception
    {
        final IoDevice device = start(new IoUringBackend("uring0", 4, false), new DeviceContext().queueDepth(4));
        final Path path = dir.resolve("short");
        Content.writeFile(path, 10_000);
        final PosixFile posix = PosixFile.open(path, LibC.O_RDONLY, 0);
        closeables.add(posix);
        final TargetHandle target = device.attach(new FileTarget("short", posix.fd(), 0, MIB, 1));
        final MemorySegment buffer = arena.allocate(16384);
        assertEquals(10_000 - 4096, scheduler.read(target, 4096, buffer, Priority.LATENCY).join());
        assertEquals(-1, Content.firstMismatch(buffer, 4096, 10_000 - 4096));
        assertFalse(((IoUringBackend)device.backend()).usesRegisteredFiles());
    }

    @Test
    void shouldContinueAShortReadUntilTheRequestIsWhole()
    {
        // A pipe reads short when it holds less than asked; an empty one keeps the read waiting (polled by the kernel).
        final MemorySegment fds = arena.allocate(JAVA_INT, 2);
        LibC.check(LibC.pipe2(fds, LibC.O_CLOEXEC), "pipe2");
        final int readFd = fds.getAtIndex(JAVA_INT, 0);
        final int writeFd = fds.getAtIndex(JAVA_INT, 1);
        closeables.add(() -> LibC.close(readFd));
        closeables.add(() -> LibC.close(writeFd));
        final IoUringBackend backend = new IoUringBackend("uring0", 4);
        final IoDevice device = start(backend, new DeviceContext().queueDepth(4));
        final TargetHandle pipe = device.attach(new FileTarget("pipe", readFd, 0, 1L << 40, 1));
        final MemorySegment buffer = arena.allocate(8192);
        final MemorySegment data = arena.allocate(8192);
        Content.fill(data, 0);

        final IoFuture read = scheduler.read(pipe, 0, buffer, Priority.LATENCY);
        long written = 0;
        try
        {
            written += LibC.write(writeFd, data, 4096);
            Await.until("the short read resubmitted for the rest", () -> backend.resubmissions() == 1, read::toString);
            assertFalse(read.isDone(), "a short read is continued, not reported");
            assertEquals(-1, buffer.asSlice(0, 4096).mismatch(data.asSlice(0, 4096)));

            written += LibC.write(writeFd, data.asSlice(4096), 4096);
            assertEquals(8192, read.join());
            assertEquals(-1, buffer.mismatch(data));
            assertEquals(1, backend.resubmissions());
        }
        finally
        {
            // On a failure above, feed the read the rest so that close (which waits for it) returns.
            if (!read.isDone() && written < 8192)
            {
                LibC.write(writeFd, data, 8192 - written);
            }
        }
    }

    @Test
    void shouldRefuseTargetsWithoutDescriptor()
    {
        final IoDevice device = start(new IoUringBackend("uring0", 4), new DeviceContext().queueDepth(4));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> device.attach(new MemoryTarget("m", arena.allocate(4096))));
        assertTrue(e.getMessage().contains("not fd-backed"), e.getMessage());
    }

    @Test
    void shouldWakeDeviceBlockedInTheKernelWhenAProducerSubmits() throws Exception
    {
        final IoDevice device = start(new IoUringBackend("uring0", 4), new DeviceContext().queueDepth(4));
        final TargetHandle file = file(device, MIB, false);
        final MemorySegment buffer = arena.allocate(4096);
        for (int i = 0; i < 50; i++)
        {
            // Each read finds the device idle, i.e. blocked in io_uring_enter with only the eventfd read armed.
            Await.until("device idle", () -> device.metrics().inFlightTasks() == 0);
            assertEquals(4096, scheduler.read(file, i * 4096L, buffer, Priority.LATENCY).join());
            assertEquals(-1, Content.firstMismatch(buffer, i * 4096L, 4096));
        }
    }

    @Test
    void shouldReadCorrectlyWithCooperativeCompletionsUnderAFullQueue() throws Exception
    {
        final IoUringBackend backend = new IoUringBackend("uring0", 16);
        try (IoUring probe = IoUring.createCooperative(2))
        {
            assertEquals(probe.setupFlags(), backend.setupFlags(), "the backend takes the cooperative ring where the kernel has it");
        }
        final IoDevice device = start(backend, new DeviceContext().queueDepth(16).taskSizeBytes(64 * 1024));
        final TargetHandle file = file(device, 8 * MIB, true);
        final int reads = 128;
        final List<IoFuture> futures = new ArrayList<>();
        final List<MemorySegment> buffers = new ArrayList<>();
        for (int i = 0; i < reads; i++)
        {
            final MemorySegment buffer = arena.allocate(64 * 1024, 4096);
            buffers.add(buffer);
            futures.add(scheduler.read(file, (i * 64L * 1024) % (8 * MIB), buffer, Priority.BULK));
        }
        for (int i = 0; i < reads; i++)
        {
            final long offset = (i * 64L * 1024) % (8 * MIB);
            assertEquals(64 * 1024, futures.get(i).join());
            assertEquals(-1, Content.firstMismatch(buffers.get(i), offset, 64 * 1024), "read " + i);
        }
    }

    @Test
    void shouldBeTheDefaultBackendWhenAvailable()
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("default", new DeviceContext().queueDepth(8));
        assertEquals("io_uring", device.backend().name());
        assertEquals(8, device.context().queueDepth());
    }
}
