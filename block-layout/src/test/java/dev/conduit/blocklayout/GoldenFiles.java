package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The golden files of one format version under {@code src/test/resources/format/vN/}; rewritten
 * only with {@code -Dconduit.golden.update=true} (a deliberate change of that version's writer).
 */
final class GoldenFiles
{
    private static final boolean UPDATE = Boolean.getBoolean("conduit.golden.update");

    private final String version;
    private final boolean writable;

    /**
     * @param version  "v1", "v2".
     * @param writable false for a version this build no longer writes (its files are never rewritten).
     */
    GoldenFiles(final String version, final boolean writable)
    {
        this.version = version;
        this.writable = writable;
    }

    /**
     * @param name    file name.
     * @param current what this build writes (stored when updating).
     * @return the golden bytes.
     */
    byte[] golden(final String name, final byte[] current) throws IOException
    {
        if (updating())
        {
            Files.createDirectories(sourceDir());
            Files.write(sourceDir().resolve(name), current);
        }
        return read(name);
    }

    /**
     * @param name    file name of a gzip'd image.
     * @param current what this build writes (stored when updating).
     * @return the golden image, unzipped.
     */
    byte[] goldenImage(final String name, final byte[] current) throws IOException
    {
        if (updating())
        {
            Files.createDirectories(sourceDir());
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(sourceDir().resolve(name))))
            {
                out.write(current);
            }
        }
        try (InputStream in = new GZIPInputStream(resource(name)))
        {
            return in.readAllBytes();
        }
    }

    /**
     * @param name file name.
     * @return the golden bytes.
     */
    byte[] read(final String name) throws IOException
    {
        try (InputStream in = resource(name))
        {
            return in.readAllBytes();
        }
    }

    private boolean updating()
    {
        return UPDATE && writable;
    }

    private Path sourceDir()
    {
        return Path.of("src/test/resources/format", version);
    }

    private InputStream resource(final String name) throws IOException
    {
        final InputStream in = updating() ? Files.newInputStream(sourceDir().resolve(name))
            : GoldenFiles.class.getResourceAsStream("/format/" + version + "/" + name);
        if (in == null)
        {
            throw new IOException("missing golden file format/" + version + "/" + name + "; run with -Dconduit.golden.update=true once");
        }
        return in;
    }
}
