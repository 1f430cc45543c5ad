package dev.conduit.scheduler;

import java.lang.foreign.MemorySegment;

import dev.conduit.core.memory.BufferRegistrar;
import dev.conduit.core.memory.HostMemory;
import dev.conduit.core.memory.IoMemory;
import dev.conduit.core.memory.RegisteredMemory;
import dev.conduit.nativebindings.NativeException;
import dev.conduit.nativebindings.uring.IoUring;

/**
 * The registered-buffer table of an {@link IoUringBackend}'s ring: a sparse table registered at
 * start ({@code IORING_REGISTER_BUFFERS2}) whose slots 0..n-1 take the buffers given at
 * construction and the rest take memory registered while the device runs; on a kernel without
 * sparse tables, the construction-time buffers registered the old way and nothing more. Answers
 * which slot, if any, a single-piece task lies in, so that it can go out as
 * {@code READ_FIXED}/{@code WRITE_FIXED}: its own registration, or, for plain host memory, any live
 * registration whose range holds it (so a caller that registered a buffer once gets fixed reads into
 * every slice of it without carrying the registration on each request, as the store's range reads
 * do). Registration is an optimisation only: when it fails the plain opcodes serve the same memory,
 * and {@link #problem()} says why.
 *
 * <p>Threading: owned by the device's thread, like the ring; {@link #problem()} may be read from any
 * thread.
 */
final class UringBufferTable
{
    private final String name;
    private final IoUring ring;
    private final BufferRegistrar owner;
    private final MemorySegment[] registeredBuffers;
    private final long[] registeredBases;
    private final long[] registeredEnds;
    private final RegisteredMemory[] bufferSlots;
    private final long[] slotBases;
    private final long[] slotEnds;
    private int highestSlot = -1;
    private boolean buffersRegistered;
    private boolean bufferTableSparse;
    private volatile String registeredBuffersProblem = "";

    /**
     * @param name              the backend's name, for messages.
     * @param ring              the ring the table belongs to.
     * @param owner             the registrar named by the registrations (the backend).
     * @param slots             table size, {@code >= registeredBuffers.length} (0: none).
     * @param registeredBuffers buffers to register at start in slots 0..n-1.
     */
    UringBufferTable(
        final String name, final IoUring ring, final BufferRegistrar owner, final int slots,
        final MemorySegment[] registeredBuffers)
    {
        this.name = name;
        this.ring = ring;
        this.owner = owner;
        this.bufferSlots = new RegisteredMemory[slots];
        this.slotBases = new long[slots];
        this.slotEnds = new long[slots];
        this.registeredBuffers = registeredBuffers.clone();
        this.registeredBases = new long[registeredBuffers.length];
        this.registeredEnds = new long[registeredBuffers.length];
        for (int i = 0; i < registeredBuffers.length; i++)
        {
            registeredBases[i] = registeredBuffers[i].address();
            registeredEnds[i] = registeredBuffers[i].address() + registeredBuffers[i].byteSize();
        }
    }

    /** Registers the table and the construction-time buffers; at the backend's start. */
    void start()
    {
        if (bufferSlots.length == 0)
        {
            return;
        }
        try
        {
            ring.registerSparseBuffers(bufferSlots.length);
            bufferTableSparse = true;
            for (int i = 0; i < registeredBuffers.length; i++)
            {
                bufferSlots[i] = registerAt(i, HostMemory.of(registeredBuffers[i]));
            }
            buffersRegistered = registeredBuffers.length > 0;
        }
        catch (final NativeException sparseFailure)
        {
            if (bufferTableSparse || registeredBuffers.length == 0)
            {
                registeredBuffersProblem = sparseFailure.getMessage();
                return;
            }
            try
            {
                // A kernel without sparse tables: the buffers given now are all there will be.
                ring.registerBuffers(registeredBuffers);
                buffersRegistered = true;
            }
            catch (final NativeException e)
            {
                // An optimisation only (e.g. RLIMIT_MEMLOCK too small): the plain opcodes work on the same memory.
                registeredBuffersProblem = e.getMessage();
            }
        }
    }

