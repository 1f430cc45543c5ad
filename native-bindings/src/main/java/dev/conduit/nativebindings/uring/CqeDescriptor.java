package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_cqe}: one completion queue entry, 16 bytes.
 *
 * <pre>
 *   0                                                       8
 *   +-------------------------------------------------------+
 *   |                  user_data (u64)                      |
 *   +---------------------------+---------------------------+
 *   8 |        res (s32)          |       flags (u32)         |
 *   +---------------------------+---------------------------+
 *  16
 * </pre>
 *
 * <p>{@code res} is the operation's result (bytes transferred, 0) or {@code -errno}.
 */
public final class CqeDescriptor
{
    /** The struct layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("user_data"),
        JAVA_INT.withName("res"),
        JAVA_INT.withName("flags"));

    /** Bytes per CQE (16; Conduit never sets IORING_SETUP_CQE32). */
    public static final long LENGTH = LAYOUT.byteSize();

    /** Offset of {@code user_data}. */
    public static final long USER_DATA_OFFSET = LAYOUT.byteOffset(groupElement("user_data"));
    /** Offset of {@code res}. */
    public static final long RES_OFFSET = LAYOUT.byteOffset(groupElement("res"));
    /** Offset of {@code flags}. */
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("flags"));

    /** CQE flag: the upper 16 bits of {@code flags} carry a selected buffer id. */
    public static final int IORING_CQE_F_BUFFER = 1;
    /** CQE flag: more CQEs will follow for this request (multishot). */
    public static final int IORING_CQE_F_MORE = 1 << 1;

    private CqeDescriptor()
    {
    }
}
