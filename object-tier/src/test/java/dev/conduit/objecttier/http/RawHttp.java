package dev.conduit.objecttier.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A bare HTTP/1.1 client over one socket, for what the SDK would hide: reading slowly, stopping
 * mid-body, pipelining, malformed requests. Reads response heads itself and leaves the body to the
 * test.
 */
final class RawHttp implements AutoCloseable
{
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawHttp(final int port, final int receiveBufferBytes) throws IOException
    {
        socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp(final int port) throws IOException
    {
        this(port, 0);
    }

    void send(final String text) throws IOException
    {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** A response head: status and headers (names lower-cased). */
    record Head(int status, Map<String, String> headers)
    {
        long contentLength()
        {
            return Long.parseLong(headers.getOrDefault("content-length", "-1"));
        }
    }

    Head readHead() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        String statusLine = null;
        final Map<String, String> headers = new LinkedHashMap<>();
        while (true)
        {
            final int b = in.read();
            if (b < 0)
            {
                throw new IOException("connection closed in the response head");
            }
            if (b == '\n')
            {
                final String text = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (statusLine == null)
                {
                    statusLine = text;
                }
                else if (text.isEmpty())
                {
                    break;
                }
                else
                {
                    final int colon = text.indexOf(':');
                    headers.put(text.substring(0, colon).trim().toLowerCase(Locale.ROOT), text.substring(colon
                        + 1).trim());
                }
            }
            else
            {
                line.write(b);
            }
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    byte[] readBytes(final long count) throws IOException
    {
        final byte[] body = new byte[(int)count];
        int n = 0;
        while (n < count)
        {
            final int r = in.read(body, n, (int)count - n);
            if (r < 0)
            {
                throw new IOException("connection closed after " + n + " of " + count + " bytes");
            }
            n += r;
        }
        return body;
    }

    /** @return whether the server has closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException
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
    void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException
    {
        socket.close();
    }
}
