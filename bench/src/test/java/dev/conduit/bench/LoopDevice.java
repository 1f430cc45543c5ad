package dev.conduit.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A loop device over a file, made with {@code losetup} and detached on close. Needs root and
 * util-linux (CI runs as root); where either is missing the test is aborted with the reason printed.
 */
final class LoopDevice implements AutoCloseable
{
    private final Path device;

    private LoopDevice(final Path device)
    {
        this.device = device;
    }

    /**
     * @param backing the file to put under the device.
     * @return the attached device.
     */
    static LoopDevice attach(final Path backing) throws IOException
    {
        final String why = unavailableReason();
        if (why != null)
        {
            System.out.println("skipping the loop-device test: " + why);
            Assumptions.abort(why);
        }
        return new LoopDevice(Path.of(exec("losetup", "-f", "--show", backing.toString()).strip()));
    }

    private static String unavailableReason()
    {
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "losetup needs root (running as " + System.getProperty("user.name") + ")";
        }
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "losetup")))
            {
                return null;
            }
        }
        return "losetup (util-linux) is not on PATH";
    }

    /** @return the device node, e.g. /dev/loop3. */
    Path path()
    {
        return device;
    }

    @Override
    public void close() throws IOException
    {
        exec("losetup", "-d", device.toString());
    }

    private static String exec(final String... command) throws IOException
    {
        final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try
        {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0)
            {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out.strip());
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
        return out;
    }
}
