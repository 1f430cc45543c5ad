package dev.conduit.blocklayout;

import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss after every write and flush of puts with {@link CommitRider}s (the tier's upload
 * records), on one and on two drives with volatile write caches: each image must hold every
 * object with exactly the rider that names its current version (a put and its rider land
 * together or not at all), the store before or after the step in flight, and a clean fsck.
 */
@Timeout(300)
class RiderPowerCutTest
{
    private static final FormatOptions FORMAT = FormatOptions.DEFAULT
        .withGeometry(new StoreGeometry(256 << 10, 64 << 10, 16 << 10, 64 << 10))
        .withJournalBytes(256 << 10);

    private record Step(String name, Consumer<ObjectStore> action)
    {
    }

    private long cuts;

    @Test
    void shouldKeepEachPutAndItsRiderTogetherWhenPowerFailsAfterAnyWriteOrFlush()
    {
        for (final int namespaces : new int[] {1, 2})
        {
            run(namespaces);
        }
        assertTrue(cuts > 40, "cut points: " + cuts);
    }

    private static void ridden(final ObjectStore s, final String key, final byte[] data, final Object note)
    {
        CommitRiderTest.put(s, key, data, CommitRiderTest.versionRider(key, note), CommitCondition.NONE);
    }

    private void run(final int namespaces)
    {
        final List<Step> steps = List.of(
            new Step("small put with its rider", s -> ridden(s, "a", content(1, 3000), null)),
            new Step("striped put with its rider", s -> ridden(s, "b", content(2, 600_000), null)),
            new Step("overwrite with its rider", s -> ridden(s, "a", content(3, 70_000), null)),
            new Step("put with a rider and a companion note", s -> ridden(s, "c", content(4, 20_000), "n1")),
            new Step("checkpoint", ObjectStore::checkpoint),
            new Step("put of a block after the checkpoint", s -> ridden(s, "d", content(5, 4096), null)));
        final List<MemoryNamespace> raw = TestStores.formatted(namespaces, 12L << 20, FORMAT);
        final PowerCutRecorder recorder = new PowerCutRecorder(event -> true, 20261202L + namespaces);
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
                final Map<String, Long> before = versions(store);
                recorder.drain().forEach(PowerCutRecorder.Image::close);
                step.action().accept(store);
                final Map<String, Long> after = versions(store);
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

    private void verify(final PowerCutRecorder.Image image, final Map<String, Long> before, final Map<String, Long> after, final String context)
    {
        try (ObjectStore store = TestStores.open(image.media()))
        {
            final Map<String, Long> found = versions(store);
            assertTrue(found.equals(before) || found.equals(after), context + ": " + found + " is neither " + before + " nor " + after);
            store.forEach("", r ->
            {
                if (!r.key().startsWith("r/") && !r.key().startsWith(LogCompanion.PREFIX))
                {
                    store.getBytes(r.key()); // every chunk's CRC checked
                    assertEquals(Long.toString(r.version()), store.stat("r/" + r.key()).userMetadata().get("v"), context + ": rider of " + r.key());
                }
                else if (r.key().startsWith("r/"))
                {
                    assertTrue(store.find(r.key().substring(2)).isPresent(), context + ": rider " + r.key() + " without its object");
                }
            });
            assertTrue(store.fsck(false, ProgressListener.NONE).clean(), context + ": fsck");
            store.attachCompanion(new LogCompanion(store));
            ridden(store, "z", content(9, 5000), "after");
            assertEquals(Long.toString(store.stat("z").version()), store.stat("r/z").userMetadata().get("v"), context);
        }
        finally
        {
            image.close();
        }
        cuts++;
    }

    /** @return every key's version (riders and log objects included). */
    private static Map<String, Long> versions(final ObjectStore store)
    {
        final Map<String, Long> out = new TreeMap<>();
        store.forEach("", r -> out.put(r.key(), r.version()));
        return out;
    }
}
