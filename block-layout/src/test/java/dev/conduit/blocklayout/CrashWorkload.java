package dev.conduit.blocklayout;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashRecoveryTest}: opens the store in a data directory and runs random
 * puts, replaces, deletes and checkpoints until it is killed. Before each operation it appends
 * {@code B id key seed size} to the side log, after the store acknowledged it {@code A id}, and
 * fsyncs the log, so the parent knows exactly what was acknowledged and what was in flight.
 *
 * <p>Arguments: data directory, side log, seed, round.
 */
public final class CrashWorkload
{
    /** Printed on stdout once the store is open. */
    public static final String READY = "READY";
    /** A child stops by itself after this many operations, so a lost parent cannot leave it running. */
    static final int MAX_OPS = 20_000;
    static final int KEYS = 24;

    private CrashWorkload()
    {
    }

    /**
     * @param args data directory, side log, seed, round.
     * @throws IOException when the side log cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        final Path dir = Path.of(args[0]);
        final long seed = Long.parseLong(args[2]);
        final long round = Long.parseLong(args[3]);
        final SplittableRandom random = new SplittableRandom(seed);
        try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT);
             FileOutputStream log = new FileOutputStream(args[1], true))
        {
            System.out.println(READY);
            System.out.flush();
            for (int i = 0; i < MAX_OPS; i++)
            {
                final long id = round * MAX_OPS + i;
                final int dice = random.nextInt(100);
                if (dice < 3)
                {
                    store.checkpoint();
                    continue;
                }
                final String key = (dice % 2 == 0 ? "dir/" : "") + "k" + random.nextInt(KEYS);
                final long contentSeed = seed * MAX_OPS + i;
                final int size = dice < 23 ? -1 : size(random);
                write(log, "B " + id + " " + key + " " + contentSeed + " " + size + "\n");
                if (size < 0)
                {
                    store.delete(key);
                }
                else
                {
                    store.put(key, TestStores.content(contentSeed, size), ObjectMetadata.NONE);
                }
                write(log, "A " + id + "\n");
                log.getFD().sync();
            }
        }
    }

    private static int size(final SplittableRandom random)
    {
        final int bucket = random.nextInt(20);
        if (bucket == 0)
        {
            return 1_000_000 + random.nextInt(1_600_000);
        }
        if (bucket < 4)
        {
            return 65_536 + random.nextInt(250_000);
        }
        if (bucket < 8)
        {
            return 4097 + random.nextInt(60_000);
        }
        return random.nextInt(4097);
    }

    private static void write(final FileOutputStream log, final String line) throws IOException
    {
        log.write(line.getBytes(StandardCharsets.US_ASCII));
    }
}
