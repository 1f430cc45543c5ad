package dev.conduit.blocklayout;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalTest
{
    private static final long REGION = 64 << 10;
    private static final long SALT = 77;

    private final Arena arena = Arena.ofConfined();
    private final MemoryNamespace ns = MemoryNamespace.allocate("journal", REGION);

    @AfterEach
    void tearDown()
    {
        ns.close();
        arena.close();
    }

    private JournalWriter writer(final long offset, final long sequence)
    {
        return new JournalWriter(ns, 0, REGION, SALT, arena.allocate(REGION, 4096), offset, sequence);
    }

    private static Superblock at(final long offset, final long sequence, final long salt)
    {
        final Superblock g = GoldenFormatV1Test.superblock(SuperblockDescriptor.VERSION);
        return new Superblock(1, g.storeUuid(), g.namespaceUuid(), 0, 1, REGION, 0, g.geometry(), new Regions(0, REGION, REGION, 0),
            salt, new CheckpointRef(sequence - 1, 0, 0, List.of(), offset, sequence));
    }

    private static List<String> replayKeys(final MemoryNamespace ns, final Superblock sb, final JournalReplay.Result[] result)
    {
        final List<String> keys = new ArrayList<>();
        result[0] = JournalReplay.replay(ns, sb, new JournalReplay.Sink()
        {
            @Override
            public void onPut(final byte[] record)
            {
                keys.add("put:" + ObjectRecordDescriptor.key(record));
            }

            @Override
            public void onDelete(final long version, final byte[] key)
            {
                keys.add("del:" + new String(key));
            }

            @Override
            public void onPutVersion(final byte[] record)
            {
                keys.add("putv:" + ObjectRecordDescriptor.key(record));
            }

            @Override
            public void onDeleteVersion(final long version, final long versionId, final byte[] key)
            {
                keys.add("delv:" + new String(key) + "@" + versionId);
            }
        });
        return keys;
    }

    private static byte[] record(final String key)
    {
        final ObjectRecord r = GoldenFormatV1Test.record();
        return ObjectRecordDescriptor.encode(new ObjectRecord(key, 1, r.sizeBytes(), 0, r.etagBytes(), "", java.util.Map.of(), 20,
            new int[] {1, 2}, r.layout(), 0));
    }

    @Test
    void shouldReplayBatchesInOrderUntilTheEnd()
    {
        final JournalWriter w = writer(0, 1);
        w.begin();
        w.tryAppendPut(record("a"));
        w.tryAppendPut(record("b"));
        w.commit();
        w.begin();
        w.tryAppendDelete(5, "a".getBytes());
        w.commit();
        final JournalReplay.Result[] r = new JournalReplay.Result[1];
        assertEquals(List.of("put:a", "put:b", "del:a"), replayKeys(ns, at(0, 1, SALT), r));
        assertEquals(2, r[0].batches());
        assertEquals(3, r[0].nextSequence());
        assertEquals(8192, r[0].endOffsetBytes());
        assertFalse(r[0].tornTail());
    }

    @Test
    void shouldStopAtATornBatchAndReportIt()
    {
        final JournalWriter w = writer(0, 1);
        w.begin();
        w.tryAppendPut(record("a"));
        w.commit();
        w.begin();
        for (int i = 0; i < 40; i++)
        {
            w.tryAppendPut(record("big" + i));
        }
        w.commit();
        // The second batch spans blocks; lose its last block as a crash mid-write would.
        ns.contents().asSlice(4096 + 4096, 4096).fill((byte)0);
        final JournalReplay.Result[] r = new JournalReplay.Result[1];
        assertEquals(List.of("put:a"), replayKeys(ns, at(0, 1, SALT), r));
        assertTrue(r[0].tornTail());
        assertEquals(4096, r[0].endOffsetBytes());
    }

    @Test
    void shouldIgnoreStaleBatchesAfterRestartAtRegionStart()
    {
        final JournalWriter w = writer(0, 1);
        for (final String k : new String[] {"old1", "old2", "old3"})
        {
            w.begin();
            w.tryAppendPut(record(k));
            w.commit();
        }
        w.restartAtRegionStart();
        w.begin();
        w.tryAppendPut(record("new4"));
        w.commit();
        final JournalReplay.Result[] r = new JournalReplay.Result[1];
        assertEquals(List.of("put:new4"), replayKeys(ns, at(0, 4, SALT), r), "old2 at offset 4096 has sequence 2, not 5");
    }

    @Test
    void shouldIgnoreBatchesOfAnotherStore()
    {
        final JournalWriter w = writer(0, 1);
        w.begin();
        w.tryAppendPut(record("a"));
        w.commit();
        final JournalReplay.Result[] r = new JournalReplay.Result[1];
        assertEquals(List.of(), replayKeys(ns, at(0, 1, SALT + 1), r));
    }

    @Test
    void shouldRefuseRecordsWhenTheRegionIsFull()
    {
        final JournalWriter w = writer(REGION - 4096, 1);
        w.begin();
        assertTrue(w.tryAppendPut(record("fits")));
        w.commit();
        w.begin();
        assertFalse(w.tryAppendPut(record("does-not")));
        assertTrue(w.fitsEmptyJournal(100));
    }
}
