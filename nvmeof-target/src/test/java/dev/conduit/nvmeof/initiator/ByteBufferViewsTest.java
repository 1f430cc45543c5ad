package dev.conduit.nvmeof.initiator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ByteBufferViewsTest
{
    @Test
    void shouldReuseAViewOnlyForTheSameMemoryOfTheSameArena()
    {
        final ByteBufferViews views = new ByteBufferViews();
        try (Arena first = Arena.ofShared(); Arena second = Arena.ofShared())
        {
            final MemorySegment buffer = first.allocate(8192, 4096);
            final ByteBuffer view = views.of(buffer);
            assertEquals(8192, view.capacity());
            assertSame(view, views.of(buffer.asSlice(0, 8192)), "a slice over the same bytes");
            assertNotSame(view, views.of(buffer.asSlice(0, 4096)), "other bytes");
            assertNotSame(view, views.of(buffer.asReadOnly()), "read-only memory");
            final MemorySegment alias = MemorySegment.ofAddress(buffer.address()).reinterpret(8192, second, null);
            assertNotSame(views.of(buffer), views.of(alias), "the same address in another arena");
        }
    }

    @Test
    void shouldGiveHeapMemoryAFreshView()
    {
        final ByteBufferViews views = new ByteBufferViews();
        final MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
        assertNotSame(views.of(heap), views.of(heap));
    }
}
