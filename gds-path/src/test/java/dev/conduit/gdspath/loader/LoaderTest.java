package dev.conduit.gdspath.loader;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.PathMode;
import dev.conduit.gdspath.TestStore;
import dev.conduit.scheduler.IoDevice;
import dev.conduit.scheduler.IoUringBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader end to end on tar shards and plain objects in a real store, read through the scheduler. */
@Timeout(300)
class LoaderTest
{
    private static final long MIB = 1L << 20;
    private static TestStore fixture;
    private static LoaderDataset dataset;

    @BeforeAll
    static void writeDataset() throws Exception
    {
        fixture = new TestStore("loader", 64 * MIB);
        dataset = new LoaderDataset(fixture);
    }

    @AfterAll
    static void deleteDataset() throws Exception
    {
        fixture.close();
    }

    @Test
    void shouldDeliverEverySampleByteExactOncePerEpochAcrossThreeRanks()
    {
        final int world = 3;
        final int epochs = 2;
        final Map<Long, List<String>> seenByEpoch = new HashMap<>();
        int padding = 0;
        int batchesPerEpoch = -1;
        for (int rank = 0; rank < world; rank++)
        {
            try (Loader loader = open(options().seed(11).rank(rank).worldSize(world).lastBatch(LastBatch.PAD)))
            {
                assertTrue(batchesPerEpoch < 0 || batchesPerEpoch == loader.batchesPerEpoch(), "equal batches on every rank");
                batchesPerEpoch = loader.batchesPerEpoch();
                for (int i = 0; i < epochs * batchesPerEpoch; i++)
                {
                    try (Batch batch = loader.next())
                    {
                        assertEquals(i / batchesPerEpoch, batch.epoch());
                        for (final String key : dataset.checkAndKeys(batch))
                        {
                            if (key.startsWith("+"))
                            {
                                padding++;
                            }
                            else
                            {
                                seenByEpoch.computeIfAbsent(batch.epoch(), e -> new ArrayList<>()).add(key);
                            }
                        }
                    }
                }
            }
        }
        final int total = dataset.sampleKeys().size();
        for (long epoch = 0; epoch < epochs; epoch++)
        {
            final List<String> seen = seenByEpoch.get(epoch);
            assertEquals(total, seen.size(), "epoch " + epoch + ": every sample once, none twice");
            assertEquals(new HashSet<>(dataset.sampleKeys()), new HashSet<>(seen), "epoch " + epoch);
        }
        assertEquals(epochs * (world * batchesPerEpoch * 5 - total), padding);
    }

    @Test
    void shouldDropTheRemainderSoEveryRankGetsTheSameNumberOfFullBatches()
    {
        final int world = 3;
        final int total = dataset.sampleKeys().size();
        final List<String> seen = new ArrayList<>();
        for (int rank = 0; rank < world; rank++)
        {
            try (Loader loader = open(options().seed(5).rank(rank).worldSize(world).lastBatch(LastBatch.DROP)))
            {
                assertEquals(total / world / 5, loader.batchesPerEpoch());
                for (int i = 0; i < loader.batchesPerEpoch(); i++)
                {
                    try (Batch batch = loader.next())
                    {
                        final List<String> keys = dataset.checkAndKeys(batch);
                        assertEquals(5, keys.size());
                        keys.forEach(k -> assertTrue(!k.startsWith("+"), k));
                        seen.addAll(keys);
                    }
                }
            }
        }
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no sample twice in an epoch");
    }

    @Test
    void shouldRepeatTheOrderForASeedAndChangeItWithTheSeedAndTheEpoch()
    {
        final List<List<String>> seed7 = epochs(7, 2);
        final List<List<String>> seed7Again = epochs(7, 2);
        final List<List<String>> seed8 = epochs(8, 2);

        assertEquals(seed7, seed7Again);
        assertNotEquals(seed7.get(0), seed8.get(0));
        assertNotEquals(seed7.get(0), seed7.get(1));
        for (final List<String> epoch : List.of(seed7.get(0), seed7.get(1), seed8.get(0)))
        {
            assertEquals(new HashSet<>(dataset.sampleKeys()), new HashSet<>(epoch));
            assertEquals(dataset.sampleKeys().size(), epoch.size());
        }
        assertNotEquals(dataset.sampleKeys(), seed7.get(0), "shuffled, not in storage order");
    }

    @Test
    void shouldResumeFromAMidEpochStateWithExactlyTheSamplesThatCameNext()
    {
        final LoaderOptions base = options().seed(3).rank(1).worldSize(2);
        final List<String> uninterrupted = new ArrayList<>();
        final int batches;
        try (Loader loader = open(base))
        {
            batches = 2 * loader.batchesPerEpoch() + 1;
            for (int i = 0; i < batches; i++)
            {
                uninterrupted.addAll(take(loader));
            }
        }
        for (final int stopAfter : new int[] {3, loaderBatchesPerEpoch(base)})
        {
            final List<String> resumed = new ArrayList<>();
            final LoaderState state;
            try (Loader first = open(options().seed(3).rank(1).worldSize(2)))
            {
                for (int i = 0; i < stopAfter; i++)
                {
                    resumed.addAll(take(first));
                }
                state = first.state();
            }
            assertEquals(new LoaderState(stopAfter / loaderBatchesPerEpoch(base),
                (long)(stopAfter % loaderBatchesPerEpoch(base)) * 5, 3, 2, 1), state);
            try (Loader second = open(options().resumeFrom(state)))
            {
                for (int i = stopAfter; i < batches; i++)
                {
                    resumed.addAll(take(second));
                }
            }
            assertEquals(uninterrupted, resumed, "resumed after " + stopAfter + " batches");
        }
    }

