package dev.conduit.core.memory;

/**
 * A typed reference to the memory a request reads into or writes from. Made once per buffer and
 * reused for every request on it; a request names a byte range inside it.
 *
 * <p>Threading: implementations are immutable apart from a registration's active flag; share freely.
 */
public sealed interface IoMemory permits HostMemory, DeviceMemory, RegisteredMemory
{
    /** @return what this memory is. */
    MemoryKind kind();

    /** @return the start address in the memory's own address space (host virtual address, or device pointer). */
    long address();

    /** @return the length in bytes. */
    long lengthBytes();
}
