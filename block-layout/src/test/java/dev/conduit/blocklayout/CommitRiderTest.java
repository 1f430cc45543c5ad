package dev.conduit.blocklayout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link CommitRider}'s 0-byte object is journaled right after its put, in the put's batch:
 * one journal batch (one flush) for both, built from the version the put got, never for a put
 * that did not publish, seen by conditional writes later in the same batch, and kept across a
 * reopen without a clean close.
 */
@Timeout(120)
class CommitRiderTest
{
    private List<MemoryNamespace> media;
    private ObjectStore store;

    @BeforeEach
    void setUp()
    {
        media = TestStores.formatted(2, 32L << 20, FormatOptions.DEFAULT);
        store = TestStores.open(media);
    }

    @AfterEach
    void tearDown()
    {
        store.close();
        TestStores.closeAll(media);
    }

    /** A rider on {@code r/<key>} whose metadata names the put's version, as the tier's upload record does. */
    static CommitRider versionRider(final String key, final Object note)
    {
        return new CommitRider("r/" + key, published -> new ObjectMetadata("", Map.of("v", Long.toString(published.version()))), note);
    }

    static ObjectRecord put(final ObjectStore s, final String key, final byte[] data, final Object note, final CommitCondition condition)
    {
        try (PutSession put = s.openPut(key, ObjectMetadata.NONE))
        {
            put.append(data, 0, data.length);
            return put.commit(PutSession.UNKNOWN_SIZE, null, condition, null, note);
        }
    }

    @Test
    void shouldPublishTheRiderInTheSameJournalBatchAsItsPut()
    {
        final long batches = store.counter(StoreCounter.JOURNAL_BATCHES);
        final ObjectRecord put = put(store, "k", content(1, 70_000), versionRider("k", null), CommitCondition.NONE);
        assertEquals(batches + 1, store.counter(StoreCounter.JOURNAL_BATCHES), "one journal batch for the put and its rider");
        final ObjectRecord rider = store.stat("r/k");
        assertEquals(Long.toString(put.version()), rider.userMetadata().get("v"));
        assertEquals(put.version() + 1, rider.version(), "the rider takes the version after its put's");
        assertEquals(0, rider.sizeBytes());
        assertArrayEquals(content(1, 70_000), store.getBytes("k"));
        // An overwrite replaces the rider too, in one batch again.
        final ObjectRecord again = put(store, "k", content(2, 100), versionRider("k", null), CommitCondition.NONE);
        assertEquals(batches + 2, store.counter(StoreCounter.JOURNAL_BATCHES));
        assertEquals(Long.toString(again.version()), store.stat("r/k").userMetadata().get("v"));
    }

    @Test
    void shouldCarryACompanionNoteInTheSameBatch()
    {
        store.attachCompanion(new LogCompanion(store));
        final long batches = store.counter(StoreCounter.JOURNAL_BATCHES);
        final ObjectRecord put = put(store, "k", content(3, 5000), versionRider("k", "n1"), CommitCondition.NONE);
        assertEquals(batches + 1, store.counter(StoreCounter.JOURNAL_BATCHES), "put, rider and companion in one journal batch");
        assertEquals(List.of("n1 k " + put.version()), LogCompanion.lines(store));
        assertEquals(Long.toString(put.version()), store.stat("r/k").userMetadata().get("v"));
    }

