package dev.conduit.objecttier.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.conduit.blocklayout.CommitCondition;
import dev.conduit.blocklayout.DataDirectory;
import dev.conduit.blocklayout.FormatOptions;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectRecord;
import dev.conduit.blocklayout.ObjectStore;
import dev.conduit.blocklayout.PutSession;
import dev.conduit.blocklayout.StoreCounter;
import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log on a real store (files under {@code target/}, O_DIRECT, through the scheduler):
 * entries durable and chained across reopen, group commit under concurrent appends, and the
 * verifier catching each kind of tampering done directly to the stored batches.
 */
@Timeout(120)
class AuditLogTest
{
    private Path dir;
    private ScheduledStore scheduled;

    @BeforeEach
    void setUp() throws IOException
    {
        final Path base = Files.createDirectories(Path.of("target", "audit-tests"));
        dir = Files.createTempDirectory(base, "store");
        DataDirectory.format(dir, 64L << 20, 1, FormatOptions.DEFAULT);
        scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
    }

    @AfterEach
    void tearDown() throws IOException
    {
        scheduled.close();
        DataDirectory.destroy(dir);
    }

    private ObjectStore store()
    {
        return scheduled.store();
    }

    private static AuditEvent event(final int i)
    {
        return new AuditEvent(1_780_000_000_000L + i, "AKIDTEST", "PutObject", "bucket", "key-" + i, "",
            "\"etag" + i + "\"", 200, "", "req-" + i);
    }

    /** Appends {@code count} events one at a time, each durable before the next: one batch each. */
    private static void appendEach(final AuditLog log, final int from, final int count) throws Exception
    {
        for (int i = from; i < from + count; i++)
        {
            log.append(event(i)).get(10, TimeUnit.SECONDS);
        }
    }

    private List<AuditEntry> entries()
    {
        final List<AuditEntry> all = new ArrayList<>();
        new AuditReader(store()).forEachEntry(all::add);
        return all;
    }

    @Test
    void shouldChainEntriesDurablyAndContinueAfterReopen() throws Exception
    {
        try (AuditLog log = AuditLog.open(store()))
        {
            appendEach(log, 1, 3);
        }
        scheduled.close();
        scheduled = ScheduledStore.open(dir, StoreOptions.DEFAULT, Priority.LATENCY);
        try (AuditLog log = AuditLog.open(store()))
        {
            final AuditEntry fourth = log.append(event(4)).get(10, TimeUnit.SECONDS);
            assertEquals(4, fourth.seq());
            appendEach(log, 5, 1);
        }
        final List<AuditEntry> all = entries();
        assertEquals(5, all.size());
        for (int i = 0; i < all.size(); i++)
        {
            assertEquals(i + 1, all.get(i).seq());
            assertEquals("key-" + (i + 1), all.get(i).key());
            assertEquals(i == 0 ? AuditEntry.GENESIS : all.get(i - 1).hash(), all.get(i).prev());
        }
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertTrue(report.intact(), report.problems().toString());
        assertEquals(5, report.entries());
        assertEquals(5, report.headSeq());
        assertEquals(all.getLast().hash(), report.headHash());
    }

    private static ObjectRecord notedPut(final ObjectStore store, final String key, final AuditLog.Note note, final CommitCondition condition)
    {
        try (PutSession put = store.openPut(key, ObjectMetadata.NONE))
        {
            final byte[] data = key.getBytes(StandardCharsets.UTF_8);
            put.append(data, 0, data.length);
            return put.commit(PutSession.UNKNOWN_SIZE, null, condition, null, note);
        }
    }

