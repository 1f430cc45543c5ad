package dev.conduit.blocklayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.LoopDevices;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.DirectIoSupport;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.PosixFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File namespaces on small, real filesystems mounted from loop devices: a format larger than the
 * filesystem, a store filled until {@code NO_SPACE} and refilled after deletes, the sparse fallback
 * on an ext4 without extents (where fallocate answers EOPNOTSUPP), and a ramfs that refuses O_DIRECT.
 * Needs root; skipped with the reason printed otherwise.
 */
@Timeout(180)
class FileSystemLimitsTest
{
    private static final long FS_BYTES = 64 * MIB;
    private static final int OBJECT_BYTES = (int)MIB;
    private static final String[] NO_EXTENTS = {"-O", "^extent,^64bit"};

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    private Path mountPoint;

    @BeforeEach
    void requireLoopDevices() throws IOException
    {
        LoopDevices.assumeAvailable();
        mountPoint = Files.createDirectory(dir.resolve("mnt"));
    }

    @Test
    void shouldFailFormatAndGiveBackTheSpaceWhenTheFileSystemIsTooSmall() throws IOException
    {
        try (LoopDevices.Mounted fs = LoopDevices.mountExt4(dir.resolve("fs.img"), FS_BYTES, mountPoint))
        {
            final Path data = mountPoint.resolve("data");
            final long freeBefore = fs.usableBytes();
            final ConduitException e = assertThrows(ConduitException.class,
                () -> DataDirectory.format(data, 4 * FS_BYTES, 2, TestStores.SMALL_JOURNAL));
            assertEquals("ENOSPC", e.nativeName(), e.getMessage());
            assertEquals(List.of(DataDirectory.LOCK_FILE), names(data), "no namespace file or manifest is left behind");
            assertTrue(fs.usableBytes() >= freeBefore - MIB,
                "the partial fallocate was given back: " + fs.usableBytes() + " of " + freeBefore + " bytes free");

            DataDirectory.format(data, FS_BYTES / 2, 2, TestStores.SMALL_JOURNAL);
            try (ObjectStore store = DataDirectory.open(data, StoreOptions.DEFAULT))
            {
                final byte[] content = TestStores.content(9, 3 * OBJECT_BYTES);
                store.put("fits", content, ObjectMetadata.NONE);
                assertArrayEquals(content, store.getBytes("fits"));
            }
        }
    }

    @Test
    void shouldRefuseWithNoSpaceAndAcceptWritesAgainAfterDeletesOnASmallFileSystem() throws IOException
    {
        try (LoopDevices.Mounted fs = LoopDevices.mountExt4(dir.resolve("fs.img"), FS_BYTES, mountPoint))
        {
            final Path data = mountPoint.resolve("data");
            DataDirectory.format(data, FS_BYTES * 3 / 4, 2, TestStores.SMALL_JOURNAL);
            for (final Path ns : namespaceFiles(data))
            {
                try (PosixFile f = PosixFile.open(ns, LibC.O_RDONLY, 0))
                {
                    assertTrue(f.allocatedBytes() >= f.size(), ns + " is fully reserved by fallocate");
                }
            }
            final List<String> stored = new ArrayList<>();
            try (ObjectStore store = DataDirectory.open(data, StoreOptions.DEFAULT))
            {
                final int filled = fillUntilNoSpace(store, stored, "a-");
                assertTrue(filled > 10, "the store held " + filled + " MiB objects before NO_SPACE");
                for (int i = 0; i < stored.size(); i += 2)
                {
                    assertTrue(store.delete(stored.get(i)));
                }
                final List<String> refill = new ArrayList<>();
                fillUntilNoSpace(store, refill, "b-");
                assertTrue(refill.size() >= stored.size() / 2 - 1, "deleted space is reused: " + refill.size() + " new objects");
                for (int i = 1; i < stored.size(); i += 2)
                {
                    refill.add(stored.get(i));
                }
                stored.clear();
                stored.addAll(refill);
            }
            try (ObjectStore reopened = DataDirectory.open(data, StoreOptions.DEFAULT))
            {
                for (final String key : stored)
                {
                    assertArrayEquals(TestStores.content(key.hashCode(), OBJECT_BYTES), reopened.getBytes(key), key);
                }
            }
        }
    }

