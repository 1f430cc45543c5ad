package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.PowerCutRecorder;
import dev.conduit.blocklayout.namespace.VolatileCacheNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss after every write and flush of noted puts whose {@link CommitCompanion} objects are
 * journaled with them, on one and on two drives with volatile write caches. Namespace 0's data and
 * the batch share one flush, so a cut between the journal write and that flush may keep the batch
 * and lose data sectors: replay must then drop the batch. Each image must show the store before or
 * after the step in flight (every object byte for byte), a log that names exactly the noted
 * objects present with their versions, a clean fsck, and it must take a new noted put.
 */
@Timeout(300)
class CompanionPowerCutTest
{
    private static final FormatOptions FORMAT = FormatOptions.DEFAULT
        .withGeometry(new StoreGeometry(256 << 10, 64 << 10, 16 << 10, 64 << 10))
        .withJournalBytes(256 << 10);

    private record Step(String name, Consumer<ObjectStore> action)
    {
    }

    private long cuts;
    private long droppedTails;

    @Test
    void shouldKeepEachNotedPutAndItsCompanionTogetherWhenPowerFailsAfterAnyWriteOrFlush()
    {
        for (final int namespaces : new int[] {1, 2})
        {
            run(namespaces);
        }
        assertTrue(cuts > 60, "cut points: " + cuts);
        System.out.println("CompanionPowerCutTest: " + cuts + " cut points verified, " + droppedTails + " with the last batch dropped");
    }

    private static void notedPut(final ObjectStore s, final String key, final byte[] data, final String note)
    {
        try (PutSession put = s.openPut(key, ObjectMetadata.NONE))
        {
            put.append(data, 0, data.length);
            put.commit(PutSession.UNKNOWN_SIZE, null, CommitCondition.NONE, null, note);
        }
    }

    private void run(final int namespaces)
    {
        final List<Step> steps = List.of(
            new Step("small noted put", s -> notedPut(s, "a", content(1, 3000), "n1")),
            new Step("striped noted put", s -> notedPut(s, "b", content(2, 600_000), "n2")),
            new Step("noted overwrite", s -> notedPut(s, "a", content(3, 70_000), "n3")),
            new Step("notes alone", s -> s.commitNotes(List.of("n4", "n5"))),
            new Step("checkpoint", ObjectStore::checkpoint),
            new Step("noted put after the checkpoint", s -> notedPut(s, "c", content(4, 20_000), "n6")),
            new Step("unnoted put", s -> s.put("d", content(5, 5000), ObjectMetadata.NONE)),
            new Step("noted put of a block", s -> notedPut(s, "e", content(6, 4096), "n7")));
        final List<MemoryNamespace> raw = TestStores.formatted(namespaces, 12L << 20, FORMAT);
        final PowerCutRecorder recorder = new PowerCutRecorder(event -> true, 20261204L + namespaces);
        final List<Namespace> seen = new ArrayList<>();
        for (final MemoryNamespace ns : raw)
        {
            seen.add(recorder.wrap(new VolatileCacheNamespace(ns)));
        }
        try (ObjectStore store = TestStores.open(seen))
        {
            store.attachCompanion(new LogCompanion(store));
            for (final Step step : steps)
            {
                final Map<String, byte[]> before = contents(store);
                recorder.drain().forEach(PowerCutRecorder.Image::close);
                step.action().accept(store);
                final Map<String, byte[]> after = contents(store);
                for (final PowerCutRecorder.Image image : recorder.drain())
                {
                    verify(image, before, after, namespaces + " namespace(s), cut after write/flush " + image.event() + " during " + step.name());
                }
            }
        }
        finally
        {
            TestStores.closeAll(raw);
        }
    }

    private void verify(final PowerCutRecorder.Image image, final Map<String, byte[]> before, final Map<String, byte[]> after, final String context)
    {
        try (ObjectStore store = TestStores.open(image.media()))
        {
            final Map<String, byte[]> found = contents(store);
            final Map<String, byte[]> expected = found.keySet().equals(after.keySet()) && same(found, after) ? after : before;
            assertEquals(expected.keySet(), found.keySet(), context);
            for (final Map.Entry<String, byte[]> e : expected.entrySet())
            {
                assertArrayEquals(e.getValue(), found.get(e.getKey()), context + ": " + e.getKey());
            }
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertTrue(report.clean(), context + ": fsck " + report.problems());
            if (expected == before && !same(before, after) && report.tornJournalTail())
            {
                droppedTails++;
            }
            // The log names each noted key present with its current version (the last line for it wins).
            final Map<String, Long> logged = new TreeMap<>();
            for (final String line : LogCompanion.lines(store))
            {
                final String[] f = line.split(" ");
                if (!f[1].equals("-"))
                {
                    logged.put(f[1], Long.parseLong(f[2]));
                }
            }
            for (final Map.Entry<String, Long> e : logged.entrySet())
            {
                assertEquals(e.getValue().longValue(), store.stat(e.getKey()).version(), context + ": log entry of " + e.getKey());
            }
            for (final String key : found.keySet())
            {
                if (!key.startsWith(LogCompanion.PREFIX) && !key.equals("d"))
                {
                    assertTrue(logged.containsKey(key), context + ": " + key + " has no log entry");
                }
            }
            store.attachCompanion(new LogCompanion(store));
            notedPut(store, "z", content(9, 5000), "after");
            assertEquals("after z", String.join(" ", List.of(LogCompanion.lines(store).getLast().split(" ")).subList(0, 2)), context);
        }
        finally
        {
            image.close();
        }
        cuts++;
    }

    private static boolean same(final Map<String, byte[]> a, final Map<String, byte[]> b)
    {
        for (final Map.Entry<String, byte[]> e : a.entrySet())
        {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey())))
            {
                return false;
            }
        }
        return a.keySet().equals(b.keySet());
    }

    /** @return every object's bytes by key (reading verifies each chunk). */
    private static Map<String, byte[]> contents(final ObjectStore store)
    {
        final Map<String, byte[]> out = new TreeMap<>();
        store.forEach("", r -> out.put(r.key(), store.getBytes(r.key())));
        return out;
    }
}