    @Test
    void shouldReadNeighbouringSamplesOfAShardWithOneRangeRead()
    {
        final LoaderOptions blocks = options().shardKeys(List.of(LoaderDataset.PREFIX + "shard-2.tar"))
            .batchSize(6).blockSamples(6).windowSamples(1);
        final LoaderOptions noGap = options().shardKeys(List.of(LoaderDataset.PREFIX + "shard-2.tar"))
            .batchSize(6).blockSamples(6).windowSamples(1).coalesceGapBytes(0);
        try (DataPath unverified = DataPath.open(new DataPathOptions(PathMode.HOST, false), fixture.scheduled());
             Loader coalesced = open(blocks);
             Loader sameChunk = open(noGap);
             Loader separate = Loader.open(noGap, unverified, fixture.scheduled().store()))
        {
            for (int i = 0; i < coalesced.batchesPerEpoch(); i++)
            {
                try (Batch one = coalesced.next(); Batch chunk = sameChunk.next(); Batch many = separate.next())
                {
                    final List<String> keys = dataset.checkAndKeys(one);
                    assertEquals(keys, dataset.checkAndKeys(chunk));
                    assertEquals(keys, dataset.checkAndKeys(many));
                    assertEquals(1, one.readCount(), "six consecutive samples of one shard: one range read");
                    assertEquals(1, chunk.readCount(), "verified: samples in one CRC chunk (the whole small shard) are read once");
                    assertEquals(6, many.readCount(), "tar headers between samples: a read per sample without coalescing");
                }
            }
        }
    }

