package dev.conduit.blocklayout.namespace;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Real block devices and small real filesystems for tests: loop devices over sparse files
 * ({@code losetup}), optionally formatted with {@code mkfs.ext4} and mounted in a directory. These
 * need root; {@link #assumeAvailable()} skips a test, with the reason printed, only when the process
 * is not root or the kernel has no loop device support. Everything a test gets is an
 * {@link AutoCloseable} that unmounts and detaches.
 */
public final class LoopDevices
{
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    private LoopDevices()
    {
    }

    /** Skips the calling test (printing why) when not root or without loop device support. */
    public static void assumeAvailable()
    {
        final String reason = unavailableReason();
        if (reason != null)
        {
            System.out.println("SKIPPED (real block device tests): " + reason);
            Assumptions.abort(reason);
        }
    }

    private static String unavailableReason()
    {
        final String uid = run(List.of("id", "-u")).strip();
        if (!"0".equals(uid))
        {
            return "not root (uid " + uid + "): losetup and mount need root";
        }
        if (!Files.exists(Path.of("/dev/loop-control")))
        {
            return "no /dev/loop-control: this kernel or container has no loop device support";
        }
        return null;
    }

    /**
     * Attaches a loop device over a new sparse file.
     *
     * @param backing         file to create as the device's storage.
     * @param sizeBytes       device size.
     * @param sectorSizeBytes logical sector size (512 or 4096).
     * @return the attached device; closing it detaches it.
     */
    public static Device attach(final Path backing, final long sizeBytes, final int sectorSizeBytes)
    {
        try (RandomAccessFile file = new RandomAccessFile(backing.toFile(), "rw"))
        {
            file.setLength(sizeBytes);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final String node = run(List.of("losetup", "--find", "--show", "--sector-size", Integer.toString(sectorSizeBytes),
            backing.toString())).strip();
        return new Device(Path.of(node), backing);
    }

    /**
     * Creates an ext4 filesystem on a new loop device and mounts it.
     *
     * @param backing     file to create as the device's storage.
     * @param sizeBytes   filesystem size.
     * @param mountPoint  an existing empty directory.
     * @param mkfsOptions extra {@code mkfs.ext4} arguments, e.g. {@code "-O", "^extent"}.
     * @return the mounted filesystem; closing it unmounts it and detaches the device.
     */
    public static Mounted mountExt4(final Path backing, final long sizeBytes, final Path mountPoint, final String... mkfsOptions)
    {
        final Device device = attach(backing, sizeBytes, 512);
        try
        {
            final List<String> mkfs = new ArrayList<>(List.of("mkfs.ext4", "-q", "-F"));
            mkfs.addAll(List.of(mkfsOptions));
            mkfs.add(device.node().toString());
            run(mkfs);
            run(List.of("mount", device.node().toString(), mountPoint.toString()));
            return new Mounted(device, mountPoint);
        }
        catch (final RuntimeException e)
        {
            device.close();
            throw e;
        }
    }

    /**
     * Mounts a ramfs (no loop device needed; a filesystem that refuses O_DIRECT).
     *
     * @param mountPoint an existing empty directory.
     * @return the mount; closing it unmounts it.
     */
    public static Mounted mountRamfs(final Path mountPoint)
    {
        run(List.of("mount", "-t", "ramfs", "conduit-test-ramfs", mountPoint.toString()));
        return new Mounted(null, mountPoint);
    }

    /**
     * Runs a command and returns its output.
     *
     * @param command the command and its arguments.
     * @return stdout and stderr together.
     * @throws IllegalStateException when it exits non-zero or does not finish in time.
     */
    public static String run(final List<String> command)
    {
        try
        {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0)
            {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + output.strip());
            }
            return output;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An attached loop device.
     *
     * @param node    the device node, {@code /dev/loopN}.
     * @param backing the file behind it.
     */
    public record Device(Path node, Path backing) implements AutoCloseable
    {
        /** Detaches the device. */
        @Override
        public void close()
        {
            run(List.of("losetup", "--detach", node.toString()));
        }
    }

    /**
     * A mounted filesystem.
     *
     * @param device     the loop device under it, or null for a RAM filesystem.
     * @param mountPoint where it is mounted.
     */
    public record Mounted(Device device, Path mountPoint) implements AutoCloseable
    {
        /** @return free bytes for an unprivileged writer, as df reports them. */
        public long usableBytes()
        {
            try
            {
                return Files.getFileStore(mountPoint).getUsableSpace();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }

        /** Unmounts, then detaches the device, even when unmounting fails. */
        @Override
        public void close()
        {
            try
            {
                run(List.of("umount", mountPoint.toString()));
            }
            finally
            {
                if (device != null)
                {
                    device.close();
                }
            }
        }
    }
}
