package dev.conduit.objecttier.tier;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One local bucket bound to a cold S3 location. Credentials are not stored: the cold client takes
 * them from the standard AWS chain (environment, system properties, {@code ~/.aws} files) or from
 * the named profile.
 *
 * @param bucket        the local bucket.
 * @param cold          where its objects live in the cold tier.
 * @param endpoint      the cold S3 endpoint ({@code https://s3.us-east-1.amazonaws.com}, a MinIO URL, ...).
 * @param region        the region requests are signed for.
 * @param profile       the AWS profile to take credentials from, or "" for the default chain.
 * @param policy        read-through, write-back or both.
 * @param capacityShare the share (0..1] of the store this bucket's cold-backed copies may hold before eviction.
 * @param pinned        key prefixes never evicted.
 */
public record TierBinding(String bucket, ColdLocation cold, URI endpoint, String region, String profile, TierPolicy policy,
    double capacityShare, List<String> pinned)
{
    /** Validates and copies. */
    public TierBinding
    {
        profile = profile == null ? "" : profile;
        region = region == null || region.isEmpty() ? "us-east-1" : region;
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
        if (!(capacityShare > 0 && capacityShare <= 1))
        {
            throw new IllegalArgumentException("capacity share must be in (0, 1]: " + capacityShare);
        }
        if (endpoint == null || endpoint.getScheme() == null || endpoint.getHost() == null)
        {
            throw new IllegalArgumentException("cold endpoint must be an http(s) URL: " + endpoint);
        }
    }

    /**
     * @param key a local key.
     * @return whether eviction must keep it.
     */
    public boolean isPinned(final String key)
    {
        for (final String prefix : pinned)
        {
            if (key.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the binding as catalog-record metadata. */
    Map<String, String> toMetadata()
    {
        final Map<String, String> meta = new HashMap<>();
        meta.put("cold", cold.toString());
        meta.put("endpoint", endpoint.toString());
        meta.put("region", region);
        meta.put("profile", profile);
        meta.put("policy", policy.text());
        meta.put("share", Double.toString(capacityShare));
        meta.put("pinned", String.join("\n", pinned));
        return meta;
    }

    /**
     * @param bucket the local bucket.
     * @param meta   what {@link #toMetadata()} wrote.
     * @return the binding.
     */
    static TierBinding fromMetadata(final String bucket, final Map<String, String> meta)
    {
        final String pinnedText = meta.getOrDefault("pinned", "");
        return new TierBinding(bucket, ColdLocation.parse(meta.get("cold")), URI.create(meta.get("endpoint")),
            meta.get("region"), meta.get("profile"), TierPolicy.parse(meta.get("policy")), Double.parseDouble(meta.get("share")),
            pinnedText.isEmpty() ? List.of() : List.of(pinnedText.split("\n")));
    }
}
