package dev.conduit.nvmeof.target;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.initiator.Sqes;
import dev.conduit.nvmeof.pdu.PduReader;
import dev.conduit.nvmeof.pdu.PduWriter;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * Test helper: one NVMe/TCP connection driven PDU by PDU with the codec, so a test can answer an R2T
 * wrongly on purpose (the package's host queue always answers correctly).
 */
final class RawQueue implements AutoCloseable
{
    final SocketChannel channel;
    final PduReader reader;
    final PduWriter writer;
    private final Arena arena;

    RawQueue(final InetSocketAddress address, final Arena arena) throws IOException
    {
        this.arena = arena;
        this.channel = SocketChannel.open(address);
        this.reader = PduReader.forHost(arena, 64 * 1024);
        this.writer = new PduWriter(arena);
        writer.send(channel, writer.icReq(0, false, false, 0), null);
        if (!reader.read(channel))
        {
            throw new IOException("no ICResp");
        }
        reader.negotiated(false, false, 0, 0, 64 * 1024);
        writer.negotiated(false, false, 0);
    }

    /** Connects this connection as I/O queue {@code qid} of controller {@code cntlid}; reads the response. */
    void connectIo(final String subsystemNqn, final String hostNqn, final int qid, final int cntlid) throws IOException
    {
        final MemorySegment sqe = Sqes.fabrics(arena.allocate(64, 8), Opcodes.FCTYPE_CONNECT);
        Wire.put16(sqe, SqeDescriptor.CONNECT_QID_OFFSET, qid);
        Wire.put16(sqe, SqeDescriptor.CONNECT_SQSIZE_OFFSET, 31);
        Wire.put8(sqe, SqeDescriptor.FLAGS_OFFSET, SqeDescriptor.FLAGS_PSDT_SGL);
        Wire.put32(sqe, SqeDescriptor.SGL_LENGTH_OFFSET, SqeDescriptor.CONNECT_DATA_LENGTH);
        Wire.put8(sqe, SqeDescriptor.SGL_TYPE_OFFSET, SqeDescriptor.SGL_TYPE_IN_CAPSULE);
        final MemorySegment data = arena.allocate(SqeDescriptor.CONNECT_DATA_LENGTH, 8);
        Wire.put16(data, SqeDescriptor.CONNECT_DATA_CNTLID_OFFSET, cntlid);
        Wire.putAscii(data, SqeDescriptor.CONNECT_DATA_SUBNQN_OFFSET, SqeDescriptor.NQN_LENGTH, subsystemNqn, (byte)0);
        Wire.putAscii(data, SqeDescriptor.CONNECT_DATA_HOSTNQN_OFFSET, SqeDescriptor.NQN_LENGTH, hostNqn, (byte)0);
        writer.send(channel, writer.capsuleCmd(sqe, (int)data.byteSize()), data.asByteBuffer());
        if (!reader.read(channel))
        {
            throw new IOException("no Connect response");
        }
    }

    /** Sends a Write of {@code blocks} blocks whose data is to come by R2T. */
    void writeByR2t(final int cid, final long nsid, final long slba, final int blocks, final int blockSize) throws IOException
    {
        final MemorySegment sqe = Sqes.readWrite(arena.allocate(64, 8), Opcodes.IO_WRITE, nsid, slba, blocks);
        Wire.put16(sqe, SqeDescriptor.CID_OFFSET, cid);
        Wire.put8(sqe, SqeDescriptor.FLAGS_OFFSET, SqeDescriptor.FLAGS_PSDT_SGL);
        Wire.put32(sqe, SqeDescriptor.SGL_LENGTH_OFFSET, blocks * blockSize);
        Wire.put8(sqe, SqeDescriptor.SGL_TYPE_OFFSET, SqeDescriptor.SGL_TYPE_TRANSPORT);
        writer.send(channel, writer.capsuleCmd(sqe, 0), null);
    }

    /** Sends H2CData of {@code lengthBytes} at {@code offsetBytes}. */
    void h2cData(final int cid, final int ttag, final long offsetBytes, final int lengthBytes) throws IOException
    {
        writer.send(channel, writer.h2cData(cid, ttag, offsetBytes, lengthBytes, true), ByteBuffer.allocateDirect(lengthBytes));
    }

    /** @return the next PDU's type, or -1 when the target closed the connection. */
    int next() throws IOException
    {
        return reader.read(channel) ? reader.type() : -1;
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
