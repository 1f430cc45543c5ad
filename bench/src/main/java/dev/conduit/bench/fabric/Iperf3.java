package dev.conduit.bench.fabric;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conduit.bench.BenchResult;
import dev.conduit.bench.Executables;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * iperf3's loopback TCP throughput: a one-off {@code iperf3 -s} on an ephemeral 127.0.0.1 port and
 * {@code iperf3 -c 127.0.0.1 -J} against it; the figure is the receiver's bits per second.
 */
public final class Iperf3
{
    private static final String INSTALL_HINT = "iperf3 is not installed (or not on PATH); --fabric measures loopback "
        + "TCP with it in the same run. It is a Debian/Ubuntu package: sudo apt-get install iperf3";
    private static final long START_TIMEOUT_MS = 10_000;

    /**
     * One iperf3 measurement.
     *
     * @param gibPerSec the receiver's throughput, GiB/s.
     * @param seconds   the measured interval.
     * @param version   iperf3's version line.
     * @param command   the client's command line.
     */
    public record Result(double gibPerSec, double seconds, String version, List<String> command)
    {
    }

    private Iperf3()
    {
    }

    /**
     * @return iperf3 on PATH.
     * @throws ConduitException {@link ErrorCode#TOOL_NOT_FOUND} with how to install it.
     */
    public static Path locate()
    {
        return Executables.onPath("iperf3").orElseThrow(() -> new ConduitException(ErrorCode.TOOL_NOT_FOUND, INSTALL_HINT));
    }

    /**
     * Runs a server and a client for {@code seconds} over 127.0.0.1.
     *
     * @param iperf3  the executable.
     * @param seconds the client's {@code -t}.
     * @return the throughput.
     */
    public static Result measure(final Path iperf3, final int seconds)
    {
        final int port = freePort();
        final List<String> server = List.of(iperf3.toString(), "-s", "-1", "--forceflush", "-B", "127.0.0.1", "-p",
            Integer.toString(port));
        final List<String> client = List.of(iperf3.toString(), "-c", "127.0.0.1", "-p", Integer.toString(port),
            "-t", Integer.toString(seconds), "-J");
        Process serverProcess = null;
        try
        {
            serverProcess = new ProcessBuilder(server).redirectErrorStream(true).start();
            awaitListening(serverProcess, port);
            final Process clientProcess = new ProcessBuilder(client).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            final CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(clientProcess));
            if (!clientProcess.waitFor(seconds + 30L, TimeUnit.SECONDS))
            {
                clientProcess.destroyForcibly();
                throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 client still running after " + (seconds + 30) + " s");
            }
            return parse(out.get(10, TimeUnit.SECONDS), clientProcess.exitValue(), version(iperf3), client);
        }
        catch (final TimeoutException e)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 did not answer in time (" + server + ")", e);
        }
        catch (final IOException | ExecutionException e)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 failed: " + e, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ConduitException(ErrorCode.INTERRUPTED, "interrupted running iperf3", e);
        }
        finally
        {
            if (serverProcess != null)
            {
                serverProcess.destroy();
            }
        }
    }

    /**
     * @param json     the client's {@code -J} output.
     * @param exitCode its exit code.
     * @param version  its version line.
     * @param command  its command line.
     * @return the receiver's throughput.
     */
    static Result parse(final String json, final int exitCode, final String version, final List<String> command)
    {
        final JsonNode root;
        try
        {
            root = new ObjectMapper().readTree(json);
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 (exit " + exitCode + ") printed no JSON: " + json, e);
        }
        if (root.hasNonNull("error") || exitCode != 0)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 failed (exit " + exitCode + "): " + root.path("error").asText(json));
        }
        final JsonNode received = root.path("end").path("sum_received");
        final double bitsPerSecond = received.path("bits_per_second").asDouble(0);
        if (bitsPerSecond <= 0)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 reported no end.sum_received.bits_per_second");
        }
        return new Result(bitsPerSecond / 8 / BenchResult.GIB, received.path("seconds").asDouble(0), version, command);
    }

    /**
     * Waits for the server's "Server listening on PORT" ({@code --forceflush}: a pipe is otherwise
     * block-buffered; a probing connect would use up the one-off server), then keeps draining its
     * output so it never blocks on a full pipe.
     */
    private static void awaitListening(final Process server, final int port) throws InterruptedException,
        ExecutionException, TimeoutException
    {
        final CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread.ofVirtual().name("iperf3-server-output").start(() ->
        {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = lines.readLine(); line != null; line = lines.readLine())
                {
                    if (line.contains("listening on " + port))
                    {
                        listening.complete(true);
                    }
                }
            }
            catch (final IOException e)
            {
                listening.completeExceptionally(e);
            }
            listening.complete(false);
        });
        if (!listening.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "iperf3 -s on 127.0.0.1:" + port + " exited before listening (exit "
                + server.waitFor() + ")");
        }
    }

    private static String readAll(final Process process)
    {
        try
        {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.TOOL_FAILED, "reading iperf3's output: " + e.getMessage(), e);
        }
    }

    private static String version(final Path iperf3) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(iperf3.toString(), "--version").redirectErrorStream(true).start();
        final String out = readAll(process);
        process.waitFor(10, TimeUnit.SECONDS);
        return out.lines().findFirst().orElse("iperf3").trim();
    }

    private static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new ConduitException(ErrorCode.SYSTEM_ERROR, "no free loopback port for iperf3: " + e.getMessage(), e);
        }
    }
}
