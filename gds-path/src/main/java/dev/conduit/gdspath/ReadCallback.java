package dev.conduit.gdspath;

/**
 * The completion of a read started with {@link DataPath#read(String, long, long, DeviceBuffer, long, ReadCallback, long)}:
 * the form that allocates nothing per read on the host path (no future, pooled read contexts).
 *
 * <p>Threading: called once per read, on the thread that completed it (a scheduler device thread or
 * a GPU engine's agent), so it must be short and must not block.
 */
@FunctionalInterface
public interface ReadCallback
{
    /**
     * @param tag     the tag the read was started with.
     * @param failure null when every byte landed, else why not (the same exceptions as the future form).
     */
    void onRead(long tag, Throwable failure);
}
