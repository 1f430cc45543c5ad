package dev.conduit.nvmeof.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.DIGEST_LENGTH;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_DDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_HDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_LAST_PDU;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_SUCCESS;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.IC_HLEN;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.LENGTH;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.PDO_OFFSET;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.PLEN_OFFSET;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_CAPSULE_CMD;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_C2H_DATA;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_C2H_TERM_REQ;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_H2C_DATA;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_H2C_TERM_REQ;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_IC_REQ;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_IC_RESP;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.TYPE_R2T;

/**
 * Reads one PDU at a time from a channel into one buffer allocated up front, checking every field
 * before it is used: the type against the direction and the connection state, HLEN against the
 * type, FLAGS against what was negotiated, PLEN against the negotiated maximums before a byte of
 * data is read, PDO against the alignment rule, the header digest, and the type-specific fields
 * (PFV, PDA, DATAL). A violation is a {@link PduException} carrying the termination status and the
 * field's offset; nothing is allocated from a length read off the wire.
 *
 * <p>The data digest is checked but not thrown: a mismatch is a per-command Transient Transport
 * Error, so {@link #dataDigestOk()} reports it and the caller decides.
 *
 * <pre>{@code
 * final PduReader reader = PduReader.forController(arena, 128 * 1024);
 * while (reader.read(channel))                 // false: the peer closed between PDUs
 * {
 *     switch (reader.type()) { ... reader.buffer(), reader.dataOffset(), reader.dataLength() ... }
 * }
 * }</pre>
 *
 * <p>Threading: one reader per connection, used by that connection's reading thread only.
 */
public final class PduReader
{
    /** Largest header region: a 128-byte header, its digest and up to 124 bytes of padding. */
    public static final int MAX_HEADER_BYTES = IC_HLEN + DIGEST_LENGTH + 124;

    private final boolean readsHostPdus;
    private final MemorySegment buffer;
    private final ByteBuffer view;
    private final Crc32cDigest crc = new Crc32cDigest();
    private final int capacityDataBytes;

    private boolean connected;
    private boolean headerDigest;
    private boolean dataDigest;
    private int alignmentBytes = 4;
    private int maxCapsuleDataBytes;
    private int maxDataPduBytes;

    private int type;
    private int flags;
    private int dataOffset;
    private int dataLength;
    private boolean dataDigestOk;
    private boolean dataPending;

    private PduReader(final Arena arena, final boolean readsHostPdus, final int capacityDataBytes)
    {
        if (capacityDataBytes < 0)
        {
            throw new IllegalArgumentException("capacityDataBytes must be >= 0: " + capacityDataBytes);
        }
        this.readsHostPdus = readsHostPdus;
        this.capacityDataBytes = capacityDataBytes;
        this.buffer = arena.allocate(MAX_HEADER_BYTES + capacityDataBytes + DIGEST_LENGTH, 8);
        this.view = buffer.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        this.maxCapsuleDataBytes = capacityDataBytes;
        this.maxDataPduBytes = capacityDataBytes;
    }

    /**
     * @param arena             owns the receive buffer.
     * @param capacityDataBytes the most data one PDU may carry (in-capsule data, MAXH2CDATA).
     * @return a reader of host PDUs (ICReq, CapsuleCmd, H2CData, H2CTermReq), as a controller reads.
     */
    public static PduReader forController(final Arena arena, final int capacityDataBytes)
    {
        return new PduReader(arena, true, capacityDataBytes);
    }

    /**
     * @param arena             owns the receive buffer.
     * @param capacityDataBytes the most data one C2HData PDU may carry.
     * @return a reader of controller PDUs (ICResp, CapsuleResp, C2HData, R2T, C2HTermReq), as a host reads.
     */
    public static PduReader forHost(final Arena arena, final int capacityDataBytes)
    {
        return new PduReader(arena, false, capacityDataBytes);
    }

