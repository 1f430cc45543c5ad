package dev.conduit.objecttier.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A bare HTTP/1.1 client over plain sockets, for what the SDK would hide: sending exactly the bytes
 * given (malformed requests, pipelining), reading slowly, stopping mid-body, and telling an answer
 * apart from a closed connection. Every read is bounded (socket timeout, header and body caps);
 * nothing here retries or repairs.
 *
 * <p>Two ways to use it: the static methods send a request and read one whole response; an
 * instance is one connection whose response heads it reads, leaving the body to the test.
 */
public final class RawHttp implements AutoCloseable
{
    /** Longest response header section read. */
    private static final int MAX_HEADER_BYTES = 64 << 10;
    /** Largest response body read. */
    private static final int MAX_BODY_BYTES = 64 << 20;
    /** How long one read may block. */
    public static final int READ_TIMEOUT_MS = 20_000;
    /** How long one read on an instance's connection may block: long enough for the slow-reader tests. */
    private static final int CONNECTION_READ_TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /**
     * Opens one connection to 127.0.0.1.
     *
     * @param port               the server's port.
     * @param receiveBufferBytes socket receive buffer, to make the server block on a slow reader; 0 = default.
     * @throws IOException when the connection fails.
     */
    public RawHttp(final int port, final int receiveBufferBytes) throws IOException
    {
        socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setSoTimeout(CONNECTION_READ_TIMEOUT_MS);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /**
     * Opens one connection to 127.0.0.1 with the default receive buffer.
     *
     * @param port the server's port.
     * @throws IOException when the connection fails.
     */
    public RawHttp(final int port) throws IOException
    {
        this(port, 0);
    }

    /**
     * A response head.
     *
     * @param status  HTTP status.
     * @param headers response headers, lower-case names.
     */
    public record Head(int status, Map<String, String> headers)
    {
        /** @return the Content-Length, or -1 when absent. */
        public long contentLength()
        {
            return Long.parseLong(headers.getOrDefault("content-length", "-1"));
        }
    }

    /**
     * One response, or the fact that the server closed the connection instead.
     *
     * @param status  HTTP status, or -1 when the connection closed (or was reset) before a status line.
     * @param headers response headers, lower-case names.
     * @param body    the body.
     */
    public record Response(int status, Map<String, String> headers, byte[] body)
    {
        /** What {@link #read} returns when the connection closed instead of answering. */
        public static final Response CLOSED = new Response(-1, Map.of(), new byte[0]);

        /** @return the body as UTF-8 text. */
        public String bodyText()
        {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** @return the {@code <Code>} of an S3 error body, or "" when there is none. */
        public String errorCode()
        {
            final String text = bodyText();
            final int start = text.indexOf("<Code>");
            final int end = text.indexOf("</Code>");
            return start >= 0 && end > start ? text.substring(start + 6, end) : "";
        }

        @Override
        public String toString()
        {
            return "Response[" + status + " " + headers + " " + bodyText() + "]";
        }
    }

    /** @return a connected socket with bounded reads. */
    public static Socket connect(final int port) throws IOException
    {
        final Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends the request on a new connection and reads one response. */
    public static Response exchange(final int port, final byte[] request, final boolean head) throws IOException
    {
        try (Socket socket = connect(port))
        {
            send(socket, request);
            return read(socket.getInputStream(), head);
        }
    }

    /** Writes the bytes; a reset while writing (the server gave up on us) is not an error here. */
    public static void send(final Socket socket, final byte[] bytes) throws IOException
    {
        try
        {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
        catch (final SocketException ex)
        {
            // The server may answer and close before reading everything; the response, if any, is still readable.
        }
    }

    /**
     * Reads one response.
     *
     * @param in   the connection.
     * @param head whether it answers a HEAD (no body whatever the headers say).
     * @return the response, or {@link Response#CLOSED}.
     */
    public static Response read(final InputStream in, final boolean head) throws IOException
    {
        final String headerText;
        try
        {
            headerText = readHeaderSection(in);
        }
        catch (final SocketException ex)
        {
            return Response.CLOSED;
        }
        if (null == headerText)
        {
            return Response.CLOSED;
        }
        final Head parsed = parseHead(headerText);
        final int status = parsed.status();
        final Map<String, String> headers = parsed.headers();
        if (head || status == 204 || status == 304 || (status >= 100 && status < 200))
        {
            return new Response(status, headers, new byte[0]);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding")))
        {
            return new Response(status, headers, readChunked(in));
        }
        final String length = headers.get("content-length");
        if (null != length)
        {
            final int n = Integer.parseInt(length);
            if (n > MAX_BODY_BYTES)
            {
                throw new IOException("response body too large: " + n);
            }
            return new Response(status, headers, in.readNBytes(n));
        }
        return new Response(status, headers, in.readNBytes(MAX_BODY_BYTES));
    }

    /** @return whether the server closes the connection (EOF or reset) within the read timeout. */
    public static boolean closedByServer(final Socket socket) throws IOException
    {
        final InputStream in = socket.getInputStream();
        final byte[] sink = new byte[8192];
        try
        {
            long drained = 0;
            while (drained < MAX_BODY_BYTES)
            {
                final int n = in.read(sink);
                if (n < 0)
                {
                    return true;
                }
                drained += n;
            }
            return false;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final SocketException ex)
        {
            return true;
        }
    }

    /**
     * Writes text as ISO-8859-1 bytes, as HTTP heads are written.
     *
     * @param text the bytes to send.
     * @throws IOException when the write fails.
     */
    public void send(final String text) throws IOException
    {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * @param bytes the bytes to send.
     * @throws IOException when the write fails (a reset here is an error: the test expected to be read).
     */
    public void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads one response head and leaves its body unread.
     *
     * @return the head.
     * @throws IOException when the connection closes inside or before the head.
     */
    public Head readHead() throws IOException
    {
        final String headerText = readHeaderSection(in);
        if (null == headerText)
        {
            throw new IOException("connection closed in the response head");
        }
        return parseHead(headerText);
    }

    /**
     * @param count bytes to read.
     * @return exactly that many bytes.
     * @throws IOException when the connection closes first.
     */
    public byte[] readBytes(final long count) throws IOException
    {
        final byte[] body = in.readNBytes(Math.toIntExact(count));
        if (body.length < count)
        {
            throw new IOException("connection closed after " + body.length + " of " + count + " bytes");
        }
        return body;
    }

    /** @return the connection's input, for tests that read the body their own way. */
    public InputStream in()
    {
        return in;
    }

    /** @return whether the server has closed the connection (reads end of stream). */
    public boolean closedByServer() throws IOException
    {
        try
        {
            return in.read() < 0;
        }
        catch (final IOException e)
        {
            return true;
        }
    }

    /** Closes with a reset, as a crashing client would. */
    public void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    private static Head parseHead(final String headerText)
    {
        final String[] lines = headerText.split("\r\n");
        final String[] statusLine = lines[0].split(" ", 3);
        final Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                lines[i].substring(colon + 1).strip());
        }
        return new Head(Integer.parseInt(statusLine[1]), headers);
    }

    private static String readHeaderSection(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream header = new ByteArrayOutputStream();
        int lastFour = 0;
        while (header.size() < MAX_HEADER_BYTES)
        {
            final int b = in.read();
            if (b < 0)
            {
                return header.size() == 0 ? null : failTruncated(header);
            }
            header.write(b);
            lastFour = (lastFour << 8) | b;
            if (lastFour == 0x0D0A0D0A)
            {
                final String text = header.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
        throw new IOException("response header section over " + MAX_HEADER_BYTES + " bytes");
    }

    private static String failTruncated(final ByteArrayOutputStream header) throws IOException
    {
        throw new IOException("connection closed inside a response header: " +
            header.toString(StandardCharsets.ISO_8859_1));
    }

    private static byte[] readChunked(final InputStream in) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() <= MAX_BODY_BYTES)
        {
            final String sizeLine = readLine(in);
            final int semicolon = sizeLine.indexOf(';');
            final int size = Integer.parseInt((semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip(),
                16);
            if (size == 0)
            {
                while (!readLine(in).isEmpty())
                {
                    // Trailers are not used by these tests.
                }
                return body.toByteArray();
            }
            body.writeBytes(in.readNBytes(size));
            readLine(in);
        }
        throw new IOException("chunked response body over " + MAX_BODY_BYTES + " bytes");
    }

    private static String readLine(final InputStream in) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < 8192; i++)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("connection closed inside a chunked body");
            }
            if (b == '\n')
            {
                return line.toString().strip();
            }
            line.append((char)b);
        }
        throw new IOException("chunk line too long");
    }
}
