package dev.conduit.blocklayout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILL at random moments: a child JVM ({@link CrashWorkload}) runs random operations against a
 * store on real O_DIRECT file namespaces and logs what was acknowledged; the parent kills it with
 * {@link Process#destroyForcibly()}, reopens the store, and checks every acknowledged object byte
 * for byte and that nothing else is visible, not even half-written (see {@link AllowedStates}).
 *
 * <p>Kill points: {@code -Dconduit.crash.kills=N} (default 25; {@code ci/test.sh
 * -Dconduit.crash.kills=500} for the long run). Reproduce a failure with the printed
 * {@code -Dconduit.crash.seed=S}.
 */
class CrashRecoveryTest
{
    private static final int KILLS = Integer.getInteger("conduit.crash.kills", 25);
    private static final long SEED = Long.getLong("conduit.crash.seed", System.nanoTime());
    private static final long READY_TIMEOUT_S = 60;

    @Test
    void shouldKeepEveryAcknowledgedObjectAcrossSigkill() throws Exception
    {
        System.out.println("CrashRecoveryTest: kills=" + KILLS + " seed=" + SEED + " (rerun with -Dconduit.crash.seed=" + SEED + ")");
        // Under target/: the store needs O_DIRECT, which /tmp (tmpfs) may not support.
        final Path dir = TargetDirs.create("crash-");
        final Path sideLog = dir.resolve("acked.log");
        DataDirectory.format(dir, 48L << 20, 2, FormatOptions.DEFAULT.withJournalBytes(2 << 20));
        final SplittableRandom random = new SplittableRandom(SEED);
        final AllowedStates model = new AllowedStates();
        final SideLogReader log = new SideLogReader(sideLog);
        for (int round = 0; round < KILLS; round++)
        {
            final long childSeed = SEED + round;
            final long delayMs = 20 + random.nextInt(500);
            final String context = "round " + round + " (child seed " + childSeed + ", kill after " + delayMs + " ms, master seed " + SEED + ")";
            runAndKill(dir, sideLog, childSeed, round, delayMs, context);
            final long acknowledged = log.apply(model);
            try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                model.verifyAndResolve(store, context);
                if (round % 5 == 4)
                {
                    final FsckReport report = store.fsck(false, ProgressListener.NONE);
                    assertTrue(report.clean(), context + ": fsck " + report.problems());
                }
            }
            System.out.println(context + ": " + acknowledged + " acknowledged operations, " + model.keys().size() + " keys checked");
        }
        // Kept on failure for inspection; removed on success so repeated runs do not fill target/.
        deleteTree(dir);
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    private static void runAndKill(final Path dir, final Path sideLog, final long seed, final int round, final long delayMs, final String context)
        throws IOException, InterruptedException
    {
        final Path stderr = dir.resolve("child-" + round + ".err");
        final Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            CrashWorkload.class.getName(), dir.toString(), sideLog.toString(), Long.toString(seed), Integer.toString(round)))
            .redirectError(stderr.toFile())
            .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
            String line;
            while ((line = out.readLine()) != null && !CrashWorkload.READY.equals(line))
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    break;
                }
            }
            if (line == null)
            {
                child.waitFor(10, TimeUnit.SECONDS);
                fail(context + ": child exited before it was ready (exit " + child.exitValue() + "): " + Files.readString(stderr));
            }
            Thread.sleep(delayMs);
            if (!child.isAlive())
            {
                fail(context + ": child died by itself (exit " + child.exitValue() + "): " + Files.readString(stderr));
            }
            child.destroyForcibly();
            if (!child.waitFor(30, TimeUnit.SECONDS))
            {
                fail(context + ": child did not die after SIGKILL");
            }
        }
        Files.deleteIfExists(stderr);
    }

    /** Reads the side log incrementally and feeds the model; drops a torn last line. */
    private static final class SideLogReader
    {
        private final Path path;
        private long consumed;

        SideLogReader(final Path path)
        {
            this.path = path;
        }

        long apply(final AllowedStates model) throws IOException
        {
            if (!Files.exists(path))
            {
                return 0;
            }
            final byte[] all = Files.readAllBytes(path);
            final int end = lastNewline(all) + 1;
            final String text = new String(all, (int)consumed, end - (int)consumed, StandardCharsets.US_ASCII);
            String[] pending = null;
            long acked = 0;
            for (final String line : text.split("\n"))
            {
                final String[] f = line.split(" ");
                if (f[0].equals("B"))
                {
                    pending = f;
                }
                else if (f[0].equals("A") && pending != null && pending[1].equals(f[1]))
                {
                    model.acked(pending[2], state(pending));
                    pending = null;
                    acked++;
                }
            }
            if (pending != null)
            {
                model.uncertain(pending[2], state(pending));
            }
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
            {
                // The next child appends after the last complete line.
                file.setLength(end);
            }
            consumed = end;
            return acked;
        }

        private static AllowedStates.State state(final String[] begin)
        {
            final int size = Integer.parseInt(begin[4]);
            return size < 0 ? AllowedStates.ABSENT : new AllowedStates.State(Long.parseLong(begin[3]), size);
        }

        private static int lastNewline(final byte[] b)
        {
            for (int i = b.length - 1; i >= 0; i--)
            {
                if (b[i] == '\n')
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
