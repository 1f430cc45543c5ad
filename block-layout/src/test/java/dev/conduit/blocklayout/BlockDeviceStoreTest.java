package dev.conduit.blocklayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.conduit.blocklayout.namespace.BlockDeviceNamespace;
import dev.conduit.blocklayout.namespace.LoopDevices;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.nativebindings.LibC;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The object store on a real block device: a loop device over a sparse file, opened by
 * {@link BlockDeviceNamespace} with O_DIRECT, with 512-byte and 4096-byte logical sectors, directly
 * and through a data directory whose manifest names the device (or a symlink to it). Needs root;
 * skipped with the reason printed otherwise.
 */
@Timeout(120)
class BlockDeviceStoreTest
{
    private static final long DEVICE_BYTES = 64 * MIB;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @BeforeEach
    void requireLoopDevices()
    {
        LoopDevices.assumeAvailable();
    }

    @ParameterizedTest(name = "{0}-byte sectors")
    @ValueSource(ints = {512, 4096})
    void shouldStoreReplaceDeleteAndReopenOnALoopDevice(final int sectorBytes) throws IOException
    {
        try (LoopDevices.Device device = LoopDevices.attach(dir.resolve("backing.img"), DEVICE_BYTES, sectorBytes))
        {
            final byte[] small = TestStores.content(1, 10_000);
            final byte[] large = TestStores.content(2, (int)(3 * MIB + 777));
            final byte[] replacement = TestStores.content(3, 5000);
            try (BlockDeviceNamespace ns = BlockDeviceNamespace.open(device.node()))
            {
                assertEquals(sectorBytes, ns.blockSize(), "BLKSSZGET");
                assertEquals(DEVICE_BYTES, ns.capacityBytes(), "BLKGETSIZE64");
                assertEquals(LibC.O_DIRECT, LibC.fcntl(ns.fd(), LibC.F_GETFL, 0) & LibC.O_DIRECT, "the descriptor carries O_DIRECT");
                ObjectStore.format(List.of(ns), TestStores.SMALL_JOURNAL);
                try (ObjectStore store = TestStores.open(List.of(ns)))
                {
                    store.put("small", small, ObjectMetadata.NONE);
                    store.put("large", large, ObjectMetadata.NONE);
                    store.put("gone", small, ObjectMetadata.NONE);
                    store.put("small", replacement, ObjectMetadata.NONE);
                    assertTrue(store.delete("gone"));
                    assertArrayEquals(large, store.getBytes("large"));
                }
            }
            assertTrue(containsBlock(device.backing(), large, 4096), "the object's bytes reached the file behind the device");
            try (BlockDeviceNamespace reopened = BlockDeviceNamespace.open(device.node());
                ObjectStore store = TestStores.open(List.of(reopened)))
            {
                assertArrayEquals(replacement, store.getBytes("small"));
                assertArrayEquals(large, store.getBytes("large"));
                assertFalse(store.find("gone").isPresent());
                assertTrue(store.fsck(false, ProgressListener.NONE).clean(), "fsck on the device");
            }
        }
    }

    @Test
    void shouldOpenADeviceNamedInTheManifestDirectlyOrThroughASymlinkAsABlockDevice() throws IOException
    {
        try (LoopDevices.Device device = LoopDevices.attach(dir.resolve("backing.img"), DEVICE_BYTES, 512))
        {
            try (BlockDeviceNamespace ns = BlockDeviceNamespace.open(device.node()))
            {
                ObjectStore.format(List.of(ns), TestStores.SMALL_JOURNAL);
            }
            final Path data = Files.createDirectory(dir.resolve("data"));
            final byte[] content = "on the device".getBytes(StandardCharsets.UTF_8);
            writeManifest(data, device.node().toString());
            assertOpensAsBlockDevice(data, content, true);

            // A relative name that resolves, through a symlink, to the device: only fstat can tell.
            Files.createSymbolicLink(data.resolve("ns-000.dev"), device.node());
            writeManifest(data, "ns-000.dev");
            assertOpensAsBlockDevice(data, content, false);
        }
    }

    private static void assertOpensAsBlockDevice(final Path data, final byte[] content, final boolean put)
    {
        final List<Namespace> opened = new ArrayList<>();
        final StoreOptions options = StoreOptions.DEFAULT.withNamespaceWrapper(ns ->
        {
            opened.add(ns);
            return ns;
        });
        try (ObjectStore store = DataDirectory.open(data, options))
        {
            if (put)
            {
                store.put("k", content, ObjectMetadata.NONE);
            }
            assertArrayEquals(content, store.getBytes("k"));
        }
        assertEquals(1, opened.size());
        assertInstanceOf(BlockDeviceNamespace.class, opened.getFirst(), opened.getFirst().id());
    }

    private static void writeManifest(final Path data, final String entry) throws IOException
    {
        Files.write(data.resolve(DataDirectory.MANIFEST), List.of("# conduit namespaces v1: one per line, in index order", entry));
    }

    /** @return true when {@code content}'s first {@code blockBytes} appear block-aligned in {@code file}. */
    private static boolean containsBlock(final Path file, final byte[] content, final int blockBytes) throws IOException
    {
        final byte[] needle = Arrays.copyOf(content, blockBytes);
        final byte[] image = Files.readAllBytes(file);
        for (int at = 0; at + blockBytes <= image.length; at += blockBytes)
        {
            if (Arrays.equals(image, at, at + blockBytes, needle, 0, blockBytes))
            {
                return true;
            }
        }
        return false;
    }
}
