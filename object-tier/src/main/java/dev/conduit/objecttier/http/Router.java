package dev.conduit.objecttier.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

import dev.conduit.objecttier.tier.TierAdmin;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Turns a request line and Host header into an {@link S3Request}: path-style ({@code /bucket/key})
 * or virtual-host style ({@code bucket.<domain>} for one of the configured domains), the query
 * string decoded, and the operation chosen from method, bucket/key presence and sub-resources.
 *
 * <p>The server's own endpoints live under {@value #ADMIN_PREFIX}: an underscore cannot appear in
 * a bucket name, so no bucket can shadow them.
 */
public final class Router
{
    /** Path prefix of the server's own endpoints ({@code metrics}, {@code health}). */
    public static final String ADMIN_PREFIX = "/_conduit/";

    /** S3 sub-resources Conduit does not implement: asking for one is answered 501 NotImplemented. */
    private static final Set<String> UNSUPPORTED_SUBRESOURCES = Set.of(
        "policy", "policyStatus", "cors", "website", "logging", "notification",
            "replication",
        "encryption", "object-lock", "retention", "legal-hold", "restore", "select", "torrent", "accelerate",
            "analytics",
        "inventory", "metrics", "ownershipControls", "publicAccessBlock", "requestPayment", "intelligent-tiering",
        "attributes", "renameObject", "session");

    private final List<String> virtualHostDomains;

    /**
     * @param virtualHostDomains domains under which {@code bucket.<domain>} names a bucket.
     */
    public Router(final List<String> virtualHostDomains)
    {
        this.virtualHostDomains = List.copyOf(virtualHostDomains);
    }

    /**
     * @param request the decoded request head.
     * @return the S3 view of it.
     * @throws dev.conduit.objecttier.S3Exception InvalidArgument on a malformed escape.
     */
    public S3Request route(final HttpRequest request)
    {
        return route(request, null);
    }

    /**
     * @param request the decoded request head.
     * @param memo    the connection's last routed path, reused when this request names the same
     *                path (and host), or null.
     * @return the S3 view of it.
     * @throws dev.conduit.objecttier.S3Exception InvalidArgument on a malformed escape.
     */
    S3Request route(final HttpRequest request, final Memo memo)
    {
        final String uri = request.uri();
        final int q = uri.indexOf('?');
        final int pathEnd = q < 0 ? uri.length() : q;
        final Map<String, String> query = q < 0 ? Map.of() : parseQuery(uri.substring(q + 1));
        final HttpHeaders headers = request.headers();
        final HttpMethod method = request.method();

        // The prefix holds no '?', so the URI starts with it exactly when its path does.
        if (uri.startsWith(ADMIN_PREFIX))
        {
            final String what = uri.substring(ADMIN_PREFIX.length(), pathEnd);
            if (what.equals(TierAdmin.PATH) || what.startsWith(TierAdmin.PATH + "/"))
            {
                return new S3Request(method, "", what.substring(Math.min(what.length(), TierAdmin.PATH.length() + 1)), query, headers,
                    Operation.TierAdmin);
            }
            final Operation admin = "metrics".equals(what) ? Operation.Metrics : "health".equals(what)
                ? Operation.Health : Operation.Unsupported;
            return new S3Request(method, "", "", query, headers, admin);
        }

        final String host = virtualHostDomains.isEmpty() ? null : headers.get(HttpHeaderNames.HOST);
        final String bucket;
        final String key;
        if (memo != null && memo.names(uri, pathEnd, host))
        {
            // The same path as the connection's previous request (a client re-reading a key): its strings again.
            bucket = memo.bucket;
            key = memo.key;
        }
        else
        {
            final String rawPath = uri.substring(0, pathEnd);
            final String path = PercentCodec.decode(rawPath.startsWith("/") ? rawPath.substring(1) : rawPath, false);
            final String hostBucket = bucketFromHost(host);
            if (hostBucket != null)
            {
                bucket = hostBucket;
                key = path;
            }
            else
            {
                final int slash = path.indexOf('/');
                bucket = slash < 0 ? path : path.substring(0, slash);
                key = slash < 0 ? "" : path.substring(slash + 1);
            }
            if (memo != null)
            {
                memo.remember(rawPath, host, bucket, key);
            }
        }
        return new S3Request(method, bucket, key, query, headers, operation(method, bucket, key, query, headers));
    }

