package dev.conduit.blocklayout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Starts a test class's {@code main} in a child JVM with this JVM's class path, for kill -9 tests. */
final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param mainClass class with a {@code main} method.
     * @param stdout    file for the child's standard output.
     * @param stderr    file for its standard error.
     * @param args      its arguments.
     * @return the running child.
     * @throws IOException when it cannot be started.
     */
    static Process start(final Class<?> mainClass, final Path stdout, final Path stderr, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).redirectOutput(stdout.toFile()).start();
    }

    /**
     * Kills the child with SIGKILL and waits for it to be gone.
     *
     * @param child   the child.
     * @param context names the round in the failure message.
     * @throws InterruptedException when interrupted while waiting.
     */
    static void kill(final Process child, final String context) throws InterruptedException
    {
        child.destroyForcibly();
        if (!child.waitFor(30, TimeUnit.SECONDS))
        {
            fail(context + ": child did not die after SIGKILL");
        }
    }
}
