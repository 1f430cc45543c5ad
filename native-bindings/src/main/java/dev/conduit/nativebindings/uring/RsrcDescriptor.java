package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The resource-table arguments of io_uring_register (kernel 5.13+; sparse tables 5.19+): a table
 * registered with {@code IORING_REGISTER_BUFFERS2}/{@code IORING_REGISTER_FILES2}, possibly sparse
 * (all slots empty), and updated slot by slot with {@code IORING_REGISTER_BUFFERS_UPDATE}/
 * {@code IORING_REGISTER_FILES_UPDATE2} while I/O is in flight (requests in flight keep the old
 * entry alive until they complete). Both structs are 32 bytes and are passed with
 * {@code nr_args = 32}.
 *
 * <pre>
 *  struct io_uring_rsrc_register          struct io_uring_rsrc_update2
 *   0  nr     u32                          0  offset u32
 *   4  flags  u32 (RSRC_REGISTER_SPARSE)   4  resv   u32
 *   8  resv2  u64                          8  data   u64 (iovec[] or int[] of fds)
 *  16  data   u64                         16  tags   u64
 *  24  tags   u64                         24  nr     u32
 *  32                                     28  resv2  u32
 * </pre>
 */
public final class RsrcDescriptor
{
    /** Size of both structs, and the {@code nr_args} the kernel expects with them. */
    public static final int LENGTH = 32;
    /** register opcode: register a file table described by a {@code io_uring_rsrc_register}. */
    public static final int IORING_REGISTER_FILES2 = 13;
    /** register opcode: update file-table slots ({@code io_uring_rsrc_update2}; fd -1 empties a slot). */
    public static final int IORING_REGISTER_FILES_UPDATE2 = 14;
    /** register opcode: register a buffer table described by a {@code io_uring_rsrc_register}. */
    public static final int IORING_REGISTER_BUFFERS2 = 15;
    /** register opcode: update buffer-table slots ({@code io_uring_rsrc_update2}; a zero iovec empties a slot). */
    public static final int IORING_REGISTER_BUFFERS_UPDATE = 16;
    /** {@code io_uring_rsrc_register.flags}: register {@code nr} empty slots. */
    public static final int IORING_RSRC_REGISTER_SPARSE = 1;

    private RsrcDescriptor()
    {
    }

    /**
     * Fills a zeroed {@code io_uring_rsrc_register} for a sparse table.
     *
     * @param struct {@link #LENGTH} zeroed bytes.
     * @param slots  table size.
     */
    public static void sparse(final MemorySegment struct, final int slots)
    {
        struct.set(JAVA_INT, 0, slots);
        struct.set(JAVA_INT, 4, IORING_RSRC_REGISTER_SPARSE);
    }

    /**
     * Fills a zeroed {@code io_uring_rsrc_update2}.
     *
     * @param struct {@link #LENGTH} zeroed bytes.
     * @param offset first slot to update.
     * @param data   the new entries (iovec array or int array of fds).
     * @param count  entries.
     */
    public static void update(final MemorySegment struct, final int offset, final MemorySegment data, final int count)
    {
        struct.set(JAVA_INT, 0, offset);
        struct.set(JAVA_LONG, 8, data.address());
        struct.set(JAVA_INT, 24, count);
    }
}
