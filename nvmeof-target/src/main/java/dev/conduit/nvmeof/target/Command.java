package dev.conduit.nvmeof.target;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.CommonHeaderDescriptor;
import dev.conduit.nvmeof.pdu.PduReader;
import dev.conduit.nvmeof.pdu.PduWriter;
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
    // Two PDU headers (C2HData, CapsuleResp) and a data digest, staged here for a batched send.
    private final MemorySegment headers;
    private final ByteBuffer[] headerViews = new ByteBuffer[2];
    private final ByteBuffer digestView;

    /** Result DW0/DW1 of the CQE. */
    long result;
    /** Bytes of data returned to the host (C2HData) or received from it. */
    int dataBytes;
    /** R2T state: bytes of the whole transfer, bytes received, end offset of the current R2T. */
    int transferBytes;
    int receivedBytes;
    int r2tEndBytes;
    boolean digestError;
    /** The completion status, and the next command waiting to be sent ({@link CompletionSender}). */
    int status;
    Command nextToSend;
    /** The next free command ({@link QueueConnection#release}). */
    Command nextFree;

    Command(final Arena arena, final int bufferBytes)
    {
        this.arena = arena;
        this.bufferBytes = bufferBytes;
        this.sqe = arena.allocate(SqeDescriptor.LENGTH, 8);
        this.headers = arena.allocate(2L * PduReader.MAX_HEADER_BYTES + CommonHeaderDescriptor.DIGEST_LENGTH, 8);
        for (int i = 0; i < headerViews.length; i++)
        {
            headerViews[i] = headers.asSlice((long)i * PduReader.MAX_HEADER_BYTES, PduReader.MAX_HEADER_BYTES).asByteBuffer();
        }
        this.digestView = headers.asSlice(2L * PduReader.MAX_HEADER_BYTES, CommonHeaderDescriptor.DIGEST_LENGTH)
            .asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Copies the header {@code writer} just encoded into this command's header slot {@code index}.
     *
     * @return a view over the copy.
     */
    ByteBuffer stageHeader(final int index, final PduWriter writer, final int headerBytes)
    {
        MemorySegment.copy(writer.headerSegment(), 0, headers, (long)index * PduReader.MAX_HEADER_BYTES, headerBytes);
        return headerViews[index].limit(headerBytes).position(0);
    }

    /** @return a view of {@code value} as a little-endian data digest. */
    ByteBuffer stageDigest(final int value)
    {
        return digestView.clear().putInt(0, value);
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
        status = 0;
        nextToSend = null;
    }
}
