package dev.conduit.scheduler;

/**
 * Wakes a device's duty cycle when it may be idle: backends call it from their own threads after
 * making completions available, so a parked device thread reaps them promptly.
 *
 * <p>Threading: any thread; cheap (a volatile read) when the device is not parked.
 */
@FunctionalInterface
public interface DeviceWaker
{
    /** Ensures the device runs its duty cycle soon. */
    void wake();
}
