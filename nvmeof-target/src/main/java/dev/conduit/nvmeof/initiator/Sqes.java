package dev.conduit.nvmeof.initiator;

import java.lang.foreign.MemorySegment;

import dev.conduit.nvmeof.command.Opcodes;
import dev.conduit.nvmeof.command.SqeDescriptor;
import dev.conduit.nvmeof.pdu.Wire;

/**
 * Fills 64-byte SQEs for the commands a host sends. The CID and the data descriptor (SGL1) are set by
 * {@link HostQueue#submit} when it sends the command, so these set only the command's own fields.
 */
public final class Sqes
{
    private Sqes()
    {
    }

    private static MemorySegment begin(final MemorySegment sqe, final int opcode, final long nsid)
    {
        sqe.asSlice(0, SqeDescriptor.LENGTH).fill((byte)0);
        Wire.put8(sqe, SqeDescriptor.OPCODE_OFFSET, opcode);
        Wire.put32(sqe, SqeDescriptor.NSID_OFFSET, (int)nsid);
        return sqe;
    }

    /** Identify: {@code cns} in CDW10, {@code csi} in CDW11 bits 31:24. */
    public static MemorySegment identify(final MemorySegment sqe, final int cns, final long nsid, final int csi)
    {
        begin(sqe, Opcodes.ADMIN_IDENTIFY, nsid);
        Wire.put32(sqe, SqeDescriptor.CDW10_OFFSET, cns);
        Wire.put32(sqe, SqeDescriptor.CDW11_OFFSET, csi << 24);
        return sqe;
    }

    /** Get Log Page of {@code lengthBytes} (a multiple of 4) from {@code offsetBytes}. */
    public static MemorySegment getLogPage(final MemorySegment sqe, final int lid, final long nsid, final long offsetBytes, final int lengthBytes)
    {
        begin(sqe, Opcodes.ADMIN_GET_LOG_PAGE, nsid);
        final int dwords = lengthBytes / 4 - 1;
        Wire.put32(sqe, SqeDescriptor.CDW10_OFFSET, lid | (dwords & 0xFFFF) << 16);
        Wire.put32(sqe, SqeDescriptor.CDW11_OFFSET, dwords >>> 16);
        Wire.put64(sqe, SqeDescriptor.CDW12_OFFSET, offsetBytes);
        return sqe;
    }

    /** Set Features {@code fid} with CDW11 = {@code value}. */
    public static MemorySegment setFeatures(final MemorySegment sqe, final int fid, final int value)
    {
        begin(sqe, Opcodes.ADMIN_SET_FEATURES, 0);
        Wire.put32(sqe, SqeDescriptor.CDW10_OFFSET, fid);
        Wire.put32(sqe, SqeDescriptor.CDW11_OFFSET, value);
        return sqe;
    }

    /** Get Features {@code fid}. */
    public static MemorySegment getFeatures(final MemorySegment sqe, final int fid)
    {
        begin(sqe, Opcodes.ADMIN_GET_FEATURES, 0);
        Wire.put32(sqe, SqeDescriptor.CDW10_OFFSET, fid);
        return sqe;
    }

    /** Any command with just an opcode and NSID (Keep Alive, Asynchronous Event Request, Flush, or an unknown one). */
    public static MemorySegment plain(final MemorySegment sqe, final int opcode, final long nsid)
    {
        return begin(sqe, opcode, nsid);
    }

    /** Read or Write (or Write Zeroes) of {@code blocks} logical blocks at {@code slba}. */
    public static MemorySegment readWrite(final MemorySegment sqe, final int opcode, final long nsid, final long slba, final int blocks)
    {
        begin(sqe, opcode, nsid);
        Wire.put64(sqe, SqeDescriptor.CDW10_OFFSET, slba);
        Wire.put32(sqe, SqeDescriptor.CDW12_OFFSET, (blocks - 1) & 0xFFFF);
        return sqe;
    }

    /** Dataset Management over {@code ranges} ranges (16 bytes each, sent as data), deallocate set. */
    public static MemorySegment deallocate(final MemorySegment sqe, final long nsid, final int ranges)
    {
        begin(sqe, Opcodes.IO_DATASET_MANAGEMENT, nsid);
        Wire.put32(sqe, SqeDescriptor.CDW10_OFFSET, ranges - 1);
        Wire.put32(sqe, SqeDescriptor.CDW11_OFFSET, 1 << 2);
        return sqe;
    }

    /** Property Get of {@code offset} ({@code eightBytes} for CAP). */
    public static MemorySegment propertyGet(final MemorySegment sqe, final int offset, final boolean eightBytes)
    {
        fabrics(sqe, Opcodes.FCTYPE_PROPERTY_GET);
        Wire.put8(sqe, SqeDescriptor.PROPERTY_ATTRIB_OFFSET, eightBytes ? 1 : 0);
        Wire.put32(sqe, SqeDescriptor.PROPERTY_OFFSET_OFFSET, offset);
        return sqe;
    }

    /** Property Set of a 4-byte property. */
    public static MemorySegment propertySet(final MemorySegment sqe, final int offset, final int value)
    {
        fabrics(sqe, Opcodes.FCTYPE_PROPERTY_SET);
        Wire.put32(sqe, SqeDescriptor.PROPERTY_OFFSET_OFFSET, offset);
        Wire.put64(sqe, SqeDescriptor.PROPERTY_VALUE_OFFSET, value & 0xFFFF_FFFFL);
        return sqe;
    }

    /** A fabrics command of type {@code fctype}. */
    public static MemorySegment fabrics(final MemorySegment sqe, final int fctype)
    {
        begin(sqe, Opcodes.FABRICS, 0);
        Wire.put8(sqe, SqeDescriptor.FCTYPE_OFFSET, fctype);
        return sqe;
    }
}
