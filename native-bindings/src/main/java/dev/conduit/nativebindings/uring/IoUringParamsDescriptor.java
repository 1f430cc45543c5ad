package dev.conduit.nativebindings.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_params}: the argument of io_uring_setup(2), which the kernel fills with
 * the ring sizes, its feature bits and the offsets of every ring field inside the mmapped areas.
 *
 * <pre>
 *   0        4        8        12       16       20       24       28                40
 *   +--------+--------+--------+--------+--------+--------+--------+-----------------+
 *   |sq_entr.|cq_entr.| flags  |sq_cpu  |sq_idle |features| wq_fd  |    resv[3]      |
 *   +--------+--------+--------+--------+--------+--------+--------+-----------------+
 *  40 sq_off: struct io_sqring_offsets (40 bytes)
 *   +--------+--------+--------+--------+--------+--------+--------+--------+-----------------+
 *   |  head  |  tail  |ring_msk|ring_ent| flags  |dropped | array  | resv1  |  user_addr u64  |
 *   +--------+--------+--------+--------+--------+--------+--------+--------+-----------------+
 *  80 cq_off: struct io_cqring_offsets (40 bytes)
 *   +--------+--------+--------+--------+--------+--------+--------+--------+-----------------+
 *   |  head  |  tail  |ring_msk|ring_ent|overflow|  cqes  | flags  | resv1  |  user_addr u64  |
 *   +--------+--------+--------+--------+--------+--------+--------+--------+-----------------+
 * 120
 * </pre>
 *
 * <p>The {@code sq_off}/{@code cq_off} values are byte offsets into the SQ and CQ ring mappings, not
 * into this struct.
 */
