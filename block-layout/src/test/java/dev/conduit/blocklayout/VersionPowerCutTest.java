package dev.conduit.blocklayout;

import java.util.ArrayList;
import java.util.List;
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
 * Power loss after every write and flush of a versioning workload on two drives with volatile
 * write caches: versioned overwrites (small and striped), delete markers, removal of a marker
 * (which restores the object under it), of a noncurrent and of the current version (which
 * promotes the next), suspended writes replacing the null version, a versioned multipart
 * completion, checkpoints in between. Each image must hold exactly the version chains before the
 * step in flight or after it (every version byte for byte), fsck is clean, and removing every
 * version leaves no space used outside the checkpoint.
 */
@Timeout(300)
class VersionPowerCutTest
{
    private static final FormatOptions FORMAT = FormatOptions.DEFAULT
        .withGeometry(new StoreGeometry(256 << 10, 64 << 10, 16 << 10, 64 << 10))
        .withJournalBytes(256 << 10);
    private static final ObjectMetadata ON = ObjectMetadata.NONE.withVersioning(VersioningMode.ENABLED);
    private static final ObjectMetadata SUSPENDED = ObjectMetadata.NONE.withVersioning(VersioningMode.SUSPENDED);

    private record Step(String name, Consumer<ObjectStore> action)
    {
    }

    private long cuts;

    @Test
    void shouldShowTheChainsBeforeOrAfterEachStepWhenPowerFailsAfterAnyWriteOrFlush()
    {
        final long[] ids = new long[8];
        final List<Step> steps = List.of(
            new Step("unversioned put a", s -> s.put("a", content(1, 3000), ObjectMetadata.NONE)),
            new Step("versioned overwrite a", s -> ids[0] = s.put("a", content(2, 600_000), ON).versionId()),
            new Step("versioned overwrite a again", s -> ids[1] = s.put("a", content(3, 100), ON).versionId()),
            new Step("versioned put b", s -> ids[2] = s.put("b", content(4, 20_000), ON).versionId()),
            new Step("checkpoint", ObjectStore::checkpoint),
            new Step("delete marker on a", s -> ids[3] = s.putDeleteMarker("a", VersioningMode.ENABLED).versionId()),
            new Step("remove the marker", s -> s.deleteVersion("a", ids[3])),
            new Step("remove a noncurrent version", s -> s.deleteVersion("a", ids[0])),
            new Step("remove the current version", s -> s.deleteVersion("a", ids[1])),
            new Step("suspended put b", s -> s.put("b", content(5, 5000), SUSPENDED)),
            new Step("suspended put b again", s -> s.put("b", content(6, 7000), SUSPENDED)),
            new Step("suspended delete b", s -> s.putDeleteMarker("b", VersioningMode.SUSPENDED)),
            new Step("part 1", s -> s.put("parts/1", content(7, 512 << 10), ObjectMetadata.NONE)),
            new Step("part 2", s -> s.put("parts/2", content(8, 1000), ObjectMetadata.NONE)),
            new Step("versioned multipart completion", s -> s.compose("a", List.of("parts/1", "parts/2"), ON, CommitCondition.NONE)),
            new Step("remove b's versioned object", s -> s.deleteVersion("b", ids[2])));

        final List<MemoryNamespace> raw = TestStores.formatted(2, 12L << 20, FORMAT);
        final PowerCutRecorder recorder = new PowerCutRecorder(event -> true, 20261203L);
        final List<Namespace> seen = new ArrayList<>();
        for (final MemoryNamespace ns : raw)
        {
            seen.add(recorder.wrap(new VolatileCacheNamespace(ns)));
        }
        try (ObjectStore store = TestStores.open(seen))
        {
            for (final Step step : steps)
            {
                final List<String> before = ObjectStoreVersioningTest.describe(store);
                final List<byte[]> beforeBytes = contents(store);
                step.action().accept(store);
                final List<String> after = ObjectStoreVersioningTest.describe(store);
                final List<byte[]> afterBytes = contents(store);
                for (final PowerCutRecorder.Image image : recorder.drain())
                {
                    verify(image, before, beforeBytes, after, afterBytes, "power cut after write/flush " + image.event() + " during " + step.name());
                }
            }
        }
        finally
        {
            TestStores.closeAll(raw);
        }
        assertTrue(cuts > 40, "cut points: " + cuts);
        System.out.println("VersionPowerCutTest: " + cuts + " cut points verified");
    }

    private void verify(
        final PowerCutRecorder.Image image,
        final List<String> before,
        final List<byte[]> beforeBytes,
        final List<String> after,
        final List<byte[]> afterBytes,
        final String context)
    {
        try (ObjectStore store = TestStores.open(image.media()))
        {
            final List<String> chains = ObjectStoreVersioningTest.describe(store);
            assertTrue(chains.equals(before) || chains.equals(after), context + ": " + chains + " is neither " + before + " nor " + after);
            final List<byte[]> expected = chains.equals(after) ? afterBytes : beforeBytes;
            final List<byte[]> actual = contents(store);
            assertEquals(expected.size(), actual.size(), context);
            for (int i = 0; i < expected.size(); i++)
            {
                assertArrayEquals(expected.get(i), actual.get(i), context + ": version " + chains.get(i));
            }
            final FsckReport report = store.fsck(false, ProgressListener.NONE);
            assertTrue(report.clean(), context + ": fsck " + report.problems());
            for (final VersionPage.Entry e : store.listVersions(VersionListRequest.of("", 1000)).versions())
            {
                assertTrue(store.deleteVersion(e.record().key(), e.record().versionId()).isPresent(), context + ": remove " + e);
            }
            TestStores.assertOnlyCheckpointSpaceUsed(store, context);
        }
        finally
        {
            image.close();
        }
        cuts++;
    }

    /** @return every version's bytes in listing order (an empty array for a delete marker). */
    private static List<byte[]> contents(final ObjectStore store)
    {
        final List<byte[]> out = new ArrayList<>();
        for (final VersionPage.Entry e : store.listVersions(VersionListRequest.of("", 1000)).versions())
        {
            final ObjectRecord r = e.record();
            if (r.isDeleteMarker())
            {
                out.add(new byte[0]);
                continue;
            }
            try (ObjectReadHandle h = store.openVersion(r.key(), r.versionId()))
            {
                out.add(h.readAllBytes());
            }
        }
        return out;
    }
}
