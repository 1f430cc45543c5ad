package dev.conduit.objecttier.bucket;

/**
 * One lifecycle rule: what happens to the noncurrent versions of keys under a prefix (S3
 * NoncurrentVersionExpiration). A noncurrent object version expires (is removed for good) once it
 * has been noncurrent for {@code noncurrentDays} days, counted from when the next newer version
 * was written, unless it is among the {@code newerNoncurrentVersions} newest noncurrent versions of
 * its key, which are kept whatever their age.
 *
 * @param id                      the rule's ID ("" when none was given).
 * @param prefix                  S3 key prefix the rule applies to ("" = every key).
 * @param enabled                 Status Enabled (a Disabled rule is kept but not applied).
 * @param noncurrentDays          days a version must have been noncurrent to expire (0: at once).
 * @param newerNoncurrentVersions how many newest noncurrent versions are always kept (0: none).
 */
public record LifecycleRule(String id, String prefix, boolean enabled, int noncurrentDays, int newerNoncurrentVersions)
{
    /** Most newest noncurrent versions a rule may keep (S3's limit). */
    public static final int MAX_NEWER_NONCURRENT_VERSIONS = 100;

    /** Normalises nulls and checks the numbers. */
    public LifecycleRule
    {
        id = id == null ? "" : id;
        prefix = prefix == null ? "" : prefix;
        if (noncurrentDays < 0 || newerNoncurrentVersions < 0 || newerNoncurrentVersions > MAX_NEWER_NONCURRENT_VERSIONS)
        {
            throw new IllegalArgumentException("NoncurrentDays must be >= 0 and NewerNoncurrentVersions 0.."
                + MAX_NEWER_NONCURRENT_VERSIONS + ": " + noncurrentDays + ", " + newerNoncurrentVersions);
        }
    }
}
