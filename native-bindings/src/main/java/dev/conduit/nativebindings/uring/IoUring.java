package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One io_uring instance driven through raw syscalls and its mmapped rings (no liburing).
 *
 * <p>Why it is long (~750 lines): it is already split along its seams. The mmapped areas are
 * {@code RingMapping}, SQE preparation is {@code SubmissionQueue}, reaping is {@code CompletionQueue},
 * {@code io_uring_enter} is {@code RingSubmitter} and registration is {@code RingRegistry}; this class
 * is the public facade over them, and its length is one documented method per operation (each a
 * few lines: the open and owner-thread checks, the in-flight bound, then a delegation) plus the
 * close sequence. Splitting the facade would split the single-owner, bounded-in-flight contract
 * that every one of those methods enforces.
 *
 * <pre>{@code
 * try (IoUring ring = IoUring.create(64))
 * {
 *     while (moreWork() && ring.tryPrepRead(fd, buffer(i), offset(i), IoUring.NO_SQE_FLAGS, i))
 *     {
 *         i++;                           // prepared in place in the next SQE, nothing allocated
 *     }
 *     ring.submitAndWait(1);             // one io_uring_enter for the whole batch
 *     ring.reap(handler);                // handler.onComplete(userData, bytesOrMinusErrno, flags)
 * }
 * }</pre>
 *
 * <p>Backpressure: a request is <em>in flight</em> from the {@code tryPrep...} call that prepares it
 * until {@link #reap} delivers its completion. A ring created with {@code entries = N} never holds
 * more than N in flight: when N are in flight every {@code tryPrep...} returns {@code false} and
 * writes nothing; reap completions and try again. Because the SQ has at least N slots and the CQ
 * twice the SQ, this bound also means an SQE is never overwritten before the kernel consumed it
 * and the CQ cannot overflow. The kernel's overflow flag and counter are still exposed
 * ({@link #isCqOverflowPending()}, {@link #cqOverflowCount()}) and a pending overflow backlog is
 * flushed on the next submit or reap.
 *
 * <p>Completions: every prepared request yields exactly one CQE (no multishot opcodes, and
 * IOSQE_CQE_SKIP_SUCCESS is refused). Results are bytes or 0 on success and {@code -errno} on
 * failure; {@link CompletionResult} names them and turns them into {@link NativeException}s. A
 * failing request fails alone: the others in its batch complete normally.
 *
 * <p>Buffers: the caller owns every buffer and iovec array passed to a {@code tryPrep...} call until
 * that request's completion has been reaped; they must be native segments. For O_DIRECT they must
 * be aligned as the device requires (4 KiB in Conduit), otherwise the request completes with
 * {@code -EINVAL}.
 *
 * <p>Threading: a ring has a single owner thread. The first thread that prepares, submits, reaps,
 * registers or probes becomes the owner, and all of those calls must come from it (asserted when
 * assertions are enabled); other threads reach a ring through a proxy that queues commands to the
 * owner. Creation may happen on another thread. {@link #close()} must be called by the owner or
 * after the owner has stopped using the ring (for example after joining it).
 *
 * <p>Resources: the ring fd, three mmapped areas (SQ ring, CQ ring, SQEs) and any registered
 * buffers and files. {@link #close()} waits for submitted requests to complete (discarding their
 * completions; prepared but unsubmitted requests are dropped), unregisters buffers and files,
 * unmaps the rings and closes the fd. Closing twice is harmless; any other use after close throws
 * a {@link ConduitException} with code {@link ErrorCode#IO_URING_CLOSED}.
 */
public final class IoUring implements AutoCloseable
{
    /** SQE flags value for an ordinary request. */
    public static final int NO_SQE_FLAGS = 0;

    /** SQE flags a {@code tryPrep...} call accepts: ones that keep one CQE per request. */
    public static final int SUPPORTED_SQE_FLAGS = SqeDescriptor.IOSQE_FIXED_FILE | SqeDescriptor.IOSQE_IO_DRAIN
        | SqeDescriptor.IOSQE_IO_LINK | SqeDescriptor.IOSQE_IO_HARDLINK | SqeDescriptor.IOSQE_ASYNC;

    /** Setup flags of {@link #createCooperative} on kernels from 5.19 that lack {@link #DEFERRED_FLAGS}. */
    public static final int COOPERATIVE_FLAGS =
        IoUringParamsDescriptor.IORING_SETUP_COOP_TASKRUN | IoUringParamsDescriptor.IORING_SETUP_TASKRUN_FLAG;
    /**
     * Setup flags of {@link #createCooperative} from Linux 6.1: completion work runs only inside the
     * owner's own {@code io_uring_enter}, and the ring starts disabled so that the owner's first call
     * (not the creating thread) makes it the single issuer.
     */
    public static final int DEFERRED_FLAGS = COOPERATIVE_FLAGS | IoUringParamsDescriptor.IORING_SETUP_SINGLE_ISSUER
        | IoUringParamsDescriptor.IORING_SETUP_DEFER_TASKRUN | IoUringParamsDescriptor.IORING_SETUP_R_DISABLED;

    private static final CompletionHandler DISCARD = (userData, result, flags) -> { };

    private final int ringFd;
    private final int capacity;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final RingMapping mapping;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final RingSubmitter submitter;
    private final RingRegistry registry;
    private int inFlight;
    private boolean closed;
    private Thread ownerThread;
    private boolean awaitingEnable;

    private IoUring(final int ringFd, final int capacity, final int setupFlags, final MemorySegment params,
        final RingMapping mapping)
    {
        this.ringFd = ringFd;
        this.capacity = capacity;
        this.setupFlags = setupFlags;
        this.awaitingEnable = (setupFlags & IoUringParamsDescriptor.IORING_SETUP_R_DISABLED) != 0;
        this.features = IoUringParamsDescriptor.features(params);
        this.sqEntries = IoUringParamsDescriptor.sqEntries(params);
        this.cqEntries = IoUringParamsDescriptor.cqEntries(params);
        this.mapping = mapping;
        this.sq = new SubmissionQueue(mapping.sqRing(), mapping.sqes(), params);
        this.cq = new CompletionQueue(mapping.cqRing(), params);
        this.submitter = new RingSubmitter(
            ringFd, sq, cq, (setupFlags & IoUringParamsDescriptor.IORING_SETUP_SQPOLL) != 0);
        this.registry = new RingRegistry(ringFd);
    }

    /**
     * Creates a ring with default setup flags.
     *
     * @param entries the most requests in flight at once (1 to 32768).
     * @return the ring.
     * @throws NativeException when io_uring_setup or mmap fails (ENOSYS, EPERM, ENOMEM, ...).
     */
    public static IoUring create(final int entries)
    {
        return create(entries, 0, 0);
    }

    /**
     * Creates a ring whose completions are not pushed at its owner with an interrupt. With
     * {@link #DEFERRED_FLAGS} (Linux 6.1+) the completion work of a finished request waits, batched,
     * until the owner next enters the kernel asking for events; with {@link #COOPERATIVE_FLAGS}
     * (5.19+) until any kernel entry of the owner. Either way the kernel flags waiting work in the SQ
     * ring ({@code IORING_SQ_TASKRUN}), which {@link #reap} honours by entering, so a thread that
     * submits and reaps in a loop takes no inter-processor interrupt per completion. Each step down
     * is taken when the kernel refuses the flags ({@code EINVAL}); the last is a plain ring.
     *
     * <p>A deferred ring must only ever be entered by its owner (the kernel answers {@code EEXIST}
     * to any other thread), which is this class's contract anyway.
     *
     * @param entries the most requests in flight at once (1 to 32768).
     * @return the ring; {@link #setupFlags()} says which kind it is.
     * @throws NativeException when io_uring_setup or mmap fails for another reason.
     */
    public static IoUring createCooperative(final int entries)
    {
        final int[] choices = {DEFERRED_FLAGS, COOPERATIVE_FLAGS, 0};
        for (int i = 0; ; i++)
        {
            try
            {
                return create(entries, choices[i], 0);
            }
            catch (final NativeException e)
            {
                if (e.nativeCode() != Errno.EINVAL || i == choices.length - 1)
                {
                    throw e;
                }
            }
        }
    }

    /**
     * Creates a ring.
     *
     * @param entries    the most requests in flight at once (1 to 32768).
     * @param setupFlags {@code IoUringParamsDescriptor.IORING_SETUP_*} bits.
     * @return the ring.
     * @throws NativeException when io_uring_setup or mmap fails.
     */
    public static IoUring create(final int entries, final int setupFlags)
    {
        return create(entries, setupFlags, 0);
    }

    /**
     * Creates a ring; with {@code IORING_SETUP_SQPOLL} a kernel thread polls the SQ so submission
     * needs no syscall while it is awake. SQPOLL may need privileges on older kernels, see
     * {@link IoUringSupport#probe()}.
     *
     * @param entries        the most requests in flight at once (1 to 32768); the kernel sizes the
     *                       SQ to the next power of two and the CQ to twice that.
     * @param setupFlags     {@code IoUringParamsDescriptor.IORING_SETUP_*} bits.
     * @param sqThreadIdleMs how long the SQPOLL thread spins before sleeping (0: kernel default).
     * @return the ring.
     * @throws NativeException when io_uring_setup or mmap fails.
     */
    public static IoUring create(final int entries, final int setupFlags, final int sqThreadIdleMs)
    {
        if (entries < 1 || entries > IoUringSyscall.IORING_MAX_ENTRIES)
        {
            throw new IllegalArgumentException(
                "entries must be between 1 and " + IoUringSyscall.IORING_MAX_ENTRIES + ": " + entries);
        }
        if (sqThreadIdleMs < 0)
        {
            throw new IllegalArgumentException("sqThreadIdleMs must not be negative: " + sqThreadIdleMs);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment params = arena.allocate(IoUringParamsDescriptor.LAYOUT);
            params.set(JAVA_INT, IoUringParamsDescriptor.FLAGS_OFFSET, setupFlags);
            params.set(JAVA_INT, IoUringParamsDescriptor.SQ_THREAD_IDLE_OFFSET, sqThreadIdleMs);
            final int ringFd = IoUringSyscall.setup(entries, params);
            if (ringFd < 0)
            {
                throw NativeException.errno(
                    "io_uring_setup(entries=" + entries + ", flags=0x" + Integer.toHexString(setupFlags) + ")", -ringFd);
            }
            try
            {
                return mapAndWrap(ringFd, entries, setupFlags, params);
            }
            catch (final RuntimeException ex)
            {
                final int rc = LibC.close(ringFd);
                if (rc < 0)
                {
                    ex.addSuppressed(NativeException.errno("close(io_uring fd=" + ringFd + ")", -rc));
                }
                throw ex;
            }
        }
    }

    private static IoUring mapAndWrap(final int ringFd, final int entries, final int setupFlags, final MemorySegment params)
    {
        final RingMapping mapping = RingMapping.map(ringFd, params);
        try
        {
            return new IoUring(ringFd, entries, setupFlags, params, mapping);
        }
        catch (final RuntimeException ex)
        {
            closeAfterFailure(mapping, ex);
            throw ex;
        }
    }

    // ---------------------------------------------------------------- prepare (hot path)

    /**
     * Prepares a NOP, which completes with result 0; useful for probing and wake-ups.
     *
     * @param userData echoed in the completion.
     * @return false when the ring is full (capacity requests in flight); nothing was prepared.
     */
    public boolean tryPrepNop(final long userData)
    {
        return prepare(IoUringOpcode.NOP, NO_SQE_FLAGS, -1, 0L, 0L, 0, 0, 0, userData);
    }

    /**
     * Prepares a pread(2) of {@code buffer.byteSize()} bytes.
     *
     * @param fd         file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param buffer     native destination, owned by the caller until the completion is reaped.
     * @param fileOffset byte offset in the file.
     * @param sqeFlags   {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData   echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepRead(
        final int fd, final MemorySegment buffer, final long fileOffset, final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.READ, sqeFlags, fd, fileOffset, RequestArguments.address(buffer), RequestArguments.length(buffer), 0, 0, userData);
    }

    /**
     * Prepares a pwrite(2) of {@code buffer.byteSize()} bytes.
     *
     * @param fd         file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param buffer     native source, owned by the caller until the completion is reaped.
     * @param fileOffset byte offset in the file.
     * @param sqeFlags   {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData   echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepWrite(
        final int fd, final MemorySegment buffer, final long fileOffset, final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.WRITE, sqeFlags, fd, fileOffset, RequestArguments.address(buffer), RequestArguments.length(buffer), 0, 0, userData);
    }

    /**
     * Prepares a preadv(2).
     *
     * @param fd          file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param iovecs      native array of {@code struct iovec} ({@link dev.conduit.nativebindings.IovecDescriptor}); it and the buffers it
     *                    points at are owned by the caller until the completion is reaped.
     * @param iovecCount  entries used.
     * @param fileOffset  byte offset in the file.
     * @param sqeFlags    {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData    echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepReadv(final int fd, final MemorySegment iovecs, final int iovecCount, final long fileOffset,
        final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.READV, sqeFlags, fd, fileOffset, RequestArguments.iovecAddress(iovecs, iovecCount), iovecCount, 0, 0,
            userData);
    }

    /**
     * Prepares a pwritev(2).
     *
     * @param fd          file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param iovecs      native array of {@code struct iovec}; owned by the caller until the completion is reaped.
     * @param iovecCount  entries used.
     * @param fileOffset  byte offset in the file.
     * @param sqeFlags    {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData    echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepWritev(final int fd, final MemorySegment iovecs, final int iovecCount, final long fileOffset,
        final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.WRITEV, sqeFlags, fd, fileOffset, RequestArguments.iovecAddress(iovecs, iovecCount), iovecCount, 0,
            0, userData);
    }

    /**
     * Prepares a read into registered buffer {@code bufferIndex}; the kernel skips pinning pages per I/O.
     *
     * @param fd          file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param buffer      destination: the registered buffer or a slice of it.
     * @param fileOffset  byte offset in the file.
     * @param bufferIndex index in the array given to {@link #registerBuffers}.
     * @param sqeFlags    {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData    echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepReadFixed(final int fd, final MemorySegment buffer, final long fileOffset, final int bufferIndex,
        final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.READ_FIXED, sqeFlags, fd, fileOffset, RequestArguments.address(buffer), RequestArguments.length(buffer), 0,
            RequestArguments.bufferIndex(bufferIndex), userData);
    }

    /**
     * Prepares a write from registered buffer {@code bufferIndex}.
     *
     * @param fd          file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param buffer      source: the registered buffer or a slice of it.
     * @param fileOffset  byte offset in the file.
     * @param bufferIndex index in the array given to {@link #registerBuffers}.
     * @param sqeFlags    {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}.
     * @param userData    echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepWriteFixed(final int fd, final MemorySegment buffer, final long fileOffset,
        final int bufferIndex, final int sqeFlags, final long userData)
    {
        return prepare(IoUringOpcode.WRITE_FIXED, sqeFlags, fd, fileOffset, RequestArguments.address(buffer), RequestArguments.length(buffer), 0,
            RequestArguments.bufferIndex(bufferIndex), userData);
    }

    /**
     * Prepares an fsync(2), or fdatasync(2) when {@code dataSync}.
     *
     * @param fd       file descriptor, or registered file index with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param dataSync flush only data and the metadata needed to read it back.
     * @param sqeFlags {@link #NO_SQE_FLAGS} or bits of {@link #SUPPORTED_SQE_FLAGS}; pass
     *                 {@link SqeDescriptor#IOSQE_IO_DRAIN} or link it to order it after earlier writes.
     * @param userData echoed in the completion.
     * @return false when the ring is full; nothing was prepared.
     */
    public boolean tryPrepFsync(final int fd, final boolean dataSync, final int sqeFlags, final long userData)
    {
        final int fsyncFlags = dataSync ? SqeDescriptor.IORING_FSYNC_DATASYNC : 0;
        return prepare(IoUringOpcode.FSYNC, sqeFlags, fd, 0L, 0L, 0, fsyncFlags, 0, userData);
    }

    private boolean prepare(
        final int opcode,
        final int sqeFlags,
        final int fd,
        final long fileOffset,
        final long address,
        final int length,
        final int opFlags,
        final int bufferIndex,
        final long userData)
    {
        enterAsOwner();
        RequestArguments.sqeFlags(sqeFlags);
        if (inFlight >= capacity)
        {
            return false;
        }
        inFlight++;
        sq.prepare(opcode, sqeFlags, fd, fileOffset, address, length, opFlags, bufferIndex, userData);
        return true;
    }

    // ---------------------------------------------------------------- submit and reap (hot path)

    /**
     * Hands every prepared request to the kernel with one io_uring_enter (none with SQPOLL while
     * its thread is awake). EINTR is retried; on EAGAIN or EBUSY (kernel short of memory, or its
     * overflow backlog full) it returns early and the unsubmitted requests stay queued: reap, then
     * submit again.
     *
     * @return requests the kernel accepted by this call.
     * @throws NativeException for any other io_uring_enter failure.
     */
    public int submit()
    {
        enterAsOwner();
        return submitter.submitAndAwait(0, inFlight);
    }

    /**
     * Submits like {@link #submit()} and then blocks until at least {@code minComplete} completions
     * are ready to reap. The wait is capped at the number in flight, so asking for more than can
     * ever complete does not block forever.
     *
     * @param minComplete completions to wait for (0: do not wait).
     * @return requests the kernel accepted by this call.
     * @throws NativeException for an io_uring_enter failure other than EINTR, EAGAIN, EBUSY.
     */
    public int submitAndWait(final int minComplete)
    {
        enterAsOwner();
        if (minComplete < 0)
        {
            throw new IllegalArgumentException("minComplete must not be negative: " + minComplete);
        }
        return submitter.submitAndAwait(minComplete, inFlight);
    }

    /**
     * Delivers every ready completion to {@code handler} without blocking.
     *
     * @param handler called once per completion, on this thread.
     * @return completions delivered.
     */
    public int reap(final CompletionHandler handler)
    {
        return reap(handler, Integer.MAX_VALUE);
    }

    /**
     * Delivers up to {@code maxCompletions} ready completions to {@code handler} without blocking.
     * If the handler throws, the completions delivered so far (including the one that threw) are
     * consumed and the exception propagates.
     *
     * @param handler        called once per completion, on this thread.
     * @param maxCompletions upper bound for this call.
     * @return completions delivered.
     */
    public int reap(final CompletionHandler handler, final int maxCompletions)
    {
        enterAsOwner();
        submitter.flushCompletionsIfNeeded();
        return reapInto(handler, maxCompletions);
    }

    private int reapInto(final CompletionHandler handler, final int maxCompletions)
    {
        final int consumedBefore = cq.consumed();
        try
        {
            return cq.reap(handler, maxCompletions);
        }
        finally
        {
            inFlight -= cq.consumed() - consumedBefore;
        }
    }

    // ---------------------------------------------------------------- registration (control path)

    /**
     * Registers (pins) buffers for {@link #tryPrepReadFixed}/{@link #tryPrepWriteFixed}; buffer
     * {@code i} gets index {@code i}. The memory must stay allocated until unregistered or closed.
     * Pinned memory counts against RLIMIT_MEMLOCK for unprivileged users.
     *
     * @param buffers native buffers, at most 16384 (each at most 1 GiB).
     * @throws NativeException on failure (EBUSY if buffers are already registered, ENOMEM, EFAULT, ...).
     */
    public void registerBuffers(final MemorySegment... buffers)
    {
        enterAsOwner();
        registry.registerBuffers(buffers);
    }

    /**
     * Releases the registered buffers.
     *
     * @throws NativeException on failure (ENXIO when none are registered).
     */
    public void unregisterBuffers()
    {
        enterAsOwner();
        registry.unregisterBuffers();
    }

    /**
     * Registers files so requests can name them by index with {@link SqeDescriptor#IOSQE_FIXED_FILE},
     * which saves the per-request fd lookup and reference count; {@code fds[i]} gets index {@code i}.
     * The ring holds its own reference, so closing an fd afterwards does not invalidate its index.
     *
     * @param fds open file descriptors.
     * @throws NativeException on failure (EBUSY if files are already registered, EBADF, EMFILE, ...).
     */
    public void registerFiles(final int... fds)
    {
        enterAsOwner();
        registry.registerFiles(fds);
    }

    /**
     * Releases the registered files.
     *
     * @throws NativeException on failure (ENXIO when none are registered).
     */
    public void unregisterFiles()
    {
        enterAsOwner();
        registry.unregisterFiles();
    }

    /**
     * Registers a buffer table of {@code slots} empty slots ({@code IORING_REGISTER_BUFFERS2},
     * sparse; kernel 5.19+), filled later with {@link #updateBuffer} while the ring runs.
     *
     * @param slots table size (at most 16384).
     * @throws NativeException on failure (EBUSY if buffers are already registered, EINVAL on older kernels).
     */
    public void registerSparseBuffers(final int slots)
    {
        enterAsOwner();
        registry.registerSparseBuffers(slots);
    }

    /**
     * Puts a buffer in slot {@code slot} of the table ({@code IORING_REGISTER_BUFFERS_UPDATE}), or empties
     * the slot when {@code buffer} is {@link MemorySegment#NULL}. I/O in flight on the slot's old buffer
     * keeps that buffer pinned until it completes.
     *
     * @param slot   table index, later the {@code buf_index} of {@code READ_FIXED}/{@code WRITE_FIXED}.
     * @param buffer native memory to pin (at most 1 GiB), or {@link MemorySegment#NULL}.
     * @throws NativeException on failure (ENXIO without a table, EINVAL outside it, ENOMEM, EFAULT).
     */
    public void updateBuffer(final int slot, final MemorySegment buffer)
    {
        enterAsOwner();
        registry.updateBuffer(slot, buffer);
    }

    /**
     * Registers a file table of {@code slots} empty slots ({@code IORING_REGISTER_FILES2}, sparse;
     * kernel 5.19+), filled later with {@link #updateFile} while the ring runs.
     *
     * @param slots table size (bounded by RLIMIT_NOFILE).
     * @throws NativeException on failure (EBUSY if files are already registered, EINVAL on older kernels).
     */
    public void registerSparseFiles(final int slots)
    {
        enterAsOwner();
        registry.registerSparseFiles(slots);
    }

    /**
     * Puts {@code fd} in slot {@code slot} of the file table ({@code IORING_REGISTER_FILES_UPDATE2}),
     * or empties it when {@code fd} is -1. The ring takes its own reference to the file and drops the
     * old one once I/O in flight on it completes.
     *
     * @param slot table index, later the fd of an SQE with {@link SqeDescriptor#IOSQE_FIXED_FILE}.
     * @param fd   an open descriptor, or -1.
     * @throws NativeException on failure (ENXIO without a table, EINVAL outside it, EBADF).
     */
    public void updateFile(final int slot, final int fd)
    {
        enterAsOwner();
        registry.updateFile(slot, fd);
    }

    /**
     * Asks the kernel which opcodes it supports (IORING_REGISTER_PROBE).
     *
     * @return the supported opcodes.
     * @throws NativeException when the probe fails (EINVAL on kernels before 5.6).
     */
    public SupportedOpcodes probeOpcodes()
    {
        enterAsOwner();
        return registry.probeOpcodes();
    }

    // ---------------------------------------------------------------- state

    /** @return the ring fd (valid until {@link #close()}). */
    public int fd()
    {
        return ringFd;
    }

    /** @return the most requests that may be in flight: the {@code entries} given at creation. */
    public int capacity()
    {
        return capacity;
    }

    /** @return requests prepared and not yet reaped. */
    public int inFlight()
    {
        return inFlight;
    }

    /** @return how many more requests can be prepared before {@code tryPrep...} returns false. */
    public int remainingCapacity()
    {
        return capacity - inFlight;
    }

    /** @return SQ entries the kernel allocated (a power of two, at least {@link #capacity()}). */
    public int sqEntries()
    {
        return sqEntries;
    }

    /** @return CQ entries the kernel allocated. */
    public int cqEntries()
    {
        return cqEntries;
    }

    /** @return the {@code IORING_SETUP_*} flags the ring was created with. */
    public int setupFlags()
    {
        return setupFlags;
    }

    /** @return the {@code IORING_FEAT_*} bits the kernel reported. */
    public int features()
    {
        return features;
    }

    /** @return completions ready to reap now. */
    public int readyCompletions()
    {
        ensureOpen();
        return cq.ready();
    }

    /** @return whether the kernel holds completions in its overflow backlog (IORING_SQ_CQ_OVERFLOW). */
    public boolean isCqOverflowPending()
    {
        ensureOpen();
        return (sq.flags() & IoUringParamsDescriptor.IORING_SQ_CQ_OVERFLOW) != 0;
    }

    /** @return completions the kernel dropped because the CQ was full (stays 0 while backpressure holds). */
    public long cqOverflowCount()
    {
        ensureOpen();
        return Integer.toUnsignedLong(cq.overflow());
    }

    /** @return SQEs the kernel dropped as invalid. */
    public long sqDroppedCount()
    {
        ensureOpen();
        return Integer.toUnsignedLong(sq.dropped());
    }

    /** @return whether {@link #close()} has been called. */
    public boolean isClosed()
    {
        return closed;
    }

    // ---------------------------------------------------------------- close

    /**
     * Waits for submitted requests and discards their completions (prepared but unsubmitted ones
     * are dropped), unregisters buffers and files, unmaps the rings and closes the fd. Later steps
     * run even if earlier ones fail; the first failure is thrown with the rest suppressed. A second
     * call does nothing.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        try
        {
            drain();
        }
        catch (final RuntimeException ex)
        {
            failure = ex;
        }
        failure = registry.unregisterAll(failure);
        try
        {
            mapping.close();
        }
        catch (final RuntimeException ex)
        {
            failure = chain(failure, ex);
        }
        final int rc = LibC.close(ringFd);
        if (rc < 0)
        {
            failure = chain(failure, NativeException.errno("close(io_uring fd=" + ringFd + ")", -rc));
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private void drain()
    {
        inFlight -= sq.discardUnpublished();
        while (inFlight > 0)
        {
            submitter.submitAndAwait(inFlight, inFlight);
            if (reapInto(DISCARD, Integer.MAX_VALUE) == 0)
            {
                throw new ConduitException(ErrorCode.DRAIN_STALLED,
                    "io_uring fd=" + ringFd + ": " + inFlight + " requests in flight made no progress while closing");
            }
        }
    }

    private static RuntimeException chain(final RuntimeException first, final RuntimeException next)
    {
        if (first == null)
        {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void closeAfterFailure(final RingMapping mapping, final RuntimeException failure)
    {
        try
        {
            mapping.close();
        }
        catch (final RuntimeException ex)
        {
            failure.addSuppressed(ex);
        }
    }

    // ---------------------------------------------------------------- checks

    /**
     * The checks of every call that may reach the kernel: open, on the owner thread; and on the
     * owner's first such call, a ring created disabled is enabled, which makes the owner the ring's
     * only submitter as far as the kernel is concerned ({@code IORING_SETUP_SINGLE_ISSUER}).
     */
    private void enterAsOwner()
    {
        ensureOpen();
        assert onOwnerThread() : notOwnerMessage();
        if (awaitingEnable)
        {
            registry.enableRings();
            awaitingEnable = false;
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new ConduitException(ErrorCode.IO_URING_CLOSED,
                "io_uring fd=" + ringFd + " is closed");
        }
    }

    private boolean onOwnerThread()
    {
        final Thread current = Thread.currentThread();
        if (ownerThread == null)
        {
            ownerThread = current;
        }
        return ownerThread == current;
    }

    private String notOwnerMessage()
    {
        return "io_uring fd=" + ringFd + " is owned by " + ownerThread + ", not " + Thread.currentThread();
    }
}
