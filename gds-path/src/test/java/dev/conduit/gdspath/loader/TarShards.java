package dev.conduit.gdspath.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.conduit.blocklayout.ObjectMetadata;
import dev.conduit.blocklayout.ObjectStore;

/**
 * Builds tar shards with the system's GNU tar from random files, stores them, and remembers every
 * file's bytes so tests compare against what went in, not against values written into the test.
 */
final class TarShards
{
    private final Map<String, byte[]> contentByKey = new LinkedHashMap<>();
    private final Map<String, byte[]> contentByName = new LinkedHashMap<>();
    private final Random random;

    TarShards(final long seed)
    {
        this.random = new Random(seed);
    }

    /**
     * @param format  {@code gnu}, {@code pax} or {@code ustar}.
     * @param names   member paths, in archive order.
     * @param sizes   their sizes.
     * @return the shard's bytes; each member's bytes are remembered under {@code shardKey + "!" + name}.
     */
    byte[] tar(final Path work, final String shardKey, final String format, final List<String> names, final int[] sizes)
        throws IOException, InterruptedException
    {
        final Path root = Files.createTempDirectory(work, "tar");
        for (int i = 0; i < names.size(); i++)
        {
            final byte[] bytes = new byte[sizes[i]];
            random.nextBytes(bytes);
            final Path file = root.resolve(names.get(i));
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
            contentByKey.put(shardKey + "!" + names.get(i), bytes);
            contentByName.put(names.get(i), bytes);
        }
        final Path out = work.resolve(shardKey.replace('/', '_'));
        final List<String> command = new ArrayList<>(List.of("tar", "--format=" + format, "--owner=0", "--group=0",
            "--no-recursion", "-cf", out.toString(), "-C", root.toString()));
        command.addAll(names);
        final Process tar = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(tar.getInputStream().readAllBytes());
        if (tar.waitFor() != 0)
        {
            throw new IOException("tar failed: " + output);
        }
        return Files.readAllBytes(out);
    }

    /** Tars and stores one shard. */
    void put(final ObjectStore store, final Path work, final String shardKey, final String format,
        final List<String> names, final int[] sizes) throws IOException, InterruptedException
    {
        store.put(shardKey, tar(work, shardKey, format, names, sizes), ObjectMetadata.NONE);
    }

    /** Stores a plain object (one sample). */
    void putPlain(final ObjectStore store, final String key, final int size)
    {
        final byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        contentByKey.put(key + "!" + key, bytes);
        contentByName.put(key, bytes);
        store.put(key, bytes, ObjectMetadata.NONE);
    }

    /** @return what went into {@code shardKey} under member {@code name}. */
    byte[] content(final String shardKey, final String name)
    {
        return contentByKey.get(shardKey + "!" + name);
    }

    /** @return the bytes of a member, whichever shard holds it (member names are unique across shards in these tests). */
    byte[] contentOfMember(final String name)
    {
        return contentByName.get(name);
    }

    /** @return {@code count} sample names with {@code extensions} each: {@code prefix000017.jpg}, ... */
    static List<String> sampleNames(final String prefix, final int first, final int count, final String... extensions)
    {
        final List<String> names = new ArrayList<>();
        for (int i = first; i < first + count; i++)
        {
            for (final String ext : extensions)
            {
                names.add(String.format("%s%06d.%s", prefix, i, ext));
            }
        }
        return names;
    }
}
