package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Put staging buffers are borrowed from the store and reused: sequential puts carve one buffer,
 * a reused (dirty) buffer never leaks an earlier put's bytes into a later object, a spent pool
 * falls back to a put's own arena, and every borrowed buffer comes back on commit and on abort.
 * Buffers are not zeroed, yet what reaches the media past an object's last byte is zeros.
 */
@Timeout(60)
class StagingPoolTest
{
    @Test
    void shouldReuseOneBufferForSequentialPutsWithoutLeakingBytes()
    {
        final List<MemoryNamespace> namespaces = TestStores.formatted(2, 32 * MIB, TestStores.SMALL_JOURNAL);
        try (ObjectStore store = TestStores.open(namespaces))
        {
            final byte[] large = content(7, 64 * 1024);
            final byte[] small = content(8, 100);
            for (int i = 0; i < 20; i++)
            {
                final byte[] data = i % 2 == 0 ? large : small;
                try (PutSession put = store.openPut("k" + i, ObjectMetadata.NONE))
                {
                    put.append(data, 0, data.length);
                    put.commit();
                }
            }
            try (PutSession aborted = store.openPut("gone", ObjectMetadata.NONE, 4096))
            {
                aborted.append(large, 0, 4096);
            }
            assertEquals(1, store.stagingPool().carved());
            assertArrayEquals(small, store.getBytes("k19"));
            assertArrayEquals(large, store.getBytes("k18"));
        }
        finally
        {
            TestStores.closeAll(namespaces);
        }
    }

    @Test
    void shouldZeroTheLastBlocksPaddingOnMediaThoughBuffersAreNotZeroed()
    {
        final List<MemoryNamespace> namespaces = TestStores.formatted(1, 32 * MIB, TestStores.SMALL_JOURNAL);
        try (ObjectStore store = TestStores.open(namespaces); Arena arena = Arena.ofConfined())
        {
            final byte[] noise = new byte[(int)MIB];
            Arrays.fill(noise, (byte)0x5a);
            store.put("noise", noise, ObjectMetadata.NONE);
            // The same (now dirty) pooled buffer stages this one: its padding must still be zeros.
            final ObjectRecord small = store.put("small", content(9, 100), ObjectMetadata.NONE);
            assertEquals(1, store.stagingPool().carved());
            final MemorySegment block = arena.allocate(Bytes.BLOCK, Bytes.BLOCK);
            small.layout().forEachPiece(0, 100, (ns, physical, logical, bytes) -> namespaces.get(ns).readFully(block, physical));
            assertArrayEquals(content(9, 100), block.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE));
            for (long i = 100; i < Bytes.BLOCK; i++)
            {
                assertEquals(0, block.get(ValueLayout.JAVA_BYTE, i), "padding byte " + i);
            }
        }
        finally
        {
            TestStores.closeAll(namespaces);
        }
    }

    @Test
    void shouldFallBackToOwnArenaWhenThePoolIsSpent()
    {
        try (Arena arena = Arena.ofShared())
        {
            final StagingPool pool = new StagingPool(arena, 1);
            final StagingMemory first = new StagingMemory(pool);
            final StagingMemory second = new StagingMemory(pool);
            final MemorySegment pooled = first.allocate(0, 4096);
            final MemorySegment own = second.allocate(0, 8192);
            assertEquals(4096, pooled.byteSize());
            assertEquals(0, own.address() % Bytes.BLOCK);
            assertNull(pool.take());
            second.release();
            assertThrows(IllegalStateException.class, () -> own.get(ValueLayout.JAVA_BYTE, 0));
            first.release();
            first.release();
            final MemorySegment again = pool.take();
            assertNotNull(again);
            assertEquals(pooled.address(), again.address(), "the buffer came back and is reused");
            assertEquals(1, pool.carved());
        }
    }
}
