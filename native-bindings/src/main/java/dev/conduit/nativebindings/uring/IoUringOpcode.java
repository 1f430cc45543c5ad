package dev.conduit.nativebindings.uring;

/**
 * io_uring opcodes ({@code enum io_uring_op}) and their names, for the ones {@link IoUring} issues
 * and for reporting what a kernel supports. Values never change once a kernel ships them.
 */
public final class IoUringOpcode
{
    /** Does nothing; completes with result 0. */
    public static final int NOP = 0;
    /** preadv2(2). */
    public static final int READV = 1;
    /** pwritev2(2). */
    public static final int WRITEV = 2;
    /** fsync(2) / fdatasync(2). */
    public static final int FSYNC = 3;
    /** Read into a registered buffer. */
    public static final int READ_FIXED = 4;
    /** Write from a registered buffer. */
    public static final int WRITE_FIXED = 5;
    /** pread(2). */
    public static final int READ = 22;
    /** pwrite(2). */
    public static final int WRITE = 23;

    // Index = opcode. Names after SENDMSG_ZC come from later kernels' uapi header; anything newer
    // than this table is reported as OP_<n> rather than guessed.
    private static final String[] NAMES =
    {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
        "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ", "WRITE",
        "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE", "PROVIDE_BUFFERS",
        "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT", "SYMLINKAT", "LINKAT",
        "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC",
        "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV",
        "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT", "READV_FIXED",
        "WRITEV_FIXED", "PIPE",
    };

    private IoUringOpcode()
    {
    }

    /**
     * @param opcode an io_uring opcode.
     * @return its name without the {@code IORING_OP_} prefix, e.g. {@code "READ"}, or
     *         {@code "OP_<n>"} for an opcode this table does not know.
     */
    public static String name(final int opcode)
    {
        return opcode >= 0 && opcode < NAMES.length ? NAMES[opcode] : "OP_" + opcode;
    }
}
