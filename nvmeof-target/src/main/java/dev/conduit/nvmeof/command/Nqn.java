package dev.conduit.nvmeof.command;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * NVMe Qualified Names (NVMe base specification, "NVM Subsystem NVMe Qualified Names"): either
 * {@code nqn.YYYY-MM.reverse.domain[:anything]} or {@code nqn.2014-08.org.nvmexpress:uuid:UUID},
 * at most 223 bytes of UTF-8, no white space or control characters.
 */
public final class Nqn
{
    /** The longest NQN in bytes. */
    public static final int MAX_BYTES = 223;

    private static final String UUID_PREFIX = "nqn.2014-08.org.nvmexpress:uuid:";
    private static final Pattern DOMAIN_FORM = Pattern.compile("nqn\\.[0-9]{4}-(0[1-9]|1[0-2])\\.[A-Za-z0-9][A-Za-z0-9.-]*(:.*)?");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Nqn()
    {
    }

    /**
     * @param nqn a candidate.
     * @return null when it is a well-formed NQN, else what is wrong with it.
     */
    public static String problem(final String nqn)
    {
        if (nqn == null || nqn.isEmpty())
        {
            return "it is empty";
        }
        if (nqn.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES)
        {
            return "it is longer than " + MAX_BYTES + " bytes";
        }
        if (nqn.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c)))
        {
            return "it contains white space or control characters";
        }
        if (nqn.startsWith(UUID_PREFIX))
        {
            return UUID.matcher(nqn.substring(UUID_PREFIX.length())).matches() ? null
                : "after " + UUID_PREFIX + " comes a UUID (8-4-4-4-12 hex digits)";
        }
        return DOMAIN_FORM.matcher(nqn).matches() ? null
            : "it is neither nqn.YYYY-MM.reverse.domain[:name] nor " + UUID_PREFIX + "UUID";
    }

    /**
     * @param nqn  a candidate.
     * @param what what it names, for the message (for example {@code "host NQN"}).
     * @return {@code nqn}.
     * @throws IllegalArgumentException saying what is wrong when it is not a well-formed NQN.
     */
    public static String require(final String nqn, final String what)
    {
        final String problem = problem(nqn);
        if (problem != null)
        {
            throw new IllegalArgumentException(what + " '" + nqn + "' is not an NQN: " + problem);
        }
        return nqn;
    }
}
