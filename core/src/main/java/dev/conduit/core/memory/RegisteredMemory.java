package dev.conduit.core.memory;

import java.util.Objects;

/**
 * Memory registered (pinned) with one backend, named by its {@link #index()} in that backend's
 * table: io_uring's {@code READ_FIXED}/{@code WRITE_FIXED} buffer index, or a cuFile registration.
 * Made only by a {@link BufferRegistrar}; a request carrying it uses the registration when it goes
 * to that registrar's backend while the registration is {@link #isActive() active}, and is served
 * as plain memory of the underlying kind otherwise.
 *
 * <p>Threading: immutable apart from the active flag, which only the registrar clears.
 */
public final class RegisteredMemory implements IoMemory
{
    private final BufferRegistrar registrar;
    private final int index;
    private final IoMemory memory;
    private volatile boolean active = true;

    /**
     * For {@link BufferRegistrar} implementations.
     *
     * @param registrar who registered it.
     * @param index     its slot in the registrar's table.
     * @param memory    the memory registered ({@link HostMemory} or {@link DeviceMemory}).
     */
    public RegisteredMemory(final BufferRegistrar registrar, final int index, final IoMemory memory)
    {
        if (memory instanceof RegisteredMemory || index < 0)
        {
            throw new IllegalArgumentException("cannot register " + memory + " at index " + index);
        }
        this.registrar = Objects.requireNonNull(registrar, "registrar");
        this.index = index;
        this.memory = Objects.requireNonNull(memory, "memory");
    }

    @Override
    public MemoryKind kind()
    {
        return memory instanceof DeviceMemory ? MemoryKind.DEVICE_REGISTERED : MemoryKind.HOST_REGISTERED;
    }

    /** @return the registrar (backend) that holds the registration. */
    public BufferRegistrar registrar()
    {
        return registrar;
    }

    /** @return the slot in the registrar's table. */
    public int index()
    {
        return index;
    }

    /** @return the memory registered. */
    public IoMemory memory()
    {
        return memory;
    }

    /** @return true until {@link BufferRegistrar#unregister} has run. */
    public boolean isActive()
    {
        return active;
    }

    /** Called by the registrar once the registration is released. */
    public void markUnregistered()
    {
        active = false;
    }

    @Override
    public long address()
    {
        return memory.address();
    }

    @Override
    public long lengthBytes()
    {
        return memory.lengthBytes();
    }

    @Override
    public String toString()
    {
        final String state = active ? ")" : ", unregistered)";
        return "RegisteredMemory(" + registrar.name() + "#" + index + ", " + memory + state;
    }
}
