package dev.conduit.nativebindings.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.conduit.nativebindings.Errno;
import dev.conduit.nativebindings.IovecDescriptor;
import dev.conduit.nativebindings.NativeException;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * io_uring_register for one ring: registered buffers, registered files and the opcode probe, and
 * remembering what is registered so that close can release it. Control path only: it allocates a
 * confined arena per call for the argument arrays, which the kernel copies before returning.
 *
 * <p>Threading: owner thread only (see {@link IoUring}).
 */
final class RingRegistry
{
    private final int ringFd;
    private boolean buffersRegistered;
    private boolean filesRegistered;

    RingRegistry(final int ringFd)
    {
        this.ringFd = ringFd;
    }

    void registerBuffers(final MemorySegment[] buffers)
    {
        if (buffers.length == 0)
        {
            throw new IllegalArgumentException("no buffers to register");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment iovecs = arena.allocate(IovecDescriptor.LAYOUT, buffers.length);
            for (int i = 0; i < buffers.length; i++)
            {
                RequestArguments.requireNative(buffers[i], "buffer " + i);
                IovecDescriptor.set(iovecs, i, buffers[i]);
            }
            register(IoUringSyscall.IORING_REGISTER_BUFFERS, "REGISTER_BUFFERS", iovecs, buffers.length);
        }
        buffersRegistered = true;
    }

    void unregisterBuffers()
    {
        register(IoUringSyscall.IORING_UNREGISTER_BUFFERS, "UNREGISTER_BUFFERS", MemorySegment.NULL, 0);
        buffersRegistered = false;
    }

    void registerFiles(final int[] fds)
    {
        if (fds.length == 0)
        {
            throw new IllegalArgumentException("no files to register");
        }
        try (Arena arena = Arena.ofConfined())
        {
            register(IoUringSyscall.IORING_REGISTER_FILES, "REGISTER_FILES", arena.allocateFrom(JAVA_INT, fds), fds.length);
        }
        filesRegistered = true;
    }

    void unregisterFiles()
    {
        register(IoUringSyscall.IORING_UNREGISTER_FILES, "UNREGISTER_FILES", MemorySegment.NULL, 0);
        filesRegistered = false;
    }

    void registerSparseBuffers(final int slots)
    {
        registerSparse(RsrcDescriptor.IORING_REGISTER_BUFFERS2, "REGISTER_BUFFERS2", slots);
        buffersRegistered = true;
    }

    void registerSparseFiles(final int slots)
    {
        registerSparse(RsrcDescriptor.IORING_REGISTER_FILES2, "REGISTER_FILES2", slots);
        filesRegistered = true;
    }

    void updateBuffer(final int slot, final MemorySegment buffer)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment iovec = arena.allocate(IovecDescriptor.LAYOUT);
            if (buffer.address() != 0)
            {
                RequestArguments.requireNative(buffer, "buffer");
                IovecDescriptor.set(iovec, 0, buffer);
            }
            update(RsrcDescriptor.IORING_REGISTER_BUFFERS_UPDATE, "REGISTER_BUFFERS_UPDATE", slot, iovec, arena);
        }
    }

    void updateFile(final int slot, final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            update(RsrcDescriptor.IORING_REGISTER_FILES_UPDATE2, "REGISTER_FILES_UPDATE2", slot,
                arena.allocateFrom(JAVA_INT, fd), arena);
        }
    }

    private void registerSparse(final int opcode, final String opcodeName, final int slots)
    {
        if (slots < 1)
        {
            throw new IllegalArgumentException("a table needs at least one slot: " + slots);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment struct = arena.allocate(RsrcDescriptor.LENGTH, Long.BYTES);
            RsrcDescriptor.sparse(struct, slots);
            register(opcode, opcodeName, struct, RsrcDescriptor.LENGTH);
        }
    }

    private void update(
        final int opcode, final String opcodeName, final int slot, final MemorySegment data, final Arena arena)
    {
        final MemorySegment struct = arena.allocate(RsrcDescriptor.LENGTH, Long.BYTES);
        RsrcDescriptor.update(struct, slot, data, 1);
        register(opcode, opcodeName, struct, RsrcDescriptor.LENGTH);
    }

    /** Enables a ring created with {@code IORING_SETUP_R_DISABLED}; the calling thread becomes its submitter. */
    void enableRings()
    {
        register(IoUringSyscall.IORING_REGISTER_ENABLE_RINGS, "REGISTER_ENABLE_RINGS", MemorySegment.NULL, 0);
    }

    SupportedOpcodes probeOpcodes()
    {
        try (Arena arena = Arena.ofConfined())
        {
            // Arena memory is zeroed, which the kernel insists on for a probe.
            final MemorySegment probe = arena.allocate(ProbeDescriptor.LENGTH, Long.BYTES);
            register(IoUringSyscall.IORING_REGISTER_PROBE, "REGISTER_PROBE", probe, ProbeDescriptor.MAX_OPS);
            return SupportedOpcodes.from(probe);
        }
    }

    /**
     * Releases whatever is still registered, attempting both even if the first fails.
     *
     * @param failure an earlier failure of the close sequence, or null.
     * @return {@code failure} with any new failure added as suppressed, or the new failure.
     */
    RuntimeException unregisterAll(final RuntimeException failure)
    {
        RuntimeException result = failure;
        if (buffersRegistered)
        {
            result = attempt(IoUringSyscall.IORING_UNREGISTER_BUFFERS, "UNREGISTER_BUFFERS", result);
            buffersRegistered = false;
        }
        if (filesRegistered)
        {
            result = attempt(IoUringSyscall.IORING_UNREGISTER_FILES, "UNREGISTER_FILES", result);
            filesRegistered = false;
        }
        return result;
    }

    private RuntimeException attempt(final int opcode, final String opcodeName, final RuntimeException failure)
    {
        try
        {
            register(opcode, opcodeName, MemorySegment.NULL, 0);
            return failure;
        }
        catch (final RuntimeException ex)
        {
            if (failure == null)
            {
                return ex;
            }
            failure.addSuppressed(ex);
            return failure;
        }
    }

    private void register(final int opcode, final String opcodeName, final MemorySegment arg, final int nrArgs)
    {
        int rc;
        do
        {
            rc = IoUringSyscall.register(ringFd, opcode, arg, nrArgs);
        }
        while (rc == -Errno.EINTR);
        if (rc < 0)
        {
            throw NativeException.errno("io_uring_register(fd=" + ringFd + ", " + opcodeName + ", nr=" + nrArgs + ")", -rc);
        }
    }
}
