package dev.conduit.blocklayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * SIGKILL in the middle of a streaming put: a child JVM ({@link PutSessionCrashChild}) appends to
 * a put session of unknown length on real O_DIRECT file namespaces and is killed at a random
 * moment; the reopened store shows no trace of the object, its space report equals the one from
 * before the session, and fsck finds nothing wrong.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PutSessionCrashTest
{
    private static final int ROUNDS = 4;
    private static final long SEED = Long.getLong("conduit.crash.seed", System.nanoTime());
    private static final long READY_TIMEOUT_S = 60;

    @Test
    void shouldLeaveNoObjectAndNoLeakedSpaceWhenKilledMidSession() throws Exception
    {
        System.out.println("PutSessionCrashTest: seed=" + SEED + " (rerun with -Dconduit.crash.seed=" + SEED + ")");
        final Path dir = TargetDirs.create("put-crash-");
        DataDirectory.format(dir, 160L << 20, 2, FormatOptions.DEFAULT.withJournalBytes(2 << 20));
        final byte[] baseline = TestStores.content(SEED, 3 << 20);
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            store.put("baseline", baseline, ObjectMetadata.NONE);
        }
        final SpaceReport before;
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            before = store.space();
        }
        final SplittableRandom random = new SplittableRandom(SEED);
        long mostAppended = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long delayMs = 30 + random.nextInt(400);
            final String context = "round " + round + " (kill after " + delayMs + " ms, seed " + SEED + ")";
            final long appended = runAndKill(dir, SEED + round, delayMs, context);
            mostAppended = Math.max(mostAppended, appended);
            try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT))
            {
                assertFalse(store.find(PutSessionCrashChild.KEY).isPresent(), context);
                final ListPage page = store.list(ListRequest.of("", 100));
                assertEquals(1, page.objects().size(), context);
                assertEquals("baseline", page.objects().getFirst().key(), context);
                assertEquals(before, store.space(), context + ": space report after " + appended + " bytes appended");
                assertTrue(store.fsck(false, ProgressListener.NONE).clean(), context);
                assertArrayEquals(baseline, store.getBytes("baseline"), context);
            }
            System.out.println(context + ": killed after " + appended + " bytes appended");
        }
        assertTrue(mostAppended > 2 * ObjectWriter.STAGING_BYTES, "no round got past the first staging buffers: " + mostAppended);
        deleteTree(dir);
    }

    /** @return the bytes the child reported appended before it died. */
    private static long runAndKill(final Path dir, final long seed, final long delayMs, final String context)
        throws IOException, InterruptedException
    {
        final Path stderr = dir.resolve("child.err");
        final Path stdout = dir.resolve("child.out");
        final Process child = ChildJvm.start(PutSessionCrashChild.class, stdout, stderr, dir.toString(), Long.toString(seed));
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_S);
        while (!Files.readString(stdout).startsWith(PutSessionCrashChild.READY))
        {
            if (!child.isAlive() || System.nanoTime() - deadlineNs > 0)
            {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
                fail(context + ": child was not ready: " + Files.readString(stderr));
            }
            Thread.sleep(5);
        }
        Thread.sleep(delayMs);
        if (!child.isAlive())
        {
            fail(context + ": child died by itself (exit " + child.exitValue() + "): " + Files.readString(stderr));
        }
        ChildJvm.kill(child, context);
        long appended = 0;
        for (final String line : Files.readAllLines(stdout, StandardCharsets.US_ASCII))
        {
            if (line.startsWith(PutSessionCrashChild.APPENDED))
            {
                appended = Long.parseLong(line.substring(PutSessionCrashChild.APPENDED.length()));
            }
        }
        Files.delete(stdout);
        Files.deleteIfExists(stderr);
        return appended;
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
}
