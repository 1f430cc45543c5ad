package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.DirectIoSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DataDirectoryTest
{
    private static final long MIB = 1L << 20;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    /** Counts the I/O that reaches the namespaces and whether they were closed. */
    private static final class CountingNamespace extends ForwardingNamespace
    {
        final AtomicLong reads;
        final AtomicLong writes;
        boolean closed;

        CountingNamespace(final Namespace delegate, final AtomicLong reads, final AtomicLong writes)
        {
            super(delegate);
            this.reads = reads;
            this.writes = writes;
        }

        @Override
        public long read(final MemorySegment dst, final long offsetBytes)
        {
            reads.incrementAndGet();
            return super.read(dst, offsetBytes);
        }

        @Override
        public void write(final MemorySegment src, final long offsetBytes)
        {
            writes.incrementAndGet();
            super.write(src, offsetBytes);
        }

        @Override
        public void close()
        {
            closed = true;
            super.close();
        }
    }

    @Test
    void shouldRouteEveryNamespaceThroughTheWrapperAndCloseIt()
    {
        DataDirectory.format(dir, 24 * MIB, 2, TestStores.SMALL_JOURNAL);
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final List<CountingNamespace> wrapped = new ArrayList<>();
        final StoreOptions options = StoreOptions.DEFAULT.withNamespaceWrapper(ns ->
        {
            final CountingNamespace c = new CountingNamespace(ns, reads, writes);
            wrapped.add(c);
            return c;
        });
        final byte[] data = "through the wrapper".getBytes(StandardCharsets.UTF_8);
        try (ObjectStore store = DataDirectory.open(dir, options))
        {
            assertEquals(2, wrapped.size());
            final long readsAtOpen = reads.get();
            assertTrue(readsAtOpen > 0, "superblocks and journal are read through the wrapper");
            store.put("k", data, ObjectMetadata.NONE);
            assertTrue(writes.get() > 0, "data and journal writes go through the wrapper");
            assertArrayEquals(data, store.getBytes("k"));
            assertTrue(reads.get() > readsAtOpen, "object reads go through the wrapper");
        }
        assertTrue(wrapped.stream().allMatch(c -> c.closed), "closing the store closes the wrappers");
        try (ObjectStore reopened = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            assertArrayEquals(data, reopened.getBytes("k"));
        }
    }

    @Test
    void shouldFormatAndReopenAStoreStripedOverProvidedNamespaces()
    {
        final List<MemoryNamespace> memory = List.of(MemoryNamespace.allocate("a", 16 * MIB), MemoryNamespace.allocate("b", 16 * MIB));
        try
        {
            final List<String> specs = List.of(SharedMemoryProvider.register("dd-a", memory.get(0)),
                SharedMemoryProvider.register("dd-b", memory.get(1)));
            DataDirectory.format(dir, specs, TestStores.SMALL_JOURNAL);
            assertEquals(List.of("shmem://dd-a", "shmem://dd-b"), manifestLines());
            // Three stripe units: both namespaces hold object data.
            final byte[] data = new byte[(int)(3 * MIB + 123)];
            new SplittableRandom(7).nextBytes(data);
            try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                store.put("striped", data, ObjectMetadata.NONE);
                assertArrayEquals(data, store.getBytes("striped"));
            }
            try (ObjectStore reopened = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                assertArrayEquals(data, reopened.getBytes("striped"));
            }
            DataDirectory.destroy(dir);
            assertFalse(DataDirectory.isFormatted(dir));
        }
        finally
        {
            SharedMemoryProvider.unregister("dd-a");
            SharedMemoryProvider.unregister("dd-b");
            memory.forEach(MemoryNamespace::close);
        }
    }

    @Test
    void shouldNameTheSchemeWhenNoProviderOpensIt() throws IOException
    {
        final ConduitException formatFailure = assertThrows(ConduitException.class,
            () -> DataDirectory.format(dir, List.of("nosuch://host/1"), TestStores.SMALL_JOURNAL));
        assertEquals(ErrorCode.NAMESPACE_SCHEME_UNKNOWN, formatFailure.code());
        assertTrue(formatFailure.getMessage().contains("'nosuch://'"), formatFailure.getMessage());
        assertFalse(DataDirectory.isFormatted(dir), "a failed format leaves no manifest");
        Files.write(dir.resolve(DataDirectory.MANIFEST), List.of("# conduit namespaces v1", "nvmf://127.0.0.1:4420/nqn.2026-01.dev.conduit:x/1"));
        final ConduitException openFailure = assertThrows(ConduitException.class, () -> DataDirectory.open(dir, StoreOptions.DEFAULT));
        assertEquals(ErrorCode.NAMESPACE_SCHEME_UNKNOWN, openFailure.code());
        assertTrue(openFailure.getMessage().contains("'nvmf://'"), openFailure.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataDirectory.format(dir.resolve("other"), List.of("relative.cdt"), TestStores.SMALL_JOURNAL));
    }

    private List<String> manifestLines()
    {
        try
        {
            return Files.readAllLines(dir.resolve(DataDirectory.MANIFEST)).stream().filter(l -> !l.startsWith("#")).toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void shouldOpenAFileStoreWhoseDataDirectoryLiesUnderDev() throws IOException
    {
        final Path shm = Path.of("/dev/shm");
        Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm on this machine");
        final Path underDev = Files.createTempDirectory(shm, "conduit-datadir-");
        try
        {
            if (!DirectIoSupport.probe(underDev).supported())
            {
                // Kernels before 6.6 refuse O_DIRECT on tmpfs: the store must say so, not call it a device.
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> DataDirectory.format(underDev, 24 * MIB, 2, TestStores.SMALL_JOURNAL));
                assertEquals(ErrorCode.DIRECT_IO_UNSUPPORTED, e.code(), e.getMessage());
                return;
            }
            DataDirectory.format(underDev, 24 * MIB, 2, TestStores.SMALL_JOURNAL);
            final List<Namespace> opened = new ArrayList<>();
            final byte[] data = "a data directory under /dev is still a directory of files".getBytes(StandardCharsets.UTF_8);
            try (ObjectStore store = DataDirectory.open(underDev, StoreOptions.DEFAULT.withNamespaceWrapper(ns ->
            {
                opened.add(ns);
                return ns;
            })))
            {
                store.put("k", data, ObjectMetadata.NONE);
                assertArrayEquals(data, store.getBytes("k"));
            }
            assertEquals(2, opened.size());
            opened.forEach(ns -> assertInstanceOf(FileNamespace.class, ns, ns.id()));
        }
        finally
        {
            DataDirectory.destroy(underDev);
            Files.deleteIfExists(underDev.resolve(DataDirectory.LOCK_FILE));
            Files.deleteIfExists(underDev);
        }
    }

    /** Runs the real directory steps and records each with what the directory held at that moment. */
    private static final class RecordingOps implements DataDirectory.DirectoryOps
    {
        final List<String> steps = new ArrayList<>();

        @Override
        public void rename(final Path from, final Path to) throws IOException
        {
            DataDirectory.DirectoryOps.REAL.rename(from, to);
            steps.add("rename " + from.getFileName() + " -> " + to.getFileName());
        }

        @Override
        public void syncDirectory(final Path d)
        {
            DataDirectory.DirectoryOps.REAL.syncDirectory(d);
            steps.add("fsync " + d.getFileName() + " " + listing(d));
        }

        private static List<String> listing(final Path d)
        {
            try (var files = Files.list(d))
            {
                return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void shouldFsyncTheDirectoryAfterCreatingNamespacesAndAfterRenamingOrDeletingTheManifest()
    {
        final Path data = dir.resolve("store");
        final RecordingOps ops = new RecordingOps();
        DataDirectory.format(data, 24 * MIB, 2, TestStores.SMALL_JOURNAL, ops);
        final String parent = dir.getFileName().toString();
        assertEquals(List.of(
            "fsync " + parent + " [store]",
            "fsync store [ns-000.cdt, ns-001.cdt]",
            "rename namespaces.tmp -> namespaces",
            "fsync store [namespaces, ns-000.cdt, ns-001.cdt]"), ops.steps);

        ops.steps.clear();
        DataDirectory.destroy(data, ops);
        assertEquals(List.of("fsync store [ns-000.cdt, ns-001.cdt]"), ops.steps, "the manifest's removal is made durable first");
        assertFalse(DataDirectory.isFormatted(data));
    }
}
