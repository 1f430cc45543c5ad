package dev.conduit.blocklayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import dev.conduit.blocklayout.namespace.FileNamespace;
import dev.conduit.blocklayout.namespace.Namespace;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;
import dev.conduit.nativebindings.PosixFile;

/**
 * A store in a data directory, the way the CLI and services find it: a manifest file
 * ({@value #MANIFEST}) naming the namespaces one per line (files in the directory, absolute
 * block-device paths, or {@code SCHEME://...} specs such as {@code nvmf://HOST:PORT/NQN/NSID} opened
 * through a {@link dev.conduit.blocklayout.namespace.NamespaceProvider}, see {@link NamespaceSpecs}),
 * the namespace files themselves ({@code ns-000.cdt}, ...), and a lock file so one process at a time
 * opens the store.
 *
 * <pre>{@code
 * DataDirectory.format(dir, 2L << 30, 2, FormatOptions.DEFAULT);
 * // or striped over remote namespaces, which are not preallocated:
 * DataDirectory.format(dir, List.of("nvmf://10.0.0.1:4420/nqn.2026-01.dev.conduit:a/1", "nvmf://10.0.0.2:4420/nqn.2026-01.dev.conduit:b/1"), FormatOptions.DEFAULT);
 * try (ObjectStore store = DataDirectory.open(dir, StoreOptions.DEFAULT)) { ... }
 * }</pre>
 */
public final class DataDirectory
{
    /** The manifest file name. */
    public static final String MANIFEST = "namespaces";
    /** The lock file name. */
    public static final String LOCK_FILE = ".lock";
    /** How long {@link #open} waits for another process to release the lock. */
    public static final long LOCK_WAIT_MS = 10_000;

    private static final String HEADER = "# conduit namespaces v1: one per line, in index order";

    private DataDirectory()
    {
    }

    /**
     * Creates {@code count} preallocated file namespaces totalling {@code totalBytes} and formats them.
     *
     * @param dir        the data directory (created if missing).
     * @param totalBytes total size; each namespace gets an equal share rounded down to the allocation unit.
     * @param count      number of namespaces.
     * @param options    format parameters.
     * @throws ConduitException {@code ALREADY_FORMATTED} when the directory already holds a store.
     */
    public static void format(final Path dir, final long totalBytes, final int count, final FormatOptions options)
    {
        format(dir, totalBytes, count, options, DirectoryOps.REAL);
    }

    static void format(final Path dir, final long totalBytes, final int count, final FormatOptions options, final DirectoryOps ops)
    {
        if (count < 1 || count > StoreFormatter.MAX_NAMESPACES)
        {
            throw new IllegalArgumentException("namespace count must be between 1 and " + StoreFormatter.MAX_NAMESPACES + ": " + count);
        }
        underLockOnEmpty(dir, ops, () ->
        {
            final long unit = options.geometry().allocationUnitBytes();
            final long each = totalBytes / count / unit * unit;
            final List<Namespace> namespaces = new ArrayList<>(count);
            final List<String> names = new ArrayList<>(count);
            try
            {
                for (int i = 0; i < count; i++)
                {
                    final String name = String.format("ns-%03d.cdt", i);
                    namespaces.add(FileNamespace.create(dir.resolve(name), Math.max(each, unit)));
                    names.add(name);
                }
                ObjectStore.format(namespaces, options);
                // The namespace files' entries are durable before a manifest can name them.
                ops.syncDirectory(dir);
                writeManifest(dir, names, ops);
            }
            catch (final RuntimeException e)
            {
                closeAll(namespaces, e);
                deleteQuietly(dir, names);
                throw e;
            }
            closeAll(namespaces, null);
        });
    }

    /**
     * Formats a store on namespaces that already exist, named by {@code specs} in stripe order:
     * {@code SCHEME://...} (opened through its provider), a block device or an existing file. Nothing
     * is created or preallocated; the manifest records the specs as given, so {@link #open} connects
     * to the same namespaces.
     *
     * @param dir     the data directory (created if missing).
     * @param specs   one spec per namespace.
     * @param options format parameters.
     * @throws ConduitException {@code ALREADY_FORMATTED} when the directory already holds a store,
     *                          {@code NAMESPACE_SCHEME_UNKNOWN} when no provider opens a spec's scheme.
     */
    public static void format(final Path dir, final List<String> specs, final FormatOptions options)
    {
        format(dir, specs, options, DirectoryOps.REAL);
    }