public final class IoUringParamsDescriptor
{
    /** {@code struct io_sqring_offsets}. */
    public static final StructLayout SQ_OFFSETS_LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("head"),
        JAVA_INT.withName("tail"),
        JAVA_INT.withName("ring_mask"),
        JAVA_INT.withName("ring_entries"),
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("dropped"),
        JAVA_INT.withName("array"),
        JAVA_INT.withName("resv1"),
        JAVA_LONG.withName("user_addr"));

    /** {@code struct io_cqring_offsets}. */
    public static final StructLayout CQ_OFFSETS_LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("head"),
        JAVA_INT.withName("tail"),
        JAVA_INT.withName("ring_mask"),
        JAVA_INT.withName("ring_entries"),
        JAVA_INT.withName("overflow"),
        JAVA_INT.withName("cqes"),
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("resv1"),
        JAVA_LONG.withName("user_addr"));

    /** {@code struct io_uring_params}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("sq_entries"),
        JAVA_INT.withName("cq_entries"),
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("sq_thread_cpu"),
        JAVA_INT.withName("sq_thread_idle"),
        JAVA_INT.withName("features"),
        JAVA_INT.withName("wq_fd"),
        MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
        SQ_OFFSETS_LAYOUT.withName("sq_off"),
        CQ_OFFSETS_LAYOUT.withName("cq_off"));

    /** Bytes in the struct (120). */
    public static final long LENGTH = LAYOUT.byteSize();

    /** Offset of {@code sq_entries}. */
    public static final long SQ_ENTRIES_OFFSET = offset("sq_entries");
    /** Offset of {@code cq_entries}. */
    public static final long CQ_ENTRIES_OFFSET = offset("cq_entries");
    /** Offset of {@code flags} (the {@code IORING_SETUP_*} bits). */
    public static final long FLAGS_OFFSET = offset("flags");
    /** Offset of {@code sq_thread_idle} (milliseconds, SQPOLL only). */
    public static final long SQ_THREAD_IDLE_OFFSET = offset("sq_thread_idle");
    /** Offset of {@code features} (the {@code IORING_FEAT_*} bits). */
    public static final long FEATURES_OFFSET = offset("features");

    /** Offset of {@code sq_off.head}. */
    public static final long SQ_HEAD_OFFSET = sqOffset("head");
    /** Offset of {@code sq_off.tail}. */
    public static final long SQ_TAIL_OFFSET = sqOffset("tail");
    /** Offset of {@code sq_off.ring_mask}. */
    public static final long SQ_RING_MASK_OFFSET = sqOffset("ring_mask");
    /** Offset of {@code sq_off.ring_entries}. */
    public static final long SQ_RING_ENTRIES_OFFSET = sqOffset("ring_entries");
    /** Offset of {@code sq_off.flags}. */
    public static final long SQ_FLAGS_OFFSET = sqOffset("flags");
    /** Offset of {@code sq_off.dropped}. */
    public static final long SQ_DROPPED_OFFSET = sqOffset("dropped");
    /** Offset of {@code sq_off.array}. */
    public static final long SQ_ARRAY_OFFSET = sqOffset("array");

    /** Offset of {@code cq_off.head}. */
    public static final long CQ_HEAD_OFFSET = cqOffset("head");
    /** Offset of {@code cq_off.tail}. */
    public static final long CQ_TAIL_OFFSET = cqOffset("tail");
    /** Offset of {@code cq_off.ring_mask}. */
    public static final long CQ_RING_MASK_OFFSET = cqOffset("ring_mask");
    /** Offset of {@code cq_off.ring_entries}. */
    public static final long CQ_RING_ENTRIES_OFFSET = cqOffset("ring_entries");
    /** Offset of {@code cq_off.overflow}. */
    public static final long CQ_OVERFLOW_OFFSET = cqOffset("overflow");
    /** Offset of {@code cq_off.cqes}. */
    public static final long CQ_CQES_OFFSET = cqOffset("cqes");

    /** Setup flag: the kernel polls the SQ from its own thread (may need privileges). */
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    /** Setup flag: clamp too-large entry counts instead of failing with EINVAL. */
    public static final int IORING_SETUP_CLAMP = 1 << 4;
    /** Setup flag: the ring starts disabled until {@code IORING_REGISTER_ENABLE_RINGS}. */
    public static final int IORING_SETUP_R_DISABLED = 1 << 6;
    /** Setup flag: keep submitting after a request fails to initialise. */
    public static final int IORING_SETUP_SUBMIT_ALL = 1 << 7;
    /** Setup flag: completions run only when the task enters the kernel (with TASKRUN_FLAG). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;
    /** Setup flag: the kernel sets {@link #IORING_SQ_TASKRUN} when deferred completions wait for the task. */
    public static final int IORING_SETUP_TASKRUN_FLAG = 1 << 9;
    /** Setup flag: only one task submits (lets the kernel skip locking). */
    public static final int IORING_SETUP_SINGLE_ISSUER = 1 << 12;
    /** Setup flag: completion work waits for the issuer's next {@code io_uring_enter(GETEVENTS)} (needs SINGLE_ISSUER). */
    public static final int IORING_SETUP_DEFER_TASKRUN = 1 << 13;

    /** Feature: SQ and CQ rings share one mmap. */
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    /** Feature: CQ overflows are kept in a kernel backlog instead of dropped. */
    public static final int IORING_FEAT_NODROP = 1 << 1;
    /** Feature: SQE contents are copied at submit, so the SQE may be reused right after. */
    public static final int IORING_FEAT_SUBMIT_STABLE = 1 << 2;

    /** SQ ring flag: the SQPOLL thread sleeps and needs {@code IORING_ENTER_SQ_WAKEUP}. */
    public static final int IORING_SQ_NEED_WAKEUP = 1;
    /** SQ ring flag: completions overflowed the CQ and wait in the kernel backlog. */
    public static final int IORING_SQ_CQ_OVERFLOW = 1 << 1;
    /** SQ ring flag: task work is pending; enter with GETEVENTS to run it. */
    public static final int IORING_SQ_TASKRUN = 1 << 2;

    private IoUringParamsDescriptor()
    {
    }

    /**
     * @param params a filled {@code struct io_uring_params}.
     * @return the number of SQ entries the kernel granted (a power of two).
     */
    public static int sqEntries(final MemorySegment params)
    {
        return params.get(JAVA_INT, SQ_ENTRIES_OFFSET);
    }

    /**
     * @param params a filled {@code struct io_uring_params}.
     * @return the number of CQ entries the kernel granted (twice the SQ entries by default).
     */
    public static int cqEntries(final MemorySegment params)
    {
        return params.get(JAVA_INT, CQ_ENTRIES_OFFSET);
    }

    /**
     * @param params a filled {@code struct io_uring_params}.
     * @return the {@code IORING_FEAT_*} bits.
     */
    public static int features(final MemorySegment params)
    {
        return params.get(JAVA_INT, FEATURES_OFFSET);
    }

    /**
     * @param params a filled {@code struct io_uring_params}.
     * @param offset one of the {@code SQ_*_OFFSET} or {@code CQ_*_OFFSET} constants.
     * @return the ring field offset stored there (u32, always small).
     */
    public static int ringOffset(final MemorySegment params, final long offset)
    {
        return params.get(JAVA_INT, offset);
    }

    private static long offset(final String field)
    {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private static long sqOffset(final String field)
    {
        return LAYOUT.byteOffset(groupElement("sq_off"), groupElement(field));
    }

    private static long cqOffset(final String field)
    {
        return LAYOUT.byteOffset(groupElement("cq_off"), groupElement(field));
    }
}
