package dev.conduit.scheduler.store;

import java.io.IOException;
import java.nio.file.Path;

import dev.conduit.blocklayout.CrashWorkload;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.scheduler.Priority;

/**
 * The child JVM of {@link ScheduledCrashRecoveryTest}: the {@link CrashWorkload} operations on a
 * store opened the way the CLI and the S3 tier open it, through {@link ScheduledStore} (io_uring
 * where the host has it), including the open and its journal replay.
 *
 * <p>Arguments: data directory, side log, seed, round.
 */
public final class ScheduledCrashWorkload
{
    private ScheduledCrashWorkload()
    {
    }

    /**
     * @param args data directory, side log, seed, round.
     * @throws IOException when the side log cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        CrashWorkload.exitWhenParentDies();
        CrashWorkload.announce(CrashWorkload.OPENING);
        try (ScheduledStore scheduled = ScheduledStore.open(Path.of(args[0]), StoreOptions.DEFAULT, Priority.LATENCY))
        {
            CrashWorkload.run(scheduled.store(), Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        }
    }
}
