package dev.conduit.cli.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.conduit.cli.Main;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One {@code conduit} process, started the way a user starts it (its own JVM, the real
 * {@code Main}, only the given {@code CONDUIT_*} variables), with stdout and stderr going to a
 * file next to the data directory (a pipe read by a thread loses the tail with "Stream closed"
 * when the process exits mid-read). {@link #close()} kills it if it still runs, so a failing test
 * leaves no server behind; every wait is bounded.
 */
final class ServeProcess implements AutoCloseable
{
    /** How long a JVM gets to start, open the store and bind. */
    static final long START_TIMEOUT_MS = 60_000;
    /** How long a stop (drain and close) or a short command may take. */
    static final long EXIT_TIMEOUT_MS = 60_000;

    private static final Pattern ENDPOINT = Pattern.compile("(?m)^endpoint: +(\\S+)$");
    private static final Pattern ACCESS_KEY = Pattern.compile("(?m)^access key: +(\\S+)$");
    private static final Pattern SECRET_KEY = Pattern.compile("(?m)^secret key: +(\\S+)$");
    private static final Pattern REGION = Pattern.compile("(?m)^region: +(\\S+)$");

    private static final AtomicInteger STARTED = new AtomicInteger();

    private final Process process;
    private final Path log;

    private ServeProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code conduit --data DIR ARGS...}.
     *
     * @param dataDir the data directory.
     * @param env     {@code CONDUIT_*} variables to set (all inherited ones are removed).
     * @param args    the subcommand and its arguments.
     * @return the running process.
     * @throws IOException when the JVM cannot be started.
     */
    static ServeProcess start(final Path dataDir, final Map<String, String> env, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
            "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--data", dataDir.toString()));
        command.addAll(List.of(args));
        final Path log = dataDir.resolveSibling("conduit-" + STARTED.incrementAndGet() + ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.getParent().toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("CONDUIT_"));
        builder.environment().putAll(env);
        return new ServeProcess(builder.start(), log);
    }

    /**
     * Starts {@code conduit serve} on a free port with a small store.
     *
     * @param dataDir the data directory.
     * @param env     {@code CONDUIT_*} variables.
     * @param extra   more serve flags.
     * @return the running server (not yet known to be listening: see {@link #awaitBanner()}).
     * @throws IOException when the JVM cannot be started.
     */
    static ServeProcess serve(final Path dataDir, final Map<String, String> env, final String... extra) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--size", "512m"));
        args.addAll(List.of(extra));
        return start(dataDir, env, args.toArray(String[]::new));
    }

    /**
     * What the banner told: the endpoint and the key.
     *
     * @param endpoint    the endpoint URL.
     * @param region      the signing region.
     * @param accessKeyId the access key id.
     * @param secretKey   the secret key.
     */
    record Banner(URI endpoint, String region, String accessKeyId, String secretKey)
    {
    }

    /**
     * Waits for the banner, which serve prints only once it is listening.
     *
     * @return the parsed banner.
     * @throws InterruptedException when interrupted.
     */
    Banner awaitBanner() throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            final String text = output();
            final Matcher secret = SECRET_KEY.matcher(text);
            if (secret.find())
            {
                return new Banner(URI.create(group(ENDPOINT, text)), group(REGION, text), group(ACCESS_KEY, text), secret.group(1));
            }
            if (!process.isAlive())
            {
                fail("conduit exited with " + process.exitValue() + " before listening:\n" + output());
            }
            Thread.sleep(20);
        }
        return fail("no banner within " + START_TIMEOUT_MS + " ms:\n" + output());
    }

    /** Sends SIGTERM, as a service manager does. */
    void terminate()
    {
        process.destroy();
    }

    /**
     * Sends SIGKILL and waits for the process to be gone.
     *
     * @throws InterruptedException when interrupted.
     */
    void kill9() throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "SIGKILL did not end the process");
    }

    /**
     * @return the exit code, waiting up to {@link #EXIT_TIMEOUT_MS}.
     * @throws InterruptedException when interrupted.
     */
    int awaitExit() throws InterruptedException
    {
        assertTrue(process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS), "conduit did not exit:\n" + output());
        return process.exitValue();
    }

    /** @return everything it printed so far (stdout and stderr). */
    String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a short {@code conduit --data DIR ARGS...} to completion.
     *
     * @param dataDir the data directory.
     * @param env     {@code CONDUIT_*} variables.
     * @param args    the subcommand and its arguments.
     * @return the finished process (exit code and output available).
     * @throws IOException          when the JVM cannot be started.
     * @throws InterruptedException when interrupted.
     */
    static ServeProcess run(final Path dataDir, final Map<String, String> env, final String... args)
        throws IOException, InterruptedException
    {
        final ServeProcess conduit = start(dataDir, env, args);
        conduit.awaitExit();
        return conduit;
    }

    /** @return the exit code of a finished process. */
    int exitCode()
    {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            process.destroyForcibly();
            process.waitFor(EXIT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private String group(final Pattern pattern, final String text)
    {
        final Matcher m = pattern.matcher(text);
        assertTrue(m.find(), "banner lacks " + pattern + ":\n" + text);
        return m.group(1);
    }
}