    private String bucketFromHost(final String host)
    {
        if (host == null || virtualHostDomains.isEmpty())
        {
            return null;
        }
        final int colon = host.lastIndexOf(':');
        // Compared in place: a path-style request (most clients) allocates nothing here.
        final int nameLength = colon > 0 && host.indexOf(']') < colon ? colon : host.length();
        for (int i = 0; i < virtualHostDomains.size(); i++)
        {
            final String domain = virtualHostDomains.get(i);
            final int dot = nameLength - domain.length() - 1;
            if (dot > 0 && host.charAt(dot) == '.' && host.regionMatches(true, dot + 1, domain, 0, domain.length()))
            {
                return host.substring(0, dot).toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    static Operation operation(
        final HttpMethod method, final String bucket, final String key, final Map<String, String> query,
            final HttpHeaders headers)
    {
        if (!query.isEmpty())
        {
            for (final String name : query.keySet())
            {
                if (UNSUPPORTED_SUBRESOURCES.contains(name))
                {
                    return Operation.Unsupported;
                }
            }
        }
        if (bucket.isEmpty())
        {
            return HttpMethod.GET.equals(method) ? Operation.ListBuckets : Operation.Unsupported;
        }
        return key.isEmpty() ? bucketOperation(method, query) : objectOperation(method, query, headers);
    }

    private static Operation bucketOperation(final HttpMethod method, final Map<String, String> query)
    {
        if (HttpMethod.GET.equals(method))
        {
            if (query.containsKey("location"))
            {
                return Operation.GetBucketLocation;
            }
            if (query.containsKey("acl"))
            {
                return Operation.GetBucketAcl;
            }
            if (query.containsKey("versioning"))
            {
                return Operation.GetBucketVersioning;
            }
            if (query.containsKey("lifecycle"))
            {
                return Operation.GetBucketLifecycleConfiguration;
            }
            if (query.containsKey("uploads"))
            {
                return Operation.ListMultipartUploads;
            }
            if (query.containsKey("versions"))
            {
                return Operation.ListObjectVersions;
            }
            if (query.containsKey("tagging"))
            {
                return Operation.Unsupported;
            }
            return "2".equals(query.get("list-type")) ? Operation.ListObjectsV2 : Operation.ListObjects;
        }
        if (HttpMethod.PUT.equals(method))
        {
            if (query.containsKey("acl"))
            {
                return Operation.PutBucketAcl;
            }
            if (query.containsKey("versioning"))
            {
                return Operation.PutBucketVersioning;
            }
            if (query.containsKey("lifecycle"))
            {
                return Operation.PutBucketLifecycleConfiguration;
            }
            return query.containsKey("tagging") ? Operation.Unsupported : Operation.CreateBucket;
        }
        if (HttpMethod.HEAD.equals(method))
        {
            return Operation.HeadBucket;
        }
        if (HttpMethod.DELETE.equals(method))
        {
            if (query.containsKey("lifecycle"))
            {
                return Operation.DeleteBucketLifecycle;
            }
            return query.isEmpty() || query.containsKey("x-id") ? Operation.DeleteBucket : Operation.Unsupported;
        }
        if (HttpMethod.POST.equals(method) && query.containsKey("delete"))
        {
            return Operation.DeleteObjects;
        }
        return Operation.Unsupported;
    }

    private static Operation objectOperation(final HttpMethod method, final Map<String, String> query,
        final HttpHeaders headers)
    {
        final boolean tagging = query.containsKey("tagging");
        final boolean uploadId = query.containsKey("uploadId");
        if (query.containsKey("acl"))
        {
            return Operation.Unsupported;
        }
        if (HttpMethod.GET.equals(method))
        {
            return tagging ? Operation.GetObjectTagging : uploadId ? Operation.ListParts : Operation.GetObject;
        }
        if (HttpMethod.HEAD.equals(method))
        {
            return Operation.HeadObject;
        }
        if (HttpMethod.PUT.equals(method))
        {
            final boolean copy = headers.contains("x-amz-copy-source");
            if (tagging)
            {
                return Operation.PutObjectTagging;
            }
            if (uploadId && query.containsKey("partNumber"))
            {
                return copy ? Operation.UploadPartCopy : Operation.UploadPart;
            }
            return copy ? Operation.CopyObject : Operation.PutObject;
        }
        if (HttpMethod.DELETE.equals(method))
        {
            return tagging ? Operation.DeleteObjectTagging : uploadId ? Operation.AbortMultipartUpload
                : Operation.DeleteObject;
        }
        if (HttpMethod.POST.equals(method))
        {
            return query.containsKey("uploads") ? Operation.CreateMultipartUpload : uploadId
                ? Operation.CompleteMultipartUpload : Operation.Unsupported;
        }
        return Operation.Unsupported;
    }

    /**
     * A connection's last routed path and what it named: the bucket and key depend only on the raw
     * path and the Host header, so a request with both equal to the previous one's takes the same
     * strings instead of cutting and decoding new ones. One request at a time uses it.
     */
    static final class Memo
    {
        private String rawPath;
        private String host;
        private String bucket;
        private String key;

        boolean names(final String uri, final int pathEnd, final String requestHost)
        {
            final String path = rawPath;
            return path != null && path.length() == pathEnd && uri.startsWith(path) && Objects.equals(host, requestHost);
        }

        void remember(final String path, final String requestHost, final String routedBucket, final String routedKey)
        {
            rawPath = path;
            host = requestHost;
            bucket = routedBucket;
            key = routedKey;
        }
    }

    private static Map<String, String> parseQuery(final String raw)
    {
        final Map<String, String> query = new LinkedHashMap<>();
        forEachParameter(raw, query::putIfAbsent);
        return query;
    }

    /**
     * @param uri  a request URI as received.
     * @param name a query parameter.
     * @return every value it has, in order (S3Request keeps only the first).
     */
    static List<String> allValues(final String uri, final String name)
    {
        final int q = uri.indexOf('?');
        final List<String> values = new ArrayList<>();
        if (q >= 0)
        {
            forEachParameter(uri.substring(q + 1), (n, v) ->
            {
                if (n.equals(name))
                {
                    values.add(v);
                }
            });
        }
        return values;
    }

    private static void forEachParameter(final String raw, final BiConsumer<String, String> sink)
    {
        int start = 0;
        while (start <= raw.length())
        {
            int end = raw.indexOf('&', start);
            if (end < 0)
            {
                end = raw.length();
            }
            if (end > start)
            {
                final String pair = raw.substring(start, end);
                final int eq = pair.indexOf('=');
                final String name = PercentCodec.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                final String value = eq < 0 ? "" : PercentCodec.decode(pair.substring(eq + 1), true);
                sink.accept(name, value);
            }
            start = end + 1;
        }
    }
}
