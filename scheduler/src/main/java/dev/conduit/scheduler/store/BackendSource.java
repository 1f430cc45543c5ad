package dev.conduit.scheduler.store;

import dev.conduit.scheduler.Backend;

/**
 * A namespace that brings its own scheduler {@link Backend} (a remote NVMe/TCP namespace answers
 * asynchronously from its queues' threads; serving it through the pread pool would park one worker
 * per command). {@link ScheduledStore#DEFAULT_BACKENDS} uses it for such a namespace.
 */
public interface BackendSource
{
    /**
     * @param deviceName the device's name (thread names).
     * @param queueDepth tasks the backend must hold in flight.
     * @return a backend for one device serving this namespace.
     */
    Backend createBackend(String deviceName, int queueDepth);
}