    static void format(final Path dir, final List<String> specs, final FormatOptions options, final DirectoryOps ops)
    {
        if (specs.isEmpty() || specs.size() > StoreFormatter.MAX_NAMESPACES)
        {
            throw new IllegalArgumentException("namespace count must be between 1 and " + StoreFormatter.MAX_NAMESPACES + ": " + specs.size());
        }
        for (final String spec : specs)
        {
            if (spec.isBlank() || spec.startsWith("#") || !spec.equals(spec.strip()) || spec.contains("\n"))
            {
                throw new IllegalArgumentException("a namespace spec cannot be blank, start with '#', or have surrounding space or line breaks: '" + spec + "'");
            }
            if (!NamespaceSpecs.isProvided(spec) && !Path.of(spec).isAbsolute())
            {
                // destroy() deletes the relative names: those are the files format(size, count) created.
                throw new IllegalArgumentException("a namespace path must be absolute: " + spec);
            }
        }
        underLockOnEmpty(dir, ops, () ->
        {
            final List<Namespace> namespaces = new ArrayList<>(specs.size());
            try
            {
                for (final String spec : specs)
                {
                    namespaces.add(NamespaceSpecs.open(dir, spec));
                }
                ObjectStore.format(namespaces, options);
                writeManifest(dir, specs, ops);
            }
            catch (final RuntimeException e)
            {
                closeAll(namespaces, e);
                throw e;
            }
            closeAll(namespaces, null);
        });
    }

    /**
     * Opens the store in {@code dir}; the store owns the namespaces and the lock.
     *
     * @param dir     the data directory.
     * @param options open options.
     * @return the open store.
     * @throws ConduitException {@code NOT_FOUND} when there is no store, {@code STORE_LOCKED} when
     *                          another process holds it.
     */
    public static ObjectStore open(final Path dir, final StoreOptions options)
    {
        if (!isFormatted(dir))
        {
            throw LayoutErrors.error(ErrorCode.NOT_FOUND, "no store in " + dir + "; run conduit --data " + dir + " format --size SIZE");
        }
        final List<AutoCloseable> owned = new ArrayList<>();
        owned.add(lock(dir));
        final List<Namespace> namespaces = new ArrayList<>();
        try
        {
            for (final String name : readManifest(dir))
            {
                final Namespace raw = NamespaceSpecs.open(dir, name);
                owned.add(raw);
                final Namespace ns = options.namespaceWrapper().apply(raw);
                if (ns != raw)
                {
                    // The wrapper closes the namespace it wraps, so it takes the raw one's place.
                    owned.set(owned.size() - 1, ns);
                }
                namespaces.add(ns);
            }
            return ObjectStore.open(namespaces, options, owned);
        }
        catch (final RuntimeException e)
        {
            for (final AutoCloseable resource : owned.reversed())
            {
                closeQuietly(resource, e);
            }
            throw e;
        }
    }

