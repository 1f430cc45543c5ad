package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct puts on two memory namespaces, the caller writing the whole blocks into the extents itself
 * (as the GDS path's cuFile entries do): the published object equals a whole-object put of the same
 * bytes (ETag, CRC-32Cs, content), read-back sees what was written, and a put that was not fully
 * hashed publishes nothing and gives its space back.
 */
@Timeout(60)
class DirectPutTest
{
    private final List<MemoryNamespace> namespaces = TestStores.formatted(2, 32 * MIB, TestStores.SMALL_JOURNAL);

    @AfterEach
    void tearDown()
    {
        TestStores.closeAll(namespaces);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 65_537, (int)MIB + 1, 5 * (int)MIB + 77})
    void shouldPublishWhatTheCallerWroteWithTheChecksumsOfAWholeObjectPut(final int sizeBytes)
    {
        final byte[] data = content(sizeBytes, sizeBytes);
        try (ObjectStore store = TestStores.open(namespaces);
             Arena arena = Arena.ofConfined())
        {
            final ObjectRecord whole = store.put("whole", data, ObjectMetadata.NONE);
            final MemorySegment src = arena.allocate(Math.max(Bytes.BLOCK, Bytes.roundUp(sizeBytes, Bytes.BLOCK)), Bytes.BLOCK);
            MemorySegment.copy(MemorySegment.ofArray(data), 0, src, 0, sizeBytes);
            final ObjectRecord direct;
            try (DirectPut put = store.openDirectPut("direct", ObjectMetadata.NONE, sizeBytes))
            {
                assertEquals(sizeBytes & -4096, put.directBytes());
                put.layout().forEachPiece(0, put.directBytes(), (ns, physical, logical, bytes) ->
                    namespaces.get(ns).write(src.asSlice(logical, bytes), physical));
                put.writeTail(src.asSlice(put.directBytes(), sizeBytes - put.directBytes()));
                final MemorySegment back = arena.allocate(Math.max(Bytes.BLOCK, Bytes.roundUp(sizeBytes, Bytes.BLOCK)), Bytes.BLOCK);
                put.readBack(0, sizeBytes, back);
                assertArrayEquals(data, back.asSlice(0, sizeBytes).toArray(JAVA_BYTE), "read back");
                for (long at = 0; at < sizeBytes; at += 10_000)
                {
                    put.hash(src.asSlice(at, Math.min(10_000, sizeBytes - at)));
                }
                direct = put.commit();
            }
            assertArrayEquals(whole.etagBytes(), direct.etagBytes());
            assertEquals(whole.chunkShift(), direct.chunkShift());
            assertEquals(whole.chunkCount(), direct.chunkCount());
            for (int i = 0; i < whole.chunkCount(); i++)
            {
                assertEquals(whole.chunkCrc(i), direct.chunkCrc(i), "chunk " + i);
            }
            assertArrayEquals(data, store.getBytes("direct"));
        }
        try (ObjectStore store = TestStores.open(namespaces))
        {
            assertArrayEquals(data, store.getBytes("direct"), "after reopening");
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
        }
    }

    @Test
    void shouldPublishNothingAndFreeTheSpaceWhenNotEveryByteWasHashed()
    {
        final int sizeBytes = (int)MIB + 100;
        try (ObjectStore store = TestStores.open(namespaces);
             Arena arena = Arena.ofConfined())
        {
            final SpaceReport before = store.space();
            final MemorySegment src = arena.allocate(2 * MIB, Bytes.BLOCK);
            try (DirectPut put = store.openDirectPut("direct", ObjectMetadata.NONE, sizeBytes))
            {
                assertTrue(store.space().usedBytes() > before.usedBytes(), "space taken at open");
                put.writeTail(src.asSlice(0, 100));
                put.hash(src.asSlice(0, MIB));
                final ConduitException e = assertThrows(ConduitException.class, put::commit);
                assertEquals(ErrorCode.SIZE_MISMATCH, e.code());
                assertThrows(ConduitException.class, () -> put.hash(src.asSlice(0, MIB)), "past the declared size");
            }
            assertTrue(store.find("direct").isEmpty());
            assertEquals(before.usedBytes(), store.space().usedBytes(), "space after close");
        }
    }
}
