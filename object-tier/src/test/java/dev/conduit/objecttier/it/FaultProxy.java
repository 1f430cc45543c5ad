package dev.conduit.objecttier.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP proxy in front of the cold S3 server that sees every request the cold client
 * sends (so tests count cold GETs where they arrive) and injects faults: refused connections,
 * 503 answers, delays, bodies cut short or corrupted. One request per connection (it forwards
 * {@code Connection: close}), which keeps it simple and the counts exact.
 */
final class FaultProxy implements AutoCloseable
{
    /** What the next requests meet. */
    enum Fault
    {
        /** Forwarded as is. */
        NONE,
        /** The connection is closed before anything is answered. */
        DROP,
        /** {@code 503 SlowDown}. */
        ERROR_503,
        /** Forwarded after {@link #delayMs}. */
        SLOW,
        /** Forwarded, but the response is cut after its head and {@link #cutAfterBytes}. */
        CUT_BODY,
        /** Forwarded, the response's head at once and its body at {@link #trickleBytesPerSecond}. */
        TRICKLE,
        /** Forwarded whole, but the first byte of an object's body flipped (a request without a query: LISTs pass). */
        CORRUPT_BODY
    }

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger faultsLeft = new AtomicInteger();
    private final Thread acceptor;
    private volatile Fault fault = Fault.NONE;
    private volatile String faultMethod = "";
    private volatile long delayMs;
    private volatile int cutAfterBytes;
    private volatile long trickleBytesPerSecond = 1 << 20;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    FaultProxy(final URI upstreamEndpoint) throws IOException
    {
        this.upstream = new InetSocketAddress(upstreamEndpoint.getHost(), upstreamEndpoint.getPort());
        this.listener = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofVirtual().name("fault-proxy").start(this::accept);
    }

    URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /**
     * @param kind   the fault.
     * @param method the method it applies to ("" for all).
     * @param count  how many requests meet it (then requests pass again); {@code Integer.MAX_VALUE} for all.
     */
    void inject(final Fault kind, final String method, final int count)
    {
        fault = kind;
        faultMethod = method;
        faultsLeft.set(count);
    }

    void delayMs(final long ms)
    {
        delayMs = ms;
    }

    void cutAfterBytes(final int bytes)
    {
        cutAfterBytes = bytes;
    }

    void trickleBytesPerSecond(final long bytesPerSecond)
    {
        trickleBytesPerSecond = bytesPerSecond;
    }

    /** @return the most requests forwarded at once since {@link #reset()} (what a fetch can hold in memory). */
    int maxInFlight()
    {
        return maxInFlight.get();
    }

    void heal()
    {
        inject(Fault.NONE, "", 0);
    }

    /**
     * @param method   e.g. GET.
     * @param contains a substring of the request target.
     * @return how many such requests arrived.
     */
    long count(final String method, final String contains)
    {
        return requests.stream().filter(r -> r.startsWith(method + " ") && r.contains(contains)).count();
    }

    void reset()
    {
        requests.clear();
        maxInFlight.set(0);
    }

    private void accept()
    {
        while (!listener.isClosed())
        {
            try
            {
                final Socket client = listener.accept();
                Thread.ofVirtual().start(() -> serve(client));
            }
            catch (final IOException e)
            {
                return;
            }
        }
    }

    private void serve(final Socket client)
    {
        try (client)
        {
            final InputStream in = client.getInputStream();
            final String head = readHead(in);
            if (head == null)
            {
                return;
            }
            final String[] lines = head.split("\r\n");
            final String requestLine = lines[0];
            requests.add(requestLine);
            final String method = requestLine.substring(0, requestLine.indexOf(' '));
            long contentLength = 0;
            final StringBuilder forwarded = new StringBuilder(requestLine).append("\r\n");
            for (int i = 1; i < lines.length; i++)
            {
                final String lower = lines[i].toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:"))
                {
                    contentLength = Long.parseLong(lines[i].substring(15).trim());
                }
                if (lower.startsWith("expect:") && lower.contains("100-continue"))
                {
                    // Answer the client's Expect here (the body is read before forwarding) and do not forward it.
                    client.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    continue;
                }
                if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:"))
                {
                    forwarded.append(lines[i]).append("\r\n");
                }
            }
            forwarded.append("Connection: close\r\n\r\n");
            final byte[] body = in.readNBytes((int)contentLength);
            final Fault now = claimFault(method);
            final OutputStream out = client.getOutputStream();
            switch (now)
            {
                case DROP -> {
                    return;
                }
                case ERROR_503 -> {
                    final byte[] xml = "<Error><Code>SlowDown</Code><Message>injected</Message></Error>".getBytes(StandardCharsets.UTF_8);
                    out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + xml.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(xml);
                    out.flush();
                    return;
                }
                case SLOW -> Thread.sleep(delayMs);
                default -> {
                }
            }
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try (Socket up = new Socket(upstream.getAddress(), upstream.getPort()))
            {
                final OutputStream upOut = up.getOutputStream();
                upOut.write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
                upOut.write(body);
                upOut.flush();
                final InputStream upIn = up.getInputStream();
                if (now == Fault.CUT_BODY)
                {
                    final String responseHead = readHead(upIn);
                    out.write((responseHead + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(upIn.readNBytes(cutAfterBytes));
                    out.flush();
                    return;
                }
                if (now == Fault.CORRUPT_BODY && !requestLine.contains("?"))
                {
                    out.write((readHead(upIn) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    final int first = upIn.read();
                    if (first >= 0)
                    {
                        out.write(first ^ 0xFF);
                    }
                    upIn.transferTo(out);
                    out.flush();
                    return;
                }
                if (now == Fault.TRICKLE)
                {
                    trickle(upIn, out);
                    return;
                }
                upIn.transferTo(out);
                out.flush();
            }
            finally
            {
                inFlight.decrementAndGet();
            }
        }
        catch (final IOException | InterruptedException e)
        {
            // The client or the upstream went away: nothing to answer to.
        }
    }

    /** The head as it comes, then the body in 16 KiB pieces paced to the configured rate. */
    private void trickle(final InputStream upIn, final OutputStream out) throws IOException, InterruptedException
    {
        out.write((readHead(upIn) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        final byte[] piece = new byte[16 << 10];
        int n;
        while ((n = upIn.read(piece)) > 0)
        {
            // Pause before each piece, not after: once the last byte is out the request ends at once.
            Thread.sleep(Math.max(1, n * 1000L / trickleBytesPerSecond));
            out.write(piece, 0, n);
            out.flush();
        }
    }

    private Fault claimFault(final String method)
    {
        final Fault now = fault;
        if (now == Fault.NONE || (!faultMethod.isEmpty() && !faultMethod.equals(method)))
        {
            return Fault.NONE;
        }
        return faultsLeft.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0 ? now : Fault.NONE;
    }

    private static String readHead(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4)
        {
            final int b = in.read();
            if (b < 0)
            {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1
                : (b == '\r' ? 1 : 0);
        }
        final String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    @Override
    public void close() throws IOException
    {
        listener.close();
        acceptor.interrupt();
    }
}
