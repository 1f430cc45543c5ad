package dev.conduit.blocklayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SIGKILL right around {@link ObjectStore#compose}: a child JVM ({@link ComposeCrashChild}) uploads
 * parts and composes them on real O_DIRECT file namespaces (two, so objects are striped) and is
 * killed a few milliseconds after it announces a compose. After reopening, every round whose parts
 * were acknowledged shows either all its parts or the composed object (byte-exact, multipart
 * ETag), never both and never neither; a compose that returned is there; fsck is clean; and
 * deleting everything leaves no space used outside the checkpoint, so nothing leaked or was
 * counted twice. The store carries over from one kill to the next.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ComposeCrashTest
{
    private static final int KILLS = 6;
    private static final long SEED = Long.getLong("conduit.crash.seed", System.nanoTime());
    private static final long STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    @Test
    void shouldLeaveEitherThePartsOrTheComposedObjectWhenKilledAroundCompose() throws Exception
    {
        System.out.println("ComposeCrashTest: seed=" + SEED + " (rerun with -Dconduit.crash.seed=" + SEED + ")");
        final Path dir = TargetDirs.create("compose-crash-");
        DataDirectory.format(dir, 192L << 20, 2, FormatOptions.DEFAULT.withJournalBytes(2 << 20));
        final SplittableRandom random = new SplittableRandom(SEED);
        int composedInFlight = 0;
        int partsInFlight = 0;
        for (int kill = 0; kill < KILLS; kill++)
        {
            final int killAtRound = random.nextInt(ComposeCrashChild.MAX_ROUNDS - 2);
            final int delayMs = random.nextInt(12);
            final String prefix = "c" + kill + "/";
            final String context = "kill " + kill + " (at compose of round " + killAtRound + " + " + delayMs + " ms, seed " + SEED + ")";
            final List<String> lines = runAndKill(dir, SEED + kill, prefix, killAtRound, delayMs, context);
            final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
            try
            {
                final boolean inFlightComposed = verifyRounds(store, SEED + kill, prefix, lines, killAtRound, context);
                composedInFlight += inFlightComposed ? 1 : 0;
                partsInFlight += inFlightComposed ? 0 : 1;
                assertTrue(store.fsck(false, ProgressListener.NONE).clean(), context + ": fsck");
                for (final ObjectRecord r : store.list(ListRequest.of(prefix, ListRequest.MAX_LIMIT)).objects())
                {
                    assertTrue(store.delete(r.key()), r.key());
                }
                assertEquals(0, store.list(ListRequest.of("", 10)).objects().size(), context);
                assertEquals(0, ComposeTest.used(store) - checkpointBytes(store), context + ": space used with no objects left");
            }
            finally
            {
                if (kill % 2 == 0)
                {
                    store.abandon();
                }
                else
                {
                    store.close();
                }
            }
        }
        System.out.println("ComposeCrashTest: the compose in flight was published in " + composedInFlight + " kills, not in "
            + partsInFlight);
        CrashHarness.deleteTree(dir);
    }

    /** @return whether the compose the child was killed around was published. */
    private static boolean verifyRounds(
        final ObjectStore store, final long seed, final String prefix, final List<String> lines, final int killAtRound, final String context)
        throws Exception
    {
        long objects = 0;
        boolean inFlightComposed = false;
        for (int round = 0; round < ComposeCrashChild.MAX_ROUNDS; round++)
        {
            final String at = context + ", round " + round;
            final List<byte[]> parts = ComposeCrashChild.parts(seed, round);
            final Optional<ObjectRecord> composed = store.find(ComposeCrashChild.objectKey(prefix, round));
            int partsLeft = 0;
            for (int i = 0; i < parts.size(); i++)
            {
                final String key = ComposeCrashChild.partKey(prefix, round, i);
                if (store.find(key).isPresent())
                {
                    partsLeft++;
                    assertArrayEquals(parts.get(i), store.getBytes(key), at + ": part " + i);
                }
            }
            if (composed.isPresent())
            {
                assertEquals(0, partsLeft, at + ": composed object and parts both exist");
                assertEquals(ComposeTest.multipartEtag(parts), composed.get().etag(), at);
                assertArrayEquals(ComposeTest.concat(parts), store.getBytes(composed.get().key()), at);
                objects++;
                inFlightComposed |= round == killAtRound;
            }
            else if (lines.contains(ComposeCrashChild.PARTS + round))
            {
                assertFalse(lines.contains(ComposeCrashChild.COMPOSED + round), at + ": an acknowledged compose is missing");
                assertEquals(parts.size(), partsLeft, at + ": neither the composed object nor all its parts exist");
            }
            objects += partsLeft;
        }
        assertEquals(objects, store.list(ListRequest.of(prefix, ListRequest.MAX_LIMIT)).objects().size(), context + ": unexpected keys");
        return inFlightComposed;
    }

    private static long checkpointBytes(final ObjectStore store)
    {
        long total = 0;
        for (final Extent e : store.checkpointRef().extents())
        {
            total += e.lengthBytes();
        }
        return total;
    }

    /** @return the child's stdout lines; it was killed {@code delayMs} after announcing compose {@code killAtRound}. */
    private static List<String> runAndKill(
        final Path dir, final long seed, final String prefix, final int killAtRound, final int delayMs, final String context)
        throws IOException, InterruptedException
    {
        final Path stdout = dir.resolve("child.out");
        final Path stderr = dir.resolve("child.err");
        final Process child = ChildJvm.start(ComposeCrashChild.class, stdout, stderr, dir.toString(), Long.toString(seed), prefix);
        final String trigger = ComposeCrashChild.COMPOSING + killAtRound;
        final long deadlineNs = System.nanoTime() + STEP_TIMEOUT_NS;
        while (!Files.readAllLines(stdout, StandardCharsets.US_ASCII).contains(trigger))
        {
            if (!child.isAlive() || System.nanoTime() - deadlineNs > 0)
            {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                fail(context + ": child never reached " + trigger + ": " + Files.readString(stderr));
            }
            Thread.sleep(1);
        }
        Thread.sleep(delayMs);
        ChildJvm.kill(child, context);
        final List<String> lines = Files.readAllLines(stdout, StandardCharsets.US_ASCII);
        Files.delete(stdout);
        Files.deleteIfExists(stderr);
        return lines;
    }
}
