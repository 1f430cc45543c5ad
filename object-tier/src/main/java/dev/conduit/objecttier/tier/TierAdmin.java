package dev.conduit.objecttier.tier;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import dev.conduit.blocklayout.ProgressListener;
import dev.conduit.core.ConduitException;
import dev.conduit.core.ErrorCode;

/**
 * What {@code conduit tier} asks of a running server, and the text that travels: the server's
 * {@code /_conduit/tier} endpoint (SigV4-authenticated like S3) calls these on its {@link Tiering},
 * and the CLI encodes its requests and decodes the answers with the same methods, so both sides
 * agree on one format: {@link Properties} text (UTF-8).
 *
 * <pre>
 * GET  /_conduit/tier                                     the bindings, one line each ({@link #describe})
 * POST /_conduit/tier/attach                              body: a binding ({@link #encode(TierBinding)})
 * POST /_conduit/tier/detach?bucket=B                     404 when B has no cold tier
 * POST /_conduit/tier/prefetch?bucket=B&amp;prefix=P&amp;parallel=N[&amp;id=I]  answer: a {@link Prefetch.Result} ({@link #encode(Prefetch.Result)})
 * GET  /_conduit/tier/progress?id=I                       bytes done and total of the running prefetch I ({@link #encodeProgress});
 *                                                         404 when none runs (not started yet, or over)
 * </pre>
 *
 * <p>A client that wants a progress bar chooses a random id, sends it with its prefetch and polls
 * its progress while the prefetch request runs.
 */
public final class TierAdmin
{
    /** The endpoint, under the server's admin prefix. */
    public static final String PATH = "tier";

    private TierAdmin()
    {
    }

    /**
     * @param binding a binding.
     * @return the line {@code conduit tier ls} prints for it.
     */
    public static String describe(final TierBinding binding)
    {
        return binding.bucket() + "\t" + binding.cold() + "\t" + binding.endpoint() + "\t" + binding.policy().text() + "\tshare "
            + binding.capacityShare() + (binding.pinned().isEmpty() ? "" : "\tpinned " + String.join(",", binding.pinned()));
    }

    /**
     * @param tiering the server's tiering layer.
     * @return every binding, one {@link #describe} line each.
     */
    public static String list(final Tiering tiering)
    {
        return tiering.bindings().stream().map(b -> describe(b) + "\n").collect(Collectors.joining());
    }

