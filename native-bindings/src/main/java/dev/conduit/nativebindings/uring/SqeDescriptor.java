package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe}: one submission queue entry, 64 bytes. Only the fields Conduit's
 * opcodes use are named; the unions are flattened to the member those opcodes need.
 *
 * <pre>
 *   0      1      2             4                           8
 *   +------+------+-------------+---------------------------+
 *   |opcode|flags |   ioprio    |            fd             |
 *   +------+------+-------------+---------------------------+
 *   8  off (file offset)                                 u64
 *  16  addr (buffer or iovec array)                      u64
 *   +---------------------------+---------------------------+
 *  24  |            len            | op_flags (rw/fsync flags) |
 *   +---------------------------+---------------------------+
 *  32  user_data                                         u64
 *   +-------------+-------------+---------------------------+
 *  40  |  buf_index  | personality |  file_index/splice_fd_in  |
 *   +-------------+-------------+---------------------------+
 *  48  addr3                                             u64
 *  56  pad                                               u64
 *  64
 * </pre>
 */
public final class SqeDescriptor
{
    /** The struct layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("opcode"),
        JAVA_BYTE.withName("flags"),
        JAVA_SHORT.withName("ioprio"),
        JAVA_INT.withName("fd"),
        JAVA_LONG.withName("off"),
        JAVA_LONG.withName("addr"),
        JAVA_INT.withName("len"),
        JAVA_INT.withName("op_flags"),
        JAVA_LONG.withName("user_data"),
        JAVA_SHORT.withName("buf_index"),
        JAVA_SHORT.withName("personality"),
        JAVA_INT.withName("file_index"),
        JAVA_LONG.withName("addr3"),
        JAVA_LONG.withName("pad"));

    /** Bytes per SQE (64; Conduit never sets IORING_SETUP_SQE128). */
    public static final long LENGTH = LAYOUT.byteSize();

    /** Offset of {@code opcode} (u8). */
    public static final long OPCODE_OFFSET = LAYOUT.byteOffset(groupElement("opcode"));
    /** Offset of {@code flags} (u8, {@code IOSQE_*}). */
    public static final long FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("flags"));
    /** Offset of {@code ioprio} (u16). */
    public static final long IOPRIO_OFFSET = LAYOUT.byteOffset(groupElement("ioprio"));
    /** Offset of {@code fd} (s32; an index into the registered files with IOSQE_FIXED_FILE). */
    public static final long FD_OFFSET = LAYOUT.byteOffset(groupElement("fd"));
    /** Offset of {@code off} (u64 file offset). */
    public static final long OFF_OFFSET = LAYOUT.byteOffset(groupElement("off"));
    /** Offset of {@code addr} (u64 buffer or iovec array address). */
    public static final long ADDR_OFFSET = LAYOUT.byteOffset(groupElement("addr"));
    /** Offset of {@code len} (u32 bytes, or iovec count for vectored ops). */
    public static final long LEN_OFFSET = LAYOUT.byteOffset(groupElement("len"));
    /** Offset of the per-opcode flags union ({@code rw_flags}, {@code fsync_flags}, ...). */
    public static final long OP_FLAGS_OFFSET = LAYOUT.byteOffset(groupElement("op_flags"));
    /** Offset of {@code user_data} (u64, echoed in the CQE). */
    public static final long USER_DATA_OFFSET = LAYOUT.byteOffset(groupElement("user_data"));
    /** Offset of {@code buf_index} (u16, registered buffer for *_FIXED ops). */
    public static final long BUF_INDEX_OFFSET = LAYOUT.byteOffset(groupElement("buf_index"));
    /** Offset of {@code personality} (u16). */
    public static final long PERSONALITY_OFFSET = LAYOUT.byteOffset(groupElement("personality"));
    /** Offset of {@code file_index} / {@code splice_fd_in} (u32). */
    public static final long FILE_INDEX_OFFSET = LAYOUT.byteOffset(groupElement("file_index"));
    /** Offset of {@code addr3} (u64). */
    public static final long ADDR3_OFFSET = LAYOUT.byteOffset(groupElement("addr3"));
    /** Offset of the trailing pad (u64). */
    public static final long PAD_OFFSET = LAYOUT.byteOffset(groupElement("pad"));

    /** SQE flag: {@code fd} is an index into the files registered with the ring. */
    public static final int IOSQE_FIXED_FILE = 1;
    /** SQE flag: start only after every earlier request has completed. */
    public static final int IOSQE_IO_DRAIN = 1 << 1;
    /** SQE flag: the next SQE starts only after this one succeeds. */
    public static final int IOSQE_IO_LINK = 1 << 2;
    /** SQE flag: like IO_LINK, but the chain continues even if this one fails. */
    public static final int IOSQE_IO_HARDLINK = 1 << 3;
    /** SQE flag: always punt to the async worker pool. */
    public static final int IOSQE_ASYNC = 1 << 4;
    /** SQE flag: pick a buffer from a provided-buffer group (not supported by {@link IoUring}). */
    public static final int IOSQE_BUFFER_SELECT = 1 << 5;
    /** SQE flag: post no CQE on success (not supported by {@link IoUring}: it breaks in-flight accounting). */
    public static final int IOSQE_CQE_SKIP_SUCCESS = 1 << 6;

    /** {@code fsync_flags}: fdatasync(2) semantics instead of fsync(2). */
    public static final int IORING_FSYNC_DATASYNC = 1;

    private SqeDescriptor()
    {
    }
}
