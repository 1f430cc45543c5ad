package com.example.launcher;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Locale;

import dev.conduit.blocklayout.StoreOptions;
import dev.conduit.core.memory.MemoryKind;
import dev.conduit.gdspath.DataPath;
import dev.conduit.gdspath.DataPathOptions;
import dev.conduit.gdspath.loader.Batch;
import dev.conduit.gdspath.loader.BatchEntry;
import dev.conduit.gdspath.loader.Loader;
import dev.conduit.gdspath.loader.LoaderOptions;
import dev.conduit.nativebindings.dlpack.DlManagedTensors;
import dev.conduit.scheduler.Priority;
import dev.conduit.scheduler.store.ScheduledStore;

/**
 * A minimal training launcher on Conduit: opens the store and a {@link DataPath} (the best path this host
 * serves), runs the {@link Loader} over the tar shards under a prefix for a few epochs, hands every batch
 * to the training step (as a DLPack tensor when the ring is GPU memory, in place in host memory otherwise),
 * and prints samples/s per epoch.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp "target/launcher.jar:target/lib/*" \
 *     com.example.launcher.TrainLauncher DATA_DIR [PREFIX [EPOCHS [BATCH]]]
 * </pre>
 */
public final class TrainLauncher
{
    private TrainLauncher()
    {
    }

    /**
     * @param args the store's data directory, then optionally the shard prefix, epochs and batch size.
     */
    public static void main(final String[] args)
    {
        if (args.length < 1)
        {
            System.err.println("usage: TrainLauncher DATA_DIR [PREFIX [EPOCHS [BATCH]]]");
            System.exit(2);
        }
        final Path data = Path.of(args[0]);
        final String prefix = args.length > 1 ? args[1] : "train/";
        final int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        final int batchSize = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        final LoaderOptions options = new LoaderOptions().prefix(prefix).batchSize(batchSize)
            .bufferBytes(16L << 20).ringSize(4).prefetchDepth(3).seed(2024);

        try (ScheduledStore store = ScheduledStore.open(data, StoreOptions.DEFAULT, Priority.BULK);
             DataPath path = DataPath.open(DataPathOptions.DEFAULT, store);
             Loader loader = Loader.open(options, path, store.store()))
        {
            System.out.println("data path: " + path.kind().label() + " (" + path.reason() + ")");
            final TrainingStep step = new TrainingStep();
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                final long startNs = System.nanoTime();
                long samples = 0;
                for (int i = 0; i < loader.batchesPerEpoch(); i++)
                {
                    // The step owns the batch from here: it closes it, or the framework's tensor deleter does.
                    samples += step.train(loader.next());
                }
                final double seconds = (System.nanoTime() - startNs) / 1e9;
                System.out.printf(Locale.ROOT, "epoch %d: %d samples in %.3f s, %.1f samples/s, batches in %s%n", epoch,
                    samples, seconds, samples / seconds, step.memory());
                if (samples != loader.totalSamples())
                {
                    throw new IllegalStateException("epoch " + epoch + " delivered " + samples + " samples of "
                        + loader.totalSamples());
                }
            }
        }
    }

    /** The training step's side: takes each batch where it lies. */
    static final class TrainingStep
    {
        private String memory = "none yet";
        private long checksum;

        /**
         * @param batch a batch, owned by the step from now on: it is closed here, or by the deleter of the
         *              tensor it was handed on as.
         * @return samples in it (padding excluded).
         */
        int train(final Batch batch)
        {
            final int samples = samples(batch);
            if (batch.buffer().kind() != MemoryKind.HOST)
            {
                // GPU memory (gds or bounce path): the framework gets the batch as a DLPack tensor (in PyTorch,
                // torch.from_dlpack on a capsule holding this address) and reads the samples at the entry offsets.
                // When it frees the tensor, its deleter hands the buffer back to the loader's ring.
                memory = "device memory, handed on as DLPack";
                final MemorySegment tensor = batch.exportDlPack();
                DlManagedTensors.callDeleter(tensor);       // stands in for the framework freeing the tensor
                return samples;
            }
            try (batch)
            {
                // Host memory: the framework reads the bytes in place (here: a checksum stands in for the step).
                memory = "host memory";
                for (final BatchEntry entry : batch.entries())
                {
                    final MemorySegment bytes = batch.bytes(entry);
                    for (long i = 0; i < bytes.byteSize(); i += 4096)
                    {
                        checksum += bytes.get(ValueLayout.JAVA_BYTE, i);
                    }
                }
            }
            return samples;
        }

        private static int samples(final Batch batch)
        {
            int samples = 0;
            for (int i = 0; i < batch.entryCount(); i++)
            {
                samples += batch.entryPadding(i) ? 0 : 1;
            }
            return samples;
        }

        String memory()
        {
            return memory;
        }
    }
}
