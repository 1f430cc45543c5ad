package dev.conduit.scheduler.store;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.scheduler.Backends;
import dev.conduit.scheduler.DeviceCounter;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoRequest;
import dev.conduit.scheduler.IoScheduler;
import dev.conduit.scheduler.IoStatus;
import dev.conduit.scheduler.PreadBackend;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.SchedulerContext;
import dev.conduit.scheduler.TargetHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class ScheduledStoreTest
{
    private static final long MIB = 1L << 20;

    /** Fails every I/O after the first {@code healthyOps} with EIO, as a dying device would. */
    private static final class FailingNamespace extends ForwardingNamespace
    {
        private final AtomicInteger remaining;

        FailingNamespace(final Namespace delegate, final int healthyOps)
        {
            super(delegate);
            this.remaining = new AtomicInteger(healthyOps);
        }

        void failFromNow()
        {
            remaining.set(0);
        }

        private void maybeFail(final String op, final long offsetBytes)
        {
            if (remaining.getAndDecrement() <= 0)
            {
                throw NativeException.errno(op + "(" + id() + ", off=" + offsetBytes + ")", Errno.EIO);
            }
        }

        @Override
        public long read(final MemorySegment dst, final long offsetBytes)
        {
            maybeFail("read", offsetBytes);
            return super.read(dst, offsetBytes);
        }

        @Override
        public void write(final MemorySegment src, final long offsetBytes)
        {
            maybeFail("write", offsetBytes);
            super.write(src, offsetBytes);
        }
    }

    private static Path dataDir() throws IOException
    {
        // Under target/, not /tmp: /tmp may be tmpfs, which refuses O_DIRECT.
        final Path base = Files.createDirectories(Path.of("target", "scheduled-store"));
        return Files.createTempDirectory(base, "store");
    }

    @Test
    void shouldCarryEveryStoreReadAndWriteThroughTheScheduler() throws IOException
    {
        final Path dir = dataDir();
        DataDirectory.format(dir, 48 * MIB, 2, FormatOptions.DEFAULT);
        final byte[] big = new byte[(int)(5 * MIB + 123)];
        new Random(42).nextBytes(big);
        final byte[] small = "small object".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        try (ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY))
        {
            final ObjectStore store = scheduled.store();
            store.put("big", big, ObjectMetadata.NONE);
            store.put("small", small, ObjectMetadata.NONE);
            assertArrayEquals(big, store.getBytes("big"));
            assertArrayEquals(small, store.getBytes("small"));

            final List<IoDevice> devices = scheduled.scheduler().devices();
            assertEquals(1, devices.size(), "both namespace files lie on one file system: one device, one queue depth");
            assertEquals(2, scheduled.targets().size());
            assertEquals(devices.get(0), scheduled.targets().get(0).device());
            assertEquals(devices.get(0), scheduled.targets().get(1).device());
            long bytes = 0;
            for (final IoDevice device : devices)
            {
                assertTrue(device.metrics().counter(Priority.LATENCY, DeviceCounter.REQUESTS) > 0, device.name());
                assertEquals(0, device.metrics().counter(DeviceCounter.IO_ERRORS), device.name());
                bytes += device.metrics().counter(DeviceCounter.BYTES);
                if (Backends.ioUringSupport().available())
                {
                    assertTrue(device.backend().name().contains("uring"), device.backend().name());
                }
            }
            assertTrue(bytes >= 2L * big.length, "written and read back through the devices: " + bytes);
        }
        try (ObjectStore plain = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            assertArrayEquals(big, plain.getBytes("big"), "the scheduled writes are durable and readable without it");
        }
    }

    @Test
    void shouldFinishIoInFlightBeforeClosingTheNamespaceFilesWhenClosed() throws IOException
    {
        final Path dir = dataDir();
        DataDirectory.format(dir, 16 * MIB, 1, FormatOptions.DEFAULT);
        final int reads = 256;
        final long blockBytes = 4096;
        final Map<Long, Long> results = new ConcurrentHashMap<>();
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment expected = arena.allocate(reads * blockBytes, 4096);
            final MemorySegment actual = arena.allocate(reads * blockBytes, 4096);
            // The pread pool issues preadv(fd) from its workers: a closed fd would fail with EBADF, a
            // reused one would read another file. Queue depth 1 keeps most of the reads queued at close.
            final ScheduledStore scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY, 1,
                (name, queueDepth, target) -> new PreadBackend(name + "-pread", queueDepth));
            final TargetHandle target = scheduled.targets().getFirst();
            assertEquals(expected.byteSize(), scheduled.scheduler().read(target, 0, expected, Priority.LATENCY).join());

            final IoRequest request = new IoRequest();
            for (long i = 0; i < reads; i++)
            {
                request.read(target, i * blockBytes, actual, i * blockBytes, blockBytes).priority(Priority.BULK);
                scheduled.scheduler().submit(request, results::put, i);
            }
            scheduled.close();

            assertEquals(reads, results.size(), "every read completed before close returned");
            for (long i = 0; i < reads; i++)
            {
                assertEquals(blockBytes, results.get(i), "read " + i + ": " + IoStatus.name(results.get(i)));
            }
            assertEquals(-1, expected.mismatch(actual), "every read saw the namespace's own bytes");
        }
    }

    @Test
    void shouldRejectUnalignedIoBeforeSubmitting()
    {
        try (IoScheduler scheduler = IoScheduler.launch(new SchedulerContext());
            Arena arena = Arena.ofConfined())
        {
            final Namespace ns = ScheduledStore.wrapper(scheduler, Priority.BULK)
                .apply(MemoryNamespace.allocate("m", 1 * MIB));
            final MemorySegment buf = arena.allocate(8192, 4096);
            final ConduitException e = assertThrows(ConduitException.class, () -> ns.read(buf.asSlice(1, 4096), 0));
            assertEquals(ErrorCode.UNALIGNED_IO, e.code());
            assertEquals(0, scheduler.devices().get(0).metrics().counter(DeviceCounter.REQUESTS));
            ns.close();
        }
    }

    @Test
    void shouldFailWithEioAndNeverReturnWrongBytesWhenTheDeviceDies()
    {
        final List<MemoryNamespace> memory = new ArrayList<>();
        memory.add(MemoryNamespace.allocate("m0", 24 * MIB));
        memory.add(MemoryNamespace.allocate("m1", 24 * MIB));
        ObjectStore.format(memory, FormatOptions.DEFAULT);
        final byte[] data = new byte[(int)(3 * MIB)];
        new Random(7).nextBytes(data);

        final List<FailingNamespace> failing = new ArrayList<>();
        try (IoScheduler scheduler = IoScheduler.launch(new SchedulerContext()))
        {
            final var wrap = ScheduledStore.wrapper(scheduler, Priority.LATENCY);
            final List<Namespace> namespaces = new ArrayList<>();
            for (final MemoryNamespace m : memory)
            {
                final FailingNamespace f = new FailingNamespace(m, Integer.MAX_VALUE);
                failing.add(f);
                namespaces.add(wrap.apply(f));
            }
            final ObjectStore store = ObjectStore.open(namespaces, StoreOptions.DEFAULT);
            store.put("k", data, ObjectMetadata.NONE);
            assertArrayEquals(data, store.getBytes("k"));

            failing.forEach(FailingNamespace::failFromNow);
            final ConduitException e = assertThrows(ConduitException.class, () -> store.getBytes("k"));
            assertEquals("EIO", e.nativeName(), e.getMessage());
            assertThrows(ConduitException.class, () -> store.put("k2", data, ObjectMetadata.NONE));
            long errors = 0;
            for (final IoDevice device : scheduler.devices())
            {
                errors += device.metrics().counter(DeviceCounter.IO_ERRORS);
            }
            assertTrue(errors > 0, "the failures are counted per device");
            assertFalse(store.find("k2").isPresent(), "a put that failed publishes nothing");
        }
        // The namespaces recovered (the wrappers are gone): the acknowledged object is intact.
        final List<MemoryNamespace> reopened = new ArrayList<>();
        memory.forEach(m -> reopened.add(m.copy(m.id())));
        try (ObjectStore store = ObjectStore.open(reopened, StoreOptions.DEFAULT))
        {
            assertArrayEquals(data, store.getBytes("k"));
            assertFalse(store.find("k2").isPresent());
        }
    }
}