    /** @return how many objects fit; they are added to {@code keys}. */
    private static int fillUntilNoSpace(final ObjectStore store, final List<String> keys, final String prefix)
    {
        for (int i = 0; i < 1000; i++)
        {
            final String key = prefix + i;
            try
            {
                store.put(key, TestStores.content(key.hashCode(), OBJECT_BYTES), ObjectMetadata.NONE);
                keys.add(key);
            }
            catch (final ConduitException e)
            {
                assertEquals(ErrorCode.NO_SPACE, e.code(), e.getMessage());
                return i;
            }
        }
        throw new AssertionError("1000 MiB fitted in a " + FS_BYTES + "-byte filesystem");
    }

    @Test
    void shouldReserveByWritingZerosWhenTheFileSystemCannotFallocate() throws IOException
    {
        // ext4 without extents keeps block maps, and fallocate(2) answers EOPNOTSUPP there. A sparse
        // file instead (the old fallback) let the journal meet ENOSPC once data filled the
        // filesystem, and the store stopped with STORE_FAILED.
        try (LoopDevices.Mounted fs = LoopDevices.mountExt4(dir.resolve("fs.img"), FS_BYTES, mountPoint, NO_EXTENTS))
        {
            final Path data = mountPoint.resolve("data");
            final ConduitException tooLarge = assertThrows(ConduitException.class,
                () -> DataDirectory.format(data, 2 * FS_BYTES, 1, TestStores.SMALL_JOURNAL));
            assertEquals("ENOSPC", tooLarge.nativeName(),
                "a namespace larger than the filesystem is refused at format: " + tooLarge.getMessage());
            assertEquals(List.of(DataDirectory.LOCK_FILE), names(data));

            DataDirectory.format(data, FS_BYTES / 2, 1, TestStores.SMALL_JOURNAL);
            final Path ns = namespaceFiles(data).getFirst();
            try (PosixFile f = PosixFile.open(ns, LibC.O_RDONLY, 0))
            {
                assertEquals(FS_BYTES / 2, f.size());
                assertTrue(f.allocatedBytes() >= f.size(), "reserved: " + f.allocatedBytes() + " of " + f.size() + " bytes allocated");
            }
            final byte[] content = TestStores.content(5, 5 * OBJECT_BYTES + 123);
            try (ObjectStore store = DataDirectory.open(data, StoreOptions.DEFAULT))
            {
                store.put("k", content, ObjectMetadata.NONE);
                final List<String> keys = new ArrayList<>();
                fillUntilNoSpace(store, keys, "fill-");
                assertTrue(store.delete(keys.getFirst()), "writes (journal included) still work at NO_SPACE");
            }
            try (ObjectStore reopened = DataDirectory.open(data, StoreOptions.DEFAULT))
            {
                assertArrayEquals(content, reopened.getBytes("k"));
            }
        }
    }

    @Test
    void shouldRefuseARamfsWithDirectIoUnsupportedAndLeaveNoFiles() throws IOException
    {
        try (LoopDevices.Mounted ramfs = LoopDevices.mountRamfs(mountPoint))
        {
            final DirectIoSupport probe = DirectIoSupport.probe(mountPoint);
            assertFalse(probe.supported());
            assertTrue(probe.reason().contains("EINVAL"), probe.reason());
            final Path data = mountPoint.resolve("data");
            final ConduitException e = assertThrows(ConduitException.class,
                () -> DataDirectory.format(data, 8 * MIB, 1, TestStores.SMALL_JOURNAL));
            assertEquals(ErrorCode.DIRECT_IO_UNSUPPORTED, e.code(), e.getMessage());
            assertEquals(List.of(DataDirectory.LOCK_FILE), names(data));
        }
    }

    private static List<Path> namespaceFiles(final Path data) throws IOException
    {
        try (Stream<Path> files = Files.list(data))
        {
            return files.filter(p -> p.getFileName().toString().endsWith(".cdt")).sorted().toList();
        }
    }

    private static List<String> names(final Path data) throws IOException
    {
        try (Stream<Path> files = Files.list(data))
        {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