    @Test
    void shouldRefuseABatchThatDoesNotFitItsBuffer()
    {
        try (Loader loader = open(options().bufferBytes(4096).windowSamples(1)))
        {
            final ConduitException e = assertThrows(ConduitException.class, loader::next);

            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("raise bufferBytes"), e.getMessage());
            assertEquals(0, loader.batchesIssued());
            assertEquals(3, loader.freeBuffers(), "the buffer of the refused batch went back");
        }
    }

    @Test
    void shouldReadAheadIntoEveryBufferTheConsumerDoesNotHoldByDefault()
    {
        final LoaderOptions defaults = new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).bufferBytes(MIB).ringSize(5)
            .blockSamples(4);
        try (Loader loader = open(defaults); Batch first = loader.next())
        {
            dataset.checkAndKeys(first);
            assertEquals(4, loader.batchesIssued(), "ringSize - 1 batches read ahead");
        }
        try (Loader loader = open(defaults.prefetchDepth(2)); Batch first = loader.next())
        {
            dataset.checkAndKeys(first);
            assertEquals(2, loader.batchesIssued(), "an explicit depth is kept");
        }
    }

    @Test
    void shouldRefuseOptionsThatCannotWork()
    {
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class,
            () -> open(options().prefetchDepth(4))).code());
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class,
            () -> open(options().prefetchDepth(0))).code());
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class,
            () -> open(options().rank(3).worldSize(3))).code());
        assertEquals(ErrorCode.CONFIG_INVALID, assertThrows(ConduitException.class,
            () -> open(options().resumeFrom(new LoaderState(0, 7, 1, 1, 0)))).code());
        assertEquals(ErrorCode.NOT_FOUND, assertThrows(ConduitException.class,
            () -> open(options().prefix("nothing-here/"))).code());
    }

    private static List<List<String>> epochs(final long seed, final int count)
    {
        final List<List<String>> out = new ArrayList<>();
        try (Loader loader = open(options().seed(seed)))
        {
            for (int e = 0; e < count; e++)
            {
                final List<String> epoch = new ArrayList<>();
                for (int i = 0; i < loader.batchesPerEpoch(); i++)
                {
                    takeKeys(loader).stream().filter(k -> !k.startsWith("+")).forEach(epoch::add);
                }
                out.add(epoch);
            }
        }
        return out;
    }

    /** @return the batch's position, then its sample keys. */
    private static List<String> take(final Loader loader)
    {
        try (Batch batch = loader.next())
        {
            final List<String> keys = new ArrayList<>();
            keys.add("epoch " + batch.epoch() + " batch " + batch.indexInEpoch());
            keys.addAll(dataset.checkAndKeys(batch));
            return keys;
        }
    }

    private static List<String> takeKeys(final Loader loader)
    {
        try (Batch batch = loader.next())
        {
            return dataset.checkAndKeys(batch);
        }
    }

    private static int loaderBatchesPerEpoch(final LoaderOptions options)
    {
        try (Loader loader = open(options))
        {
            return loader.batchesPerEpoch();
        }
    }

    @Test
    void shouldReadIntoARingRegisteredWithTheStoresDevicesAndReleaseItAtClose()
    {
        final IoDevice device = fixture.scheduled().targets().getFirst().device();
        Assumptions.assumeTrue(device.backend() instanceof IoUringBackend uring && uring.registeredBuffersProblem().isEmpty(),
            "needs io_uring with a sparse buffer table: " + device.backend());
        final IoUringBackend uring = (IoUringBackend)device.backend();
        // Samples large enough that a run's aligned middle is a task of its own (small neighbouring pieces
        // are merged into multi-piece READV tasks, which cannot be READ_FIXED), read unverified so the
        // middle lands in the ring itself rather than in a staging buffer for its whole CRC chunk.
        final TarShards big = new TarShards(7);
        final List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            keys.add("big/sample-" + i + ".bin");
            big.putPlain(fixture.scheduled().store(), keys.getLast(), 300_000 + 4096 * i + 17 * i);
        }
        final LoaderOptions options = new LoaderOptions().shardKeys(keys).batchSize(2).bufferBytes(2 * MIB).ringSize(2)
            .prefetchDepth(2).seed(1);
        try (DataPath unverified = DataPath.open(new DataPathOptions(PathMode.HOST, false), fixture.scheduled()))
        {
            final long plainBefore = uring.fixedBufferIos();
            readEpoch(Loader.open(options.registerBuffers(false), unverified, fixture.scheduled().store()), big);
            assertEquals(plainBefore, uring.fixedBufferIos(), "an unregistered ring is read with plain READV");

            // More loaders, one after the other, than the table has slots: each releases its slab at close.
            options.registerBuffers(true);
            for (int round = 0; round <= IoUringBackend.BUFFER_SLOTS_DEFAULT; round++)
            {
                final long before = uring.fixedBufferIos();
                final Loader loader = Loader.open(options, unverified, fixture.scheduled().store());
                assertEquals("", loader.registrationProblem(), "round " + round);
                readEpoch(loader, big);
                final long fixed = uring.fixedBufferIos() - before;
                assertTrue(fixed >= keys.size(), "round " + round + ": every sample's middle (one piece or more) goes out as "
                    + "READ_FIXED, got " + fixed);
            }
        }
    }

    @Test
    void shouldReadVerifiedRunsWholeIntoTheRegisteredRing() throws Exception
    {
        final IoDevice device = fixture.scheduled().targets().getFirst().device();
        Assumptions.assumeTrue(device.backend() instanceof IoUringBackend uring && uring.registeredBuffersProblem().isEmpty(),
            "needs io_uring with a sparse buffer table: " + device.backend());
        final IoUringBackend uring = (IoUringBackend)device.backend();
        // Pairs of 300 KB samples (one run each) cover no whole CRC chunk (1 MiB): a verified read of just their
        // bytes stages every chunk it touches; widened to whole chunks, a run lands in the ring (READ_FIXED).
        final TarShards big = new TarShards(11);
        final String key = "whole/shard.tar";
        final List<String> names = TarShards.sampleNames("w", 0, 12, "bin");
        final int[] sizes = new int[names.size()];
        Arrays.fill(sizes, 300_000);
        big.put(fixture.scheduled().store(), fixture.work(), key, "ustar", names, sizes);
        final LoaderOptions options = new LoaderOptions().shardKeys(List.of(key)).batchSize(2).blockSamples(2).windowSamples(1)
            .bufferBytes(4 * MIB).ringSize(2).prefetchDepth(2).seed(1);
        assertTrue(fixture.path().verifies());
        final long before = uring.fixedBufferIos();
        final Loader loader = Loader.open(options, fixture.path(), fixture.scheduled().store());
        assertEquals("", loader.registrationProblem());
        readEpoch(loader, big);
        final long fixed = uring.fixedBufferIos() - before;
        assertTrue(fixed >= 4, "verified runs widened to whole chunks go out as READ_FIXED, got " + fixed);
    }

    /** Reads one epoch, checks every byte, closes the loader. */
    private static void readEpoch(final Loader opened, final TarShards content)
    {
        try (Loader loader = opened)
        {
            for (int i = 0; i < loader.batchesPerEpoch(); i++)
            {
                try (Batch batch = loader.next())
                {
                    for (int e = 0; e < batch.entryCount(); e++)
                    {
                        final BatchEntry entry = batch.entries().get(e);
                        assertArrayEquals(content.contentOfMember(entry.name()), batch.bytes(entry).toArray(ValueLayout.JAVA_BYTE),
                            entry.name());
                    }
                }
            }
        }
    }

    private static LoaderOptions options()
    {
        return new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(5).bufferBytes(MIB).ringSize(3).prefetchDepth(2)
            .blockSamples(4);
    }

    private static Loader open(final LoaderOptions options)
    {
        return Loader.open(options, fixture.path(), fixture.scheduled().store());
    }
}
