package dev.conduit.gdspath.loader;

import java.lang.foreign.ValueLayout;
import java.util.Random;

import dev.conduit.blocklayout.CorruptExtentException;
import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Loader checks the CRC-32C of what its host reads left unchecked (deferred verification: the
 * scheduler's device thread does not run the pass) before a batch is handed out: a flipped byte in a
 * chunk read straight into the ring still fails the batch with the store's {@link CorruptExtentException}.
 */
@Timeout(120)
class LoaderCorruptionTest
{
    private static final int MIB = 1 << 20;

    private TestStore fixture;

    @BeforeEach
    void setUp() throws Exception
    {
        fixture = new TestStore("loader-corrupt", 64L << 20);
    }

    @AfterEach
    void tearDown() throws Exception
    {
        fixture.close();
    }

    @Test
    void shouldFailTheBatchWhenAChunkThatLandedInTheRingIsCorrupt() throws Exception
    {
        final int chunkBytes = fixture.scheduled().store().put("bad/obj-0.bin", random(3 * MIB, 1), ObjectMetadata.NONE)
            .chunkSizeBytes();
        final long flipped = chunkBytes + 4_000L;           // a whole chunk inside the object: read straight into the ring
        fixture.putFlipped("bad/obj-1.bin", 3 * MIB, 2, flipped);
        try (Loader loader = Loader.open(options(), fixture.path(), fixture.scheduled().store()))
        {
            final CorruptExtentException e = assertThrows(CorruptExtentException.class, loader::next);
            assertEquals("bad/obj-1.bin", e.key());
            assertEquals(1, e.chunkIndex());
            assertEquals(0, fixture.path().stats().get(PathKind.HOST).readErrors(),
                "the store's read completed (deferred): the Loader's own check failed the batch");
            assertSame(e, assertThrows(CorruptExtentException.class, loader::next), "the Loader stays failed");
        }
    }

    @Test
    void shouldHandOutIntactBatchesWithDeferredVerification() throws Exception
    {
        final byte[] object = random(3 * MIB + 123, 3);
        fixture.scheduled().store().put("bad/obj-0.bin", object, ObjectMetadata.NONE);
        fixture.scheduled().store().put("bad/obj-1.bin", object, ObjectMetadata.NONE);
        try (Loader loader = Loader.open(options(), fixture.path(), fixture.scheduled().store()))
        {
            for (int i = 0; i < 3; i++)
            {
                try (Batch batch = loader.next())
                {
                    assertEquals(2, batch.entryCount());
                    for (int e = 0; e < batch.entryCount(); e++)
                    {
                        assertArrayEquals(object, batch.bytes(batch.entries().get(e)).toArray(ValueLayout.JAVA_BYTE));
                    }
                }
            }
            assertTrue(fixture.path().stats().get(PathKind.HOST).reads() >= 6, "every batch went through the host path");
        }
    }

    private static byte[] random(final int sizeBytes, final long seed)
    {
        final byte[] bytes = new byte[sizeBytes];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static LoaderOptions options()
    {
        return new LoaderOptions().prefix("bad/").batchSize(2).bufferBytes(8L * MIB).ringSize(2).deferVerification(true);
    }
}
