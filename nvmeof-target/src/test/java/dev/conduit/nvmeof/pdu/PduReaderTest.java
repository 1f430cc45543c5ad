package dev.conduit.nvmeof.pdu;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ErrorCode;
import dev.conduit.nvmeof.command.CqeDescriptor;
import dev.conduit.nvmeof.command.NvmeStatus;
import dev.conduit.nvmeof.command.SqeDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_DDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_HDGSTF;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_LAST_PDU;
import static dev.conduit.nvmeof.pdu.CommonHeaderDescriptor.FLAG_SUCCESS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PduReaderTest
{
    private static final int MAX_DATA = 8192;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close()
    {
        arena.close();
    }

    private PduWriter hostWriter(final boolean digests)
    {
        final PduWriter writer = new PduWriter(arena);
        writer.negotiated(digests, digests, 0);
        return writer;
    }

    private PduReader controllerReader(final boolean digests)
    {
        final PduReader reader = PduReader.forController(arena, MAX_DATA);
        reader.negotiated(digests, digests, 0, MAX_DATA, 4096);
        return reader;
    }

    private PduReader hostReader(final boolean digests)
    {
        final PduReader reader = PduReader.forHost(arena, MAX_DATA);
        reader.negotiated(digests, digests, 0, 0, MAX_DATA);
        return reader;
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] pattern(final int length)
    {
        final byte[] data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i * 31 + 7);
        }
        return data;
    }

    private MemorySegment sqe(final int opcode, final int cid)
    {
        final MemorySegment sqe = arena.allocate(SqeDescriptor.LENGTH);
        Wire.put8(sqe, SqeDescriptor.OPCODE_OFFSET, opcode);
        Wire.put16(sqe, SqeDescriptor.CID_OFFSET, cid);
        Wire.put32(sqe, SqeDescriptor.NSID_OFFSET, 1);
        Wire.put64(sqe, SqeDescriptor.CDW10_OFFSET, 0x1122334455667788L);
        return sqe;
    }

    @Test
    void shouldRoundTripIcReqAndIcResp() throws Exception
    {
        final PduWriter writer = new PduWriter(arena);
        final byte[] bytes = new PduBytes().add(writer, writer.icReq(0, true, false, 0)).bytes();
        assertEquals(128, bytes.length);
        final PduReader reader = PduReader.forController(arena, MAX_DATA);
        assertTrue(reader.read(PduBytes.channel(bytes)));
        assertEquals(CommonHeaderDescriptor.TYPE_IC_REQ, reader.type());
        assertEquals(IcDescriptor.DGST_HEADER, Wire.u8(reader.buffer(), IcDescriptor.DGST_OFFSET));

        final byte[] resp = new PduBytes().add(writer, writer.icResp(0, true, true, 131072)).bytes();
        final PduReader host = PduReader.forHost(arena, MAX_DATA);
        assertTrue(host.read(PduBytes.channel(resp)));
        assertEquals(CommonHeaderDescriptor.TYPE_IC_RESP, host.type());
        assertEquals(131072, Wire.u32(host.buffer(), IcDescriptor.MAX_OFFSET));
        assertEquals(IcDescriptor.DGST_HEADER | IcDescriptor.DGST_DATA, Wire.u8(host.buffer(), IcDescriptor.DGST_OFFSET));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRoundTripCapsuleCmdWithInCapsuleData(final boolean digests) throws Exception
    {
        final PduWriter writer = hostWriter(digests);
        final byte[] data = pattern(4096);
        final byte[] bytes = new PduBytes()
            .add(writer, writer.capsuleCmd(sqe(0x01, 77), data.length), data)
            .add(writer, writer.capsuleCmd(sqe(0x02, 78), 0))
            .bytes();
        final PduReader reader = controllerReader(digests);
        final ReadableByteChannel channel = PduBytes.channel(bytes);
        assertTrue(reader.read(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_CAPSULE_CMD, reader.type());
        assertEquals(digests ? FLAG_HDGSTF | FLAG_DDGSTF : 0, reader.flags());
        assertEquals(77, Wire.u16(reader.buffer(), CapsuleDescriptor.ENTRY_OFFSET + SqeDescriptor.CID_OFFSET));
        assertEquals(0x1122334455667788L, Wire.u64(reader.buffer(), CapsuleDescriptor.ENTRY_OFFSET + SqeDescriptor.CDW10_OFFSET));
        assertArrayEquals(data, PduBytes.data(reader));
        assertTrue(reader.dataDigestOk());
        assertTrue(reader.read(channel));
        assertEquals(0, reader.dataLength());
        assertEquals(78, Wire.u16(reader.buffer(), CapsuleDescriptor.ENTRY_OFFSET + SqeDescriptor.CID_OFFSET));
        assertFalse(reader.read(channel));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldRoundTripControllerPdus(final boolean digests) throws Exception
    {
        final PduWriter writer = hostWriter(digests);
        final byte[] data = pattern(1000);
        final byte[] bytes = new PduBytes()
            .add(writer, writer.r2t(5, 9, 4096, 8192))
            .add(writer, writer.c2hData(6, 512, data.length, FLAG_LAST_PDU | FLAG_SUCCESS), data)
            .add(writer, writer.capsuleResp(7, 1, 3, NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR, 0xABCDL))
            .bytes();
        final PduReader reader = hostReader(digests);
        final ReadableByteChannel channel = PduBytes.channel(bytes);
        assertTrue(reader.read(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_R2T, reader.type());
        assertEquals(9, Wire.u16(reader.buffer(), DataPduDescriptor.TTAG_OFFSET));
        assertEquals(4096, Wire.u32(reader.buffer(), DataPduDescriptor.OFFSET_OFFSET));
        assertEquals(8192, Wire.u32(reader.buffer(), DataPduDescriptor.LENGTH_OFFSET));
        assertTrue(reader.read(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_C2H_DATA, reader.type());
        assertEquals(FLAG_LAST_PDU | FLAG_SUCCESS, reader.flags() & (FLAG_LAST_PDU | FLAG_SUCCESS));
        assertArrayEquals(data, PduBytes.data(reader));
        assertTrue(reader.read(channel));
        final int cqe = CapsuleDescriptor.ENTRY_OFFSET;
        assertEquals(7, Wire.u16(reader.buffer(), cqe + CqeDescriptor.CID_OFFSET));
        assertEquals(0xABCDL, Wire.u32(reader.buffer(), cqe + CqeDescriptor.DW0_OFFSET));
        assertEquals(NvmeStatus.LBA_OUT_OF_RANGE | NvmeStatus.DNR,
            NvmeStatus.fromField(Wire.u16(reader.buffer(), cqe + CqeDescriptor.STATUS_OFFSET)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldReadDataStraightIntoTheCallersMemoryAndCheckItsDigest(final boolean digests) throws Exception
    {
        final PduWriter writer = hostWriter(digests);
        final byte[] data = pattern(3000);
        final byte[] c2h = new PduBytes().add(writer, writer.c2hData(6, 0, data.length, FLAG_LAST_PDU), data).bytes();
        final byte[] resp = new PduBytes().add(writer, writer.capsuleResp(6, 1, 0, NvmeStatus.SUCCESS, 0)).bytes();
        final MemorySegment destination = arena.allocate(4096 + data.length, 4096);
        final PduReader reader = hostReader(digests);
        final ReadableByteChannel channel = PduBytes.channel(concat(c2h, resp));

        assertTrue(reader.readHeader(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_C2H_DATA, reader.type());
        assertEquals(data.length, reader.dataLength());
        assertThrows(IllegalStateException.class, () -> reader.readHeader(channel), "the data is still unread");
        reader.readDataInto(channel, destination.asByteBuffer(), 4096);
        assertTrue(reader.dataDigestOk());
        assertArrayEquals(data, destination.asSlice(4096).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(0, destination.get(ValueLayout.JAVA_BYTE, 4095), "nothing written before the position");
        assertThrows(IllegalStateException.class, () -> reader.readData(channel), "the data was read once already");

        assertTrue(reader.readHeader(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_CAPSULE_RESP, reader.type());
        reader.skipData(channel);
        assertFalse(reader.read(channel));
    }

    @Test
    void shouldReportADataDigestMismatchOfDataReadIntoTheCallersMemory() throws Exception
    {
        final PduWriter writer = hostWriter(true);
        final byte[] data = pattern(2048);
        final byte[] bytes = new PduBytes().add(writer, writer.c2hData(2, 0, data.length, FLAG_LAST_PDU), data).bytes();
        bytes[bytes.length - CommonHeaderDescriptor.DIGEST_LENGTH - 100] ^= 0x10;
        final PduReader reader = hostReader(true);
        final ReadableByteChannel channel = PduBytes.channel(bytes);
        assertTrue(reader.readHeader(channel));
        reader.readDataInto(channel, arena.allocate(data.length, 8).asByteBuffer(), 0);
        assertFalse(reader.dataDigestOk());
        assertFalse(reader.readHeader(channel), "the digest was consumed with the data");
    }

    @Test
    void shouldSkipTheDataOfARefusedPduSoTheNextHeaderFollows() throws Exception
    {
        final PduWriter writer = hostWriter(false);
        final byte[] data = pattern(1024);
        final byte[] first = new PduBytes().add(writer, writer.c2hData(3, 0, data.length, FLAG_LAST_PDU), data).bytes();
        final byte[] second = new PduBytes().add(writer, writer.r2t(3, 3, 0, 4096)).bytes();
        final byte[] bytes = concat(first, second);
        final PduReader reader = hostReader(false);
        final ReadableByteChannel channel = PduBytes.channel(bytes);
        assertTrue(reader.readHeader(channel));
        reader.skipData(channel);
        reader.skipData(channel);
        assertTrue(reader.read(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_R2T, reader.type());
    }

    @Test
    void shouldRoundTripH2cDataAndTermReq() throws Exception
    {
        final PduWriter writer = hostWriter(true);
        final byte[] data = pattern(4096);
        final MemorySegment offending = arena.allocate(200).fill((byte)0x5A);
        final byte[] bytes = new PduBytes()
            .add(writer, writer.h2cData(3, 4, 8192, data.length, true), data)
            .add(writer, writer.termReq(CommonHeaderDescriptor.TYPE_H2C_TERM_REQ, TermStatus.HEADER_DIGEST_ERROR, 72, offending))
            .bytes();
        final PduReader reader = controllerReader(true);
        final ReadableByteChannel channel = PduBytes.channel(bytes);
        assertTrue(reader.read(channel));
        assertEquals(4, Wire.u16(reader.buffer(), DataPduDescriptor.TTAG_OFFSET));
        assertArrayEquals(data, PduBytes.data(reader));
        assertTrue(reader.read(channel));
        assertEquals(CommonHeaderDescriptor.TYPE_H2C_TERM_REQ, reader.type());
        assertEquals(TermStatus.HEADER_DIGEST_ERROR.value(), Wire.u16(reader.buffer(), TermReqDescriptor.FES_OFFSET));
        assertEquals(72, Wire.u32(reader.buffer(), TermReqDescriptor.FEI_OFFSET));
        assertEquals(TermReqDescriptor.MAX_COPIED_BYTES, reader.dataLength());
    }

    private PduException malformed(final PduReader reader, final byte[] bytes)
    {
        final PduException e = assertThrows(PduException.class, () -> reader.read(PduBytes.channel(bytes)));
        assertEquals(ErrorCode.NVMF_PROTOCOL_ERROR, e.code());
        return e;
    }

    private byte[] capsule(final boolean digests, final int dataBytes)
    {
        final PduWriter writer = hostWriter(digests);
        return new PduBytes().add(writer, writer.capsuleCmd(sqe(0x01, 1), dataBytes), pattern(dataBytes)).bytes();
    }

    @Test
    void shouldRejectUnknownAndWrongDirectionTypes()
    {
        final byte[] bytes = capsule(false, 0);
        bytes[0] = 0x08;
        assertEquals(TermStatus.INVALID_HEADER_FIELD, malformed(controllerReader(false), bytes).status());
        bytes[0] = CommonHeaderDescriptor.TYPE_C2H_DATA;
        final PduException e = malformed(controllerReader(false), bytes);
        assertEquals(TermStatus.INVALID_HEADER_FIELD, e.status());
        assertEquals(CommonHeaderDescriptor.TYPE_OFFSET, e.fieldOffset());
    }

    @Test
    void shouldRejectPdusOutOfSequence()
    {
        final PduReader fresh = PduReader.forController(arena, MAX_DATA);
        assertEquals(TermStatus.PDU_SEQUENCE_ERROR, malformed(fresh, capsule(false, 0)).status());
        final PduWriter writer = new PduWriter(arena);
        final byte[] icReq = new PduBytes().add(writer, writer.icReq(0, false, false, 0)).bytes();
        assertEquals(TermStatus.PDU_SEQUENCE_ERROR, malformed(controllerReader(false), icReq).status());
    }

    @Test
    void shouldRejectWrongHlen()
    {
        final byte[] bytes = capsule(false, 0);
        bytes[CommonHeaderDescriptor.HLEN_OFFSET] = 24;
        final PduException e = malformed(controllerReader(false), bytes);
        assertEquals(TermStatus.INVALID_HEADER_FIELD, e.status());
        assertEquals(CommonHeaderDescriptor.HLEN_OFFSET, e.fieldOffset());
    }

    @Test
    void shouldRejectDigestFlagsThatDisagreeWithNegotiation()
    {
        final PduException e = malformed(controllerReader(true), capsule(false, 0));
        assertEquals(CommonHeaderDescriptor.FLAGS_OFFSET, e.fieldOffset());
        assertEquals(CommonHeaderDescriptor.FLAGS_OFFSET, malformed(controllerReader(false), capsule(true, 0)).fieldOffset());
        final byte[] bytes = capsule(false, 0);
        bytes[CommonHeaderDescriptor.FLAGS_OFFSET] = (byte)FLAG_LAST_PDU;
        assertEquals(CommonHeaderDescriptor.FLAGS_OFFSET, malformed(controllerReader(false), bytes).fieldOffset());
    }

    @Test
    void shouldRejectPlenShorterThanHeaderOrDataInDatalessPdu()
    {
        final byte[] bytes = capsule(false, 0);
        Wire.put32(MemorySegment.ofArray(bytes), CommonHeaderDescriptor.PLEN_OFFSET, 40);
        assertEquals(CommonHeaderDescriptor.PLEN_OFFSET, malformed(controllerReader(false), bytes).fieldOffset());

        final PduWriter writer = hostWriter(false);
        final byte[] r2t = new PduBytes().add(writer, writer.r2t(1, 1, 0, 4096)).bytes();
        Wire.put32(MemorySegment.ofArray(r2t), CommonHeaderDescriptor.PLEN_OFFSET, 28);
        final PduException e = malformed(hostReader(false), r2t);
        assertEquals(TermStatus.INVALID_HEADER_FIELD, e.status());
        assertEquals(CommonHeaderDescriptor.PLEN_OFFSET, e.fieldOffset());
    }

    @Test
    void shouldRejectOversizedDataBeforeReadingIt()
    {
        final byte[] bytes = capsule(false, 0);
        // PLEN claims 4 GiB of in-capsule data; only the header is present: the check must come first.
        Wire.put8(MemorySegment.ofArray(bytes), CommonHeaderDescriptor.PDO_OFFSET, 72);
        Wire.put32(MemorySegment.ofArray(bytes), CommonHeaderDescriptor.PLEN_OFFSET, 0xFFFF_FFF0);
        final PduException e = malformed(controllerReader(false), bytes);
        assertEquals(TermStatus.DATA_TRANSFER_LIMIT_EXCEEDED, e.status());
        assertEquals(CommonHeaderDescriptor.PLEN_OFFSET, e.fieldOffset());

        final PduWriter writer = hostWriter(false);
        final byte[] h2c = new PduBytes().add(writer, writer.h2cData(1, 1, 0, 8192, true), pattern(8192)).bytes();
        assertEquals(TermStatus.DATA_TRANSFER_LIMIT_EXCEEDED, malformed(controllerReader(false), h2c).status());
    }

    @Test
    void shouldRejectMisalignedOrMissingPdo()
    {
        final byte[] bytes = capsule(false, 512);
        bytes[CommonHeaderDescriptor.PDO_OFFSET] = 74;
        assertEquals(CommonHeaderDescriptor.PDO_OFFSET, malformed(controllerReader(false), bytes).fieldOffset());
        bytes[CommonHeaderDescriptor.PDO_OFFSET] = 0;
        assertEquals(CommonHeaderDescriptor.PDO_OFFSET, malformed(controllerReader(false), bytes).fieldOffset());

        // With CPDA 3 the controller asked for 16-byte alignment: PDO 72 is wrong, 80 is right.
        final PduReader aligned = PduReader.forController(arena, MAX_DATA);
        aligned.negotiated(false, false, 3, MAX_DATA, MAX_DATA);
        final byte[] plain = capsule(false, 512);
        assertEquals(CommonHeaderDescriptor.PDO_OFFSET, malformed(aligned, plain).fieldOffset());
    }

    @Test
    void shouldRejectHeaderDigestMismatch()
    {
        final byte[] bytes = capsule(true, 0);
        bytes[CommonHeaderDescriptor.CAPSULE_CMD_HLEN] ^= 1;
        final PduException e = malformed(controllerReader(true), bytes);
        assertEquals(TermStatus.HEADER_DIGEST_ERROR, e.status());
        assertEquals(CommonHeaderDescriptor.CAPSULE_CMD_HLEN, e.fieldOffset());
    }

    @Test
    void shouldReportDataDigestMismatchWithoutThrowing() throws Exception
    {
        final byte[] bytes = capsule(true, 256);
        bytes[bytes.length - 10] ^= 0x40;
        final PduReader reader = controllerReader(true);
        assertTrue(reader.read(PduBytes.channel(bytes)));
        assertFalse(reader.dataDigestOk());
    }

    @Test
    void shouldRejectDatalThatDisagreesWithPlen()
    {
        final PduWriter writer = hostWriter(false);
        final byte[] h2c = new PduBytes().add(writer, writer.h2cData(1, 1, 0, 1024, true), pattern(1024)).bytes();
        Wire.put32(MemorySegment.ofArray(h2c), DataPduDescriptor.LENGTH_OFFSET, 2048);
        final PduException e = malformed(controllerReader(false), h2c);
        assertEquals(DataPduDescriptor.LENGTH_OFFSET, e.fieldOffset());
    }

    @Test
    void shouldRejectUnsupportedIcParameters()
    {
        final PduWriter writer = new PduWriter(arena);
        final byte[] icReq = new PduBytes().add(writer, writer.icReq(0, false, false, 0)).bytes();
        Wire.put16(MemorySegment.ofArray(icReq), IcDescriptor.PFV_OFFSET, 1);
        PduException e = malformed(PduReader.forController(arena, MAX_DATA), icReq);
        assertEquals(TermStatus.UNSUPPORTED_PARAMETER, e.status());
        assertEquals(IcDescriptor.PFV_OFFSET, e.fieldOffset());

        final byte[] icResp = new PduBytes().add(writer, writer.icResp(0, false, false, 1000)).bytes();
        e = malformed(PduReader.forHost(arena, MAX_DATA), icResp);
        assertEquals(IcDescriptor.MAX_OFFSET, e.fieldOffset());

        final byte[] badPlen = new PduBytes().add(writer, writer.icReq(0, false, false, 0)).bytes();
        Wire.put32(MemorySegment.ofArray(badPlen), CommonHeaderDescriptor.PLEN_OFFSET, 256);
        assertEquals(CommonHeaderDescriptor.PLEN_OFFSET, malformed(PduReader.forController(arena, MAX_DATA), badPlen).fieldOffset());
    }

    @Test
    void shouldRejectTermReqLongerThanTheBindingAllows()
    {
        final PduWriter writer = hostWriter(false);
        final byte[] term = new PduBytes()
            .add(writer, writer.termReq(CommonHeaderDescriptor.TYPE_C2H_TERM_REQ, TermStatus.PDU_SEQUENCE_ERROR, 0, arena.allocate(0)))
            .bytes();
        Wire.put32(MemorySegment.ofArray(term), CommonHeaderDescriptor.PLEN_OFFSET, 153);
        assertEquals(CommonHeaderDescriptor.PLEN_OFFSET, malformed(hostReader(false), term).fieldOffset());
    }

    @Test
    void shouldFailOnTruncatedPdu()
    {
        final byte[] bytes = capsule(false, 512);
        final byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);
        assertThrows(EOFException.class, () -> controllerReader(false).read(PduBytes.channel(truncated)));
    }
}
