package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A direct buffer that gives Netty its address: the address of its bytes, also through a duplicate. */
class HttpAddressedDirectByteBufTest
{
    @Test
    void shouldGiveTheAddressOfItsFirstByteAlsoThroughDuplicates()
    {
        final ByteBuffer memory = ByteBuffer.allocateDirect(64);
        for (int i = 0; i < 64; i++)
        {
            memory.put(i, (byte)i);
        }
        memory.position(8);
        final AddressedDirectByteBuf buf = new AddressedDirectByteBuf(memory);
        assertEquals(56, buf.readableBytes());
        assertEquals(8, buf.getByte(0));
        assertTrue(buf.hasMemoryAddress());
        assertEquals(MemorySegment.ofBuffer(memory).address(), buf.memoryAddress());
        final ByteBuf duplicate = buf.retainedDuplicate().skipBytes(4);
        assertTrue(duplicate.hasMemoryAddress());
        assertEquals(buf.memoryAddress(), duplicate.memoryAddress());
        assertEquals(12, duplicate.readByte());
        duplicate.release();
        assertThrows(UnsupportedOperationException.class, () -> buf.capacity(128));
        buf.release();
    }
}
