package dev.conduit.gdspath.loader;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import dev.conduit.gdspath.TestStore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A small training set in a real store under {@code ds/}: three tar shards (GNU, pax, GNU) of
 * two-file samples of random sizes, and plain objects (one sample each). Knows every sample key and
 * every file's bytes, so loader tests check what they receive against what went in.
 */
final class LoaderDataset
{
    static final String PREFIX = "ds/";
    static final int[] SHARD_SAMPLES = {23, 17, 30};
    static final int PLAIN_OBJECTS = 4;

    private final TarShards shards = new TarShards(2024);
    private final List<String> sampleKeys = new ArrayList<>();

    LoaderDataset(final TestStore fixture) throws Exception
    {
        final Random sizes = new Random(99);
        final String[] formats = {"gnu", "pax", "gnu"};
        for (int s = 0; s < SHARD_SAMPLES.length; s++)
        {
            final String letter = String.valueOf((char)('a' + s));
            final List<String> names = TarShards.sampleNames(letter, 0, SHARD_SAMPLES[s], "jpg", "cls");
            final int[] fileSizes = new int[names.size()];
            for (int i = 0; i < fileSizes.length; i++)
            {
                fileSizes[i] = names.get(i).endsWith(".cls") ? sizes.nextInt(8) : 1 + sizes.nextInt(20_000);
            }
            shards.put(fixture.scheduled().store(), fixture.work(), PREFIX + "shard-" + s + ".tar", formats[s], names, fileSizes);
            for (int i = 0; i < SHARD_SAMPLES[s]; i++)
            {
                sampleKeys.add(String.format("%s%06d", letter, i));
            }
        }
        for (int p = 0; p < PLAIN_OBJECTS; p++)
        {
            final String key = PREFIX + "plain-" + p + ".bin";
            shards.putPlain(fixture.scheduled().store(), key, 1 + sizes.nextInt(50_000));
            sampleKeys.add(key);
        }
    }

    /** @return every sample key in the set. */
    List<String> sampleKeys()
    {
        return sampleKeys;
    }

    /**
     * Checks every file of the batch against the bytes that went into the store, then returns the
     * batch's sample keys in order (padding repeats marked with a leading {@code +}).
     */
    List<String> checkAndKeys(final Batch batch)
    {
        return checkAndKeys(batch, entry -> batch.bytes(entry).toArray(ValueLayout.JAVA_BYTE));
    }

    /** As {@link #checkAndKeys(Batch)}, with each file's bytes fetched by {@code bytesOf} (a device ring's copy back). */
    List<String> checkAndKeys(final Batch batch, final Function<BatchEntry, byte[]> bytesOf)
    {
        final List<String> keys = new ArrayList<>();
        assertEquals(batch.entries().size(), batch.entryCount());
        int index = 0;
        for (final BatchEntry entry : batch.entries())
        {
            // The allocation-free accessors read the same table as the list view.
            assertEquals(entry, new BatchEntry(batch.entrySampleKey(index), batch.entryName(index), batch.entryOffsetBytes(index),
                batch.entryLengthBytes(index), batch.entryPadding(index)), "entry " + index);
            index++;
            final byte[] expected = shards.contentOfMember(entry.name());
            assertNotNull(expected, entry.name());
            assertArrayEquals(expected, bytesOf.apply(entry), entry.name());
            // Every sample here starts with its .jpg (tar) or is one object: a .cls entry continues the previous sample.
            if (!entry.name().endsWith(".cls"))
            {
                keys.add((entry.padding() ? "+" : "") + entry.sampleKey());
            }
        }
        return keys;
    }
}
