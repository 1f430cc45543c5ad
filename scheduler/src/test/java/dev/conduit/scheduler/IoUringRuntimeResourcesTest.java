package dev.conduit.scheduler;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoArena;
import dev.conduit.core.memory.RegisteredMemory;
import dev.conduit.nativebindings.DirectIoSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run-time resources of the io_uring backend on the real kernel with O_DIRECT files: targets
 * attached and detached under load with registered-file slots recycled, and host buffers
 * registered while the device runs and used by {@code READ_FIXED}.
 */
@Tag("io_uring")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IoUringRuntimeResourcesTest
{
    private static final int BLOCK = 4096;
    private static final long FILE_BYTES = 4L << 20;
    private static final int FILE_SLOTS = 4;
    private static final int ROTATING_FILES = 3;
    private static final int CYCLES = 4 * FILE_SLOTS;
    private static final int READS_PER_CYCLE = 24;
    private static final int MAX_READ_BLOCKS = 16;

    private ScratchDir scratch;
    private IoScheduler scheduler;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException
    {
        Assumptions.assumeTrue(Backends.ioUringSupport().available(), Backends.ioUringSupport().reason());
        scratch = new ScratchDir("uring-rt");
        final DirectIoSupport support = DirectIoSupport.probe(scratch.path());
        Assumptions.assumeTrue(support.supported(), "O_DIRECT: " + support.reason());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (scheduler != null)
        {
            scheduler.close();
        }
        for (final AutoCloseable c : closeables)
        {
            c.close();
        }
        if (scratch != null)
        {
            scratch.close();
        }
    }

    @Test
    void shouldAttachDetachAndReattachUnderLoadRecyclingFileSlots() throws Exception
    {
        final IoUringBackend backend = new IoUringBackend("uring0", 16, FILE_SLOTS, 0);
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("uring0", backend, new DeviceContext().queueDepth(16));
        // Each file holds a different stretch of the content sequence, so a read served from the wrong file shows.
        final Path steadyPath = contentFile("steady", ROTATING_FILES);
        final Path[] rotating = new Path[ROTATING_FILES];
        for (int k = 0; k < ROTATING_FILES; k++)
        {
            rotating[k] = contentFile("rotating-" + k, k);
        }
        final FileTarget steadyFile = FileTarget.open(steadyPath, true);
        closeables.add(steadyFile);
        final TargetHandle steady = device.attach(steadyFile);

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong loadReads = new AtomicLong();
        final AtomicReference<Throwable> loadFailure = new AtomicReference<>();
        final Thread load = Thread.ofPlatform().name("load").start(() ->
        {
            try (IoArena arena = IoArena.ofShared())
            {
                final SplittableRandom random = new SplittableRandom(7);
                final HostMemory buffer = arena.allocateHost(8L * MAX_READ_BLOCKS * BLOCK, BLOCK);
                for (int round = 0; round < 1_000_000 && !stop.get(); round++)
                {
                    readAndCheck(steady, buffer, random, 8, ROTATING_FILES * FILE_BYTES);
                    loadReads.addAndGet(8);
                }
            }
            catch (final Throwable t)
            {
                loadFailure.set(t);
            }
        });

        try (IoArena arena = IoArena.ofShared())
        {
            final SplittableRandom random = new SplittableRandom(11);
            final HostMemory buffer = arena.allocateHost((long)READS_PER_CYCLE * MAX_READ_BLOCKS * BLOCK, BLOCK);
            for (int cycle = 0; cycle < CYCLES; cycle++)
            {
                final int k = cycle % ROTATING_FILES;
                final FileTarget file = FileTarget.open(rotating[k], true);
                final TargetHandle handle = device.attach(file);
                assertTrue(handle.index() < FILE_SLOTS, "cycle " + cycle + ": index " + handle.index() +
                    " was not recycled");

                final List<CompletableFuture<Long>> reads = new ArrayList<>();
                final long[] offsets = new long[READS_PER_CYCLE];
                final long[] lengths = new long[READS_PER_CYCLE];
                for (int i = 0; i < READS_PER_CYCLE; i++)
                {
                    offsets[i] = random.nextLong(FILE_BYTES / BLOCK - MAX_READ_BLOCKS) * BLOCK;
                    lengths[i] = (1 + random.nextInt(MAX_READ_BLOCKS)) * (long)BLOCK;
                    reads.add(device.submit(new IoRequest().read(handle, offsets[i], buffer,
                        (long)i * MAX_READ_BLOCKS * BLOCK, lengths[i])).toCompletableFuture());
                }
                final CompletableFuture<Void> detached = device.detach(handle);
                final ConduitException refused = assertThrows(ConduitException.class,
                    () -> device.submit(new IoRequest().read(handle, 0, buffer, 0, BLOCK)));
                assertEquals(ErrorCode.TARGET_DETACHED, refused.code());

                for (int i = 0; i < READS_PER_CYCLE; i++)
                {
                    assertEquals(lengths[i], reads.get(i).get(30, TimeUnit.SECONDS), "cycle " + cycle + " read " + i);
                    final MemorySegment got = buffer.segment().asSlice((long)i * MAX_READ_BLOCKS * BLOCK, lengths[i]);
                    assertEquals(-1, Content.firstMismatch(got, k * FILE_BYTES + offsets[i], lengths[i]),
                        "cycle " + cycle + " read " + i + " of file " + k);
                }
                detached.get(30, TimeUnit.SECONDS);
                assertTrue(handle.isDetached());
                file.close();
            }
        }
        stop.set(true);
        load.join(TimeUnit.SECONDS.toMillis(60));
        assertNull(loadFailure.get(), () -> "load failed: " + loadFailure.get());
        assertTrue(loadReads.get() > 0);

        final long tasks = device.metrics().counter(DeviceCounter.TASKS);
        scheduler.close();
        assertTrue(backend.usesRegisteredFiles());
        assertTrue(backend.fixedFileIos() >= tasks,
            "every I/O of " + CYCLES + " attachments on " + FILE_SLOTS + " slots must use a registered file: " +
            backend.fixedFileIos() + " of " + tasks);
    }

    @Test
    void shouldUseRuntimeRegisteredBufferForReadFixedWhileDeviceRuns() throws Exception
    {
        final IoUringBackend backend = new IoUringBackend("uring0", 8, 4, 2);
        final TargetHandle handle = attachContent(backend, "fixed");
        final IoDevice device = handle.device();

        try (IoArena arena = IoArena.ofShared())
        {
            final HostMemory memory = arena.allocateHost(1 << 20, BLOCK);
            // A first read while nothing is registered: the device is running before the registration.
            assertEquals(BLOCK,
                device.submit(new IoRequest().read(handle, 0, memory, 0, BLOCK)).get(30, TimeUnit.SECONDS));
            assertEquals(0, backend.fixedBufferIos());
            Assumptions.assumeTrue(backend.registeredBuffersProblem().isEmpty(),
                "no sparse buffer table (kernel before 5.19?): " + backend.registeredBuffersProblem());

            final RegisteredMemory registered = device.registerBuffer(memory);
            assertEquals(0, registered.index());
            assertTrue(registered.isActive());
            final long offset = 3L * BLOCK;
            final long length = 128L * BLOCK;
            assertEquals(length, device.submit(new IoRequest().read(handle, offset, registered, BLOCK, length))
                .get(30, TimeUnit.SECONDS));
            assertEquals(-1, Content.firstMismatch(memory.segment().asSlice(BLOCK, length), offset, length));
            assertEquals(1, backend.fixedBufferIos(), "the read must have gone out as READ_FIXED");

            // A second buffer fills the table; a third finds it full.
            final RegisteredMemory other = device.registerBuffer(arena.allocateHost(BLOCK, BLOCK));
            assertEquals(1, other.index());
            assertThrows(IllegalStateException.class, () -> device.registerBuffer(arena.allocateHost(BLOCK, BLOCK)));

            device.unregisterBuffer(registered);
            assertTrue(!registered.isActive());
            memory.segment().fill((byte)0);
            assertEquals(length, device.submit(new IoRequest().read(handle, offset, registered, BLOCK, length))
                .get(30, TimeUnit.SECONDS));
            assertEquals(-1, Content.firstMismatch(memory.segment().asSlice(BLOCK, length), offset, length));
            assertEquals(1, backend.fixedBufferIos(), "an unregistered buffer is served with plain READV");

            assertEquals(0, device.registerBuffer(memory).index(), "the freed slot is reused");
            device.unregisterBuffer(other);
            assertThrows(IllegalArgumentException.class, () -> device.unregisterBuffer(other));
        }
    }

    @Test
    void shouldReadPlainMemoryInsideARuntimeRegistrationWithReadFixed() throws Exception
    {
        final IoUringBackend backend = new IoUringBackend("uring0", 8, 4, 2);
        final TargetHandle handle = attachContent(backend, "plain-in-fixed");
        final IoDevice device = handle.device();
        Assumptions.assumeTrue(backend.registeredBuffersProblem().isEmpty(),
            "no sparse buffer table (kernel before 5.19?): " + backend.registeredBuffersProblem());

        try (IoArena arena = IoArena.ofShared())
        {
            final HostMemory slab = arena.allocateHost(1 << 20, BLOCK);
            final RegisteredMemory registered = device.registerBuffer(slab);
            // The request names a plain segment (a slice of the slab), as the store's range reads do.
            final long offset = 5L * BLOCK;
            final long length = 64L * BLOCK;
            final MemorySegment slice = slab.segment().asSlice(2L * BLOCK, length + BLOCK);
            assertEquals(length, device.submit(new IoRequest().read(handle, offset, slice, BLOCK, length))
                .get(30, TimeUnit.SECONDS));
            assertEquals(-1, Content.firstMismatch(slice.asSlice(BLOCK, length), offset, length));
            assertEquals(1, backend.fixedBufferIos(), "plain memory inside a live registration goes out as READ_FIXED");

            // Memory outside every registration, and the slab once unregistered, take plain READV.
            final HostMemory outside = arena.allocateHost(length, BLOCK);
            assertEquals(length, device.submit(new IoRequest().read(handle, offset, outside.segment(), 0, length))
                .get(30, TimeUnit.SECONDS));
            assertEquals(-1, Content.firstMismatch(outside.segment(), offset, length));
            device.unregisterBuffer(registered);
            slice.fill((byte)0);
            assertEquals(length, device.submit(new IoRequest().read(handle, offset, slice, BLOCK, length))
                .get(30, TimeUnit.SECONDS));
            assertEquals(-1, Content.firstMismatch(slice.asSlice(BLOCK, length), offset, length));
            assertEquals(1, backend.fixedBufferIos(), "nothing else went out as READ_FIXED");
        }
    }

    /** Launches the scheduler with one device on {@code backend} and attaches a content file to it. */
    private TargetHandle attachContent(final IoUringBackend backend, final String name) throws IOException
    {
        scheduler = IoScheduler.launch(new SchedulerContext());
        final IoDevice device = scheduler.addDevice("uring0", backend, new DeviceContext().queueDepth(8));
        final FileTarget file = FileTarget.open(contentFile(name, 0), true);
        closeables.add(file);
        return device.attach(file);
    }

    private void readAndCheck(
        final TargetHandle handle, final HostMemory buffer, final SplittableRandom random, final int count,
        final long contentBase) throws Exception
    {
        final List<CompletableFuture<Long>> reads = new ArrayList<>();
        final long[] offsets = new long[count];
        final long[] lengths = new long[count];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = random.nextLong(FILE_BYTES / BLOCK - MAX_READ_BLOCKS) * BLOCK;
            lengths[i] = (1 + random.nextInt(MAX_READ_BLOCKS)) * (long)BLOCK;
            reads.add(handle.device().submit(new IoRequest().read(handle, offsets[i], buffer,
                (long)i * MAX_READ_BLOCKS * BLOCK, lengths[i])).toCompletableFuture());
        }
        for (int i = 0; i < count; i++)
        {
            if (reads.get(i).get(30, TimeUnit.SECONDS) != lengths[i])
            {
                throw new AssertionError("short read " + i);
            }
            final MemorySegment got = buffer.segment().asSlice((long)i * MAX_READ_BLOCKS * BLOCK, lengths[i]);
            final long bad = Content.firstMismatch(got, contentBase + offsets[i], lengths[i]);
            if (bad >= 0)
            {
                throw new AssertionError("steady read " + i + " at " + offsets[i] + " wrong at byte " + bad);
            }
        }
    }

    /** Writes {@link #FILE_BYTES} of content starting at content offset {@code stretch * FILE_BYTES}. */
    private Path contentFile(final String name, final int stretch) throws IOException
    {
        final Path path = scratch.path().resolve(name);
        Content.writeFile(path, FILE_BYTES, stretch * FILE_BYTES);
        return path;
    }
}