    @Test
    void shouldPublishNoRiderForARefusedPutNorForOneWhoseRiderCannotBeBuilt()
    {
        final ObjectRecord first = put(store, "k", content(4, 3000), versionRider("k", null), CommitCondition.NONE);
        final long used = store.space().usedBytes();
        final ConduitException refused = assertThrows(ConduitException.class,
            () -> put(store, "k", content(5, 3000), versionRider("k", null), CommitCondition.IF_ABSENT));
        assertEquals(ErrorCode.PRECONDITION_FAILED, refused.code());
        assertEquals(Long.toString(first.version()), store.stat("r/k").userMetadata().get("v"), "the rider of a refused put is not published");
        final CommitRider broken = new CommitRider("r/k", r ->
        {
            throw new IllegalStateException("no metadata");
        }, null);
        assertThrows(IllegalStateException.class, () -> put(store, "k", content(6, 3000), broken, CommitCondition.NONE));
        assertArrayEquals(content(4, 3000), store.getBytes("k"), "a put whose rider failed is not published");
        assertEquals(Long.toString(first.version()), store.stat("r/k").userMetadata().get("v"));
        assertEquals(used, store.space().usedBytes(), "the refused puts' space was freed");
    }

    @Test
    void shouldLetALaterConditionalWriteOfTheSameBatchSeeTheRider() throws Exception
    {
        put(store, "k", content(7, 1000), versionRider("k", null), CommitCondition.NONE);
        final long riderBefore = store.stat("r/k").version();
        // A put whose rider blocks the leader: the two writes below queue meanwhile and share the next batch.
        final CountDownLatch leading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Function<ObjectRecord, ObjectMetadata> held = r ->
        {
            leading.countDown();
            await(release);
            return ObjectMetadata.NONE;
        };
        final CompletableFuture<ObjectRecord> blocker = CompletableFuture.supplyAsync(
            () -> put(store, "b", content(8, 100), new CommitRider("r/b", held, null), CommitCondition.NONE));
        assertTrue(leading.await(30, TimeUnit.SECONDS));
        final long batches = store.counter(StoreCounter.JOURNAL_BATCHES);
        final CompletableFuture<ObjectRecord> overwrite = CompletableFuture.supplyAsync(
            () -> put(store, "k", content(9, 1000), versionRider("k", null), CommitCondition.NONE));
        Thread.sleep(300); // the overwrite queues first (nothing to observe: it waits for the leader)
        final CompletableFuture<ObjectRecord> stale = CompletableFuture.supplyAsync(() ->
        {
            try (PutSession p = store.openPut("r/k", new ObjectMetadata("", Map.of("v", "synced")), 0))
            {
                return p.commit(0, null, CommitCondition.ifVersion(riderBefore));
            }
        });
        Thread.sleep(300);
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        final ObjectRecord written = overwrite.get(30, TimeUnit.SECONDS);
        final Exception e = assertThrows(Exception.class, () -> stale.get(30, TimeUnit.SECONDS));
        assertEquals(ErrorCode.PRECONDITION_FAILED, ((ConduitException)e.getCause()).code(), "the rider of the same batch replaced the record");
        assertEquals(batches + 2, store.counter(StoreCounter.JOURNAL_BATCHES), "the blocker's batch, then one for the overwrite and the refused write");
        assertEquals(Long.toString(written.version()), store.stat("r/k").userMetadata().get("v"));
    }

    @Test
    void shouldKeepEachPutWithItsRiderAfterAReopenWithoutAClose()
    {
        final ObjectRecord a = put(store, "a", content(10, 300_000), versionRider("a", null), CommitCondition.NONE);
        final ObjectRecord b = put(store, "b", content(11, 10), versionRider("b", null), CommitCondition.NONE);
        // An image of the media while the store is open: the journal is all there is, as after kill -9.
        final List<MemoryNamespace> image = media.stream().map(m -> m.copy("crash")).toList();
        try (ObjectStore reopened = TestStores.open(image))
        {
            assertEquals(Long.toString(a.version()), reopened.stat("r/a").userMetadata().get("v"));
            assertEquals(Long.toString(b.version()), reopened.stat("r/b").userMetadata().get("v"));
            assertArrayEquals(content(10, 300_000), reopened.getBytes("a"));
            assertFalse(reopened.find("r/c").isPresent());
            assertTrue(reopened.fsck(false, ProgressListener.NONE).clean());
        }
        finally
        {
            TestStores.closeAll(image);
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
