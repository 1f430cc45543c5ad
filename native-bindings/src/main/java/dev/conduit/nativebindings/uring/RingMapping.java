package dev.conduit.nativebindings.uring;

import dev.conduit.nativebindings.LibC;
import dev.conduit.nativebindings.NativeException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The three kernel-shared areas of a ring (SQ ring, CQ ring, SQE array) mapped into this process,
 * exposed as segments tied to a shared {@link Arena} that this class owns. Closing the arena before
 * munmap means a stale view throws {@link IllegalStateException} instead of touching unmapped
 * memory.
 *
 * <p>With IORING_FEAT_SINGLE_MMAP the SQ and CQ rings share one mapping, sized for the larger.
 */
final class RingMapping implements AutoCloseable
{
    private final Arena arena;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqRingAddress;
    private final long sqRingBytes;
    private final long cqRingAddress;
    private final long cqRingBytes;
    private final long sqesAddress;
    private final long sqesBytes;

    private RingMapping(
        final long sqRingAddress, final long sqRingBytes,
        final long cqRingAddress, final long cqRingBytes,
        final long sqesAddress, final long sqesBytes)
    {
        this.arena = Arena.ofShared();
        this.sqRingAddress = sqRingAddress;
        this.sqRingBytes = sqRingBytes;
        this.cqRingAddress = cqRingAddress;
        this.cqRingBytes = cqRingBytes;
        this.sqesAddress = sqesAddress;
        this.sqesBytes = sqesBytes;
        this.sqRing = view(sqRingAddress, sqRingBytes, arena);
        this.cqRing = cqRingAddress == sqRingAddress ? sqRing : view(cqRingAddress, cqRingBytes, arena);
        this.sqes = view(sqesAddress, sqesBytes, arena);
    }

    /**
     * Maps the rings of a freshly set-up ring.
     *
     * @param ringFd the ring fd.
     * @param params the {@code io_uring_params} io_uring_setup filled.
     * @return the mappings.
     * @throws NativeException when an mmap fails (earlier mappings are undone).
     */
    static RingMapping map(final int ringFd, final MemorySegment params)
    {
        final int sqEntries = IoUringParamsDescriptor.sqEntries(params);
        final int cqEntries = IoUringParamsDescriptor.cqEntries(params);
        final long sqRingBytes = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.SQ_ARRAY_OFFSET)
            + sqEntries * JAVA_INT.byteSize();
        final long cqRingBytes = IoUringParamsDescriptor.ringOffset(params, IoUringParamsDescriptor.CQ_CQES_OFFSET)
            + cqEntries * CqeDescriptor.LENGTH;
        final long sqesBytes = sqEntries * SqeDescriptor.LENGTH;
        final boolean singleMmap =
            (IoUringParamsDescriptor.features(params) & IoUringParamsDescriptor.IORING_FEAT_SINGLE_MMAP) != 0;

        final long sqMapBytes = singleMmap ? Math.max(sqRingBytes, cqRingBytes) : sqRingBytes;
        final long sqRingAddress = mmap(ringFd, sqMapBytes, IoUringSyscall.IORING_OFF_SQ_RING, "SQ ring");
        long cqRingAddress = sqRingAddress;
        try
        {
            if (!singleMmap)
            {
                cqRingAddress = mmap(ringFd, cqRingBytes, IoUringSyscall.IORING_OFF_CQ_RING, "CQ ring");
            }
            final long sqesAddress = mmap(ringFd, sqesBytes, IoUringSyscall.IORING_OFF_SQES, "SQEs");
            return new RingMapping(
                sqRingAddress, sqMapBytes, cqRingAddress, singleMmap ? sqMapBytes : cqRingBytes, sqesAddress, sqesBytes);
        }
        catch (final RuntimeException ex)
        {
            if (cqRingAddress != sqRingAddress)
            {
                LibC.munmap(MemorySegment.ofAddress(cqRingAddress), cqRingBytes);
            }
            LibC.munmap(MemorySegment.ofAddress(sqRingAddress), sqMapBytes);
            throw ex;
        }
    }

    /** @return the SQ ring (head, tail, mask, flags, dropped, index array). */
    MemorySegment sqRing()
    {
        return sqRing;
    }

    /** @return the CQ ring (head, tail, mask, overflow, CQE array); the SQ ring's segment with SINGLE_MMAP. */
    MemorySegment cqRing()
    {
        return cqRing;
    }

    /** @return the SQE array. */
    MemorySegment sqes()
    {
        return sqes;
    }

    /**
     * Invalidates the views, then unmaps everything.
     *
     * @throws NativeException for the first munmap that failed (after attempting all).
     */
    @Override
    public void close()
    {
        arena.close();
        int firstFailure = munmap(sqesAddress, sqesBytes, 0);
        if (cqRingAddress != sqRingAddress)
        {
            firstFailure = munmap(cqRingAddress, cqRingBytes, firstFailure);
        }
        firstFailure = munmap(sqRingAddress, sqRingBytes, firstFailure);
        if (firstFailure < 0)
        {
            throw NativeException.errno("munmap(io_uring rings)", -firstFailure);
        }
    }

    private static int munmap(final long address, final long bytes, final int firstFailure)
    {
        final int rc = LibC.munmap(MemorySegment.ofAddress(address), bytes);
        return firstFailure < 0 ? firstFailure : rc;
    }

    private static long mmap(final int ringFd, final long bytes, final long offset, final String what)
    {
        final long address = LibC.mmap(MemorySegment.NULL, bytes, LibC.PROT_READ | LibC.PROT_WRITE,
            LibC.MAP_SHARED | LibC.MAP_POPULATE, ringFd, offset);
        if (address < 0)
        {
            throw NativeException.errno("mmap(io_uring " + what + ", fd=" + ringFd + ", len=" + bytes + ")", (int)-address);
        }
        return address;
    }

    private static MemorySegment view(final long address, final long bytes, final Arena arena)
    {
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, null);
    }
}