    /**
     * @param tiering  the server's tiering layer.
     * @param bucket   a read-through bucket.
     * @param prefix   key prefix.
     * @param parallel objects at once.
     * @param id       the client's id for its progress polls ({@link #progress}), or "" for none.
     * @return the result, encoded.
     * @throws InterruptedException when interrupted.
     */
    public static String prefetch(final Tiering tiering, final String bucket, final String prefix, final int parallel, final String id)
        throws InterruptedException
    {
        if (parallel < 1)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "parallel must be >= 1: " + parallel);
        }
        if (id.isEmpty())
        {
            return encode(tiering.prefetch(bucket, prefix, parallel, ProgressListener.NONE));
        }
        if (id.length() > PrefetchProgress.MAX_ID_CHARS)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "a prefetch id has at most " + PrefetchProgress.MAX_ID_CHARS
                + " characters");
        }
        final ProgressListener progress = tiering.prefetchProgress().start(id);
        try
        {
            return encode(tiering.prefetch(bucket, prefix, parallel, progress));
        }
        finally
        {
            tiering.prefetchProgress().end(id);
        }
    }

    /**
     * @param tiering the server's tiering layer.
     * @param id      a running prefetch's id.
     * @return its progress, encoded ({@link #encodeProgress}).
     * @throws ConduitException {@code NOT_FOUND} when no prefetch of that id runs.
     */
    public static String progress(final Tiering tiering, final String id)
    {
        final long[] state = tiering.prefetchProgress().snapshot(id)
            .orElseThrow(() -> new ConduitException(ErrorCode.NOT_FOUND, "no prefetch " + id + " is running"));
        return encodeProgress(state[0], state[1]);
    }

    /**
     * @param doneBytes  bytes done.
     * @param totalBytes bytes in all (0 while the listing runs).
     * @return them as text.
     */
    public static String encodeProgress(final long doneBytes, final long totalBytes)
    {
        final Properties p = new Properties();
        p.setProperty("doneBytes", Long.toString(doneBytes));
        p.setProperty("totalBytes", Long.toString(totalBytes));
        return store(p);
    }

    /**
     * @param text what {@link #encodeProgress} wrote.
     * @return bytes done and total.
     */
    public static long[] decodeProgress(final String text)
    {
        final Properties p = load(text);
        return new long[] {number(p, "doneBytes"), number(p, "totalBytes")};
    }

    /**
     * @param binding a binding.
     * @return it as text.
     */
    public static String encode(final TierBinding binding)
    {
        final Properties p = new Properties();
        p.putAll(binding.toMetadata());
        p.setProperty("bucket", binding.bucket());
        return store(p);
    }

    /**
     * @param text what {@link #encode(TierBinding)} wrote.
     * @return the binding.
     * @throws ConduitException {@code INVALID_ARGUMENT} when a field is missing or malformed.
     */
    public static TierBinding decodeBinding(final String text)
    {
        final Properties p = load(text);
        try
        {
            final Map<String, String> meta = new HashMap<>();
            for (final String name : p.stringPropertyNames())
            {
                meta.put(name, p.getProperty(name));
            }
            return TierBinding.fromMetadata(require(p, "bucket"), meta);
        }
        catch (final RuntimeException e)
        {
            throw e instanceof ConduitException c ? c
                : new ConduitException(ErrorCode.INVALID_ARGUMENT, "malformed tier binding: " + e.getMessage(), e);
        }
    }

    /**
     * @param result a prefetch's result.
     * @return it as text.
     */
    public static String encode(final Prefetch.Result result)
    {
        final Properties p = new Properties();
        p.setProperty("listed", Long.toString(result.listed()));
        p.setProperty("fetched", Long.toString(result.fetched()));
        p.setProperty("fetchedBytes", Long.toString(result.fetchedBytes()));
        p.setProperty("skipped", Long.toString(result.skipped()));
        p.setProperty("failed", Long.toString(result.failed()));
        p.setProperty("elapsedNs", Long.toString(result.elapsedNs()));
        p.setProperty("listedBytes", Long.toString(result.listedBytes()));
        if (result.firstFailure() != null)
        {
            p.setProperty("firstFailure", result.firstFailure());
        }
        return store(p);
    }

    /**
     * @param text what {@link #encode(Prefetch.Result)} wrote.
     * @return the result.
     */
    public static Prefetch.Result decodeResult(final String text)
    {
        final Properties p = load(text);
        return new Prefetch.Result(number(p, "listed"), number(p, "fetched"), number(p, "fetchedBytes"), number(p, "skipped"),
            number(p, "failed"), p.getProperty("firstFailure"), number(p, "elapsedNs"), number(p, "listedBytes"));
    }

    /**
     * @param text a {@code GET /_conduit/tier} answer.
     * @return its lines.
     */
    public static List<String> lines(final String text)
    {
        final List<String> out = new ArrayList<>();
        text.lines().filter(l -> !l.isBlank()).forEach(out::add);
        return out;
    }

    /**
     * @param server a server's endpoint.
     * @param what   {@code ""}, {@code attach}, {@code detach} or {@code prefetch}, with its query.
     * @return the admin URI.
     */
    public static URI uri(final URI server, final String what)
    {
        return server.resolve("/_conduit/" + PATH + (what.isEmpty() ? "" : "/" + what));
    }

    private static long number(final Properties p, final String name)
    {
        try
        {
            return Long.parseLong(require(p, name));
        }
        catch (final NumberFormatException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "malformed " + name + " in a tier answer", e);
        }
    }

    private static String require(final Properties p, final String name)
    {
        final String value = p.getProperty(name);
        if (value == null)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "missing " + name);
        }
        return value;
    }

    private static String store(final Properties p)
    {
        final StringWriter out = new StringWriter();
        try
        {
            p.store(out, null);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Properties load(final String text)
    {
        final Properties p = new Properties();
        try
        {
            p.load(new StringReader(text));
        }
        catch (final IOException | IllegalArgumentException e)
        {
            throw new ConduitException(ErrorCode.INVALID_ARGUMENT, "malformed tier request: " + e.getMessage(), e);
        }
        return p;
    }
}
