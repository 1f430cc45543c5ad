package dev.conduit.nvmeof.pdu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;

import dev.conduit.nvmeof.command.CqeDescriptor;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.SqeDescriptor;

import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.DIGEST_LENGTH;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_DDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_HDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.SHORT_HLEN;

/**
 * Encodes PDU headers into one header buffer of its own: CH, the type's fields, the header digest
 * and the padding up to PDO, so that a PDU goes out as {@code header() | data | dataDigest}. The
 * data never passes through this class; {@link #dataDigest} computes its digest where it lies.
 *
 * <pre>{@code
 * final int headerBytes = writer.c2hData(cid, offsetBytes, lengthBytes, true);
 * channel.write(new ByteBuffer[] {writer.header(headerBytes), data, writer.digest(writer.dataDigest(data))});
 * }</pre>
 *
 * <p>Threading: one writer per connection, used under that connection's send lock.
 */
public final class PduWriter
{
    private final MemorySegment header;
    private final ByteBuffer headerView;
    private final MemorySegment digest;
    private final ByteBuffer digestView;
    private final Crc32cDigest crc = new Crc32cDigest();
    // Reused gathering-write arrays: no array per PDU.
    private final ByteBuffer[] headerOnly = new ByteBuffer[1];
    private final ByteBuffer[] withData = new ByteBuffer[2];
    private final ByteBuffer[] withDigest = new ByteBuffer[3];
    private boolean headerDigest;
    private boolean dataDigest;
    private int alignmentBytes = 4;

