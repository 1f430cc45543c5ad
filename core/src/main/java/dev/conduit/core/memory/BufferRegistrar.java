package dev.conduit.core.memory;

/**
 * A backend that can register (pin) memory ahead of I/O so that requests on it skip per-I/O
 * pinning and mapping: io_uring's registered buffers ({@code IORING_REGISTER_BUFFERS_UPDATE} into a
 * sparse table), later cuFile's {@code cuFileBufRegister}. Registration is a control-plane
 * operation: it may allocate and make system calls; requests on the returned
 * {@link RegisteredMemory} then name it by index.
 *
 * <p>Threading: called on the thread that owns the backend's resources (a scheduler device's
 * thread); {@code IoDevice.registerBuffer}/{@code unregisterBuffer} are the thread-safe way in.
 */
public interface BufferRegistrar
{
    /** @return a short name for messages ({@code "io_uring"}, {@code "cufile"}). */
    String name();

    /** @return mask of the {@link MemoryKind}s {@link #register} accepts (e.g. {@code HOST} for io_uring). */
    int registrableMemoryKinds();

    /**
     * Registers memory. Requests already in flight are unaffected.
     *
     * @param memory memory of a registrable kind; it must stay allocated until unregistered.
     * @return the registration.
     * @throws IllegalArgumentException when the kind is not registrable.
     * @throws IllegalStateException    when the registrar's table is full.
     */
    RegisteredMemory register(IoMemory memory);

    /**
     * Releases a registration made by this registrar and marks it inactive; its slot may be reused.
     * I/O already in flight on it completes normally (the kernel holds its own reference).
     *
     * @param registration a registration made by this registrar.
     */
    void unregister(RegisteredMemory registration);
}
