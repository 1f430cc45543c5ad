package dev.conduit.scheduler;

import java.util.concurrent.CompletableFuture;

import dev.conduit.core.memory.BufferRegistrar;
import dev.conduit.core.memory.IoMemory;
import dev.conduit.core.memory.RegisteredMemory;

/**
 * A control-plane operation another thread hands to a device's thread through the device's ring
 * (an {@link IoEvent#COMMAND} event), because the backend's resources (an io_uring ring's tables)
 * belong to that thread. Allocates: one object and one future per command, never per request.
 *
 * <p>Threading: made on the caller's thread, {@link #execute} runs on the device's thread, and
 * {@link #result()} completes there (or with {@code SCHEDULER_CLOSED} on the closing thread).
 *
 * @param <T> the result type.
 */
abstract class DeviceCommand<T>
{
    final CompletableFuture<T> result = new CompletableFuture<>();

    /**
     * Runs on the device's thread; completes {@link #result()} now or later.
     *
     * @param agent the device's duty cycle.
     */
    abstract void execute(DeviceAgent agent);

    /** @return completes once the command has taken effect. */
    CompletableFuture<T> result()
    {
        return result;
    }

    /** Registers memory with the backend's {@link BufferRegistrar}. */
    static final class RegisterBuffer extends DeviceCommand<RegisteredMemory>
    {
        private final BufferRegistrar registrar;
        private final IoMemory memory;

        RegisterBuffer(final BufferRegistrar registrar, final IoMemory memory)
        {
            this.registrar = registrar;
            this.memory = memory;
        }

        @Override
        void execute(final DeviceAgent agent)
        {
            result.complete(registrar.register(memory));
        }
    }

    /** Releases a registration made by the backend's {@link BufferRegistrar}. */
    static final class UnregisterBuffer extends DeviceCommand<Void>
    {
        private final BufferRegistrar registrar;
        private final RegisteredMemory registration;

        UnregisterBuffer(final BufferRegistrar registrar, final RegisteredMemory registration)
        {
            this.registrar = registrar;
            this.registration = registration;
        }

        @Override
        void execute(final DeviceAgent agent)
        {
            registrar.unregister(registration);
            result.complete(null);
        }
    }

    /**
     * Detaches a target once none of its requests is live on the device: then the backend releases
     * what it holds for the target (a registered-file slot), the handle is marked detached and its
     * index goes back to the device for the next {@code attach}.
     */
    static final class Detach extends DeviceCommand<Void>
    {
        private final TargetHandle handle;

        Detach(final TargetHandle handle)
        {
            this.handle = handle;
        }

        TargetHandle handle()
        {
            return handle;
        }

        @Override
        void execute(final DeviceAgent agent)
        {
            agent.detachWhenIdle(this);
        }

        /** Called by the device's thread once the backend has released the target. */
        void detached()
        {
            handle.markDetached();
            handle.device().releaseTargetIndex(handle.index());
            result.complete(null);
        }
    }
}
