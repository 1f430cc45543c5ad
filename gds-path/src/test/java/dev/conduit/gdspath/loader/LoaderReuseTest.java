package dev.conduit.gdspath.loader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch objects are handed out again (one per ring buffer, no allocation per batch): a held batch shows
 * only its own batch while others cycle through the ring, the same object carries a later batch of its
 * buffer once closed, batches may be closed in any order, and the read-ahead counted in bytes.
 */
@Timeout(300)
class LoaderReuseTest
{
    private static final long MIB = 1L << 20;
    private static LoaderStore store;

    @BeforeAll
    static void writeDataset() throws Exception
    {
        store = new LoaderStore("loader-reuse");
    }

    @AfterAll
    static void deleteDataset() throws Exception
    {
        store.close();
    }

    @Test
    void shouldShowOnlyItsOwnBatchWhileHeldAndCarryALaterBatchOnceClosed()
    {
        final int batches;
        final List<List<String>> expected = new ArrayList<>();
        try (Loader reference = open(options()))
        {
            batches = 3 * reference.batchesPerEpoch();
            for (int i = 0; i < batches + 8; i++)
            {
                try (Batch batch = reference.next())
                {
                    expected.add(store.dataset().checkAndKeys(batch));
                }
            }
        }
        try (Loader loader = open(options()))
        {
            final Batch held = loader.next();
            final List<String> heldKeys = store.dataset().checkAndKeys(held);
            assertEquals(expected.get(0), heldKeys);
            final Set<Batch> objects = Collections.newSetFromMap(new IdentityHashMap<>());
            objects.add(held);
            for (int i = 1; i < batches; i++)
            {
                try (Batch batch = loader.next())
                {
                    assertNotSame(held, batch, "a held batch's object is never handed out again");
                    objects.add(batch);
                    assertEquals(expected.get(i), store.dataset().checkAndKeys(batch), "batch " + i);
                    assertEquals(i % loader.batchesPerEpoch(), batch.indexInEpoch());
                }
                // The other buffers were refilled many times meanwhile: the held one still shows batch 0, byte-exact.
                assertEquals(0, held.epoch());
                assertEquals(0, held.indexInEpoch());
                assertEquals(heldKeys, store.dataset().checkAndKeys(held), "after batch " + i);
            }
            assertEquals(3, objects.size(), "one batch object per ring buffer");

            held.close();
            // Closed once more before its buffer is refilled (the ring is at its prefetch depth): nothing happens.
            held.close();
            boolean cameBack = false;
            for (int i = batches; i < batches + 8; i++)
            {
                try (Batch batch = loader.next())
                {
                    assertTrue(objects.contains(batch), "no new batch object in steady state");
                    cameBack |= batch == held;
                    assertEquals(expected.get(i), store.dataset().checkAndKeys(batch), "batch " + i);
                }
            }
            assertTrue(cameBack, "the closed batch's object carried a later batch of its buffer");
        }
    }

    @Test
    void shouldKeepTheOrderWhenBatchesAreClosedOutOfOrder()
    {
        final List<List<String>> expected = new ArrayList<>();
        try (Loader reference = open(options()))
        {
            for (int i = 0; i < 12; i++)
            {
                try (Batch batch = reference.next())
                {
                    expected.add(store.dataset().checkAndKeys(batch));
                }
            }
        }
        try (Loader loader = open(options().prefetchDepth(3)))
        {
            int delivered = 0;
            while (delivered < 12)
            {
                final Batch b0 = loader.next();
                final Batch b1 = loader.next();
                final Batch b2 = loader.next();
                assertEquals(0, loader.freeBuffers());
                final Batch[] held = {b0, b1, b2};
                for (int k = 0; k < held.length; k++)
                {
                    assertEquals(expected.get(delivered + k), store.dataset().checkAndKeys(held[k]), "batch " + (delivered + k));
                }
                // Release the middle first, then the newest, then the oldest: each buffer is refilled with the next batch in order.
                b1.close();
                assertEquals(expected.get(delivered), store.dataset().checkAndKeys(b0), "the oldest still holds its own bytes");
                b2.close();
                b0.close();
                delivered += 3;
            }
            try (Batch next = loader.next())
            {
                assertEquals(12, next.indexInEpoch() + (long)next.epoch() * loader.batchesPerEpoch());
            }
        }
    }

    @Test
    void shouldReadAheadWithinTheByteBudget()
    {
        final LoaderOptions base = new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).bufferBytes(MIB).ringSize(5)
            .blockSamples(4);
        try (Loader loader = open(base.readAheadBytes(1)); Batch first = loader.next())
        {
            store.dataset().checkAndKeys(first);
            assertEquals(1, loader.batchesIssued(), "one batch ahead at the least, however small the budget");
            try (Batch second = loader.next())
            {
                store.dataset().checkAndKeys(second);
                assertEquals(2, loader.batchesIssued());
            }
        }
        try (Loader loader = open(base.readAheadBytes(0)); Batch first = loader.next())
        {
            store.dataset().checkAndKeys(first);
            assertEquals(4, loader.batchesIssued(), "0: batches counted only (ringSize - 1)");
        }
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class,
            () -> open(base.readAheadBytes(-1))).code());
    }

    @Test
    void shouldSizeTheDefaultRingToTheReadAhead()
    {
        final LoaderOptions base = new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).blockSamples(4);
        try (Loader loader = open(base.bufferBytes(MIB).readAheadBytes(6 * MIB)))
        {
            assertEquals(7, loader.freeBuffers(), "ceil(6 MiB / 1 MiB) read ahead + 1 held");
        }
        try (Loader loader = open(base.bufferBytes(4 * MIB).readAheadBytes(LoaderOptions.READ_AHEAD_BYTES_DEFAULT)))
        {
            assertEquals(9, loader.freeBuffers(), "the default 32 MiB in 4 MiB buffers");
        }
        try (Loader loader = open(base.bufferBytes(MIB).readAheadBytes(MIB / 2)))
        {
            assertEquals(LoaderOptions.RING_SIZE_MIN, loader.freeBuffers());
        }
        try (Loader loader = open(base.bufferBytes(MIB).readAheadBytes(MIB / 2).ringSize(2)))
        {
            assertEquals(2, loader.freeBuffers(), "an explicit ring is kept");
            try (Batch batch = loader.next())
            {
                store.dataset().checkAndKeys(batch);
            }
        }
    }

    private static LoaderOptions options()
    {
        return new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).bufferBytes(MIB).ringSize(3).prefetchDepth(2)
            .blockSamples(4).seed(7);
    }

    private static Loader open(final LoaderOptions options)
    {
        return store.open(options);
    }
}
