package dev.conduit.blocklayout;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.namespace.ForwardingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.MIB;
import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A put's last staging buffer is written by the group commit together with the journal batch that
 * publishes it (one {@link Namespace#writeAll} on namespace 0, then one flush), never by the put's
 * own thread, and never at all for a put its condition refuses (its space may already be another
 * put's). What the batch wrote must replay: the stores are reopened from their namespaces without
 * a clean close, so the journal, not a checkpoint, brings the objects back.
 */
@Timeout(60)
class GroupCommitWritesTest
{
    /** Records every write and writeAll (the default writeAll still writes through {@link #write}). */
    private static final class RecordingNamespace extends ForwardingNamespace
    {
        final List<Integer> writeAllCounts = new ArrayList<>();
        int writes;
        int flushes;

        RecordingNamespace(final Namespace delegate)
        {
            super(delegate);
        }

        @Override
        public synchronized void write(final MemorySegment src, final long offsetBytes)
        {
            writes++;
            super.write(src, offsetBytes);
        }

        @Override
        public void writeAll(final MemorySegment[] sources, final long[] offsetsBytes, final int count)
        {
            synchronized (this)
            {
                writeAllCounts.add(count);
            }
            super.writeAll(sources, offsetsBytes, count);
        }

        @Override
        public synchronized void flush()
        {
            flushes++;
            super.flush();
        }

        synchronized void reset()
        {
            writeAllCounts.clear();
            writes = 0;
            flushes = 0;
        }
    }

    private List<MemoryNamespace> raw = List.of();

    @AfterEach
    void closeNamespaces()
    {
        TestStores.closeAll(raw);
    }

    @Test
    void shouldWriteASmallPutsDataAndItsJournalBatchInOneWriteAllAndOneFlush()
    {
        raw = TestStores.formatted(1, 16 * MIB, TestStores.SMALL_JOURNAL);
        final RecordingNamespace ns = new RecordingNamespace(raw.getFirst());
        final ObjectStore store = TestStores.open(List.of(ns));
        ns.reset();
        store.put("small", content(1, 4096), ObjectMetadata.NONE);
        store.put("odd", content(2, 5000), ObjectMetadata.NONE);

        assertEquals(List.of(2, 2), ns.writeAllCounts, "each batch: the put's data (one extent) + the batch");
        assertEquals(4, ns.writes, "no write outside the batches");
        assertEquals(2, ns.flushes, "one flush per batch");
        // Not closed: the reopened store replays the journal and reads the data the batches wrote.
        try (ObjectStore replayed = TestStores.open(raw))
        {
            assertArrayEquals(content(1, 4096), replayed.getBytes("small"));
            assertArrayEquals(content(2, 5000), replayed.getBytes("odd"));
        }
    }

    @Test
    void shouldNeverWriteTheDataOfAPutItsConditionRefuses()
    {
        raw = TestStores.formatted(1, 16 * MIB, TestStores.SMALL_JOURNAL);
        final RecordingNamespace ns = new RecordingNamespace(raw.getFirst());
        try (ObjectStore store = TestStores.open(List.of(ns)))
        {
            store.put("k", content(1, 4096), ObjectMetadata.NONE);
            ns.reset();
            try (PutSession put = store.openPut("k", ObjectMetadata.NONE, 4096))
            {
                put.append(content(2, 4096), 0, 4096);
                final ConduitException e = assertThrows(ConduitException.class,
                    () -> put.commit(4096, null, CommitCondition.IF_ABSENT));
                assertEquals(ErrorCode.PRECONDITION_FAILED, e.code());
            }

            assertEquals(0, ns.writes, "a refused put writes nothing");
            assertArrayEquals(content(1, 4096), store.getBytes("k"));
        }
    }

    @Test
    void shouldWriteAndFlushDataOffNamespaceZeroBeforeTheBatchAndReplayIt()
    {
        raw = TestStores.formatted(2, 32 * MIB, TestStores.SMALL_JOURNAL);
        final RecordingNamespace ns0 = new RecordingNamespace(raw.get(0));
        final RecordingNamespace ns1 = new RecordingNamespace(raw.get(1));
        final ObjectStore store = TestStores.open(List.of(ns0, ns1));
        final List<byte[]> contents = new ArrayList<>();
        ns0.reset();
        ns1.reset();
        for (int i = 0; i < 6; i++)
        {
            // Striped over both namespaces, its last buffer in pieces on each.
            contents.add(content(10 + i, 3 * (int)MIB + 1000 * i));
            store.put("big-" + i, contents.get(i), ObjectMetadata.NONE);
        }

        assertEquals(6, ns1.flushes, "each batch flushed namespace 1's data before journaling it");
        try (ObjectStore replayed = TestStores.open(raw))
        {
            for (int i = 0; i < contents.size(); i++)
            {
                assertArrayEquals(contents.get(i), replayed.getBytes("big-" + i), "big-" + i);
            }
        }
    }
}
