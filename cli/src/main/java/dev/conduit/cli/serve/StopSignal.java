package dev.conduit.cli.serve;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import sun.misc.Signal;

/**
 * SIGINT and SIGTERM as a latch the serving thread waits on, so a stop is an ordinary return
 * (drain, close, exit 0) rather than the JVM's shutdown-hook exit with status 130/143 while the
 * store may still be closing. A second signal while stopping halts at once with
 * {@link #FORCED_EXIT_CODE}: the operator asked twice, and the store recovers from its journal.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) because the JDK has no public API for
 * handling a signal instead of exiting; javac warns about it once per use.
 *
 * <p>Used by {@code conduit serve} and {@code conduit nvmf serve}.
 *
 * <p>Threading: the handlers run on the JVM's signal thread; {@link #await()} on the serving thread.
 */
public final class StopSignal
{
    /** Exit status after a second signal: 128 + SIGINT, as a shell reports an interrupted command. */
    static final int FORCED_EXIT_CODE = 130;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final PrintWriter err;
    private volatile String name = "";

    private StopSignal(final PrintWriter err)
    {
        this.err = err;
    }

    /**
     * Takes over SIGINT and SIGTERM for this process.
     *
     * @param err where a forced exit is announced.
     * @return the installed signal latch.
     */
    public static StopSignal install(final PrintWriter err)
    {
        final StopSignal signal = new StopSignal(err);
        Signal.handle(new Signal("INT"), signal::onSignal);
        Signal.handle(new Signal("TERM"), signal::onSignal);
        return signal;
    }

    /**
     * Blocks until the first signal.
     *
     * @return the signal's name ({@code INT} or {@code TERM}).
     * @throws InterruptedException when the waiting thread is interrupted.
     */
    public String await() throws InterruptedException
    {
        stop.await();
        return name;
    }

    private void onSignal(final Signal signal)
    {
        if (received.incrementAndGet() == 1)
        {
            name = signal.getName();
            stop.countDown();
            return;
        }
        err.println("conduit: second SIG" + signal.getName() + ", exiting without draining");
        err.flush();
        Runtime.getRuntime().halt(FORCED_EXIT_CODE);
    }
}