    /**
     * Applies what ICReq/ICResp agreed; from now on only non-IC PDUs are accepted.
     *
     * @param headerDigestOn      header digests on.
     * @param dataDigestOn        data digests on.
     * @param receivePda          the PDA this side asked for (CPDA for a controller, HPDA for a host).
     * @param maxCapsuleDataBytes in-capsule data limit (controller side).
     * @param maxDataPduBytes     most data in one H2CData (MAXH2CDATA) or C2HData PDU.
     */
    public void negotiated(
        final boolean headerDigestOn,
        final boolean dataDigestOn,
        final int receivePda,
        final int maxCapsuleDataBytes,
        final int maxDataPduBytes)
    {
        if (maxCapsuleDataBytes > capacityDataBytes || maxDataPduBytes > capacityDataBytes)
        {
            throw new IllegalArgumentException("limits exceed the receive buffer: " + maxCapsuleDataBytes + ", "
                + maxDataPduBytes + " > " + capacityDataBytes);
        }
        this.headerDigest = headerDigestOn;
        this.dataDigest = dataDigestOn;
        this.alignmentBytes = (receivePda + 1) * 4;
        this.maxCapsuleDataBytes = maxCapsuleDataBytes;
        this.maxDataPduBytes = maxDataPduBytes;
        this.connected = true;
    }

    /**
     * Reads and checks the next PDU.
     *
     * @param channel a blocking channel.
     * @return {@code false} when the peer closed the connection between PDUs.
     * @throws PduException  the PDU breaks the binding (the caller answers with a termination request).
     * @throws EOFException  the peer closed in the middle of a PDU.
     * @throws IOException   the channel failed.
     */
    public boolean read(final ReadableByteChannel channel) throws IOException
    {
        if (!readHeader(channel))
        {
            return false;
        }
        readData(channel);
        return true;
    }

    /**
     * Reads and checks the next PDU's header, up to its data (PDO); the data, if any, is still on the
     * channel: {@link #readData} or {@link #readDataInto} must follow before the next header.
     *
     * @param channel a blocking channel.
     * @return {@code false} when the peer closed the connection between PDUs.
     * @throws PduException  the PDU breaks the binding; its data has not been read.
     * @throws EOFException  the peer closed in the middle of a PDU.
     * @throws IOException   the channel failed.
     */
    public boolean readHeader(final ReadableByteChannel channel) throws IOException
    {
        if (dataPending)
        {
            throw new IllegalStateException("the previous PDU's data has not been read");
        }
        if (!fill(channel, 0, LENGTH, true))
        {
            return false;
        }
        final int headerEnd = checkCommonHeader();
        fill(channel, LENGTH, headerEnd, false);
        checkHeaderDigest();
        checkTypeFields();
        dataPending = true;
        dataDigestOk = true;
        return true;
    }

    /**
     * Reads the data of the PDU whose header {@link #readHeader} read, and its digest, into the
     * receive buffer at {@link #dataOffset()}.
     */
    public void readData(final ReadableByteChannel channel) throws IOException
    {
        checkDataPending();
        final int digestBytes = (flags & FLAG_DDGSTF) != 0 ? DIGEST_LENGTH : 0;
        fill(channel, dataOffset, dataOffset + dataLength + digestBytes, false);
        dataDigestOk = digestBytes == 0 || Wire.i32(buffer, dataOffset + dataLength) == crc.digest(view, dataOffset, dataLength);
    }

    /**
     * Reads the data of the PDU whose header {@link #readHeader} read straight into the caller's
     * memory (no copy through the receive buffer), and its digest; the digest is checked over
     * {@code destination}.
     *
     * @param destination receives {@link #dataLength()} bytes from {@code positionBytes}; its position
     *                    and limit are changed.
     * @param positionBytes where the data goes in {@code destination}.
     */
    public void readDataInto(final ReadableByteChannel channel, final ByteBuffer destination, final int positionBytes)
        throws IOException
    {
        checkDataPending();
        destination.limit(positionBytes + dataLength).position(positionBytes);
        while (destination.hasRemaining())
        {
            if (channel.read(destination) < 0)
            {
                throw new EOFException("peer closed the connection inside a PDU's data (" + (destination.position() - positionBytes)
                    + " of " + dataLength + " bytes)");
            }
        }
        if ((flags & FLAG_DDGSTF) != 0)
        {
            // The data went elsewhere, so the digest lands where the data would have been.
            fill(channel, dataOffset, dataOffset + DIGEST_LENGTH, false);
            dataDigestOk = Wire.i32(buffer, dataOffset) == crc.digest(destination, positionBytes, dataLength);
        }
    }

