package dev.conduit.blocklayout;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link ComposeCrashTest}: opens the store in a data directory and, round after
 * round, uploads three parts and composes them, printing a line before and after each step, until
 * it is killed. Even rounds use parts the store can join in place (whole stripe rows), odd rounds
 * parts it has to copy. After {@link #MAX_ROUNDS} it waits (at most {@link #MAX_WAIT_MS}) and exits.
 *
 * <p>Arguments: data directory, seed, key prefix.
 */
public final class ComposeCrashChild
{
    /** Printed once the store is open. */
    public static final String READY = "READY";
    /** Printed (with the round) once every part of the round is acknowledged. */
    public static final String PARTS = "PARTS ";
    /** Printed (with the round) just before compose is called. */
    public static final String COMPOSING = "COMPOSING ";
    /** Printed (with the round) once compose returned. */
    public static final String COMPOSED = "COMPOSED ";
    static final int MAX_ROUNDS = 8;
    static final long MAX_WAIT_MS = 60_000;

    private ComposeCrashChild()
    {
    }

    /**
     * @param args data directory, seed, key prefix.
     * @throws InterruptedException never in practice.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final long seed = Long.parseLong(args[1]);
        final String prefix = args[2];
        try (ObjectStore store = DataDirectory.open(Path.of(args[0]), StoreOptions.DEFAULT))
        {
            say(READY);
            for (int round = 0; round < MAX_ROUNDS; round++)
            {
                final List<String> keys = new ArrayList<>();
                final List<byte[]> parts = parts(seed, round);
                for (int i = 0; i < parts.size(); i++)
                {
                    final String key = partKey(prefix, round, i);
                    store.put(key, parts.get(i), ObjectMetadata.NONE);
                    keys.add(key);
                }
                say(PARTS + round);
                say(COMPOSING + round);
                store.compose(objectKey(prefix, round), keys, ObjectMetadata.NONE, CommitCondition.IF_ABSENT);
                say(COMPOSED + round);
            }
            Thread.sleep(MAX_WAIT_MS);
        }
    }

    static List<byte[]> parts(final long seed, final int round)
    {
        final boolean inPlace = round % 2 == 0;
        final int full = inPlace ? 4 << 20 : 3_000_000;
        return List.of(
            TestStores.content(seed * 1000 + round * 10L, full),
            TestStores.content(seed * 1000 + round * 10L + 1, full),
            TestStores.content(seed * 1000 + round * 10L + 2, inPlace ? 100_000 : 50_000));
    }

    static String partKey(final String prefix, final int round, final int part)
    {
        return prefix + "up/" + round + "/" + part;
    }

    static String objectKey(final String prefix, final int round)
    {
        return prefix + "obj/" + round;
    }

    private static void say(final String line)
    {
        System.out.println(line);
        System.out.flush();
    }
}
