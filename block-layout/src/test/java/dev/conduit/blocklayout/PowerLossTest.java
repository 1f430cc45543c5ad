package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.PowerCutRecorder;
import dev.conduit.blocklayout.namespace.VolatileCacheNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss after every write or flush: a fixed workload long enough to cross several journal
 * wraps, checkpoints and superblock installs ({@link FaultWorkload#longOps}: puts, replaces with new
 * metadata, deletes, checkpoints) runs over two drives with volatile write caches
 * ({@link VolatileCacheNamespace}). After each chosen write or flush {@link PowerCutRecorder} takes
 * the media a power failure would leave (flushed bytes plus a random quarter of the unflushed
 * sectors); each image is reopened and every acknowledged operation must be there byte for byte
 * with its metadata, the operation in flight may be there whole or not at all, nothing else is
 * visible, metadata search agrees with the catalog ({@link MetadataIndexCheck}), fsck is clean, and
 * the recovered store accepts and keeps a new put. A cut after the last
 * write or flush of an operation counts that operation as acknowledged, since with no I/O left it
 * would have returned.
 *
 * <p>Cut points: {@code -Dconduit.powerloss.cuts=N} (default 300). Each workload seed offers about
 * 1,200 writes and flushes; N below that samples them evenly with a seeded offset, N above it cuts
 * after every one and moves on to the next seed. Reproduce one cut with
 * {@code -Dconduit.powerloss.seed=S -Dconduit.powerloss.cut=C}.
 */
class PowerLossTest
{
    private static final int CUTS = Integer.getInteger("conduit.powerloss.cuts", 300);
    private static final long ONLY_CUT = Long.getLong("conduit.powerloss.cut", 0);
    private static final long SEED = Long.getLong("conduit.powerloss.seed", 20261201L);
    private static final int OPERATIONS = 360;
    /** Small units and a 256 KiB journal, so the workload wraps the journal and checkpoints often. */
    private static final FormatOptions FORMAT = FormatOptions.DEFAULT
        .withGeometry(new StoreGeometry(256 << 10, 64 << 10, 16 << 10, 64 << 10))
        .withJournalBytes(256 << 10);
    private static final long NAMESPACE_BYTES = 12L << 20;

    /** Totals over all seeds. */
    private long cutsVerified;
    private long unflushedSectors;
    private long keysChecked;

    @Test
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldKeepEveryAcknowledgedOperationWhenPowerFailsAfterAnyWriteOrFlush()
    {
        final long startNs = System.nanoTime();
        final StringBuilder perSeed = new StringBuilder();
        long seed = SEED;
        while (cutsVerified < (ONLY_CUT > 0 ? 1 : CUTS))
        {
            final List<FaultWorkload.Op> workload = FaultWorkload.longOps(seed, OPERATIONS);
            final Pass uncut = runWorkload(seed, workload, event -> false);
            assertTrue(uncut.batches >= 300, "journal batches: " + uncut.batches);
            assertTrue(uncut.checkpoints >= 5, "checkpoints (each a superblock install): " + uncut.checkpoints);
            final long[] cuts = ONLY_CUT > 0 ? new long[] {ONLY_CUT} : cutPoints(seed, uncut.events, CUTS - cutsVerified);
            runWorkload(seed, workload, event -> Arrays.binarySearch(cuts, event) >= 0);
            perSeed.append(String.format(" [seed %d: %d of %d writes+flushes cut, %d journal batches, %d checkpoints]",
                seed, cuts.length, uncut.events, uncut.batches, uncut.checkpoints));
            seed++;
        }
        System.out.printf("PowerLossTest: %d cut points verified, %d keys checked, %d unflushed sectors at the cuts, %d ms;%s%n",
            cutsVerified, keysChecked, unflushedSectors, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), perSeed);
    }

    /** What one pass over the workload saw. */
    private record Pass(long events, long batches, long checkpoints)
    {
    }

    /** @return {@code wanted} of the events 1..total (all of them when that many), sorted. */
    private static long[] cutPoints(final long seed, final long total, final long wanted)
    {
        final int count = (int)Math.min(total, wanted);
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] cuts = new long[count];
        for (int i = 0; i < count; i++)
        {
            final long from = total * i / count;
            final long to = total * (i + 1) / count;
            cuts[i] = from + 1 + random.nextLong(to - from);
        }
        return cuts;
    }

    private Pass runWorkload(final long seed, final List<FaultWorkload.Op> workload, final LongPredicate cutAfter)
    {
        final List<MemoryNamespace> raw = TestStores.formatted(2, NAMESPACE_BYTES, FORMAT);
        final PowerCutRecorder recorder = new PowerCutRecorder(cutAfter, seed);
        final List<Namespace> seen = new ArrayList<>();
        for (final MemoryNamespace ns : raw)
        {
            seen.add(recorder.wrap(new VolatileCacheNamespace(ns)));
        }
        final AllowedStates model = new AllowedStates();
        try (ObjectStore store = TestStores.open(seen))
        {
            for (int i = 0; i < workload.size(); i++)
            {
                final FaultWorkload.Op op = workload.get(i);
                FaultWorkload.apply(store, op);
                final long lastEvent = recorder.events();
                for (final PowerCutRecorder.Image image : recorder.drain())
                {
                    verify(image, model, op, image.event() == lastEvent,
                        "power cut after write/flush " + image.event() + " in op " + i + " " + op + " (-Dconduit.powerloss.seed=" + seed
                        + " -Dconduit.powerloss.cut=" + image.event() + ")");
                }
                if (op != FaultWorkload.Op.CHECKPOINT)
                {
                    model.acked(op.key(), op.state());
                }
            }
            return new Pass(recorder.events(), store.counter(StoreCounter.JOURNAL_BATCHES), store.counter(StoreCounter.CHECKPOINTS));
        }
        finally
        {
            TestStores.closeAll(raw);
        }
    }

    private void verify(
        final PowerCutRecorder.Image image, final AllowedStates acknowledged, final FaultWorkload.Op inFlight, final boolean completed, final String context)
    {
        final AllowedStates model = acknowledged.copy();
        if (inFlight != FaultWorkload.Op.CHECKPOINT)
        {
            if (completed)
            {
                model.acked(inFlight.key(), inFlight.state());
            }
            else
            {
                model.uncertain(inFlight.key(), inFlight.state());
            }
        }
        try
        {
            try (ObjectStore store = TestStores.open(image.media()))
            {
                model.verifyAndResolve(store, context);
                MetadataIndexCheck.assertConsistent(store, context);
                final FsckReport report = store.fsck(false, ProgressListener.NONE);
                assertTrue(report.clean(), context + ": fsck " + report.problems());
                final AllowedStates.State after = new AllowedStates.State(-7, 5000);
                store.put("after-recovery", after.bytes(), after.metadata());
                model.acked("after-recovery", after);
            }
            try (ObjectStore store = TestStores.open(image.media()))
            {
                model.verifyAndResolve(store, context + ", after a put on the recovered store");
                MetadataIndexCheck.assertConsistent(store, context + ", after a put on the recovered store");
            }
        }
        finally
        {
            image.close();
        }
        cutsVerified++;
        unflushedSectors += image.unflushedSectors();
        keysChecked += model.keys().size();
    }
}