    /**
     * Reads the current PDU's data into the receive buffer if nobody has: before a termination
     * request for a PDU whose header passed but whose data was refused, so that the connection
     * closes with nothing unread (an orderly close, not a reset, for the peer reading the request).
     */
    public void skipData(final ReadableByteChannel channel) throws IOException
    {
        if (dataPending)
        {
            readData(channel);
        }
    }

    private void checkDataPending()
    {
        if (!dataPending)
        {
            throw new IllegalStateException("no PDU header read, or its data already read");
        }
        dataPending = false;
    }

    /** @return the receive buffer: the PDU's header at offset 0, its data at {@link #dataOffset()}. */
    public MemorySegment buffer()
    {
        return buffer;
    }

    /** @return the receive buffer as a little-endian byte buffer (the same memory). */
    public ByteBuffer view()
    {
        return view;
    }

    /** @return the last PDU's type. */
    public int type()
    {
        return type;
    }

    /** @return the last PDU's FLAGS. */
    public int flags()
    {
        return flags;
    }

    /** @return where the last PDU's data starts in {@link #buffer()}. */
    public int dataOffset()
    {
        return dataOffset;
    }

    /** @return bytes of data in the last PDU (0 when none). */
    public int dataLength()
    {
        return dataLength;
    }

    /** @return whether the last PDU's data digest matched (true when it had none). */
    public boolean dataDigestOk()
    {
        return dataDigestOk;
    }

    /** @return whether ICReq/ICResp has been exchanged ({@link #negotiated} called). */
    public boolean connected()
    {
        return connected;
    }

