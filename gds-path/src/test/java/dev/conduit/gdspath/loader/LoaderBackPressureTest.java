package dev.conduit.gdspath.loader;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.gdspath.PathKind;
import dev.conduit.gdspath.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A consumer that holds every ring buffer stops the loader's reads; each release lets exactly one more batch fill. */
@Timeout(120)
class LoaderBackPressureTest
{
    private static final long MIB = 1L << 20;
    private static final long QUIET_MS = 200;

    @Test
    void shouldIssueNoReadWhileTheConsumerHoldsEveryBufferAndOneBatchPerRelease() throws Exception
    {
        try (TestStore fixture = new TestStore("loader-bp", 64 * MIB))
        {
            final LoaderDataset dataset = new LoaderDataset(fixture);
            final LoaderOptions options = new LoaderOptions().prefix(LoaderDataset.PREFIX).batchSize(4).bufferBytes(MIB)
                .ringSize(3).prefetchDepth(2).seed(1);
            final Loader loader = Loader.open(options, fixture.path(), fixture.scheduled().store());
            final long readsAtOpen = reads(fixture);
            assertEquals(0, loader.batchesIssued(), "reads start with the first next()");

            final Batch b0 = loader.next();
            assertEquals(2, loader.batchesIssued(), "prefetch depth 2");
            final Batch b1 = loader.next();
            final Batch b2 = loader.next();
            assertEquals(3, loader.batchesIssued(), "ring of 3: no fourth buffer to read into");
            assertEquals(0, loader.freeBuffers());
            final long readsHeld = reads(fixture);
            assertEquals(readsAtOpen + b0.readCount() + b1.readCount() + b2.readCount(), readsHeld);

            final CompletableFuture<Batch> waiting = CompletableFuture.supplyAsync(loader::next);
            Thread.sleep(QUIET_MS);
            assertFalse(waiting.isDone(), "next() must wait for a buffer");
            assertEquals(3, loader.batchesIssued());
            assertEquals(readsHeld, reads(fixture), "no read while the consumer holds every buffer");

            dataset.checkAndKeys(b0);
            b0.close();
            final Batch b3 = waiting.get(10, TimeUnit.SECONDS);
            assertEquals(3, b3.indexInEpoch());
            dataset.checkAndKeys(b3);
            Thread.sleep(QUIET_MS);
            assertEquals(4, loader.batchesIssued(), "one release, one more batch");
            assertEquals(readsHeld + b3.readCount(), reads(fixture));
            assertEquals(0, loader.freeBuffers());

            b1.close();
            Thread.sleep(QUIET_MS);
            assertEquals(5, loader.batchesIssued(), "the freed buffer is read into ahead of the consumer");
            assertEquals(0, loader.freeBuffers());

            loader.close();
            assertEquals(ErrorCode.SHUTDOWN, assertThrows(ConduitException.class, loader::next).code());
            b2.close();
            b3.close();
            assertEquals(3, loader.freeBuffers(), "every buffer back once the consumer let go");
        }
    }

    private static long reads(final TestStore fixture)
    {
        return fixture.path().stats().get(PathKind.HOST).reads();
    }
}