    @Test
    void shouldStoreAPutsNotedEntryInThePutsOwnJournalBatchBetweenAppendedOnes() throws Exception
    {
        try (AuditLog log = AuditLog.open(store()))
        {
            appendEach(log, 1, 1);
            final AuditLog.Note note = log.note(record -> new AuditEvent(1_780_000_000_100L, "AKIDTEST", "PutObject", "bucket",
                record.key(), record.versionIdText(), "\"" + record.etag() + "\"", 200, "", "req-put"));
            final long batches = store().counter(StoreCounter.JOURNAL_BATCHES);
            final ObjectRecord stored = notedPut(store(), "data/a", note, CommitCondition.NONE);
            assertEquals(batches + 1, store().counter(StoreCounter.JOURNAL_BATCHES), "the object and its entry in one journal batch");
            assertEquals(2, note.entry().seq());
            assertEquals("data/a", note.entry().key());
            assertEquals("\"" + stored.etag() + "\"", note.entry().etag());
            // A write its condition refuses publishes nothing, so its note stays unsealed and takes no sequence number.
            final AuditLog.Note refused = log.note(record -> event(99));
            assertThrows(ConduitException.class, () -> notedPut(store(), "data/a", refused, CommitCondition.IF_ABSENT));
            assertNull(refused.entry());
            appendEach(log, 3, 1);
        }
        final List<AuditEntry> all = entries();
        assertEquals(List.of("key-1", "data/a", "key-3"), all.stream().map(AuditEntry::key).toList());
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(AuditEntry::seq).toList());
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertTrue(report.intact(), report.problems().toString());
    }

    @Test
    void shouldStoreEveryConcurrentAppendExactlyOnceInChainOrder() throws Exception
    {
        final int threads = 6;
        final int perThread = 40;
        final List<CompletableFuture<AuditEntry>> futures = new ArrayList<>();
        try (AuditLog log = AuditLog.open(store()))
        {
            final List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int base = t * perThread;
                writers.add(Thread.ofPlatform().start(() ->
                {
                    for (int i = 0; i < perThread; i++)
                    {
                        try
                        {
                            final CompletableFuture<AuditEntry> f = log.append(event(base + i));
                            synchronized (futures)
                            {
                                futures.add(f);
                            }
                        }
                        catch (final InterruptedException e)
                        {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }));
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            for (final CompletableFuture<AuditEntry> f : futures)
            {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(threads * perThread, log.entriesWritten());
        }
        final List<AuditEntry> all = entries();
        assertEquals(threads * perThread, all.size());
        assertEquals(threads * perThread, all.stream().map(AuditEntry::requestId).distinct().count());
        assertTrue(AuditVerifier.verify(new AuditReader(store())).intact());
    }

    @Test
    void shouldFindTheLastBatchByBisection() throws Exception
    {
        assertTrue(new AuditReader(store()).lastBatch().isEmpty());
        try (AuditLog log = AuditLog.open(store()))
        {
            appendEach(log, 1, 37);
        }
        final AuditBatch last = new AuditReader(store()).lastBatch().orElseThrow();
        assertEquals(AuditKeys.batch(37), last.storeKey());
        assertEquals(37, last.entries().getLast().seq());
    }

    @Test
    void shouldReportAnEditedEntry() throws Exception
    {
        writeTen();
        rewrite(5, entry -> new AuditEntry(entry.seq(), entry.time(), entry.timeMs(), entry.accessKey(),
            entry.operation(), entry.bucket(), entry.key(), entry.versionId(), entry.etag(), 403, entry.error(),
            entry.requestId(), entry.prev(), entry.hash()));
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertFalse(report.intact());
        assertEquals("entry 5 was edited: its hash does not match its fields", report.problems().getFirst());
        assertEquals(4, report.headSeq(), "intact up to the entry before the edit");
    }

    @Test
    void shouldReportAnEditThatAlsoRecomputedTheHash() throws Exception
    {
        writeTen();
        rewrite(5, entry -> AuditEntry.seal(entry.seq(), new AuditEvent(entry.timeMs(), entry.accessKey(),
            "DeleteObject", entry.bucket(), entry.key(), "", "", 204, "", entry.requestId()), entry.prev()));
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertFalse(report.intact());
        assertEquals("entry 6 does not follow the entry before it (prev hash differs)", report.problems().getFirst());
    }

    @Test
    void shouldReportADroppedEntry() throws Exception
    {
        writeTen();
        assertTrue(store().delete(AuditKeys.batch(5)));
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertFalse(report.intact());
        assertEquals("entry 5 is missing", report.problems().getFirst());
    }

    @Test
    void shouldReportReorderedEntries() throws Exception
    {
        writeTen();
        final byte[] fourth = store().getBytes(AuditKeys.batch(4));
        final byte[] fifth = store().getBytes(AuditKeys.batch(5));
        store().put(AuditKeys.batch(4), fifth, ObjectMetadata.NONE);
        store().put(AuditKeys.batch(5), fourth, ObjectMetadata.NONE);
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertFalse(report.intact());
        assertEquals("batch " + AuditKeys.batch(4) + " starts with entry 5", report.problems().getFirst());
        assertTrue(report.problems().contains("entry 4 is out of order (after entry 5)"), report.problems().toString());
    }

    @Test
    void shouldReportATruncatedTailOnlyAgainstARecordedHead() throws Exception
    {
        writeTen();
        final AuditVerification before = AuditVerifier.verify(new AuditReader(store()));
        assertTrue(before.intact());
        assertTrue(store().delete(AuditKeys.batch(10)));
        final AuditVerification blind = AuditVerifier.verify(new AuditReader(store()));
        assertTrue(blind.intact(), "a shorter chain is still a chain");
        final AuditVerification anchored = AuditVerifier.verify(new AuditReader(store()), before.headSeq(),
            before.headHash());
        assertFalse(anchored.intact());
        assertEquals("entry 10 of the recorded head is missing: the log ends at 9 (truncated)",
            anchored.problems().getFirst());
    }

    @Test
    void shouldReportAnUnreadableBatchAndRefuseToContinueAfterIt() throws Exception
    {
        writeTen();
        store().put(AuditKeys.batch(10), "not json\n".getBytes(StandardCharsets.UTF_8), ObjectMetadata.NONE);
        final AuditVerification report = AuditVerifier.verify(new AuditReader(store()));
        assertFalse(report.intact());
        assertTrue(report.problems().getFirst().startsWith("audit batch " + AuditKeys.batch(10) + " line 1"),
            report.problems().getFirst());
        final ConduitException refused = assertThrows(ConduitException.class, () -> AuditLog.open(store()));
        assertEquals(ErrorCode.CORRUPT, refused.code());
    }

    @Test
    void shouldChangeTheHashWhenAnyFieldChanges()
    {
        final AuditEntry entry = AuditEntry.seal(7, event(7), AuditEntry.GENESIS);
        final String hash = entry.hash();
        assertEquals(hash, entry.computeHash());
        final List<AuditEntry> edits = List.of(
            new AuditEntry(8, entry.time(), entry.timeMs(), entry.accessKey(), entry.operation(), entry.bucket(),
                entry.key(), entry.versionId(), entry.etag(), entry.status(), entry.error(), entry.requestId(),
                entry.prev(), hash),
            new AuditEntry(7, entry.time(), entry.timeMs(), "OTHER", entry.operation(), entry.bucket(),
                entry.key(), entry.versionId(), entry.etag(), entry.status(), entry.error(), entry.requestId(),
                entry.prev(), hash),
            new AuditEntry(7, entry.time(), entry.timeMs(), entry.accessKey(), entry.operation(), entry.bucket(),
                "key-", "7" + entry.versionId(), entry.etag(), entry.status(), entry.error(), entry.requestId(),
                entry.prev(), hash),
            new AuditEntry(7, entry.time(), entry.timeMs(), entry.accessKey(), entry.operation(), entry.bucket(),
                entry.key(), entry.versionId(), entry.etag(), entry.status(), entry.error(), entry.requestId(),
                "1" + entry.prev().substring(1), hash));
        for (final AuditEntry edited : edits)
        {
            assertNotEquals(hash, edited.computeHash(), edited.toString());
        }
    }

    @Test
    void shouldFailAppendsAfterClose() throws Exception
    {
        final AuditLog log = AuditLog.open(store());
        log.close();
        final CompletableFuture<AuditEntry> late = log.append(event(1));
        assertTrue(late.isCompletedExceptionally());
        assertTrue(entries().isEmpty());
    }

    private void writeTen() throws Exception
    {
        try (AuditLog log = AuditLog.open(store()))
        {
            appendEach(log, 1, 10);
        }
        assertTrue(AuditVerifier.verify(new AuditReader(store())).intact());
    }

    /** Replaces entry {@code seq}'s stored line (one entry per batch here) with an edited one. */
    private void rewrite(final long seq, final java.util.function.UnaryOperator<AuditEntry> edit)
    {
        final String key = AuditKeys.batch(seq);
        final AuditEntry stored = AuditCodec.decode(key, store().getBytes(key)).getFirst();
        store().put(key, AuditCodec.encode(List.of(edit.apply(stored))), ObjectMetadata.NONE);
    }
}