    /**
     * @param dir a directory.
     * @return true when it holds a store manifest.
     */
    public static boolean isFormatted(final Path dir)
    {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Removes a store's manifest and namespace files (for {@code format --force}).
     *
     * @param dir the data directory.
     */
    public static void destroy(final Path dir)
    {
        destroy(dir, DirectoryOps.REAL);
    }

    static void destroy(final Path dir, final DirectoryOps ops)
    {
        if (!isFormatted(dir))
        {
            return;
        }
        underLock(dir, () ->
        {
            final List<String> names = readManifest(dir);
            try
            {
                Files.delete(dir.resolve(MANIFEST));
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
            // Once the manifest is gone for good, a crash cannot bring back a store whose files are half deleted.
            ops.syncDirectory(dir);
            // Only the files format created are ours: not devices, other files or remote namespaces.
            deleteQuietly(dir, names.stream().filter(n -> !NamespaceSpecs.isProvided(n) && !Path.of(n).isAbsolute()).toList());
        });
    }

    /** Creates {@code dir} if missing and runs {@code format} under its lock, once it is sure no store is there. */
    private static void underLockOnEmpty(final Path dir, final DirectoryOps ops, final Runnable format)
    {
        final boolean created = !Files.isDirectory(dir);
        createDirectories(dir);
        if (created)
        {
            // The new directory's own entry lives in its parent.
            ops.syncDirectory(dir.toAbsolutePath().getParent());
        }
        underLock(dir, () ->
        {
            if (isFormatted(dir))
            {
                throw LayoutErrors.error(ErrorCode.ALREADY_FORMATTED, dir + " already holds a store (" + MANIFEST + " exists)");
            }
            format.run();
        });
    }

    private static void underLock(final Path dir, final Runnable action)
    {
        final FileChannel locked = lock(dir);
        try
        {
            action.run();
        }
        finally
        {
            closeQuietly(locked, null);
        }
    }

    /** @return a channel holding the directory's lock; closing it releases the lock. */
    private static FileChannel lock(final Path dir)
    {
        try
        {
            final FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final long deadlineMs = System.currentTimeMillis() + LOCK_WAIT_MS;
            while (true)
            {
                if (tryLock(channel) != null)
                {
                    return channel;
                }
                if (System.currentTimeMillis() - deadlineMs > 0)
                {
                    channel.close();
                    throw LayoutErrors.error(ErrorCode.STORE_LOCKED, "another process has the store in " + dir + " open");
                }
                Thread.sleep(50);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw LayoutErrors.error(ErrorCode.STORE_LOCKED, "interrupted while waiting for the lock on " + dir, e);
        }
    }

    private static FileLock tryLock(final FileChannel channel) throws IOException
    {
        try
        {
            return channel.tryLock();
        }
        catch (final OverlappingFileLockException e)
        {
            // This JVM holds it already; wait like for another process.
            return null;
        }
    }

    private static List<String> readManifest(final Path dir)
    {
        try
        {
            return Files.readAllLines(dir.resolve(MANIFEST), StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeManifest(final Path dir, final List<String> names, final DirectoryOps ops)
    {
        try
        {
            final Path tmp = dir.resolve(MANIFEST + ".tmp");
            final List<String> lines = new ArrayList<>();
            lines.add(HEADER);
            lines.addAll(names);
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE))
            {
                ch.force(true);
            }
            ops.rename(tmp, dir.resolve(MANIFEST));
            // The rename is a change to the directory; without this fsync a crash may forget it.
            ops.syncDirectory(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The directory-level steps whose order makes format and destroy crash-safe; a seam so tests can
     * observe that order while the real calls still run.
     */
    interface DirectoryOps
    {
        /** The real file system. */
        DirectoryOps REAL = new DirectoryOps()
        {
            @Override
            public void rename(final Path from, final Path to) throws IOException
            {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            public void syncDirectory(final Path dir)
            {
                PosixFile.syncDirectory(dir);
            }
        };

        /**
         * Atomically replaces {@code to} with {@code from}.
         *
         * @param from the complete new file.
         * @param to   its final name.
         * @throws IOException when the rename fails.
         */
        void rename(Path from, Path to) throws IOException;

        /**
         * fsync(2) on a directory, making creates, renames and deletes in it durable.
         *
         * @param dir the directory.
         */
        void syncDirectory(Path dir);
    }

    private static void createDirectories(final Path dir)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(final Path dir, final List<String> names)
    {
        for (final String name : names)
        {
            try
            {
                Files.deleteIfExists(dir.resolve(name));
            }
            catch (final IOException ignored)
            {
                // Best effort cleanup of a failed format; the original error is what matters.
            }
        }
    }

    private static void closeAll(final List<Namespace> namespaces, final RuntimeException primary)
    {
        for (final Namespace ns : namespaces)
        {
            closeQuietly(ns, primary);
        }
    }

    private static void closeQuietly(final AutoCloseable resource, final RuntimeException primary)
    {
        try
        {
            resource.close();
        }
        catch (final Exception e)
        {
            if (primary == null)
            {
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            primary.addSuppressed(e);
        }
    }
}
