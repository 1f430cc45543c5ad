package dev.conduit.objecttier.http;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;

/**
 * A direct ByteBuf over memory that stays put, which tells Netty its native address. Without
 * {@code sun.misc.Unsafe} (Java 24 and later) Netty's own direct buffers have no address, so the
 * epoll transport learns one per write by duplicating the buffer's {@link ByteBuffer} and asking
 * {@link MemorySegment#ofBuffer} (a duplicate, a segment and a memory session per write); a
 * buffer that knows its address is written from it directly. The capacity is fixed: a resize would
 * move the memory away from the address.
 */
class AddressedDirectByteBuf extends UnpooledDirectByteBuf
{
    private final long address;

    /**
     * @param memory direct memory, its position to its limit the buffer's bytes (all readable).
     */
    AddressedDirectByteBuf(final ByteBuffer memory)
    {
        super(UnpooledByteBufAllocator.DEFAULT, memory, memory.remaining());
        this.address = MemorySegment.ofBuffer(memory).address();
    }

    @Override
    public final boolean hasMemoryAddress()
    {
        return true;
    }

    @Override
    public final long memoryAddress()
    {
        ensureAccessible();
        return address;
    }

    @Override
    public final AddressedDirectByteBuf capacity(final int newCapacity)
    {
        if (newCapacity != capacity())
        {
            throw new UnsupportedOperationException("fixed capacity " + capacity());
        }
        return this;
    }
}
