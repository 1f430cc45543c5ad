package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.conduit.blocklayout.namespace.TargetDirs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compose while another thread keeps replacing one of its parts, on real O_DIRECT files: the
 * composed object always holds the bytes of one version of that part that was really written (a
 * compose planned from a replaced version is refused as stale and planned again, so it never
 * publishes extents that were retired and reused), and the store stays consistent: reopen rebuilds
 * the same space, fsck is clean, deleting everything frees everything.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ComposeRaceTest
{
    private static final int ROUNDS = 12;

    @TempDir(factory = TargetDirs.Factory.class)
    Path dir;

    @Test
    void shouldComposeOneRealVersionOfAPartReplacedConcurrently() throws Exception
    {
        DataDirectory.format(dir, 96L * MIB, 1, FormatOptions.DEFAULT.withJournalBytes(4 * MIB));
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        final long used;
        final ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
        try
        {
            final long baseline = ComposeTest.used(store);
            for (int round = 0; round < ROUNDS; round++)
            {
                // Even rounds join in place (1 MiB parts), odd rounds copy (1,000,000-byte parts).
                final int size = round % 2 == 0 ? (int)MIB : 1_000_000;
                final String prefix = "r" + round + "/";
                final byte[] first = content(round, size);
                final byte[] last = content(round + 500, 1000);
                store.put(prefix + "0", first, ObjectMetadata.NONE);
                store.put(prefix + "1", variant(0, size), ObjectMetadata.NONE);
                store.put(prefix + "2", last, ObjectMetadata.NONE);
                // Fewer replacements than Composer.MAX_ATTEMPTS: each can make at most one plan stale.
                final AtomicInteger written = new AtomicInteger(1);
                final Future<?> writer = pool.submit(() ->
                {
                    for (int n = 1; n < Composer.MAX_ATTEMPTS; n++)
                    {
                        store.put(prefix + "1", variant(n, size), ObjectMetadata.NONE);
                        written.incrementAndGet();
                        Thread.sleep(1);
                    }
                    return null;
                });
                Thread.sleep(1);
                final ObjectRecord composed = store.compose("obj/" + round, List.of(prefix + "0", prefix + "1", prefix + "2"),
                    ObjectMetadata.NONE, CommitCondition.NONE);
                writer.get(60, TimeUnit.SECONDS);
                store.delete(prefix + "1");
                final byte[] bytes = store.getBytes(composed.key());
                assertTrue(Arrays.equals(first, 0, size, bytes, 0, size), "round " + round + ": first part");
                assertTrue(Arrays.equals(last, 0, last.length, bytes, 2 * size, bytes.length), "round " + round + ": last part");
                final byte[] middle = Arrays.copyOfRange(bytes, size, 2 * size);
                assertTrue(isWrittenVariant(middle, written.get(), size), "round " + round + ": the middle part is no version that was written");
                assertEquals(3, composed.partCount());
            }
            assertTrue(store.fsck(false, ProgressListener.NONE).clean());
            // Replaced parts retired while a compose pinned them are freed by the next commit's drain.
            store.put("nudge", new byte[1], ObjectMetadata.NONE);
            assertTrue(store.delete("nudge"));
            used = ComposeTest.used(store);
            assertTrue(used > baseline);
        }
        finally
        {
            pool.shutdownNow();
            store.abandon();
        }
        try (ObjectStore reopened = DataDirectory.open(dir, StoreOptions.DEFAULT))
        {
            assertEquals(used, ComposeTest.used(reopened), "space rebuilt from the catalog after replay");
            for (final ObjectRecord r : reopened.list(ListRequest.of("", ListRequest.MAX_LIMIT)).objects())
            {
                assertTrue(reopened.delete(r.key()));
            }
            long checkpointBytes = 0;
            for (final Extent e : reopened.checkpointRef().extents())
            {
                checkpointBytes += e.lengthBytes();
            }
            assertEquals(checkpointBytes, ComposeTest.used(reopened), "no space left used once every object is deleted");
        }
    }

    /** The middle part's content number {@code n}: its first 8 bytes say which, the rest is derived from it. */
    private static byte[] variant(final int n, final int size)
    {
        final byte[] b = content(10_000 + n, size);
        for (int i = 0; i < 4; i++)
        {
            b[i] = (byte)(n >>> (8 * i));
        }
        return b;
    }

    private static boolean isWrittenVariant(final byte[] middle, final int writtenCount, final int size)
    {
        final int n = (middle[0] & 0xFF) | (middle[1] & 0xFF) << 8 | (middle[2] & 0xFF) << 16 | (middle[3] & 0xFF) << 24;
        return n >= 0 && n < writtenCount && Arrays.equals(middle, variant(n, size));
    }
}
