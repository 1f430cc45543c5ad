package dev.conduit.objecttier.xml;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.conduit.objecttier.S3Error;
import dev.conduit.objecttier.S3Exception;
import dev.conduit.objecttier.bucket.LifecycleRule;

/**
 * LifecycleConfiguration bodies, limited to what Conduit applies: rules with an ID, a prefix
 * ({@code Filter/Prefix}, or the older rule-level {@code Prefix}), a Status and a
 * {@code NoncurrentVersionExpiration} with {@code NoncurrentDays} and/or
 * {@code NewerNoncurrentVersions}. Any other action or filter is refused with NotImplemented
 * rather than stored and silently not applied.
 */
final class LifecycleXml
{
    private static final Set<String> RULE_CHILDREN = Set.of("ID", "Filter", "Prefix", "Status", "NoncurrentVersionExpiration");
    private static final Set<String> FILTER_CHILDREN = Set.of("Prefix");
    private static final Set<String> EXPIRATION_CHILDREN = Set.of("NoncurrentDays", "NewerNoncurrentVersions");

    private LifecycleXml()
    {
    }

    static List<LifecycleRule> parse(final byte[] body)
    {
        final XmlElement configuration = SafeXmlReader.read(body, "LifecycleConfiguration");
        final List<LifecycleRule> rules = new ArrayList<>();
        for (final XmlElement rule : configuration.all("Rule"))
        {
            onlyKnown(rule, RULE_CHILDREN);
            final XmlElement filter = rule.optional("Filter");
            String prefix = rule.optionalText("Prefix");
            if (null != filter)
            {
                onlyKnown(filter, FILTER_CHILDREN);
                prefix = filter.optionalText("Prefix");
            }
            final String status = rule.required("Status").text().strip();
            if (!"Enabled".equals(status) && !"Disabled".equals(status))
            {
                throw new S3Exception(S3Error.MalformedXML, "Status must be Enabled or Disabled", status);
            }
            final XmlElement expiration = rule.optional("NoncurrentVersionExpiration");
            if (null == expiration)
            {
                throw new S3Exception(S3Error.NotImplemented, "Conduit applies only NoncurrentVersionExpiration rules", "Rule");
            }
            onlyKnown(expiration, EXPIRATION_CHILDREN);
            final int days = number(expiration.optionalText("NoncurrentDays"));
            final int newer = number(expiration.optionalText("NewerNoncurrentVersions"));
            try
            {
                rules.add(new LifecycleRule(rule.optionalText("ID"), prefix, "Enabled".equals(status), days, newer));
            }
            catch (final IllegalArgumentException e)
            {
                throw new S3Exception(S3Error.InvalidArgument, e.getMessage(), "NoncurrentVersionExpiration", e);
            }
        }
        if (rules.isEmpty())
        {
            throw new S3Exception(S3Error.MalformedXML, "A lifecycle configuration needs at least one Rule", "");
        }
        return rules;
    }

    static byte[] write(final List<LifecycleRule> rules)
    {
        final XmlWriter xml = new XmlWriter(128 + rules.size() * 256).root("LifecycleConfiguration", XmlWriter.S3_NAMESPACE);
        for (final LifecycleRule rule : rules)
        {
            xml.open("Rule").optional("ID", rule.id())
                .open("Filter").element("Prefix", rule.prefix()).close("Filter")
                .element("Status", rule.enabled() ? "Enabled" : "Disabled")
                .open("NoncurrentVersionExpiration").element("NoncurrentDays", rule.noncurrentDays());
            if (rule.newerNoncurrentVersions() > 0)
            {
                xml.element("NewerNoncurrentVersions", rule.newerNoncurrentVersions());
            }
            xml.close("NoncurrentVersionExpiration").close("Rule");
        }
        return xml.close("LifecycleConfiguration").toBytes();
    }

    private static void onlyKnown(final XmlElement element, final Set<String> known)
    {
        for (final XmlElement child : element.children())
        {
            if (!known.contains(child.name()))
            {
                throw new S3Exception(S3Error.NotImplemented, "Conduit lifecycle rules do not support " + child.name(), child.name());
            }
        }
    }

    private static int number(final String text)
    {
        if (null == text)
        {
            return 0;
        }
        try
        {
            return Integer.parseInt(text.strip());
        }
        catch (final NumberFormatException e)
        {
            throw new S3Exception(S3Error.MalformedXML, "not a number: " + text, text, e);
        }
    }
}
