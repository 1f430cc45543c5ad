package dev.conduit.blocklayout;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SIGKILL at random moments ({@link CrashHarness}): a child JVM ({@link CrashWorkload}) runs random
 * operations against a store on real O_DIRECT file namespaces and logs what was acknowledged; the
 * parent kills it, reopens the store, and checks every acknowledged object byte for byte and that
 * nothing else is visible, not even half-written.
 *
 * <p>Kill points: {@code -Dconduit.crash.kills=N} (default 20; {@code ci/test.sh
 * -Dconduit.crash.kills=500} for the long run). Reproduce a failure with the printed
 * {@code -Dconduit.crash.seed=S}.
 */
class CrashRecoveryTest
{
    private static final int KILLS = Integer.getInteger("conduit.crash.kills", 20);
    private static final long SEED = Long.getLong("conduit.crash.seed", System.nanoTime());

    @Test
    void shouldKeepEveryAcknowledgedObjectAcrossSigkill() throws Exception
    {
        System.out.println("CrashRecoveryTest: kills=" + KILLS + " seed=" + SEED + " (rerun with -Dconduit.crash.seed=" + SEED + ")");
        final long startNs = System.nanoTime();
        // Under target/: the store needs O_DIRECT, which /tmp (tmpfs) may not support.
        final CrashHarness.Summary summary = CrashHarness.run(CrashWorkload.class, TargetDirs.create("crash-"), KILLS, SEED);
        System.out.println("CrashRecoveryTest: " + summary + " in " + (System.nanoTime() - startNs) / 1_000_000 + " ms");
        assertEquals(KILLS, summary.rounds());
    }
}
