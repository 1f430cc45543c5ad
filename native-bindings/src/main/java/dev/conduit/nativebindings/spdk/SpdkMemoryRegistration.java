package dev.conduit.nativebindings.spdk;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.core.ErrorDomain;
import dev.conduit.nativebindings.Errno;

/**
 * Host memory registered with {@code spdk_mem_register}, so SPDK can translate its addresses for
 * DMA (needed for PCIe controllers; NVMe/TCP copies through its socket and needs none). SPDK
 * registers whole 2 MiB pages: address and length must be multiples of 2 MiB.
 *
 * <p>Threading: register and close from one thread, with no I/O on the memory in flight at close.
 */
public final class SpdkMemoryRegistration implements AutoCloseable
{
    /** The granularity of {@code spdk_mem_register}. */
    public static final long PAGE_BYTES = 2L * 1024 * 1024;

    private final SpdkLibrary library;
    private final MemorySegment segment;
    private boolean closed;

    private SpdkMemoryRegistration(final SpdkLibrary library, final MemorySegment segment)
    {
        this.library = library;
        this.segment = segment;
    }

    /**
     * @param environment the initialised environment.
     * @param segment     2 MiB-aligned memory, a multiple of 2 MiB long.
     * @return the registration.
     * @throws ConduitException {@code UNALIGNED_IO} for a misaligned segment; {@code SYSTEM_ERROR}
     *                          (errno domain) when SPDK refuses it.
     */
    public static SpdkMemoryRegistration register(final SpdkEnvironment environment, final MemorySegment segment)
    {
        if (segment.address() % PAGE_BYTES != 0 || segment.byteSize() == 0 || segment.byteSize() % PAGE_BYTES != 0)
        {
            throw new ConduitException(ErrorCode.UNALIGNED_IO, "spdk_mem_register needs 2 MiB-aligned memory, a multiple of 2 MiB: address 0x"
                + Long.toHexString(segment.address()) + ", " + segment.byteSize() + " bytes");
        }
        final int rc = environment.library().memRegister(segment, segment.byteSize());
        check(rc, "spdk_mem_register", segment);
        return new SpdkMemoryRegistration(environment.library(), segment);
    }

    /** @return the registered memory. */
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            check(library.memUnregister(segment, segment.byteSize()), "spdk_mem_unregister", segment);
        }
    }

    private static void check(final int rc, final String call, final MemorySegment segment)
    {
        if (rc != 0)
        {
            final int errno = -rc;
            throw new ConduitException(ErrorCode.SYSTEM_ERROR, ErrorDomain.ERRNO, errno, Errno.name(errno),
                call + "(0x" + Long.toHexString(segment.address()) + ", " + segment.byteSize() + ") failed: " + rc, null);
        }
    }
}