    private int checkCommonHeader()
    {
        final MemorySegment b = buffer;
        type = Wire.u8(b, CommonHeaderDescriptor.TYPE_OFFSET);
        flags = Wire.u8(b, CommonHeaderDescriptor.FLAGS_OFFSET);
        final int hlen = Wire.u8(b, CommonHeaderDescriptor.HLEN_OFFSET);
        final int pdo = Wire.u8(b, PDO_OFFSET);
        final long plen = Wire.u32(b, PLEN_OFFSET);
        final boolean known = readsHostPdus ? CommonHeaderDescriptor.sentByHost(type) : CommonHeaderDescriptor.sentByController(type);
        if (!known)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.TYPE_OFFSET,
                "PDU type 0x" + Integer.toHexString(type) + " is not one a " + (readsHostPdus ? "host" : "controller") + " sends");
        }
        final boolean ic = type == TYPE_IC_REQ || type == TYPE_IC_RESP;
        final boolean term = type == TYPE_H2C_TERM_REQ || type == TYPE_C2H_TERM_REQ;
        if (ic == connected && !term)
        {
            throw new PduException(TermStatus.PDU_SEQUENCE_ERROR, CommonHeaderDescriptor.TYPE_OFFSET,
                CommonHeaderDescriptor.name(type) + (connected ? " after connection initialization" : " before ICReq/ICResp"));
        }
        if (hlen != CommonHeaderDescriptor.headerLength(type))
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.HLEN_OFFSET,
                "HLEN " + hlen + " for " + CommonHeaderDescriptor.name(type) + ", expected " + CommonHeaderDescriptor.headerLength(type));
        }
        checkFlags();
        if (term)
        {
            if (plen < hlen || plen > CommonHeaderDescriptor.TERM_REQ_MAX_PLEN)
            {
                throw new PduException(TermStatus.INVALID_HEADER_FIELD, PLEN_OFFSET, "PLEN " + plen + " outside 24..152 for a termination request");
            }
            dataOffset = hlen;
            dataLength = (int)plen - hlen;
            return hlen;
        }
        final int headerEnd = hlen + ((flags & FLAG_HDGSTF) != 0 ? DIGEST_LENGTH : 0);
        if (plen < headerEnd)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, PLEN_OFFSET, "PLEN " + plen + " shorter than the header (" + headerEnd + ")");
        }
        if (plen == headerEnd)
        {
            if (pdo != 0)
            {
                throw new PduException(TermStatus.INVALID_HEADER_FIELD, PDO_OFFSET, "PDO " + pdo + " in a PDU without data");
            }
            if ((flags & FLAG_DDGSTF) != 0)
            {
                throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.FLAGS_OFFSET, "DDGSTF set in a PDU without data");
            }
            dataOffset = headerEnd;
            dataLength = 0;
            return headerEnd;
        }
        return checkDataBounds(headerEnd, pdo, plen);
    }

    private int checkDataBounds(final int headerEnd, final int pdo, final long plen)
    {
        if (!CommonHeaderDescriptor.carriesData(type))
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, PLEN_OFFSET,
                "PLEN " + plen + " for " + CommonHeaderDescriptor.name(type) + ", which has no data (expected " + headerEnd + ")");
        }
        final int expectedPdo = (headerEnd + alignmentBytes - 1) / alignmentBytes * alignmentBytes;
        if (pdo != expectedPdo)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, PDO_OFFSET,
                "PDO " + pdo + ", expected " + expectedPdo + " (header " + headerEnd + " bytes, alignment " + alignmentBytes + ")");
        }
        final int digestBytes = (flags & FLAG_DDGSTF) != 0 ? DIGEST_LENGTH : 0;
        final long length = plen - pdo - digestBytes;
        if (length <= 0)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, PLEN_OFFSET, "PLEN " + plen + " leaves no data after PDO " + pdo);
        }
        final int limit = type == TYPE_CAPSULE_CMD ? maxCapsuleDataBytes : maxDataPduBytes;
        if (length > limit)
        {
            throw new PduException(TermStatus.DATA_TRANSFER_LIMIT_EXCEEDED, PLEN_OFFSET,
                CommonHeaderDescriptor.name(type) + " carries " + length + " bytes of data, the limit is " + limit);
        }
        dataOffset = pdo;
        dataLength = (int)length;
        return pdo;
    }

    private void checkFlags()
    {
        final int allowed = switch (type)
        {
            case TYPE_CAPSULE_CMD -> FLAG_HDGSTF | FLAG_DDGSTF;
            case TYPE_H2C_DATA -> FLAG_HDGSTF | FLAG_DDGSTF | FLAG_LAST_PDU;
            case TYPE_C2H_DATA -> FLAG_HDGSTF | FLAG_DDGSTF | FLAG_LAST_PDU | FLAG_SUCCESS;
            case TYPE_R2T, CommonHeaderDescriptor.TYPE_CAPSULE_RESP -> FLAG_HDGSTF;
            default -> 0;
        };
        if ((flags & ~allowed) != 0)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.FLAGS_OFFSET,
                "FLAGS 0x" + Integer.toHexString(flags) + " not valid for " + CommonHeaderDescriptor.name(type));
        }
        if (CommonHeaderDescriptor.digested(type) && ((flags & FLAG_HDGSTF) != 0) != headerDigest)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.FLAGS_OFFSET,
                "HDGSTF " + ((flags & FLAG_HDGSTF) != 0 ? "set" : "clear") + " but header digests are " + (headerDigest ? "on" : "off"));
        }
        if ((flags & FLAG_DDGSTF) != 0 && !dataDigest)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.FLAGS_OFFSET, "DDGSTF set but data digests are off");
        }
        if ((flags & FLAG_SUCCESS) != 0 && (flags & FLAG_LAST_PDU) == 0)
        {
            throw new PduException(TermStatus.INVALID_HEADER_FIELD, CommonHeaderDescriptor.FLAGS_OFFSET, "SUCCESS without LAST_PDU");
        }
    }

    private void checkHeaderDigest()
    {
        if ((flags & FLAG_HDGSTF) == 0)
        {
            return;
        }
        final int hlen = Wire.u8(buffer, CommonHeaderDescriptor.HLEN_OFFSET);
        final int received = Wire.i32(buffer, hlen);
        if (received != crc.digest(view, 0, hlen))
        {
            throw new PduException(TermStatus.HEADER_DIGEST_ERROR, hlen,
                "header digest 0x" + Integer.toHexString(received) + " does not match the " + CommonHeaderDescriptor.name(type) + " header");
        }
    }

    private void checkTypeFields()
    {
        final MemorySegment b = buffer;
        switch (type)
        {
            case TYPE_IC_REQ, TYPE_IC_RESP ->
            {
                final int pfv = Wire.u16(b, IcDescriptor.PFV_OFFSET);
                if (pfv != IcDescriptor.PFV_1_0)
                {
                    throw new PduException(TermStatus.UNSUPPORTED_PARAMETER, IcDescriptor.PFV_OFFSET, "PFV " + pfv + " (only 0 is defined)");
                }
                final int pda = Wire.u8(b, IcDescriptor.PDA_OFFSET);
                if (pda > IcDescriptor.PDA_MAX)
                {
                    throw new PduException(TermStatus.INVALID_HEADER_FIELD, IcDescriptor.PDA_OFFSET, "PDA " + pda + " above 31");
                }
                final int dgst = Wire.u8(b, IcDescriptor.DGST_OFFSET);
                if ((dgst & ~(IcDescriptor.DGST_HEADER | IcDescriptor.DGST_DATA)) != 0)
                {
                    throw new PduException(TermStatus.INVALID_HEADER_FIELD, IcDescriptor.DGST_OFFSET, "DGST 0x" + Integer.toHexString(dgst));
                }
                final long maxData = Wire.u32(b, IcDescriptor.MAX_OFFSET);
                if (type == TYPE_IC_RESP && (maxData < IcDescriptor.MAXH2CDATA_MIN || (maxData & 3) != 0))
                {
                    throw new PduException(TermStatus.INVALID_HEADER_FIELD, IcDescriptor.MAX_OFFSET,
                        "MAXH2CDATA " + maxData + " (at least 4096, a multiple of 4)");
                }
            }
            case TYPE_H2C_DATA, TYPE_C2H_DATA ->
            {
                final long datal = Wire.u32(b, DataPduDescriptor.LENGTH_OFFSET);
                if (datal != dataLength || datal == 0)
                {
                    throw new PduException(TermStatus.INVALID_HEADER_FIELD, DataPduDescriptor.LENGTH_OFFSET,
                        "DATAL " + datal + " but the PDU carries " + dataLength + " bytes");
                }
            }
            case TYPE_R2T ->
            {
                if (Wire.u32(b, DataPduDescriptor.LENGTH_OFFSET) == 0)
                {
                    throw new PduException(TermStatus.INVALID_HEADER_FIELD, DataPduDescriptor.LENGTH_OFFSET, "R2TL 0");
                }
            }
            default ->
            {
            }
        }
    }

    private boolean fill(final ReadableByteChannel channel, final int from, final int to, final boolean eofAllowed) throws IOException
    {
        final ByteBuffer v = view;
        v.limit(to).position(from);
        while (v.hasRemaining())
        {
            if (channel.read(v) < 0)
            {
                if (eofAllowed && v.position() == from)
                {
                    return false;
                }
                throw new EOFException("peer closed the connection inside a PDU (" + v.position() + " of " + to + " bytes)");
            }
        }
        v.clear();
        return true;
    }
}
