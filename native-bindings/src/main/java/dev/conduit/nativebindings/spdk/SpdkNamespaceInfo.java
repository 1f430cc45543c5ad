package dev.conduit.nativebindings.spdk;

import java.lang.foreign.MemorySegment;

/**
 * An active namespace of an {@link SpdkController}.
 *
 * @param handle      SPDK's {@code struct spdk_nvme_ns *} (valid while the controller is attached).
 * @param nsid        the namespace id.
 * @param sectorBytes the logical block size.
 * @param sectors     the size in logical blocks.
 */
public record SpdkNamespaceInfo(MemorySegment handle, int nsid, int sectorBytes, long sectors)
{
    /** @return the address of SPDK's {@code struct spdk_nvme_ns}. */
    public long address()
    {
        return handle.address();
    }

    /** @return the size in bytes. */
    public long capacityBytes()
    {
        return sectors * sectorBytes;
    }
}
