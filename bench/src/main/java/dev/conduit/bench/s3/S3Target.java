package dev.conduit.bench.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Where the objects live: a bucket, a key prefix and the endpoint, addressed path-style
 * ({@code http://host:port/bucket/key}), which every S3-compatible server accepts.
 *
 * @param bucket   the bucket.
 * @param prefix   the objects' key prefix (may be empty).
 * @param endpoint {@code http://host[:port]}.
 */
public record S3Target(String bucket, String prefix, URI endpoint)
{
    /**
     * @param url      {@code s3://BUCKET/PREFIX} ({@code PREFIX} optional).
     * @param endpoint {@code http://host[:port]} (https is not supported by the generator's client).
     * @return the target.
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static S3Target parse(final String url, final String endpoint)
    {
        if (!url.startsWith("s3://"))
        {
            throw new IllegalArgumentException("an S3 target is s3://BUCKET/PREFIX: " + url);
        }
        final String rest = url.substring("s3://".length());
        final int slash = rest.indexOf('/');
        final String bucket = slash < 0 ? rest : rest.substring(0, slash);
        final String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"))
        {
            throw new IllegalArgumentException("not a bucket name (3-63 of a-z, 0-9, '.', '-'): " + bucket + " in " + url);
        }
        if (endpoint == null || endpoint.isBlank())
        {
            throw new IllegalArgumentException("an s3:// target needs --endpoint http://HOST:PORT");
        }
        final URI uri;
        try
        {
            uri = new URI(endpoint.strip());
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalArgumentException("--endpoint is not a URL: " + endpoint);
        }
        if (!"http".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT)) ||
            uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")))
        {
            throw new IllegalArgumentException("--endpoint must be http://HOST[:PORT] with no path: " + endpoint);
        }
        return new S3Target(bucket, prefix, URI.create("http://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())));
    }

    /** @return the endpoint's port (80 when none is given). */
    public int port()
    {
        return endpoint.getPort() < 0 ? 80 : endpoint.getPort();
    }

    /**
     * @param index the object's number, {@code 0 ≤ index < objects}.
     * @return its key: the prefix, then {@code obj-} and the number zero-padded so keys list in order.
     */
    public String key(final int index)
    {
        return prefix + String.format(Locale.ROOT, "obj-%08d", index);
    }

    /**
     * @param index the object's number.
     * @return the request path, {@code /bucket/key}, encoded.
     */
    public String path(final int index)
    {
        return "/" + bucket + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key(index));
    }

    /** @return the bucket's request path. */
    public String bucketPath()
    {
        return "/" + bucket;
    }

    @Override
    public String toString()
    {
        return "s3://" + bucket + "/" + prefix + " at " + endpoint;
    }
}
