package dev.conduit.scheduler.store;

import dev.conduit.blocklayout.CrashHarness;
import dev.conduit.blocklayout.namespace.TargetDirs;
import dev.conduit.scheduler.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SIGKILL through the path users take: the child ({@link ScheduledCrashWorkload}) opens the store
 * through {@link ScheduledStore} on io_uring and runs random puts, replaces, deletes and
 * checkpoints; {@link CrashHarness} kills it (some kills land in open and journal replay, several
 * crashes follow each other with no clean close), reopens and checks every acknowledged object.
 *
 * <p>Kill count: {@code -Dconduit.crash.kills=N} (default 16). Reproduce a failure with the printed
 * {@code -Dconduit.crash.seed=S}.
 */
class ScheduledCrashRecoveryTest
{
    private static final int KILLS = Integer.getInteger("conduit.crash.kills", 16);
    private static final long SEED = Long.getLong("conduit.crash.seed", System.nanoTime());

    @Test
    void shouldKeepEveryAcknowledgedObjectAcrossSigkillThroughTheScheduler() throws Exception
    {
        System.out.println("ScheduledCrashRecoveryTest: kills=" + KILLS + " seed=" + SEED + " io_uring="
            + Backends.ioUringSupport().available() + " (" + Backends.ioUringSupport().reason() + ")");
        final long startNs = System.nanoTime();
        final CrashHarness.Summary summary = CrashHarness.run(ScheduledCrashWorkload.class, TargetDirs.create("scheduled-crash-"), KILLS, SEED);
        System.out.println("ScheduledCrashRecoveryTest: " + summary + " in " + (System.nanoTime() - startNs) / 1_000_000 + " ms");
        assertEquals(KILLS, summary.rounds());
    }
}
