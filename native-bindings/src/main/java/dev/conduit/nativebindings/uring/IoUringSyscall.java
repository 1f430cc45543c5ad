package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.LibC;

import java.lang.foreign.MemorySegment;

/**
 * The three io_uring system calls, issued through {@link LibC#syscall} because glibc has no
 * wrappers for them. Like {@link LibC}, every method returns the kernel's result or
 * {@code -errno}; nothing here throws for a failed call.
 *
 * <p>Pointer arguments are passed as the segment's address, so they must be native segments that
 * stay alive for the duration of the call.
 *
 * <p>Threading: stateless; safe from any thread (the ring itself is not, see {@link IoUring}).
 */
public final class IoUringSyscall
{
    /** io_uring_setup(2) number; the same on x86_64 and aarch64 (generic syscall table). */
    public static final long SYS_IO_URING_SETUP = 425;
    /** io_uring_enter(2) number. */
    public static final long SYS_IO_URING_ENTER = 426;
    /** io_uring_register(2) number. */
    public static final long SYS_IO_URING_REGISTER = 427;

    /** mmap offset of the SQ ring. */
    public static final long IORING_OFF_SQ_RING = 0L;
    /** mmap offset of the CQ ring (unused with IORING_FEAT_SINGLE_MMAP). */
    public static final long IORING_OFF_CQ_RING = 0x8000000L;
    /** mmap offset of the SQE array. */
    public static final long IORING_OFF_SQES = 0x10000000L;

    /** enter flag: wait for {@code min_complete} completions. */
    public static final int IORING_ENTER_GETEVENTS = 1;
    /** enter flag: wake the SQPOLL thread. */
    public static final int IORING_ENTER_SQ_WAKEUP = 1 << 1;
    /** enter flag: wait for SQ space (SQPOLL). */
    public static final int IORING_ENTER_SQ_WAIT = 1 << 2;

    /** register opcode: pin an iovec array of buffers for *_FIXED ops. */
    public static final int IORING_REGISTER_BUFFERS = 0;
    /** register opcode: release the registered buffers. */
    public static final int IORING_UNREGISTER_BUFFERS = 1;
    /** register opcode: register an int array of fds for IOSQE_FIXED_FILE. */
    public static final int IORING_REGISTER_FILES = 2;
    /** register opcode: release the registered files. */
    public static final int IORING_UNREGISTER_FILES = 3;
    /** register opcode: fill a {@link ProbeDescriptor} with the supported opcodes. */
    public static final int IORING_REGISTER_PROBE = 8;
    /** register opcode: enable a ring created with {@code IORING_SETUP_R_DISABLED}. */
    public static final int IORING_REGISTER_ENABLE_RINGS = 12;

    /** Most entries io_uring_setup accepts without IORING_SETUP_CLAMP. */
    public static final int IORING_MAX_ENTRIES = 32768;

    private IoUringSyscall()
    {
    }

    /**
     * io_uring_setup(2).
     *
     * @param entries requested SQ entries (the kernel rounds up to a power of two).
     * @param params  a zeroed-or-configured {@link IoUringParamsDescriptor} struct; filled on return.
     * @return the ring fd, or {@code -errno}.
     */
    public static int setup(final int entries, final MemorySegment params)
    {
        return (int)LibC.syscall(SYS_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);
    }

    /**
     * io_uring_enter(2) without a signal mask.
     *
     * @param ringFd      the ring.
     * @param toSubmit    SQEs to consume from the SQ tail.
     * @param minComplete completions to wait for (with {@link #IORING_ENTER_GETEVENTS}).
     * @param flags       {@code IORING_ENTER_*}.
     * @return SQEs consumed, or {@code -errno} (EINTR, EAGAIN, EBUSY are transient).
     */
    public static int enter(final int ringFd, final int toSubmit, final int minComplete, final int flags)
    {
        return (int)LibC.syscall(SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, 0, 0);
    }

    /**
     * {@link #enter}, capturing errno only when the call fails: a ring's owner enters once or twice
     * per batch, and the capture allocates now and then (escape analysis does not always remove
     * the JDK's slice of the capture segment), which showed as the GET data path's only steady
     * garbage. A failed call is made again, once more without and then through {@link #enter} to
     * learn errno. That is safe because io_uring_enter fails only when it consumed no SQE (one that
     * submitted some returns the count, even if its wait then fails), so a later call submits what
     * the first would have; after an EINTR it waits again, which is what callers that retry EINTR
     * do anyway, so only they may use it.
     *
     * @param ringFd      the ring.
     * @param toSubmit    SQEs to consume from the SQ tail.
     * @param minComplete completions to wait for (with {@link #IORING_ENTER_GETEVENTS}).
     * @param flags       {@code IORING_ENTER_*}.
     * @return SQEs consumed, or {@code -errno} from the capturing call.
     */
    public static int enterCapturingOnlyFailures(final int ringFd, final int toSubmit, final int minComplete,
        final int flags)
    {
        final long first = LibC.syscallWithoutErrno(SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, 0, 0);
        if (first >= 0)
        {
            return (int)first;
        }
        // A healthy ring fails only when a signal interrupts its wait (a profiler's, JFR's), and
        // seldom twice in a row: once more uncaptured keeps that path free of garbage too.
        final long second = LibC.syscallWithoutErrno(SYS_IO_URING_ENTER, ringFd, toSubmit, minComplete, flags, 0, 0);
        return second >= 0 ? (int)second : enter(ringFd, toSubmit, minComplete, flags);
    }

    /**
     * io_uring_register(2).
     *
     * @param ringFd the ring.
     * @param opcode {@code IORING_REGISTER_*} / {@code IORING_UNREGISTER_*}.
     * @param arg    the opcode's argument array, or {@link MemorySegment#NULL}.
     * @param nrArgs entries in {@code arg}.
     * @return the opcode's non-negative result, or {@code -errno}.
     */
    public static int register(final int ringFd, final int opcode, final MemorySegment arg, final int nrArgs)
    {
        return (int)LibC.syscall(SYS_IO_URING_REGISTER, ringFd, opcode, arg.address(), nrArgs, 0, 0);
    }
}
