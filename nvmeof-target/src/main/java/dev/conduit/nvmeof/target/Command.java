package dev.conduit.nvmeof.target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * One command slot of a queue: the SQE copied out of the receive buffer, the data buffer (allocated
 * on first use, {@code maxDataTransferBytes}, 4 KiB aligned, then reused), the outcome, and the
 * state of an R2T transfer. A queue holds at most SQSIZE of these, so a queue's memory is bounded by
 * SQSIZE * MDTS however the host behaves.
 *
 * <p>Threading: filled by the queue's reading thread, executed by one I/O thread, returned to the
 * queue's free list after its response is sent.
 */
final class Command
{
    final MemorySegment sqe;
    private final Arena arena;
    private final int bufferBytes;
    private MemorySegment buffer;
    private ByteBuffer bufferView;

    /** Result DW0/DW1 of the CQE. */
    long result;
    /** Bytes of data returned to the host (C2HData) or received from it. */
    int dataBytes;
    /** R2T state: bytes of the whole transfer, bytes received, end offset of the current R2T. */
    int transferBytes;
    int receivedBytes;
    int r2tEndBytes;
    boolean digestError;

    Command(final Arena arena, final int bufferBytes)
    {
        this.arena = arena;
        this.bufferBytes = bufferBytes;
        this.sqe = arena.allocate(SqeDescriptor.LENGTH, 8);
    }

    MemorySegment buffer()
    {
        if (buffer == null)
        {
            buffer = arena.allocate(bufferBytes, 4096);
            bufferView = buffer.asByteBuffer();
        }
        return buffer;
    }

    /** @return the data buffer as a byte buffer over {@code [0, lengthBytes)}. */
    ByteBuffer bufferView(final int lengthBytes)
    {
        buffer();
        return bufferView.limit(lengthBytes).position(0);
    }

    int opcode()
    {
        return Wire.u8(sqe, SqeDescriptor.OPCODE_OFFSET);
    }

    int cid()
    {
        return Wire.u16(sqe, SqeDescriptor.CID_OFFSET);
    }

    long nsid()
    {
        return Wire.u32(sqe, SqeDescriptor.NSID_OFFSET);
    }

    int cdw(final int offset)
    {
        return Wire.i32(sqe, offset);
    }

    int sglType()
    {
        return Wire.u8(sqe, SqeDescriptor.SGL_TYPE_OFFSET);
    }

    long sglLength()
    {
        return Wire.u32(sqe, SqeDescriptor.SGL_LENGTH_OFFSET);
    }

    long sglAddress()
    {
        return Wire.u64(sqe, SqeDescriptor.SGL_ADDRESS_OFFSET);
    }

    void reset()
    {
        result = 0;
        dataBytes = 0;
        transferBytes = 0;
        receivedBytes = 0;
        r2tEndBytes = 0;
        digestError = false;
    }
}
