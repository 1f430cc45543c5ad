package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILL rounds against a store in a data directory: each round starts a child JVM (a main that
 * prints {@link CrashWorkload#OPENING}, opens the store its own way and calls
 * {@link CrashWorkload#run}), kills it with {@link Process#destroyForcibly()}, reopens the store and
 * checks every acknowledged object byte for byte with its metadata, that nothing else is visible,
 * not even half-written ({@link AllowedStates}), that metadata search agrees with the catalog
 * ({@link MetadataIndexCheck}), and every fifth round that fsck is clean.
 *
 * <p>Kill points: most rounds wait for a random number (1..80) of acknowledged operations and a few
 * milliseconds more, and assert that the side log holds at least that many; some rounds kill a few
 * milliseconds after {@link CrashWorkload#OPENING}, inside JVM start, open or journal replay. The
 * verifying open is usually dropped as a crash would drop it ({@link ObjectStore#abandon()}), so
 * the journal carries over several crashes in a row with no clean close and no checkpoint.
 *
 * <p>Every wait on the child is bounded: a child that prints nothing, hangs or dies by itself fails
 * the round with its stderr.
 */
public final class CrashHarness
{
    /** What a run did. */
    public record Summary(int rounds, long acknowledged, int killsDuringOpen, int cleanCloses)
    {
    }

    /** How long the child may stay silent before a round fails as hung. */
    static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int OPEN_KILL_PERCENT = 20;
    private static final int MAX_ACKS_BEFORE_KILL = 80;

    private final Class<?> childMain;
    private final Path dir;
    private final Path sideLog;
    private final long stepTimeoutNs;

    private CrashHarness(final Class<?> childMain, final Path dir, final long stepTimeoutNs)
    {
        this.childMain = childMain;
        this.dir = dir;
        this.sideLog = dir.resolve("acked.log");
        this.stepTimeoutNs = stepTimeoutNs;
    }

    /**
     * Formats a store in {@code dir} and runs {@code kills} rounds.
     *
     * @param childMain the child's main class (on this JVM's class path); gets the data directory,
     *                  side log, seed and round as arguments.
     * @param dir       an empty directory on a filesystem with O_DIRECT.
     * @param kills     rounds.
     * @param seed      master seed; round {@code r}'s child gets {@code seed + r}.
     * @return what was done; {@code dir} is deleted when every round passed.
     * @throws Exception on I/O failure or interruption.
     */
    public static Summary run(final Class<?> childMain, final Path dir, final int kills, final long seed) throws Exception
    {
        return run(childMain, dir, kills, seed, STEP_TIMEOUT_NS);
    }

    /**
     * {@link #run(Class, Path, int, long)} with a chosen bound on each wait for the child.
     *
     * @param stepTimeoutNs how long the child may stay silent before the round fails as hung.
     */
    static Summary run(final Class<?> childMain, final Path dir, final int kills, final long seed, final long stepTimeoutNs) throws Exception
    {
        return new CrashHarness(childMain, dir, stepTimeoutNs).rounds(kills, seed);
    }

    private Summary rounds(final int kills, final long seed) throws Exception
    {
        DataDirectory.format(dir, 48L << 20, 2, FormatOptions.DEFAULT.withJournalBytes(2 << 20));
        final SplittableRandom random = new SplittableRandom(seed);
        final AllowedStates model = new AllowedStates();
        final SideLog log = new SideLog(sideLog);
        long acknowledged = 0;
        int killsDuringOpen = 0;
        int cleanCloses = 0;
        for (int round = 0; round < kills; round++)
        {
            final long childSeed = seed + round;
            final boolean duringOpen = random.nextInt(100) < OPEN_KILL_PERCENT;
            final int acksBeforeKill = duringOpen ? 0 : 1 + random.nextInt(MAX_ACKS_BEFORE_KILL);
            final int extraDelayMs = random.nextInt(duringOpen ? 40 : 20);
            final String context = childMain.getSimpleName() + " round " + round + " (child seed " + childSeed + ", kill after "
                + acksBeforeKill + " acks + " + extraDelayMs + " ms, master seed " + seed + ")";
            final boolean wasReady = runAndKill(childSeed, round, acksBeforeKill, extraDelayMs, context);
            killsDuringOpen += wasReady ? 0 : 1;
            final long acked = log.apply(model);
            assertTrue(acked >= acksBeforeKill, context + ": side log holds " + acked + " acknowledged operations, child printed "
                + acksBeforeKill);
            acknowledged += acked;
            final boolean cleanClose = round % 7 == 6;
            cleanCloses += cleanClose ? 1 : 0;
            verify(model, round % 5 == 4, cleanClose, context);
        }
        deleteTree(dir);
        return new Summary(kills, acknowledged, killsDuringOpen, cleanCloses);
    }

    private void verify(final AllowedStates model, final boolean fsck, final boolean cleanClose, final String context)
    {
        final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        try
        {
            model.verifyAndResolve(store, context);
            MetadataIndexCheck.assertConsistent(store, context);
            if (fsck)
            {
                final FsckReport report = store.fsck(false, ProgressListener.NONE);
                assertTrue(report.clean(), context + ": fsck " + report.problems());
            }
        }
        finally
        {
            if (cleanClose)
            {
                store.close();
            }
            else
            {
                store.abandon();
            }
        }
    }

    /** @return true when the child had opened the store before it was killed. */
    private boolean runAndKill(final long seed, final int round, final int acksBeforeKill, final int extraDelayMs, final String context)
        throws IOException, InterruptedException
    {
        final Path stderr = dir.resolve("child-" + round + ".err");
        final Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"),
            childMain.getName(), dir.toString(), sideLog.toString(), Long.toString(seed), Integer.toString(round)))
            .redirectError(stderr.toFile())
            .start();
        final ChildOutput out = new ChildOutput(child, stderr, context, stepTimeoutNs);
        try
        {
            out.awaitOpening();
            if (acksBeforeKill > 0)
            {
                out.awaitAcks(acksBeforeKill);
            }
            Thread.sleep(extraDelayMs);
            out.drain();
            if (!child.isAlive())
            {
                fail(context + ": child died by itself (exit " + child.exitValue() + "): " + Files.readString(stderr));
            }
        }
        finally
        {
            child.destroyForcibly();
        }
        if (!child.waitFor(30, TimeUnit.SECONDS))
        {
            fail(context + ": child did not die after SIGKILL");
        }
        Files.deleteIfExists(stderr);
        return out.ready;
    }

    /**
     * @param dir a directory to remove with everything in it.
     * @throws IOException when something cannot be deleted.
     */
    static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    /** The child's stdout, read without blocking so that every wait has a deadline. */
    private static final class ChildOutput
    {
        private final Process child;
        private final InputStream in;
        private final Path stderr;
        private final String context;
        private final long stepTimeoutNs;
        private final StringBuilder line = new StringBuilder();
        private boolean opening;
        private boolean ready;
        private int acks;
        /** Moves on with every line, so a slow but live child is never cut off. */
        private long deadlineNs;

        ChildOutput(final Process child, final Path stderr, final String context, final long stepTimeoutNs)
        {
            this.stepTimeoutNs = stepTimeoutNs;
            this.deadlineNs = System.nanoTime() + stepTimeoutNs;
            this.child = child;
            this.in = child.getInputStream();
            this.stderr = stderr;
            this.context = context;
        }

        void awaitOpening() throws IOException, InterruptedException
        {
            while (!opening)
            {
                step("print " + CrashWorkload.OPENING);
            }
        }

        void awaitAcks(final int count) throws IOException, InterruptedException
        {
            while (acks < count)
            {
                step("acknowledge " + count + " operations (" + acks + " so far, ready " + ready + ")");
            }
        }

        private void step(final String what) throws IOException, InterruptedException
        {
            if (drain() == 0)
            {
                if (!child.isAlive() && drain() == 0)
                {
                    fail(context + ": child exited (" + child.exitValue() + ") before it could " + what + ": " + Files.readString(stderr));
                }
                if (System.nanoTime() - deadlineNs > 0)
                {
                    fail(context + ": child hung: it did not " + what + " within " + TimeUnit.NANOSECONDS.toMillis(stepTimeoutNs)
                        + " ms: " + Files.readString(stderr));
                }
                Thread.sleep(1);
            }
        }

        /** @return bytes consumed. */
        int drain() throws IOException
        {
            int consumed = 0;
            int available;
            while ((available = available()) > 0)
            {
                final byte[] chunk = in.readNBytes(available);
                consumed += chunk.length;
                for (final char c : new String(chunk, StandardCharsets.US_ASCII).toCharArray())
                {
                    if (c == '\n')
                    {
                        onLine(line.toString());
                        line.setLength(0);
                    }
                    else
                    {
                        line.append(c);
                    }
                }
            }
            return consumed;
        }

        /** The JDK closes a dead child's empty pipe, after which {@code available()} throws: that is the end. */
        private int available()
        {
            try
            {
                return in.available();
            }
            catch (final IOException e)
            {
                return 0;
            }
        }

        private void onLine(final String text)
        {
            deadlineNs = System.nanoTime() + stepTimeoutNs;
            switch (text)
            {
                case CrashWorkload.OPENING -> opening = true;
                case CrashWorkload.READY -> ready = true;
                case CrashWorkload.ACK -> acks++;
                default ->
                {
                    // Anything else the child prints (JVM warnings) is not part of the protocol.
                }
            }
        }
    }
}
