package dev.conduit.scheduler;

/**
 * Receives task completions from {@link Backend#poll}. Implemented by the device; backends call it
 * only from inside {@code poll}, on the device's thread.
 */
@FunctionalInterface
public interface TaskCompletionHandler
{
    /**
     * @param task   a task this backend owned; ownership returns to the device.
     * @param result bytes transferred (short only at end of target), or {@code -errno}.
     */
    void onTaskComplete(IoTask task, long result);
}
