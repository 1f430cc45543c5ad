package dev.conduit.bench.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * S3Proxy (a Java S3 server over jclouds) as a child process on loopback, storing objects as plain
 * files under a directory: the S3 peer the load generator is tested against and the comparison
 * script measures. It accepts SigV2 and SigV4 ({@code aws-v2-or-v4}) for one key pair. The jar is
 * the {@code jar-with-dependencies} the bench build copies to {@code bench/target/peers/s3proxy.jar}.
 *
 * <p>Run as a program it starts the peer, prints {@code endpoint http://127.0.0.1:PORT} and keeps it
 * up until killed ({@code --jar JAR --dir DIR [--port P] [--identity ID] [--credential SECRET]}).
 *
 * <p>Threading: one owner.
 */
public final class S3ProxyPeer implements AutoCloseable
{
    /** The system property naming the jar. */
    public static final String JAR_PROPERTY = "conduit.s3proxy.jar";
    /** Where the bench build puts the jar, seen from the repository root, the bench module and a sibling module. */
    public static final List<Path> JAR_CANDIDATES = List.of(Path.of("bench/target/peers/s3proxy.jar"),
        Path.of("target/peers/s3proxy.jar"), Path.of("../bench/target/peers/s3proxy.jar"));

    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(90);
    private static final long POLL_MS = 100;

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private S3ProxyPeer(final Process process, final URI endpoint, final Path log)
    {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * @return the jar: {@code -Dconduit.s3proxy.jar}, else the first of {@link #JAR_CANDIDATES} that exists.
     * @throws ConduitException {@link ErrorCode#NOT_FOUND} saying how to build it.
     */
    public static Path locateJar()
    {
        final String property = System.getProperty(JAR_PROPERTY);
        if (property != null)
        {
            return Path.of(property);
        }
        for (final Path candidate : JAR_CANDIDATES)
        {
            if (Files.isRegularFile(candidate))
            {
                return candidate;
            }
        }
        throw new ConduitException(ErrorCode.NOT_FOUND, "s3proxy.jar not found in " + JAR_CANDIDATES +
            ": build the bench module (./mvnw -pl bench -am package -DskipTests) or set -D" + JAR_PROPERTY);
    }

    /**
     * Starts S3Proxy and waits until it answers HTTP.
     *
     * @param jar        the s3proxy jar-with-dependencies.
     * @param dir        its working directory: {@code data/} holds the buckets, plus its properties and log.
     * @param port       the port (0: a free one).
     * @param identity   the access key id it accepts.
     * @param credential the secret key.
     * @return the running peer.
     * @throws IOException when it cannot be started or does not answer within 90 s (its log's tail in the message).
     */
    public static S3ProxyPeer start(final Path jar, final Path dir, final int port, final String identity,
        final String credential) throws IOException
    {
        final int chosen = port == 0 ? freePort() : port;
        final Path data = Files.createDirectories(dir.resolve("data"));
        final URI endpoint = URI.create("http://127.0.0.1:" + chosen);
        final Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", endpoint.toString());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", identity);
        properties.setProperty("s3proxy.credential", credential);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
        final Path file = dir.resolve("s3proxy.properties");
        try (OutputStream out = Files.newOutputStream(file))
        {
            properties.store(out, "S3Proxy peer for conduit bench");
        }
        final Path log = dir.resolve("s3proxy.log");
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process process = new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString(), "--properties",
            file.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        final S3ProxyPeer peer = new S3ProxyPeer(process, endpoint, log);
        try
        {
            peer.awaitAnswer();
        }
        catch (final IOException | RuntimeException e)
        {
            peer.close();
            throw e;
        }
        return peer;
    }

    /** @return {@code http://127.0.0.1:PORT}. */
    public URI endpoint()
    {
        return endpoint;
    }

    /** @return S3Proxy's output (its log). */
    public Path log()
    {
        return log;
    }

    private void awaitAnswer() throws IOException
    {
        final long deadlineNs = System.nanoTime() + START_TIMEOUT_NS;
        while (System.nanoTime() - deadlineNs < 0)
        {
            if (!process.isAlive())
            {
                throw new IOException("S3Proxy exited with " + process.exitValue() + ": " + tail());
            }
            if (answers())
            {
                return;
            }
            try
            {
                Thread.sleep(POLL_MS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for S3Proxy", e);
            }
        }
        throw new IOException("S3Proxy did not answer on " + endpoint + " within 90 s: " + tail());
    }

    /** Any HTTP status line will do (without credentials S3Proxy answers 403): it is serving. */
    private boolean answers()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), endpoint.getPort()), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + endpoint.getPort() +
                "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.US_ASCII).equals("HTTP/");
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    private String tail()
    {
        try
        {
            final List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (final IOException e)
        {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * @return a port nothing listens on now. Another process may take it before S3Proxy binds it; the start then
     *         fails with S3Proxy's own message rather than hanging.
     * @throws IOException when no socket can be bound.
     */
    public static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    /** Stops S3Proxy (TERM, then KILL after 10 s) and waits for it to exit. */
    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException e)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the peer until this process is killed.
     *
     * @param args {@code --jar JAR --dir DIR [--port P] [--identity ID] [--credential SECRET]}.
     * @throws Exception when it cannot start.
     */
    public static void main(final String[] args) throws Exception
    {
        Path jar = null;
        Path dir = null;
        int port = 0;
        String identity = "conduit";
        String credential = "conduit-secret";
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--jar" -> jar = Path.of(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--identity" -> identity = args[i + 1];
                case "--credential" -> credential = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null)
        {
            throw new IllegalArgumentException("usage: S3ProxyPeer --dir DIR [--jar JAR] [--port P] [--identity ID] " +
                "[--credential SECRET]");
        }
        final S3ProxyPeer peer = start(jar == null ? locateJar() : jar, dir, port, identity, credential);
        Runtime.getRuntime().addShutdownHook(new Thread(peer::close, "s3proxy-peer-stop"));
        System.out.println("endpoint " + peer.endpoint());
        System.out.flush();
        peer.process.waitFor();
    }
}
