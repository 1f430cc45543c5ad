package dev.conduit.blocklayout;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import dev.conduit.blocklayout.namespace.MemoryNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.blocklayout.namespace.PowerCutRecorder;
import dev.conduit.blocklayout.namespace.VolatileCacheNamespace;
import org.junit.jupiter.api.Test;

import static dev.conduit.blocklayout.TestStores.content;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Power loss after every write and flush of a compose workload on two drives with volatile write
 * caches ({@link VolatileCacheNamespace}, {@link PowerCutRecorder}): parts uploaded and composed in
 * place, parts uploaded and composed by copying, a metadata replace, deletes. Each image is reopened
 * and must be exactly the state before the step in flight or after it (so never the parts and the
 * composed object together, never neither), byte for byte with metadata and ETag; fsck is clean,
 * and deleting every object leaves no space used outside the checkpoint.
 */
class ComposePowerCutTest
{
    private static final FormatOptions FORMAT = FormatOptions.DEFAULT
        .withGeometry(new StoreGeometry(256 << 10, 64 << 10, 16 << 10, 64 << 10))
        .withJournalBytes(256 << 10);
    private static final long NAMESPACE_BYTES = 12L << 20;
    /** A whole stripe row over two namespaces and a whole number of 64 KiB chunks: joined in place. */
    private static final int ALIGNED = 512 << 10;
    /** Not a whole number of chunks: copied. */
    private static final int UNALIGNED = 300_000;

    private record Obj(byte[] bytes, Map<String, String> meta, String etag)
    {
    }

    private record Step(String name, Consumer<ObjectStore> action, Consumer<Map<String, Obj>> model)
    {
    }

    private long cuts;

    @Test
    void shouldShowTheStateBeforeOrAfterEachStepWhenPowerFailsAfterAnyWriteOrFlush() throws Exception
    {
        final List<Step> steps = new ArrayList<>();
        upload(steps, "r0/", ALIGNED, 10_000, 0);
        steps.add(compose("obj0", "r0/"));
        upload(steps, "r1/", UNALIGNED, 5_000, 10);
        steps.add(compose("obj1", "r1/"));
        steps.add(new Step("replaceMetadata obj0", s -> s.replaceMetadata("obj0", meta("1"), CommitCondition.NONE),
            m -> m.put("obj0", new Obj(m.get("obj0").bytes(), Map.of("t", "1"), m.get("obj0").etag()))));
        steps.add(new Step("delete obj1", s -> s.delete("obj1"), m -> m.remove("obj1")));
        steps.add(new Step("delete obj0", s -> s.delete("obj0"), m -> m.remove("obj0")));

        final List<MemoryNamespace> raw = TestStores.formatted(2, NAMESPACE_BYTES, FORMAT);
        final PowerCutRecorder recorder = new PowerCutRecorder(event -> true, 20261202L);
        final List<Namespace> seen = new ArrayList<>();
        for (final MemoryNamespace ns : raw)
        {
            seen.add(recorder.wrap(new VolatileCacheNamespace(ns)));
        }
        final Map<String, Obj> model = new TreeMap<>();
        try (ObjectStore store = TestStores.open(seen))
        {
            for (final Step step : steps)
            {
                final Map<String, Obj> before = new TreeMap<>(model);
                step.action().accept(store);
                step.model().accept(model);
                for (final PowerCutRecorder.Image image : recorder.drain())
                {
                    verify(image, before, model, "power cut after write/flush " + image.event() + " during " + step.name());
                }
            }
            assertEquals(1, store.counter(StoreCounter.COMPOSES), "one compose joined in place");
            assertEquals(1, store.counter(StoreCounter.COMPOSE_COPIES), "one compose copied");
        }
        finally
        {
            TestStores.closeAll(raw);
        }
        assertTrue(cuts > 40, "cut points: " + cuts);
        System.out.println("ComposePowerCutTest: " + cuts + " cut points verified");
    }

    private void verify(final PowerCutRecorder.Image image, final Map<String, Obj> before, final Map<String, Obj> after, final String context)
    {
        try (ObjectStore store = TestStores.open(image.media()))
        {
            final List<String> keys = new ArrayList<>();
            for (final ObjectRecord r : store.list(ListRequest.of("", 100)).objects())
            {
                keys.add(r.key());
            }
            final Map<String, Obj> expected = keys.equals(new ArrayList<>(after.keySet())) && matches(store, after) ? after : before;
            assertEquals(new ArrayList<>(expected.keySet()), keys, context + ": keys are neither the state before nor after");
            for (final Map.Entry<String, Obj> e : expected.entrySet())
            {
                final ObjectRecord r = store.stat(e.getKey());
                assertArrayEquals(e.getValue().bytes(), store.getBytes(e.getKey()), context + ": " + e.getKey());
                assertEquals(e.getValue().meta(), r.userMetadata(), context + ": " + e.getKey());
                assertEquals(e.getValue().etag(), r.etag(), context + ": " + e.getKey());
            }
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertTrue(report.clean(), context + ": fsck " + report.problems());
            for (final String k : keys)
            {
                assertTrue(store.delete(k), context + ": delete " + k);
            }
            TestStores.assertOnlyCheckpointSpaceUsed(store, context);
        }
        finally
        {
            image.close();
        }
        cuts++;
    }

    private static boolean matches(final ObjectStore store, final Map<String, Obj> state)
    {
        for (final Map.Entry<String, Obj> e : state.entrySet())
        {
            final ObjectRecord r = store.stat(e.getKey());
            if (!r.etag().equals(e.getValue().etag()) || !r.userMetadata().equals(e.getValue().meta()))
            {
                return false;
            }
        }
        return true;
    }

    private static void upload(final List<Step> steps, final String prefix, final int fullBytes, final int lastBytes, final long seed)
    {
        for (int i = 0; i < 3; i++)
        {
            final String key = prefix + i;
            final byte[] data = content(seed + i, i < 2 ? fullBytes : lastBytes);
            steps.add(new Step("put " + key, s -> s.put(key, data, ObjectMetadata.NONE),
                m -> m.put(key, new Obj(data, Map.of(), HexFormat.of().formatHex(md5(data))))));
        }
    }

    private static Step compose(final String key, final String prefix)
    {
        final List<String> parts = List.of(prefix + 0, prefix + 1, prefix + 2);
        return new Step("compose " + key, s -> s.compose(key, parts, ObjectMetadata.NONE, CommitCondition.IF_ABSENT), m ->
        {
            final List<byte[]> bytes = new ArrayList<>();
            final MessageDigest outer = md5Digest();
            for (final String p : parts)
            {
                final Obj part = m.remove(p);
                bytes.add(part.bytes());
                outer.update(md5(part.bytes()));
            }
            m.put(key, new Obj(ComposeTest.concat(bytes), Map.of(), HexFormat.of().formatHex(outer.digest()) + "-3"));
        });
    }

    private static ObjectMetadata meta(final String value)
    {
        return new ObjectMetadata("", Map.of("t", value));
    }

    private static byte[] md5(final byte[] data)
    {
        return md5Digest().digest(data);
    }

    private static MessageDigest md5Digest()
    {
        try
        {
            return MessageDigest.getInstance("MD5");
        }
        catch (final java.security.NoSuchAlgorithmException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