    /**
     * @param arena owns the header buffer.
     */
    public PduWriter(final Arena arena)
    {
        this.header = arena.allocate(PduReader.MAX_HEADER_BYTES, 8);
        this.headerView = header.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.digest = arena.allocate(DIGEST_LENGTH, 4);
        this.digestView = digest.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Applies what ICReq/ICResp agreed.
     *
     * @param headerDigestOn header digests on.
     * @param dataDigestOn   data digests on.
     * @param peerPda        the PDA the receiving side asked for (HPDA when a controller writes).
     */
    public void negotiated(final boolean headerDigestOn, final boolean dataDigestOn, final int peerPda)
    {
        this.headerDigest = headerDigestOn;
        this.dataDigest = dataDigestOn;
        this.alignmentBytes = (peerPda + 1) * 4;
    }

    /** @return whether data digests are on. */
    public boolean dataDigestOn()
    {
        return dataDigest;
    }

    /** @return the header buffer's segment (for tests and term requests). */
    public MemorySegment headerSegment()
    {
        return header;
    }

    /**
     * @param headerBytes what an encode method returned.
     * @return the header buffer, positioned over those bytes.
     */
    public ByteBuffer header(final int headerBytes)
    {
        return headerView.limit(headerBytes).position(0);
    }

    /**
     * Sends the encoded header and, when given, the data with its digest (if data digests are on),
     * as one gathering write repeated until everything is out.
     *
     * @param channel     a blocking channel; the caller holds its send lock.
     * @param headerBytes what an encode method returned.
     * @param data        the PDU's data, position to limit, or {@code null}.
     * @throws IOException when the connection fails.
     */
    public void send(final GatheringByteChannel channel, final int headerBytes, final ByteBuffer data) throws IOException
    {
        final ByteBuffer[] buffers = gather(headerBytes, data);
        try
        {
            writeAll(channel, buffers, buffers.length);
        }
        finally
        {
            // The arrays are reused: keep no caller's buffer reachable from them.
            Arrays.fill(buffers, null);
        }
    }

    /** @return the reused array for this PDU's buffers. */
    private ByteBuffer[] gather(final int headerBytes, final ByteBuffer data)
    {
        if (data == null)
        {
            headerOnly[0] = header(headerBytes);
            return headerOnly;
        }
        if (dataDigest)
        {
            final int value = dataDigest(data);
            withDigest[0] = header(headerBytes);
            withDigest[1] = data;
            withDigest[2] = digest(value);
            return withDigest;
        }
        withData[0] = header(headerBytes);
        withData[1] = data;
        return withData;
    }

    /**
     * Writes {@code buffers[0, count)} completely, one gathering write per system call (a single
     * buffer is written as such: the JDK allocates nothing for it).
     *
     * @throws IOException when the connection fails or closes.
     */
    public static void writeAll(final GatheringByteChannel channel, final ByteBuffer[] buffers, final int count) throws IOException
    {
        long remaining = 0;
        for (int i = 0; i < count; i++)
        {
            remaining += buffers[i].remaining();
        }
        while (remaining > 0)
        {
            final long written = count == 1 ? channel.write(buffers[0]) : channel.write(buffers, 0, count);
            if (written < 0)
            {
                throw new IOException("connection closed while sending");
            }
            remaining -= written;
        }
    }

    /**
     * Writes every buffer completely.
     *
     * @throws IOException when the connection fails or closes.
     */
    public static void writeFully(final GatheringByteChannel channel, final ByteBuffer... buffers) throws IOException
    {
        writeAll(channel, buffers, buffers.length);
    }

    /**
     * @param value a digest value.
     * @return a 4-byte buffer holding it little-endian.
     */
    public ByteBuffer digest(final int value)
    {
        Wire.put32(digest, 0, value);
        return digestView.clear();
    }

    /**
     * @param data the data, position to limit; left as it was.
     * @return its CRC-32C.
     */
    public int dataDigest(final ByteBuffer data)
    {
        return crc.digest(data);
    }

    /**
     * @param dataBytes data the PDU carries.
     * @return its PLEN-relevant trailer: 4 when data digests are on and there is data, else 0.
     */
    public int dataDigestBytes(final int dataBytes)
    {
        return dataDigest && dataBytes > 0 ? DIGEST_LENGTH : 0;
    }

    /**
     * ICReq (never digested).
     *
     * @return header bytes (128).
     */
    public int icReq(final int hpda, final boolean headerDigestOn, final boolean dataDigestOn, final int maxR2t)
    {
        commonHeader(CommonHeaderDescriptor.TYPE_IC_REQ, CommonHeaderDescriptor.IC_HLEN, 0, 0, CommonHeaderDescriptor.IC_HLEN);
        icFields(hpda, headerDigestOn, dataDigestOn, maxR2t);
        return CommonHeaderDescriptor.IC_HLEN;
    }

    /**
     * ICResp (never digested).
     *
     * @return header bytes (128).
     */
    public int icResp(final int cpda, final boolean headerDigestOn, final boolean dataDigestOn, final int maxH2cDataBytes)
    {
        commonHeader(CommonHeaderDescriptor.TYPE_IC_RESP, CommonHeaderDescriptor.IC_HLEN, 0, 0, CommonHeaderDescriptor.IC_HLEN);
        icFields(cpda, headerDigestOn, dataDigestOn, maxH2cDataBytes);
        return CommonHeaderDescriptor.IC_HLEN;
    }

    /**
     * CapsuleCmd: the SQE copied from {@code sqe}, {@code dataBytes} of in-capsule data to follow.
     *
     * @return header bytes (up to PDO).
     */
    public int capsuleCmd(final MemorySegment sqe, final int dataBytes)
    {
        final int headerBytes = begin(CommonHeaderDescriptor.TYPE_CAPSULE_CMD, CommonHeaderDescriptor.CAPSULE_CMD_HLEN, 0, dataBytes);
        MemorySegment.copy(sqe, 0, header, CapsuleDescriptor.ENTRY_OFFSET, SqeDescriptor.LENGTH);
        return seal(CommonHeaderDescriptor.CAPSULE_CMD_HLEN, headerBytes);
    }

    /**
     * CapsuleResp.
     *
     * @param status {@code (SCT << 8) | SC} with optional DNR.
     * @return header bytes.
     */
    public int capsuleResp(final int cid, final int sqId, final int sqHead, final int status, final long result)
    {
        final int headerBytes = begin(CommonHeaderDescriptor.TYPE_CAPSULE_RESP, SHORT_HLEN, 0, 0);
        final MemorySegment h = header;
        final int cqe = CapsuleDescriptor.ENTRY_OFFSET;
        Wire.put64(h, cqe + CqeDescriptor.DW0_OFFSET, result);
        Wire.put16(h, cqe + CqeDescriptor.SQHD_OFFSET, sqHead);
        Wire.put16(h, cqe + CqeDescriptor.SQID_OFFSET, sqId);
        Wire.put16(h, cqe + CqeDescriptor.CID_OFFSET, cid);
        Wire.put16(h, cqe + CqeDescriptor.STATUS_OFFSET, NvmeStatus.toField(status));
        return seal(SHORT_HLEN, headerBytes);
    }

    /**
     * C2HData.
     *
     * @param flags extra FLAGS: {@code FLAG_LAST_PDU}, {@code FLAG_SUCCESS}.
     * @return header bytes (up to PDO).
     */
    public int c2hData(final int cid, final long offsetBytes, final int lengthBytes, final int flags)
    {
        return dataPdu(CommonHeaderDescriptor.TYPE_C2H_DATA, cid, 0, offsetBytes, lengthBytes, flags);
    }

    /**
     * H2CData.
     *
     * @param last whether this is the last PDU of the R2T's transfer.
     * @return header bytes (up to PDO).
     */
    public int h2cData(final int cid, final int ttag, final long offsetBytes, final int lengthBytes, final boolean last)
    {
        return dataPdu(CommonHeaderDescriptor.TYPE_H2C_DATA, cid, ttag, offsetBytes, lengthBytes,
            last ? CommonHeaderDescriptor.FLAG_LAST_PDU : 0);
    }

    /**
     * R2T.
     *
     * @return header bytes.
     */
    public int r2t(final int cid, final int ttag, final long offsetBytes, final long lengthBytes)
    {
        final int headerBytes = begin(CommonHeaderDescriptor.TYPE_R2T, SHORT_HLEN, 0, 0);
        transferFields(cid, ttag, offsetBytes, lengthBytes);
        return seal(SHORT_HLEN, headerBytes);
    }

    /**
     * A termination request (never digested), carrying up to 128 bytes of the offending header.
     *
     * @param type      {@code TYPE_H2C_TERM_REQ} or {@code TYPE_C2H_TERM_REQ}.
     * @param offending the received bytes that caused it (may be empty).
     * @return header bytes, including the copied bytes.
     */
    public int termReq(final int type, final TermStatus status, final int fieldOffset, final MemorySegment offending)
    {
        final int copied = (int)Math.min(offending.byteSize(), TermReqDescriptor.MAX_COPIED_BYTES);
        commonHeader(type, SHORT_HLEN, 0, 0, SHORT_HLEN + copied);
        Wire.put16(header, TermReqDescriptor.FES_OFFSET, status.value());
        Wire.put32(header, TermReqDescriptor.FEI_OFFSET, fieldOffset);
        MemorySegment.copy(offending, 0, header, SHORT_HLEN, copied);
        return SHORT_HLEN + copied;
    }

    private int dataPdu(final int type, final int cid, final int ttag, final long offsetBytes, final int lengthBytes, final int flags)
    {
        final int headerBytes = begin(type, SHORT_HLEN, flags, lengthBytes);
        transferFields(cid, ttag, offsetBytes, lengthBytes);
        return seal(SHORT_HLEN, headerBytes);
    }

    private void transferFields(final int cid, final int ttag, final long offsetBytes, final long lengthBytes)
    {
        final MemorySegment h = header;
        Wire.put16(h, DataPduDescriptor.CCCID_OFFSET, cid);
        Wire.put16(h, DataPduDescriptor.TTAG_OFFSET, ttag);
        Wire.put32(h, DataPduDescriptor.OFFSET_OFFSET, (int)offsetBytes);
        Wire.put32(h, DataPduDescriptor.LENGTH_OFFSET, (int)lengthBytes);
    }

    private void icFields(final int pda, final boolean headerDigestOn, final boolean dataDigestOn, final int max)
    {
        final MemorySegment h = header;
        Wire.put16(h, IcDescriptor.PFV_OFFSET, IcDescriptor.PFV_1_0);
        Wire.put8(h, IcDescriptor.PDA_OFFSET, pda);
        Wire.put8(h, IcDescriptor.DGST_OFFSET, (headerDigestOn ? IcDescriptor.DGST_HEADER : 0) | (dataDigestOn ? IcDescriptor.DGST_DATA : 0));
        Wire.put32(h, IcDescriptor.MAX_OFFSET, max);
    }

    private int begin(final int type, final int hlen, final int extraFlags, final int dataBytes)
    {
        final int digestBytes = headerDigest ? DIGEST_LENGTH : 0;
        final int headerEnd = hlen + digestBytes;
        int flags = extraFlags | (headerDigest ? FLAG_HDGSTF : 0);
        if (dataBytes == 0)
        {
            commonHeader(type, hlen, flags, 0, headerEnd);
            return headerEnd;
        }
        final int pdo = (headerEnd + alignmentBytes - 1) / alignmentBytes * alignmentBytes;
        flags |= dataDigest ? FLAG_DDGSTF : 0;
        commonHeader(type, hlen, flags, pdo, (long)pdo + dataBytes + dataDigestBytes(dataBytes));
        return pdo;
    }

    private void commonHeader(final int type, final int hlen, final int flags, final int pdo, final long plen)
    {
        final MemorySegment h = header;
        zero(h, 0, hlen);
        Wire.put8(h, CommonHeaderDescriptor.TYPE_OFFSET, type);
        Wire.put8(h, CommonHeaderDescriptor.FLAGS_OFFSET, flags);
        Wire.put8(h, CommonHeaderDescriptor.HLEN_OFFSET, hlen);
        Wire.put8(h, CommonHeaderDescriptor.PDO_OFFSET, pdo);
        Wire.put32(h, CommonHeaderDescriptor.PLEN_OFFSET, (int)plen);
    }

    private int seal(final int hlen, final int headerBytes)
    {
        int end = hlen;
        if (headerDigest)
        {
            Wire.put32(header, hlen, crc.digest(headerView, 0, hlen));
            end += DIGEST_LENGTH;
        }
        zero(header, end, headerBytes);
        return headerBytes;
    }

    /** Zeroes {@code [from, to)} in place (no slice object per PDU: headers are at most 256 bytes). */
    private static void zero(final MemorySegment segment, final int from, final int to)
    {
        int at = from;
        for (; at + Long.BYTES <= to; at += Long.BYTES)
        {
            Wire.put64(segment, at, 0);
        }
        for (; at < to; at++)
        {
            Wire.put8(segment, at, 0);
        }
    }
}
