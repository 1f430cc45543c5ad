package dev.conduit.objecttier.tier;

import java.util.concurrent.ThreadFactory;

/**
 * The threads that carry the cold tier's blocking socket reads (each fill, and each ranged GET
 * part of one). A server keeps {@link #VIRTUAL}: thousands of concurrent misses cost a few
 * kilobytes each while they wait for the network. A one-shot command ({@code conduit tier
 * prefetch}) takes {@link #PLATFORM}: a virtual thread that blocks on a socket parks on the JDK's
 * poller, whose own platform thread then waits in {@code epoll_wait} (native code) for the rest of
 * the process, and the JVM's exit waits up to 300 ms for threads in native code to stop before it
 * gives up on them (HotSpot's {@code VM_Exit::wait_for_threads_in_native_to_block}). That wait was
 * a third of a second of every prefetch's wall time after its summary was printed; platform threads
 * read the socket themselves and start no poller. A prefetch runs a few dozen of them at a time
 * ({@code --parallel} fills, {@code tier.parallelParts} parts each), daemon threads, one per task.
 * One difference: an interrupt ends a virtual thread's socket read at once, not a platform
 * thread's, so a part cancelled because its fill failed reads on until its response ends (or
 * times out) and its bytes are dropped; nothing of it is published either way.
 */
public enum ColdThreads
{
    /** Virtual threads: for a long-running server. */
    VIRTUAL,
    /** Platform daemon threads: for a short-lived command, whose exit must not wait for the JDK's I/O poller. */
    PLATFORM;

    /**
     * @param name the threads' name.
     * @return a factory of this kind of thread.
     */
    ThreadFactory factory(final String name)
    {
        return this == VIRTUAL ? Thread.ofVirtual().name(name).factory() : Thread.ofPlatform().daemon().name(name).factory();
    }
}
