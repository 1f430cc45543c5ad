package dev.conduit.blocklayout;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash harness itself must be able to fail: a child that hangs fails the round within the step
 * timeout, and a child that acknowledges operations it never made durable is caught on reopen.
 */
class CrashHarnessTest
{
    private static final long SEED = 7;

    /** Prints {@link CrashWorkload#OPENING}, then never opens the store nor exits (until its parent does). */
    public static final class HangingChild
    {
        private HangingChild()
        {
        }

        /**
         * @param args ignored.
         * @throws InterruptedException never in practice.
         */
        public static void main(final String[] args) throws InterruptedException
        {
            CrashWorkload.exitWhenParentDies();
            CrashWorkload.announce(CrashWorkload.OPENING);
            Thread.sleep(TimeUnit.MINUTES.toMillis(10));
        }
    }

    /** Logs and acknowledges puts without ever writing them to the store. */
    public static final class LyingChild
    {
        private LyingChild()
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
            try (ObjectStore store = DataDirectory.open(Path.of(args[0]), StoreOptions.DEFAULT);
                 FileOutputStream log = new FileOutputStream(args[1], true))
            {
                CrashWorkload.announce(CrashWorkload.READY);
                for (int i = 0; i < CrashWorkload.MAX_OPS; i++)
                {
                    final long id = Long.parseLong(args[3]) * CrashWorkload.MAX_OPS + i;
                    log.write(("B " + id + " lie" + i + " " + id + " 100\nA " + id + "\n").getBytes(StandardCharsets.US_ASCII));
                    log.getFD().sync();
                    CrashWorkload.announce(CrashWorkload.ACK);
                }
            }
        }
    }

    @Test
    void shouldFailARoundWithinTheStepTimeoutWhenTheChildHangs() throws Exception
    {
        final Path dir = TargetDirs.create("crash-hang-");
        final AssertionFailedError e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(AssertionFailedError.class,
            () -> CrashHarness.run(HangingChild.class, dir, 2, SEED, TimeUnit.SECONDS.toNanos(3))));
        assertTrue(e.getMessage().contains("child hung"), e.getMessage());
        CrashHarness.deleteTree(dir);
    }

    @Test
    void shouldFailWhenAnAcknowledgedOperationIsMissingAfterTheKill() throws Exception
    {
        final Path dir = TargetDirs.create("crash-lie-");
        final AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> CrashHarness.run(LyingChild.class, dir, 3, SEED));
        assertTrue(e.getMessage().contains("acknowledged key lie"), e.getMessage());
        CrashHarness.deleteTree(dir);
    }
}
