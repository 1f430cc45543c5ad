package dev.conduit.objecttier.http;

import java.util.Map;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/**
 * One request as S3 sees it: method, bucket and key (decoded; "" when absent), the decoded query
 * parameters (a sub-resource without a value maps to ""), the headers, and the operation the
 * {@link Router} picked.
 *
 * @param method    the HTTP method.
 * @param bucket    the bucket, "" for the service.
 * @param key       the key, "" for a bucket-level request.
 * @param query     decoded query parameters, first value of each.
 * @param headers   the request headers.
 * @param operation what is asked.
 */
public record S3Request(HttpMethod method, String bucket, String key, Map<String, String> query, HttpHeaders headers,
    Operation operation)
{
    /**
     * @param name a query parameter.
     * @return its value, or {@code null} when absent.
     */
    public String param(final String name)
    {
        return query.get(name);
    }

    /**
     * @param name a query parameter.
     * @return whether it is present (with or without a value).
     */
    public boolean has(final String name)
    {
        return query.containsKey(name);
    }

    /** @return "bucket/key", "bucket" or "/" (the Resource of an error document). */
    public String resource()
    {
        if (bucket.isEmpty())
        {
            return "/";
        }
        return key.isEmpty() ? "/" + bucket : "/" + bucket + "/" + key;
    }
}