    /** @return why the construction-time buffers could not be registered, or empty. */
    String problem()
    {
        return registeredBuffersProblem;
    }

    /**
     * Registers host memory in a free slot.
     *
     * @param memory {@link HostMemory}, at most 1 GiB.
     * @return the registration, whose index is the slot.
     */
    RegisteredMemory register(final IoMemory memory)
    {
        if (!(memory instanceof HostMemory))
        {
            throw new IllegalArgumentException("io_uring of " + name + " registers host memory only, not " + memory);
        }
        if (!bufferTableSparse)
        {
            throw new IllegalStateException("io_uring of " + name + " has no buffer table for run-time registration (" +
                (bufferSlots.length == 0 ? "no buffer slots" : registeredBuffersProblem) + ")");
        }
        for (int i = 0; i < bufferSlots.length; i++)
        {
            if (bufferSlots[i] == null)
            {
                bufferSlots[i] = registerAt(i, memory);
                return bufferSlots[i];
            }
        }
        throw new IllegalStateException(
            "io_uring of " + name + ": all " + bufferSlots.length + " buffer slots are in use");
    }

    private RegisteredMemory registerAt(final int slot, final IoMemory memory)
    {
        final MemorySegment segment = ((HostMemory)memory).segment();
        ring.updateBuffer(slot, segment);
        slotBases[slot] = segment.address();
        slotEnds[slot] = segment.address() + segment.byteSize();
        highestSlot = Math.max(highestSlot, slot);
        return new RegisteredMemory(owner, slot, memory);
    }

    /** @param registration a live registration from {@link #register}. */
    void unregister(final RegisteredMemory registration)
    {
        final int slot = registration.index();
        if (registration.registrar() != owner || slot >= bufferSlots.length || bufferSlots[slot] != registration)
        {
            throw new IllegalArgumentException(registration + " is not registered with io_uring of " + name);
        }
        ring.updateBuffer(slot, MemorySegment.NULL);
        bufferSlots[slot] = null;
        slotBases[slot] = 0;
        slotEnds[slot] = 0;
        while (highestSlot >= 0 && bufferSlots[highestSlot] == null)
        {
            highestSlot--;
        }
        registration.markUnregistered();
    }

    /**
     * The buffer slot a single-piece task lies in: its own registration if it is ours and live, else
     * a live slot (registered at construction or at run time) whose memory holds it, else -1.
     */
    int slotOf(final IoTask task)
    {
        final long start = task.iovAddress(0);
        final long end = start + task.iovLength(0);
        final RegisteredMemory registration = task.registration();
        if (registration != null && registration.registrar() == owner)
        {
            // The piece left after a short transfer of a merged task may belong to another request's memory.
            final int slot = registration.index();
            final boolean live = slot < bufferSlots.length && bufferSlots[slot] == registration;
            final long base = registration.address();
            return live && start >= base && end <= base + registration.lengthBytes() ? slot : -1;
        }
        // Slots in use are few and the lowest are taken first: the scan stops at the highest one in use.
        for (int i = 0; i <= highestSlot; i++)
        {
            if (bufferSlots[i] != null && start >= slotBases[i] && end <= slotEnds[i])
            {
                return i;
            }
        }
        if (!buffersRegistered || bufferTableSparse)
        {
            return -1;                      // with a sparse table the construction-time buffers are slots above
        }
        for (int i = 0; i < registeredBases.length; i++)
        {
            if (start >= registeredBases[i] && end <= registeredEnds[i])
            {
                return i;
            }
        }
        return -1;
    }

    /** @return the memory registered in {@code slot}, a slot {@link #slotOf} returned. */
    MemorySegment segment(final int slot)
    {
        final RegisteredMemory registration = bufferSlots.length > 0 ? bufferSlots[slot] : null;
        return registration != null ? ((HostMemory)registration.memory()).segment() : registeredBuffers[slot];
    }
}
