package dev.conduit.blocklayout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.conduit.blocklayout.namespace.FaultInjectingNamespace.Fault;
import dev.conduit.blocklayout.namespace.FaultInjectingNamespace;
import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.VolatileCacheNamespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault at every operation of a fixed workload: the store either reports an error or
 * recovers cleanly, never returns wrong data and never hangs. Each scenario reopens the raw
 * namespaces afterwards and checks every key against {@link AllowedStates}.
 */
class FaultInjectionTest
{
    private static final long SEED = 20240601L;
    private static final List<FaultWorkload.Op> OPS = FaultWorkload.ops(SEED, 14);
    private static final Duration SCENARIO_LIMIT = Duration.ofSeconds(20);

    /** A formatted store on memory, seen through fault injectors, with the model of what it holds. */
    private static final class Rig
    {
        final List<MemoryNamespace> raw = TestStores.formatted(2, 8 * MIB, TestStores.SMALL_JOURNAL);
        final List<FaultInjectingNamespace> faulty = new ArrayList<>();
        final AllowedStates model = new AllowedStates();

        Rig(final List<? extends Namespace> under)
        {
            for (final Namespace ns : under)
            {
                faulty.add(new FaultInjectingNamespace(ns));
            }
        }

        Rig()
        {
            faulty.clear();
        }

        static Rig direct()
        {
            final Rig rig = new Rig();
            for (final MemoryNamespace ns : rig.raw)
            {
                rig.faulty.add(new FaultInjectingNamespace(ns));
            }
            return rig;
        }

        int runWorkload(final ObjectStore store)
        {
            return FaultWorkload.run(store, OPS, model);
        }

        void closeQuietly(final ObjectStore store)
        {
            try
            {
                store.close();
            }
            catch (final RuntimeException e)
            {
                assertTrue(FaultWorkload.FAULT_CODES.contains(((dev.conduit.core.ConduitException)e).code()), e.toString());
            }
        }

        void reopenAndVerify(final String context)
        {
            try (ObjectStore store = TestStores.open(raw))
            {
                model.verifyAndResolve(store, context);
                assertTrue(store.fsck(false, ProgressListener.NONE).clean(), context + ": fsck after recovery");
            }
            TestStores.closeAll(raw);
        }
    }

    private static long countOperations(final int namespace)
    {
        final Rig rig = Rig.direct();
        final ObjectStore store = TestStores.open(rig.faulty);
        final long before = rig.faulty.get(namespace).operations();
        assertEquals(0, rig.runWorkload(store));
        store.close();
        final long ops = rig.faulty.get(namespace).operations() - before;
        TestStores.closeAll(rig.raw);
        return ops;
    }

    private static void sweep(final Fault fault, final boolean storeMustStayUsable)
    {
        for (int ns = 0; ns < 2; ns++)
        {
            final long total = countOperations(ns);
            for (long op = 1; op <= total; op++)
            {
                final int namespace = ns;
                final long at = op;
                final String context = fault + " at op " + at + " of " + total + " on namespace " + namespace + " (seed " + SEED + ")";
                assertTimeoutPreemptively(SCENARIO_LIMIT, () ->
                {
                    final Rig rig = Rig.direct();
                    final ObjectStore store = TestStores.open(rig.faulty);
                    rig.faulty.get(namespace).inject(fault, at, at % 9);
                    final int failures = rig.runWorkload(store);
                    if (storeMustStayUsable && failures > 0 && store.counter(StoreCounter.JOURNAL_BATCHES) > 0)
                    {
                        probeUsable(store, rig, context);
                    }
                    rig.closeQuietly(store);
                    rig.reopenAndVerify(context);
                }, context);
            }
        }
    }

    private static void probeUsable(final ObjectStore store, final Rig rig, final String context)
    {
        try
        {
            final AllowedStates.State probe = new AllowedStates.State(0, 1);
            store.put("probe", probe.bytes(), probe.metadata());
            rig.model.acked("probe", probe);
            store.delete("probe");
            rig.model.acked("probe", AllowedStates.ABSENT);
        }
        catch (final dev.conduit.core.ConduitException e)
        {
            assertEquals(ErrorCode.STORE_FAILED, e.code(), context + ": a store that refuses writes after an I/O error must say STORE_FAILED (a failed journal batch, or a failed data write that went out with one)");
        }
    }

    @Test
    void shouldReportEioOrRecoverAtEveryOperation()
    {
        sweep(Fault.EIO, true);
    }

    @Test
    void shouldNeverExposeATornWriteAtAnyOperation()
    {
        sweep(Fault.TORN_WRITE, false);
    }

    @Test
    void shouldRetryShortReadsTransparently()
    {
        sweep(Fault.SHORT_READ, false);
    }

    @Test
    void shouldRecoverShortReadsDuringOpen()
    {
        final Rig seeded = Rig.direct();
        try (ObjectStore store = TestStores.open(seeded.faulty))
        {
            seeded.runWorkload(store);
            final AllowedStates.State tail = new AllowedStates.State(5, 3000);
            store.put("tail", tail.bytes(), tail.metadata());
            seeded.model.acked("tail", tail);
        }
        for (long op = 1; op <= 12; op++)
        {
            final FaultInjectingNamespace ns0 = new FaultInjectingNamespace(seeded.raw.getFirst());
            ns0.inject(Fault.SHORT_READ, op, 0);
            try (ObjectStore store = TestStores.open(List.of(ns0, seeded.raw.get(1))))
            {
                seeded.model.verifyAndResolve(store, "short read at open op " + op);
            }
        }
        TestStores.closeAll(seeded.raw);
    }

    @Test
    void shouldCompleteDespiteLatencySpikes()
    {
        for (final long op : new long[] {1, 3, 7, 20})
        {
            assertTimeoutPreemptively(SCENARIO_LIMIT, () ->
            {
                final Rig rig = Rig.direct();
                final ObjectStore store = TestStores.open(rig.faulty);
                rig.faulty.getFirst().inject(Fault.LATENCY, op, 300);
                assertEquals(0, rig.runWorkload(store));
                store.close();
                rig.reopenAndVerify("latency at op " + op);
            });
        }
    }

    @Test
    void shouldKeepAcknowledgedDataWhenUnflushedWritesAreLostAtAnyPoint()
    {
        final long total = 200;
        for (long op = 1; op <= total; op += 3)
        {
            final long at = op;
            final String context = "power loss at op " + at + " (seed " + SEED + ")";
            assertTimeoutPreemptively(SCENARIO_LIMIT, () ->
            {
                final Rig rig = Rig.direct();
                final List<VolatileCacheNamespace> caches = new ArrayList<>();
                final List<FaultInjectingNamespace> faulty = new ArrayList<>();
                for (final MemoryNamespace ns : rig.raw)
                {
                    final VolatileCacheNamespace cache = new VolatileCacheNamespace(ns);
                    caches.add(cache);
                    faulty.add(new FaultInjectingNamespace(cache));
                }
                final ObjectStore store = TestStores.open(faulty);
                faulty.get((int)(at % 2)).inject(Fault.CRASH, at / 2 + 1, 0);
                faulty.get((int)((at + 1) % 2)).inject(Fault.CRASH, at + 1000, 0);
                rig.runWorkload(store);
                final SplittableRandom random = new SplittableRandom(at);
                for (final VolatileCacheNamespace cache : caches)
                {
                    cache.powerLoss(random);
                }
                rig.reopenAndVerify(context);
            }, context);
        }
    }
}
