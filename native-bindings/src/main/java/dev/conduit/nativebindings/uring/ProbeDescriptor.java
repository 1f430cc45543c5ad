package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_probe} (16 bytes) followed by {@code ops_len} entries of
 * {@code struct io_uring_probe_op} (8 bytes each), filled by IORING_REGISTER_PROBE.
 *
 * <pre>
 *   io_uring_probe                          io_uring_probe_op (ops[i] at 16 + 8 * i)
 *   0       1       2       4          16   0    1    2         4         8
 *   +-------+-------+-------+----------+    +----+----+---------+---------+
 *   |last_op|ops_len| resv  | resv2[3] |    | op |resv|  flags  |  resv2  |
 *   +-------+-------+-------+----------+    +----+----+---------+---------+
 * </pre>
 *
 * <p>The kernel rejects a probe buffer that is not zeroed (EINVAL).
 */
public final class ProbeDescriptor
{
    /** The header layout. */
    public static final StructLayout HEADER_LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("last_op"),
        JAVA_BYTE.withName("ops_len"),
        JAVA_SHORT.withName("resv"),
        MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv2"));

    /** One {@code ops[]} entry. */
    public static final StructLayout OP_LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("op"),
        JAVA_BYTE.withName("resv"),
        JAVA_SHORT.withName("flags"),
        JAVA_INT.withName("resv2"));

    /** Bytes in the header (16). */
    public static final long HEADER_LENGTH = HEADER_LAYOUT.byteSize();
    /** Bytes per {@code ops[]} entry (8). */
    public static final long OP_LENGTH = OP_LAYOUT.byteSize();
    /** Entries to allocate: opcodes are a u8, so 256 covers every kernel. */
    public static final int MAX_OPS = 256;
    /** Bytes to allocate for a probe with {@link #MAX_OPS} entries. */
    public static final long LENGTH = HEADER_LENGTH + MAX_OPS * OP_LENGTH;

    /** {@code ops[i].flags} bit: the opcode is supported. */
    public static final int IO_URING_OP_SUPPORTED = 1;

    private static final long LAST_OP_OFFSET = HEADER_LAYOUT.byteOffset(groupElement("last_op"));
    private static final long OPS_LEN_OFFSET = HEADER_LAYOUT.byteOffset(groupElement("ops_len"));
    private static final long OP_OP_OFFSET = OP_LAYOUT.byteOffset(groupElement("op"));
    private static final long OP_FLAGS_OFFSET = OP_LAYOUT.byteOffset(groupElement("flags"));

    private ProbeDescriptor()
    {
    }

    /**
     * @param probe a filled probe.
     * @return the highest opcode the kernel knows.
     */
    public static int lastOp(final MemorySegment probe)
    {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, LAST_OP_OFFSET));
    }

    /**
     * @param probe a filled probe.
     * @return how many {@code ops[]} entries the kernel filled.
     */
    public static int opsLength(final MemorySegment probe)
    {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, OPS_LEN_OFFSET));
    }

    /**
     * @param probe a filled probe.
     * @param index entry index, below {@link #opsLength}.
     * @return the opcode described by entry {@code index}.
     */
    public static int opcode(final MemorySegment probe, final int index)
    {
        return Byte.toUnsignedInt(probe.get(JAVA_BYTE, HEADER_LENGTH + index * OP_LENGTH + OP_OP_OFFSET));
    }

    /**
     * @param probe a filled probe.
     * @param index entry index, below {@link #opsLength}.
     * @return whether entry {@code index} carries {@link #IO_URING_OP_SUPPORTED}.
     */
    public static boolean isSupported(final MemorySegment probe, final int index)
    {
        final int flags = Short.toUnsignedInt(probe.get(JAVA_SHORT, HEADER_LENGTH + index * OP_LENGTH + OP_FLAGS_OFFSET));
        return (flags & IO_URING_OP_SUPPORTED) != 0;
    }
}
